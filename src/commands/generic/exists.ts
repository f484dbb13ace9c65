/**
 * EXISTS key [key ...]
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";

/** EXISTS: how many of the keys exist (a repeated key counts each time). */
export const exists = defineCommand({
  name: "exists",
  group: "generic",
  summary: "Determine if a key exists",
  since: "1.0.0",
  complexity: "O(N) where N is the number of keys to check.",
  arity: -2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keysFrom(1, 1, "RO")],
  tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  docs: {
    history: [["3.0.3", "Accepts multiple `key` arguments."]],
    arguments: [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }],
  },
  handler(ctx, args) {
    let count = 0;
    while (args.more) {
      if (ctx.db.lookupReadNoTouch(args.key()) !== undefined) count++;
    }
    return count;
  },
});
