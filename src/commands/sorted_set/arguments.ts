/**
 * COMMAND DOCS arguments of the sorted set commands, as Redis 7.0 lists them.
 *
 * @module
 */
import type { ArgDoc } from "../types.ts";

// Pieces several commands share, as Redis's JSON spells them out for each.
const KEY: ArgDoc = { name: "key", type: "key", keySpecIndex: 0 };
const KEYS: ArgDoc = { ...KEY, multiple: true };

const WITHSCORES: ArgDoc = {
  name: "withscores",
  type: "pure-token",
  token: "WITHSCORES",
  optional: true,
};

const LIMIT: ArgDoc = {
  name: "offset_count",
  type: "block",
  token: "LIMIT",
  optional: true,
  arguments: [
    { name: "offset", type: "integer" },
    { name: "count", type: "integer" },
  ],
};

const SORTBY: ArgDoc = {
  name: "sortby",
  type: "oneof",
  optional: true,
  arguments: [
    { name: "byscore", type: "pure-token", token: "BYSCORE" },
    { name: "bylex", type: "pure-token", token: "BYLEX" },
  ],
};

const REV: ArgDoc = {
  name: "rev",
  type: "pure-token",
  token: "REV",
  optional: true,
};

// ZMPOP and BZMPOP: numkeys key [key ...] MIN|MAX [COUNT count].
const MPOP: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  KEYS,
  {
    name: "where",
    type: "oneof",
    arguments: [
      { name: "min", type: "pure-token", token: "MIN" },
      { name: "max", type: "pure-token", token: "MAX" },
    ],
  },
  { name: "count", type: "integer", token: "COUNT", optional: true },
];

// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: destination numkeys key [key ...].
const STORE_SOURCES: readonly ArgDoc[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "numkeys", type: "integer" },
  { ...KEYS, keySpecIndex: 1 },
];

// ZUNION, ZINTER and their STORE forms: [WEIGHTS ...] [AGGREGATE ...].
const WEIGHTS_AGGREGATE: readonly ArgDoc[] = [
  {
    name: "weight",
    type: "integer",
    token: "WEIGHTS",
    optional: true,
    multiple: true,
  },
  {
    name: "aggregate",
    type: "oneof",
    token: "AGGREGATE",
    optional: true,
    arguments: [
      { name: "sum", type: "pure-token", token: "SUM" },
      { name: "min", type: "pure-token", token: "MIN" },
      { name: "max", type: "pure-token", token: "MAX" },
    ],
  },
];

// Key and member (ZSCORE, ZRANK, ZREVRANK); key and a range (ZCOUNT, ...).
const KEY_MEMBER: readonly ArgDoc[] = [KEY, { name: "member", type: "string" }];
const KEY_MEMBERS: readonly ArgDoc[] = [
  KEY,
  { name: "member", type: "string", multiple: true },
];
const SCORE_RANGE: readonly ArgDoc[] = [
  KEY,
  { name: "min", type: "double" },
  { name: "max", type: "double" },
];
const LEX_RANGE: readonly ArgDoc[] = [
  KEY,
  { name: "min", type: "string" },
  { name: "max", type: "string" },
];
const RANK_RANGE: readonly ArgDoc[] = [
  KEY,
  { name: "start", type: "integer" },
  { name: "stop", type: "integer" },
];

/** ZADD's arguments. */
export const ZADD_ARGS: readonly ArgDoc[] = [
  KEY,
  {
    name: "condition",
    type: "oneof",
    since: "3.0.2",
    optional: true,
    arguments: [
      { name: "nx", type: "pure-token", token: "NX" },
      { name: "xx", type: "pure-token", token: "XX" },
    ],
  },
  {
    name: "comparison",
    type: "oneof",
    since: "6.2.0",
    optional: true,
    arguments: [
      { name: "gt", type: "pure-token", token: "GT" },
      { name: "lt", type: "pure-token", token: "LT" },
    ],
  },
  {
    name: "change",
    type: "pure-token",
    token: "CH",
    since: "3.0.2",
    optional: true,
  },
  {
    name: "increment",
    type: "pure-token",
    token: "INCR",
    since: "3.0.2",
    optional: true,
  },
  {
    name: "score_member",
    type: "block",
    multiple: true,
    arguments: [
      { name: "score", type: "double" },
      { name: "member", type: "string" },
    ],
  },
];

/** ZINCRBY's arguments. */
export const ZINCRBY_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "increment", type: "integer" },
  { name: "member", type: "string" },
];

/** ZREM's arguments. */
export const ZREM_ARGS: readonly ArgDoc[] = KEY_MEMBERS;

/** ZCARD's arguments. */
export const ZCARD_ARGS: readonly ArgDoc[] = [KEY];

/** ZSCORE's arguments. */
export const ZSCORE_ARGS: readonly ArgDoc[] = KEY_MEMBER;

/** ZMSCORE's arguments. */
export const ZMSCORE_ARGS: readonly ArgDoc[] = KEY_MEMBERS;

/** ZRANK's arguments. */
export const ZRANK_ARGS: readonly ArgDoc[] = KEY_MEMBER;

/** ZREVRANK's arguments. */
export const ZREVRANK_ARGS: readonly ArgDoc[] = KEY_MEMBER;

/** ZCOUNT's arguments. */
export const ZCOUNT_ARGS: readonly ArgDoc[] = SCORE_RANGE;

/** ZLEXCOUNT's arguments. */
export const ZLEXCOUNT_ARGS: readonly ArgDoc[] = LEX_RANGE;

/** ZRANGE's arguments. */
export const ZRANGE_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "start", type: "string" },
  { name: "stop", type: "string" },
  { ...SORTBY, since: "6.2.0" },
  { ...REV, since: "6.2.0" },
  { ...LIMIT, since: "6.2.0" },
  WITHSCORES,
];

/** ZRANGESTORE's arguments. */
export const ZRANGESTORE_ARGS: readonly ArgDoc[] = [
  { name: "dst", type: "key", keySpecIndex: 0 },
  { name: "src", type: "key", keySpecIndex: 1 },
  { name: "min", type: "string" },
  { name: "max", type: "string" },
  SORTBY,
  REV,
  LIMIT,
];

/** ZREVRANGE's arguments. */
export const ZREVRANGE_ARGS: readonly ArgDoc[] = [...RANK_RANGE, WITHSCORES];

/** ZRANGEBYSCORE's arguments. */
export const ZRANGEBYSCORE_ARGS: readonly ArgDoc[] = [
  ...SCORE_RANGE,
  { ...WITHSCORES, since: "2.0.0" },
  LIMIT,
];

/** ZREVRANGEBYSCORE's arguments. */
export const ZREVRANGEBYSCORE_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "max", type: "double" },
  { name: "min", type: "double" },
  WITHSCORES,
  LIMIT,
];

/** ZRANGEBYLEX's arguments. */
export const ZRANGEBYLEX_ARGS: readonly ArgDoc[] = [...LEX_RANGE, LIMIT];

/** ZREVRANGEBYLEX's arguments. */
export const ZREVRANGEBYLEX_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "max", type: "string" },
  { name: "min", type: "string" },
  LIMIT,
];

/** ZREMRANGEBYRANK's arguments. */
export const ZREMRANGEBYRANK_ARGS: readonly ArgDoc[] = RANK_RANGE;

/** ZREMRANGEBYSCORE's arguments. */
export const ZREMRANGEBYSCORE_ARGS: readonly ArgDoc[] = SCORE_RANGE;

/** ZREMRANGEBYLEX's arguments. */
export const ZREMRANGEBYLEX_ARGS: readonly ArgDoc[] = LEX_RANGE;

/** ZPOPMIN's arguments. */
export const ZPOPMIN_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "count", type: "integer", optional: true },
];

/** ZPOPMAX's arguments. */
export const ZPOPMAX_ARGS: readonly ArgDoc[] = ZPOPMIN_ARGS;

/** ZMPOP's arguments. */
export const ZMPOP_ARGS: readonly ArgDoc[] = MPOP;

/** ZUNION's arguments. */
export const ZUNION_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  KEYS,
  ...WEIGHTS_AGGREGATE,
  WITHSCORES,
];

/** ZINTER's arguments. */
export const ZINTER_ARGS: readonly ArgDoc[] = ZUNION_ARGS;

/** ZDIFF's arguments. */
export const ZDIFF_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  KEYS,
  WITHSCORES,
];

/** ZUNIONSTORE's arguments. */
export const ZUNIONSTORE_ARGS: readonly ArgDoc[] = [
  ...STORE_SOURCES,
  ...WEIGHTS_AGGREGATE,
];

/** ZINTERSTORE's arguments. */
export const ZINTERSTORE_ARGS: readonly ArgDoc[] = ZUNIONSTORE_ARGS;

/** ZDIFFSTORE's arguments. */
export const ZDIFFSTORE_ARGS: readonly ArgDoc[] = STORE_SOURCES;

/** ZINTERCARD's arguments. */
export const ZINTERCARD_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  KEYS,
  { name: "limit", type: "integer", token: "LIMIT", optional: true },
];

/** ZRANDMEMBER's arguments. */
export const ZRANDMEMBER_ARGS: readonly ArgDoc[] = [
  KEY,
  {
    name: "options",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer" },
      WITHSCORES,
    ],
  },
];

/** ZSCAN's arguments. */
export const ZSCAN_ARGS: readonly ArgDoc[] = [
  KEY,
  { name: "cursor", type: "integer" },
  { name: "pattern", type: "pattern", token: "MATCH", optional: true },
  { name: "count", type: "integer", token: "COUNT", optional: true },
];

/** BZPOPMIN's arguments. */
export const BZPOPMIN_ARGS: readonly ArgDoc[] = [
  KEYS,
  { name: "timeout", type: "double" },
];

/** BZPOPMAX's arguments. */
export const BZPOPMAX_ARGS: readonly ArgDoc[] = BZPOPMIN_ARGS;

/** BZMPOP's arguments. */
export const BZMPOP_ARGS: readonly ArgDoc[] = [
  { name: "timeout", type: "double" },
  ...MPOP,
];
