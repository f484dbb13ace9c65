/**
 * Transactions commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { discard, exec, multi } from "./multi.ts";
import { unwatch, watch } from "./watch.ts";

/** The transactions group. */
export const transactionsCommands: readonly Command[] = [
  discard,
  exec,
  multi,
  unwatch,
  watch,
];
