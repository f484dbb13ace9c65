/**
 * List commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { blpop, brpop } from "./bpop.ts";
import { lindex } from "./lindex.ts";
import { linsert } from "./linsert.ts";
import { llen } from "./llen.ts";
import { blmove, brpoplpush, lmove, rpoplpush } from "./lmove.ts";
import { blmpop, lmpop } from "./lmpop.ts";
import { lpop, rpop } from "./pop.ts";
import { lpos } from "./lpos.ts";
import { lpush, lpushx, rpush, rpushx } from "./push.ts";
import { lrange } from "./lrange.ts";
import { lrem } from "./lrem.ts";
import { lset } from "./lset.ts";
import { ltrim } from "./ltrim.ts";

/** The list group. */
export const listCommands: readonly Command[] = [
  lpush,
  rpush,
  lpushx,
  rpushx,
  lpop,
  rpop,
  llen,
  lrange,
  lindex,
  lset,
  linsert,
  lrem,
  ltrim,
  lpos,
  lmove,
  rpoplpush,
  lmpop,
  blpop,
  brpop,
  blmove,
  brpoplpush,
  blmpop,
];
