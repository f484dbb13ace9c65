/**
 * DEBUG subcommands: LOADAOF (persistence/aof).
 *
 * @module
 */
import { OK } from "../../protocol/reply.ts";
import type { DebugSubcommand } from "./debug_extra.ts";

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_AOF: Record<string, DebugSubcommand> = {
  /**
   * DEBUG LOADAOF: writes the AOF buffer, empties the dataset and loads
   * the AOF files back (the process exits if they cannot be loaded).
   */
  loadaof(ctx) {
    const aof = ctx.server.aof;
    if (aof === undefined) return undefined;
    aof.debugLoad();
    return OK;
  },
};
