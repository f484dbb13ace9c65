/**
 * Sorted set commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The sorted set group. */
export const sortedSetCommands: readonly Command[] = [];
