/**
 * DEL key [key ...]
 * UNLINK key [key ...]
 *
 * @module
 */
import { NOTIFY_GENERIC } from "../../state.ts";
import type { Args } from "../args.ts";
import { defineCommand, keysFrom } from "../define.ts";
import type { CommandDocs, Context } from "../types.ts";

// Redis's delGenericCommand. UNLINK (and DEL with lazyfree-lazy-user-del)
// frees big values in Redis's background thread, which INFO counts; here
// the garbage collector frees them either way.
function deleteKeys(ctx: Context, args: Args, lazy: boolean): number {
  const db = ctx.db;
  let removed = 0;
  while (args.more) {
    const key = args.key();
    // An expired key is reported as expired, not as deleted by this command.
    db.expireIfNeeded(key);
    const value = db.dict.get(key);
    if (value !== undefined && db.delete(key)) {
      ctx.server.countLazyFree(value, lazy);
      ctx.notify(NOTIFY_GENERIC, "del", key);
      removed++;
    }
  }
  if (removed > 0) ctx.dirty(removed);
  return removed;
}

const docs: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }],
};

/** DEL: removes keys; replies how many existed. */
export const del = defineCommand({
  name: "del",
  group: "generic",
  summary: "Delete a key",
  since: "1.0.0",
  complexity:
    "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
  arity: -2,
  flags: ["write"],
  acl: ["keyspace"],
  keys: [keysFrom(1, 1, "RM DELETE")],
  tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  docs,
  handler(ctx, args) {
    const lazy = ctx.server.config.bool("lazyfree-lazy-user-del");
    return deleteKeys(ctx, args, lazy);
  },
});

/** UNLINK: DEL that frees memory later. */
export const unlink = defineCommand({
  name: "unlink",
  group: "generic",
  summary:
    "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
  since: "4.0.0",
  complexity:
    "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
  arity: -2,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keysFrom(1, 1, "RM DELETE")],
  tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
  docs,
  handler(ctx, args) {
    return deleteKeys(ctx, args, true);
  },
});
