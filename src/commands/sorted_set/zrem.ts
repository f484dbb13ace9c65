/**
 * ZREM key member [member ...]
 *
 * @module
 */
import { NOTIFY_ZSET } from "../../state.ts";
import { defineCommand, keyAt } from "../define.ts";
import { deleteIfEmpty, zsetForWrite } from "./common.ts";
import { ZREM_ARGS } from "./arguments.ts";

/** ZREM: removes members; replies how many were there. */
export const zrem = defineCommand({
  name: "zrem",
  group: "sorted-set",
  summary: "Remove one or more members from a sorted set",
  since: "1.2.0",
  complexity:
    "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW DELETE")],
  docs: {
    arguments: ZREM_ARGS,
    history: [["2.4.0", "Accepts multiple elements."]],
  },
  handler(ctx, args) {
    const key = args.key();
    const zset = zsetForWrite(ctx, key);
    if (zset === undefined) return 0;
    let deleted = 0;
    while (args.more) {
      if (zset.delete(args.next())) deleted++;
      if (zset.size === 0) break;
    }
    if (deleted !== 0) {
      ctx.notify(NOTIFY_ZSET, "zrem", key);
      if (!deleteIfEmpty(ctx, key, zset)) ctx.db.touch(key);
      ctx.dirty(deleted);
    }
    return deleted;
  },
});
