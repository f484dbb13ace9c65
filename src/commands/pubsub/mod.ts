/**
 * Pubsub commands.
 *
 * @module
 */
import type { Command } from "../types.ts";

/** The pubsub group. */
export const pubsubCommands: readonly Command[] = [];
