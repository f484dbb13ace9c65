/**
 * TOUCH key [key ...]
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";

/** TOUCH: updates the access time of keys; replies how many exist. */
export const touch = defineCommand({
  name: "touch",
  group: "generic",
  summary:
    "Alters the last access time of a key(s). Returns the number of existing keys specified.",
  since: "3.2.1",
  complexity: "O(N) where N is the number of keys that will be touched.",
  arity: -2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keysFrom(1, 1, "RO")],
  tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  docs: {
    arguments: [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }],
  },
  handler(ctx, args) {
    let touched = 0;
    while (args.more) {
      if (ctx.db.lookupRead(args.key()) !== undefined) touched++;
    }
    return touched;
  },
});
