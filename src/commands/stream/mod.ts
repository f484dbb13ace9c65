/**
 * Stream commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { xack } from "./xack.ts";
import { xadd } from "./xadd.ts";
import { xautoclaim, xclaim } from "./xclaim.ts";
import { xdel } from "./xdel.ts";
import { xgroupCommand } from "./xgroup.ts";
import { xinfoCommand } from "./xinfo.ts";
import { xlen } from "./xlen.ts";
import { xpending } from "./xpending.ts";
import { xrange, xrevrange } from "./xrange.ts";
import { xreadCommand, xreadgroup } from "./xread.ts";
import { xsetid } from "./xsetid.ts";
import { xtrim } from "./xtrim.ts";

/** The stream group. */
export const streamCommands: readonly Command[] = [
  xack,
  xadd,
  xautoclaim,
  xclaim,
  xdel,
  xgroupCommand,
  xinfoCommand,
  xlen,
  xpending,
  xrange,
  xreadCommand,
  xreadgroup,
  xrevrange,
  xsetid,
  xtrim,
];
