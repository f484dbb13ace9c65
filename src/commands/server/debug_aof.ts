/**
 * DEBUG subcommands: LOADAOF (persistence/aof).
 *
 * @module
 */
import type { DebugSubcommand } from "./debug_extra.ts";

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_AOF: Record<string, DebugSubcommand> = {};
