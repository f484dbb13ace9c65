/**
 * DEBUG subcommands: RELOAD (persistence/rdb runtime).
 *
 * @module
 */
import type { DebugSubcommand } from "./debug_extra.ts";

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_RDB: Record<string, DebugSubcommand> = {};
