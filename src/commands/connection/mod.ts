/**
 * Connection commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { echo } from "./echo.ts";
import { ping } from "./ping.ts";

/** The connection group. */
export const connectionCommands: readonly Command[] = [echo, ping];
