/**
 * Bitmap commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The bitmap group. */
export const bitmapCommands: readonly Command[] = [];
