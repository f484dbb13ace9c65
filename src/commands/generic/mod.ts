/**
 * Generic keyspace commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The generic group. */
export const genericCommands: readonly Command[] = [];
