/**
 * COMMAND DOCS arguments of the sorted set commands, as Redis 7.0 lists them.
 *
 * @module
 */
import type { ArgDoc } from "../types.ts";

/** ZADD's arguments. */
export const ZADD_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
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
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "increment", type: "integer" },
  { name: "member", type: "string" },
];

/** ZREM's arguments. */
export const ZREM_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string", multiple: true },
];

/** ZCARD's arguments. */
export const ZCARD_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
];

/** ZSCORE's arguments. */
export const ZSCORE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string" },
];

/** ZMSCORE's arguments. */
export const ZMSCORE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string", multiple: true },
];

/** ZRANK's arguments. */
export const ZRANK_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string" },
];

/** ZREVRANK's arguments. */
export const ZREVRANK_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "member", type: "string" },
];

/** ZCOUNT's arguments. */
export const ZCOUNT_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "min", type: "double" },
  { name: "max", type: "double" },
];

/** ZLEXCOUNT's arguments. */
export const ZLEXCOUNT_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "min", type: "string" },
  { name: "max", type: "string" },
];

/** ZRANGE's arguments. */
export const ZRANGE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "start", type: "string" },
  { name: "stop", type: "string" },
  {
    name: "sortby",
    type: "oneof",
    since: "6.2.0",
    optional: true,
    arguments: [
      { name: "byscore", type: "pure-token", token: "BYSCORE" },
      { name: "bylex", type: "pure-token", token: "BYLEX" },
    ],
  },
  {
    name: "rev",
    type: "pure-token",
    token: "REV",
    since: "6.2.0",
    optional: true,
  },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    since: "6.2.0",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    optional: true,
  },
];

/** ZRANGESTORE's arguments. */
export const ZRANGESTORE_ARGS: readonly ArgDoc[] = [
  { name: "dst", type: "key", keySpecIndex: 0 },
  { name: "src", type: "key", keySpecIndex: 1 },
  { name: "min", type: "string" },
  { name: "max", type: "string" },
  {
    name: "sortby",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "byscore", type: "pure-token", token: "BYSCORE" },
      { name: "bylex", type: "pure-token", token: "BYLEX" },
    ],
  },
  { name: "rev", type: "pure-token", token: "REV", optional: true },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
];

/** ZREVRANGE's arguments. */
export const ZREVRANGE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "start", type: "integer" },
  { name: "stop", type: "integer" },
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    optional: true,
  },
];

/** ZRANGEBYSCORE's arguments. */
export const ZRANGEBYSCORE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "min", type: "double" },
  { name: "max", type: "double" },
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    since: "2.0.0",
    optional: true,
  },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
];

/** ZREVRANGEBYSCORE's arguments. */
export const ZREVRANGEBYSCORE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "max", type: "double" },
  { name: "min", type: "double" },
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    optional: true,
  },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
];

/** ZRANGEBYLEX's arguments. */
export const ZRANGEBYLEX_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "min", type: "string" },
  { name: "max", type: "string" },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
];

/** ZREVRANGEBYLEX's arguments. */
export const ZREVRANGEBYLEX_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "max", type: "string" },
  { name: "min", type: "string" },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
];

/** ZREMRANGEBYRANK's arguments. */
export const ZREMRANGEBYRANK_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "start", type: "integer" },
  { name: "stop", type: "integer" },
];

/** ZREMRANGEBYSCORE's arguments. */
export const ZREMRANGEBYSCORE_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "min", type: "double" },
  { name: "max", type: "double" },
];

/** ZREMRANGEBYLEX's arguments. */
export const ZREMRANGEBYLEX_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "min", type: "string" },
  { name: "max", type: "string" },
];

/** ZPOPMIN's arguments. */
export const ZPOPMIN_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "count", type: "integer", optional: true },
];

/** ZPOPMAX's arguments. */
export const ZPOPMAX_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "count", type: "integer", optional: true },
];

/** ZMPOP's arguments. */
export const ZMPOP_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
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

/** ZUNION's arguments. */
export const ZUNION_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
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
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    optional: true,
  },
];

/** ZINTER's arguments. */
export const ZINTER_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
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
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    optional: true,
  },
];

/** ZDIFF's arguments. */
export const ZDIFF_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
  {
    name: "withscores",
    type: "pure-token",
    token: "WITHSCORES",
    optional: true,
  },
];

/** ZUNIONSTORE's arguments. */
export const ZUNIONSTORE_ARGS: readonly ArgDoc[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 1, multiple: true },
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

/** ZINTERSTORE's arguments. */
export const ZINTERSTORE_ARGS: readonly ArgDoc[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 1, multiple: true },
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

/** ZDIFFSTORE's arguments. */
export const ZDIFFSTORE_ARGS: readonly ArgDoc[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 1, multiple: true },
];

/** ZINTERCARD's arguments. */
export const ZINTERCARD_ARGS: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
  { name: "limit", type: "integer", token: "LIMIT", optional: true },
];

/** ZRANDMEMBER's arguments. */
export const ZRANDMEMBER_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  {
    name: "options",
    type: "block",
    optional: true,
    arguments: [
      { name: "count", type: "integer" },
      {
        name: "withscores",
        type: "pure-token",
        token: "WITHSCORES",
        optional: true,
      },
    ],
  },
];

/** ZSCAN's arguments. */
export const ZSCAN_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "cursor", type: "integer" },
  { name: "pattern", type: "pattern", token: "MATCH", optional: true },
  { name: "count", type: "integer", token: "COUNT", optional: true },
];

/** BZPOPMIN's arguments. */
export const BZPOPMIN_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
  { name: "timeout", type: "double" },
];

/** BZPOPMAX's arguments. */
export const BZPOPMAX_ARGS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
  { name: "timeout", type: "double" },
];

/** BZMPOP's arguments. */
export const BZMPOP_ARGS: readonly ArgDoc[] = [
  { name: "timeout", type: "double" },
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
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
