/**
 * DEBUG subcommands: QUICKLIST-PACKED-THRESHOLD, SET-SKIP-CHECKSUM-VALIDATION (RDB codec).
 *
 * @module
 */
import type { DebugSubcommand } from "./debug_extra.ts";

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_CODEC: Record<string, DebugSubcommand> = {};
