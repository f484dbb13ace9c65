/**
 * SAVE
 * BGSAVE [SCHEDULE]
 * LASTSAVE
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { OK, simple } from "../../protocol/reply.ts";
import type { Context } from "../types.ts";
import { defineCommand } from "../define.ts";
import type { RdbService } from "../../services/rdb.ts";

function rdbOf(ctx: Context): RdbService {
  const rdb = ctx.server.rdb;
  if (rdb === undefined) {
    throw new TypeError("RDB persistence is not installed");
  }
  return rdb;
}

/** SAVE: writes the dataset to the RDB file now, blocking every client meanwhile. */
export const save = defineCommand({
  name: "save",
  group: "server",
  summary: "Synchronously save the dataset to disk",
  since: "1.0.0",
  complexity: "O(N) where N is the total number of keys in all databases",
  arity: 1,
  flags: ["admin", "noscript", "no_async_loading", "no_multi"],
  handler(ctx) {
    rdbOf(ctx).save();
    return OK;
  },
});

/** BGSAVE: saves a point-in-time image of the dataset while clients are served. */
export const bgsave = defineCommand({
  name: "bgsave",
  group: "server",
  summary: "Asynchronously save the dataset to disk",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -1,
  flags: ["admin", "noscript", "no_async_loading"],
  docs: {
    history: [["3.2.2", "Added the `SCHEDULE` option."]],
    arguments: [
      {
        name: "schedule",
        type: "pure-token",
        token: "SCHEDULE",
        since: "3.2.2",
        optional: true,
      },
    ],
  },
  handler(ctx, args) {
    let schedule = false;
    if (args.more) {
      if (args.remaining !== 1 || !args.accept("schedule")) throw syntaxError();
      schedule = true;
    }
    return simple(rdbOf(ctx).bgsave(schedule));
  },
});

/** LASTSAVE: Unix time of the last successful save. */
export const lastsave = defineCommand({
  name: "lastsave",
  group: "server",
  summary: "Get the UNIX time stamp of the last successful save to disk",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  acl: ["admin", "dangerous"],
  tips: ["nondeterministic_output"],
  handler(ctx) {
    return rdbOf(ctx).lastSave();
  },
});
