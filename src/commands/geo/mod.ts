/**
 * Geo commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The geo group. */
export const geoCommands: readonly Command[] = [];
