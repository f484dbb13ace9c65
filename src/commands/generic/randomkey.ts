/**
 * RANDOMKEY
 *
 * @module
 */
import { defineCommand } from "../define.ts";

/** RANDOMKEY: a random key that has not expired, or null. */
export const randomkey = defineCommand({
  name: "randomkey",
  group: "generic",
  summary: "Return a random key from the keyspace",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["readonly"],
  acl: ["keyspace"],
  tips: ["request_policy:all_shards", "nondeterministic_output"],
  handler(ctx) {
    return ctx.db.randomKey() ?? null;
  },
});
