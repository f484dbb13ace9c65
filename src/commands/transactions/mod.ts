/**
 * Transactions commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The transactions group. */
export const transactionsCommands: readonly Command[] = [];
