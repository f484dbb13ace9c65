/**
 * COMMAND DOCS arguments of the geo commands, as Redis 7.0 lists them.
 *
 * @module
 */
import type { ArgDoc } from "../types.ts";

/** GEOADD's arguments. */
export const GEOADD_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
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
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string", multiple: true },
];

/** GEODIST's arguments. */
export const GEODIST_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member1", type: "string" },
  { name: "member2", type: "string" },
  {
    name: "unit",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "m", type: "pure-token", token: "M" },
      { name: "km", type: "pure-token", token: "KM" },
      { name: "ft", type: "pure-token", token: "FT" },
      { name: "mi", type: "pure-token", token: "MI" },
    ],
  },
];

/** GEOHASH's arguments. */
export const GEOHASH_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string", multiple: true },
];

/** GEOSEARCH's arguments. */
export const GEOSEARCH_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  {
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
  },
  {
    name: "by",
    type: "oneof",
    arguments: [
      {
        name: "circle",
        type: "block",
        arguments: [
          { name: "radius", type: "double", token: "BYRADIUS" },
          {
            name: "unit",
            type: "oneof",
            arguments: [
              { name: "m", type: "pure-token", token: "M" },
              { name: "km", type: "pure-token", token: "KM" },
              { name: "ft", type: "pure-token", token: "FT" },
              { name: "mi", type: "pure-token", token: "MI" },
            ],
          },
        ],
      },
      {
        name: "box",
        type: "block",
        arguments: [
          { name: "width", type: "double", token: "BYBOX" },
          { name: "height", type: "double" },
          {
            name: "unit",
            type: "oneof",
            arguments: [
              { name: "m", type: "pure-token", token: "M" },
              { name: "km", type: "pure-token", token: "KM" },
              { name: "ft", type: "pure-token", token: "FT" },
              { name: "mi", type: "pure-token", token: "MI" },
            ],
          },
        ],
      },
    ],
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      { name: "any", type: "pure-token", token: "ANY", optional: true },
    ],
  },
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
];

/** GEOSEARCHSTORE's arguments. */
export const GEOSEARCHSTORE_ARGS: readonly ArgDoc[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "source", type: "key", keySpecIndex: 1 },
  {
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
  },
  {
    name: "by",
    type: "oneof",
    arguments: [
      {
        name: "circle",
        type: "block",
        arguments: [
          { name: "radius", type: "double", token: "BYRADIUS" },
          {
            name: "unit",
            type: "oneof",
            arguments: [
              { name: "m", type: "pure-token", token: "M" },
              { name: "km", type: "pure-token", token: "KM" },
              { name: "ft", type: "pure-token", token: "FT" },
              { name: "mi", type: "pure-token", token: "MI" },
            ],
          },
        ],
      },
      {
        name: "box",
        type: "block",
        arguments: [
          { name: "width", type: "double", token: "BYBOX" },
          { name: "height", type: "double" },
          {
            name: "unit",
            type: "oneof",
            arguments: [
              { name: "m", type: "pure-token", token: "M" },
              { name: "km", type: "pure-token", token: "KM" },
              { name: "ft", type: "pure-token", token: "FT" },
              { name: "mi", type: "pure-token", token: "MI" },
            ],
          },
        ],
      },
    ],
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      { name: "any", type: "pure-token", token: "ANY", optional: true },
    ],
  },
  { name: "storedist", type: "pure-token", token: "STOREDIST", optional: true },
];

/** GEORADIUS's arguments. */
export const GEORADIUS_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "longitude", type: "double" },
  { name: "latitude", type: "double" },
  { name: "radius", type: "double" },
  {
    name: "unit",
    type: "oneof",
    arguments: [
      { name: "m", type: "pure-token", token: "M" },
      { name: "km", type: "pure-token", token: "KM" },
      { name: "ft", type: "pure-token", token: "FT" },
      { name: "mi", type: "pure-token", token: "MI" },
    ],
  },
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
  {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      {
        name: "any",
        type: "pure-token",
        token: "ANY",
        since: "6.2.0",
        optional: true,
      },
    ],
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  { name: "key", type: "key", keySpecIndex: 1, token: "STORE", optional: true },
  {
    name: "key",
    type: "key",
    keySpecIndex: 2,
    token: "STOREDIST",
    optional: true,
  },
];

/** GEORADIUSBYMEMBER's arguments. */
export const GEORADIUSBYMEMBER_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string" },
  { name: "radius", type: "double" },
  {
    name: "unit",
    type: "oneof",
    arguments: [
      { name: "m", type: "pure-token", token: "M" },
      { name: "km", type: "pure-token", token: "KM" },
      { name: "ft", type: "pure-token", token: "FT" },
      { name: "mi", type: "pure-token", token: "MI" },
    ],
  },
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
  {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      { name: "any", type: "pure-token", token: "ANY", optional: true },
    ],
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  { name: "key", type: "key", keySpecIndex: 1, token: "STORE", optional: true },
  {
    name: "key",
    type: "key",
    keySpecIndex: 2,
    token: "STOREDIST",
    optional: true,
  },
];

/** GEORADIUS_RO's arguments. */
export const GEORADIUS_RO_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "longitude", type: "double" },
  { name: "latitude", type: "double" },
  { name: "radius", type: "double" },
  {
    name: "unit",
    type: "oneof",
    arguments: [
      { name: "m", type: "pure-token", token: "M" },
      { name: "km", type: "pure-token", token: "KM" },
      { name: "ft", type: "pure-token", token: "FT" },
      { name: "mi", type: "pure-token", token: "MI" },
    ],
  },
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
  {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      {
        name: "any",
        type: "pure-token",
        token: "ANY",
        since: "6.2.0",
        optional: true,
      },
    ],
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
];

/** GEORADIUSBYMEMBER_RO's arguments. */
export const GEORADIUSBYMEMBER_RO_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string" },
  { name: "radius", type: "double" },
  {
    name: "unit",
    type: "oneof",
    arguments: [
      { name: "m", type: "pure-token", token: "M" },
      { name: "km", type: "pure-token", token: "KM" },
      { name: "ft", type: "pure-token", token: "FT" },
      { name: "mi", type: "pure-token", token: "MI" },
    ],
  },
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
  {
    name: "count",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer", token: "COUNT" },
      { name: "any", type: "pure-token", token: "ANY", optional: true },
    ],
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
];
