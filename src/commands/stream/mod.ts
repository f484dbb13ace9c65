/**
 * Stream commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The stream group. */
export const streamCommands: readonly Command[] = [];
