/**
 * DBSIZE
 *
 * @module
 */
import { defineCommand } from "../define.ts";

/** DBSIZE: the number of keys in the selected database. */
export const dbsize = defineCommand({
  name: "dbsize",
  group: "server",
  summary: "Return the number of keys in the selected database",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  tips: ["request_policy:all_shards", "response_policy:agg_sum"],
  handler(ctx) {
    // Keys that expired but were not reclaimed yet count, as in Redis.
    return ctx.db.size;
  },
});
