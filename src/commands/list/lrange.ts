/**
 * LRANGE key start stop
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { EMPTY_ARRAY } from "../../protocol/reply.ts";
import { clampRange, keyArg, listForRead } from "./common.ts";

/** LRANGE: the elements from `start` to `stop` inclusive (negative counts from the tail). */
export const lrange = defineCommand({
  name: "lrange",
  group: "list",
  summary: "Get a range of elements from a list",
  since: "1.0.0",
  complexity:
    "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
  arity: 4,
  flags: ["readonly"],
  acl: ["list"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      keyArg,
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    // The indexes are checked before the key, as in Redis.
    const start = args.long();
    const stop = args.long();
    const list = listForRead(ctx, key);
    if (list === undefined) return EMPTY_ARRAY;
    const range = clampRange(start, stop, list.length);
    if (range === undefined) return EMPTY_ARRAY;
    return list.slice(range[0], range[1] - range[0] + 1);
  },
});
