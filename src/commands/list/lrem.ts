/**
 * LREM key count element
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_LIST } from "../../state.ts";
import { deleteIfEmpty, keyArg, listForWrite } from "./common.ts";

/**
 * LREM: removes the first `count` occurrences of an element (the last ones
 * for a negative count, all of them for 0); replies with how many.
 */
export const lrem = defineCommand({
  name: "lrem",
  group: "list",
  summary: "Remove elements from a list",
  since: "1.0.0",
  complexity:
    "O(N+M) where N is the length of the list and M is the number of elements removed.",
  arity: 4,
  flags: ["write"],
  acl: ["list"],
  keys: [keyAt(1, "RW DELETE")],
  docs: {
    arguments: [
      keyArg,
      { name: "count", type: "integer" },
      { name: "element", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    // The count is checked before the key, as in Redis.
    const count = args.long();
    const value = args.bytes();
    const list = listForWrite(ctx, key);
    if (list === undefined) return 0;
    const limit = count === 0 ? Infinity : Math.abs(count);
    const found: number[] = [];
    list.scan(
      count < 0 ? list.length - 1 : 0,
      count < 0,
      (v, i) => v === value && found.push(i) >= limit,
    );
    if (count < 0) found.reverse();
    list.removeIndexes(found);
    if (found.length !== 0) {
      ctx.db.touch(key);
      ctx.notify(NOTIFY_LIST, "lrem", key);
      ctx.dirty(found.length);
    }
    deleteIfEmpty(ctx, key, list);
    return found.length;
  },
});
