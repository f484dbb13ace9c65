/**
 * Hash commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The hash group. */
export const hashCommands: readonly Command[] = [];
