/**
 * List commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The list group. */
export const listCommands: readonly Command[] = [];
