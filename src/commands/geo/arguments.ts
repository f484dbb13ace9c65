/**
 * COMMAND DOCS arguments of the geo commands, as Redis 7.0 lists them.
 *
 * @module
 */
import type { ArgDoc } from "../types.ts";

// Pieces several commands share, as Redis's JSON spells them out for each.
const KEY: ArgDoc = { name: "key", type: "key", keySpecIndex: 0 };

const UNIT: ArgDoc = {
  name: "unit",
  type: "oneof",
  arguments: [
    { name: "m", type: "pure-token", token: "M" },
    { name: "km", type: "pure-token", token: "KM" },
    { name: "ft", type: "pure-token", token: "FT" },
    { name: "mi", type: "pure-token", token: "MI" },
  ],
};

const ORDER: ArgDoc = {
  name: "order",
  type: "oneof",
  optional: true,
  arguments: [
    { name: "asc", type: "pure-token", token: "ASC" },
    { name: "desc", type: "pure-token", token: "DESC" },
  ],
};

// COUNT count [ANY]; GEORADIUS alone dates its ANY.
function countAny(anySince?: string): ArgDoc {
  const any: ArgDoc = { name: "any", type: "pure-token", token: "ANY" };
  return {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      anySince === undefined
        ? { ...any, optional: true }
        : { ...any, since: anySince, optional: true },
    ],
  };
}

const WITH_FLAGS: readonly ArgDoc[] = [
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
];

// GEOSEARCH and GEOSEARCHSTORE: the centre and the shape.
const FROM: ArgDoc = {
  name: "from",
  type: "oneof",
  arguments: [
    { name: "member", type: "string", token: "FROMMEMBER" },
    {
      name: "longitude_latitude",
      type: "block",
      token: "FROMLONLAT",
      arguments: [
        { name: "longitude", type: "double" },
        { name: "latitude", type: "double" },
      ],
    },
  ],
};

const BY: ArgDoc = {
  name: "by",
  type: "oneof",
  arguments: [
    {
      name: "circle",
      type: "block",
      arguments: [{ name: "radius", type: "double", token: "BYRADIUS" }, UNIT],
    },
    {
      name: "box",
      type: "block",
      arguments: [
        { name: "width", type: "double", token: "BYBOX" },
        { name: "height", type: "double" },
        UNIT,
      ],
    },
  ],
};

// GEORADIUS and GEORADIUSBYMEMBER's STORE and STOREDIST.
const STORE_KEYS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 1, token: "STORE", optional: true },
  {
    name: "key",
    type: "key",
    keySpecIndex: 2,
    token: "STOREDIST",
    optional: true,
  },
];

/** GEOADD's arguments. */
export const GEOADD_ARGS: readonly ArgDoc[] = [
  KEY,
  {
    name: "condition",
    type: "oneof",
    since: "6.2.0",
    optional: true,
    arguments: [
      { name: "nx", type: "pure-token", token: "NX" },
      { name: "xx", type: "pure-token", token: "XX" },
    ],
  },
  {
    name: "change",
    type: "pure-token",
    token: "CH",
    since: "6.2.0",
    optional: true,
  },
  {
    name: "longitude_latitude_member",
    type: "block",
    multiple: true,
    arguments: [
      { name: "longitude", type: "double" },
      { name: "latitude", type: "double" },
      { name: "member", type: "string" },
    ],
  },
];

/** GEOPOS's arguments. */
export const GEOPOS_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "member", type: "string", multiple: true },
];

/** GEODIST's arguments. */
export const GEODIST_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "member1", type: "string" },
  { name: "member2", type: "string" },
  { ...UNIT, optional: true },
];

/** GEOHASH's arguments: those of GEOPOS. */
export const GEOHASH_ARGS: readonly ArgDoc[] = GEOPOS_ARGS;

/** GEOSEARCH's arguments. */
export const GEOSEARCH_ARGS: readonly ArgDoc[] = [
  KEY,
  FROM,
  BY,
  ORDER,
  countAny(),
  ...WITH_FLAGS,
];

/** GEOSEARCHSTORE's arguments. */
export const GEOSEARCHSTORE_ARGS: readonly ArgDoc[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "source", type: "key", keySpecIndex: 1 },
  FROM,
  BY,
  ORDER,
  countAny(),
  { name: "storedist", type: "pure-token", token: "STOREDIST", optional: true },
];

/** GEORADIUS_RO's arguments. */
export const GEORADIUS_RO_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "longitude", type: "double" },
  { name: "latitude", type: "double" },
  { name: "radius", type: "double" },
  UNIT,
  ...WITH_FLAGS,
  countAny("6.2.0"),
  ORDER,
];

/** GEORADIUS's arguments: GEORADIUS_RO's, then STORE and STOREDIST. */
export const GEORADIUS_ARGS: readonly ArgDoc[] = [
  ...GEORADIUS_RO_ARGS,
  ...STORE_KEYS,
];

/** GEORADIUSBYMEMBER_RO's arguments. */
export const GEORADIUSBYMEMBER_RO_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "member", type: "string" },
  { name: "radius", type: "double" },
  UNIT,
  ...WITH_FLAGS,
  countAny(),
  ORDER,
];

/** GEORADIUSBYMEMBER's arguments: GEORADIUSBYMEMBER_RO's, then STORE and STOREDIST. */
export const GEORADIUSBYMEMBER_ARGS: readonly ArgDoc[] = [
  ...GEORADIUSBYMEMBER_RO_ARGS,
  ...STORE_KEYS,
];
