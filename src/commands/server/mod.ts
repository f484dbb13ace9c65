/**
 * Server commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The server group. */
export const serverCommands: readonly Command[] = [];
