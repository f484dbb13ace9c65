/**
 * DEBUG subcommands: RELOAD (persistence/rdb runtime).
 *
 * @module
 */
import { debugReloadOption } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { asciiLower } from "../../util/bytes.ts";
import type { DebugSubcommand } from "./debug_extra.ts";

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_RDB: Record<string, DebugSubcommand> = {
  /**
   * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB file, empties
   * the dataset and loads the file back, as Redis does.
   */
  reload(ctx, words) {
    const rdb = ctx.server.rdb;
    if (rdb === undefined) return undefined;
    const opts = { save: true, flush: true, merge: false };
    for (const word of words.slice(2)) {
      const opt = asciiLower(word);
      if (opt === "merge") opts.merge = true;
      else if (opt === "noflush") opts.flush = false;
      else if (opt === "nosave") opts.save = false;
      else throw debugReloadOption();
    }
    rdb.reload(opts);
    return OK;
  },
};
