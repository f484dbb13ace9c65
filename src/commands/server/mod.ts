/**
 * Server commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { bgrewriteaof } from "./bgrewriteaof.ts";
import { command } from "./command.ts";
import { config } from "./config.ts";
import { debug } from "./debug.ts";
import { info } from "./info.ts";
import { lolwut } from "./lolwut.ts";
import { module } from "./module.ts";
import { bgsave, lastsave, save } from "./save.ts";
import { shutdown } from "./shutdown.ts";
import { time } from "./time.ts";

/** The server group. */
export const serverCommands: readonly Command[] = [
  bgrewriteaof,
  bgsave,
  command,
  config,
  debug,
  info,
  lastsave,
  lolwut,
  module,
  save,
  shutdown,
  time,
];
