/**
 * Set commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The set group. */
export const setCommands: readonly Command[] = [];
