/**
 * Sorted set commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { zadd, zincrby } from "./zadd.ts";
import { zcard } from "./zcard.ts";
import { zcount, zlexcount } from "./zcount.ts";
import { bzmpop, bzpopmax, bzpopmin, zmpop, zpopmax, zpopmin } from "./zpop.ts";
import { zrandmember } from "./zrandmember.ts";
import {
  zrange,
  zrangebylex,
  zrangebyscore,
  zrangestore,
  zrevrange,
  zrevrangebylex,
  zrevrangebyscore,
} from "./zrange.ts";
import { zrank, zrevrank } from "./zrank.ts";
import { zrem } from "./zrem.ts";
import {
  zremrangebylex,
  zremrangebyrank,
  zremrangebyscore,
} from "./zremrange.ts";
import { zscan } from "./zscan.ts";
import { zmscore, zscore } from "./zscore.ts";
import {
  zdiff,
  zdiffstore,
  zinter,
  zintercard,
  zinterstore,
  zunion,
  zunionstore,
} from "./zsetops.ts";

// Listed apart from the export: scripts/check_layers.ts's import pattern
// backtracks exponentially over a long multi-line `export` statement.
const commands: readonly Command[] = [
  zadd,
  zincrby,
  zrem,
  zcard,
  zscore,
  zmscore,
  zrank,
  zrevrank,
  zcount,
  zlexcount,
  zrange,
  zrangestore,
  zrevrange,
  zrangebyscore,
  zrevrangebyscore,
  zrangebylex,
  zrevrangebylex,
  zremrangebyrank,
  zremrangebyscore,
  zremrangebylex,
  zpopmin,
  zpopmax,
  zmpop,
  bzpopmin,
  bzpopmax,
  bzmpop,
  zunion,
  zinter,
  zdiff,
  zunionstore,
  zinterstore,
  zdiffstore,
  zintercard,
  zrandmember,
  zscan,
];

/** The sorted set group. */
export const sortedSetCommands: readonly Command[] = commands;
