/**
 * Hash commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { hdel } from "./hdel.ts";
import { hexists, hget, hlen, hmget, hstrlen } from "./hget.ts";
import { hgetall, hkeys, hvals } from "./hgetall.ts";
import { hincrby } from "./hincrby.ts";
import { hincrbyfloat } from "./hincrbyfloat.ts";
import { hrandfield } from "./hrandfield.ts";
import { hscan } from "./hscan.ts";
import { hmset, hset, hsetnx } from "./hset.ts";

/** The hash group. */
export const hashCommands: readonly Command[] = [
  hdel,
  hexists,
  hget,
  hgetall,
  hincrby,
  hincrbyfloat,
  hkeys,
  hlen,
  hmget,
  hmset,
  hrandfield,
  hscan,
  hset,
  hsetnx,
  hstrlen,
  hvals,
];
