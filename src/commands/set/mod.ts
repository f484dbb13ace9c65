/**
 * Set commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { sadd } from "./sadd.ts";
import { scard, sismember, smembers, smismember } from "./smembers.ts";
import { sinter, sintercard, sinterstore } from "./sinter.ts";
import { smove } from "./smove.ts";
import { spop } from "./spop.ts";
import { srandmember } from "./srandmember.ts";
import { srem } from "./srem.ts";
import { sscan } from "./sscan.ts";
import { sdiff, sdiffstore, sunion, sunionstore } from "./sunion.ts";

/** The set group. */
export const setCommands: readonly Command[] = [
  sadd,
  scard,
  sdiff,
  sdiffstore,
  sinter,
  sintercard,
  sinterstore,
  sismember,
  smembers,
  smismember,
  smove,
  spop,
  srandmember,
  srem,
  sscan,
  sunion,
  sunionstore,
];
