/**
 * DEBUG subcommands: DIGEST, DIGEST-VALUE (dataset digests).
 *
 * @module
 */
import type { DebugSubcommand } from "./debug_extra.ts";

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_DIGEST: Record<string, DebugSubcommand> = {};
