/**
 * LINDEX key index
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NULL } from "../../protocol/reply.ts";
import { keyArg, listForRead, normalizeIndex } from "./common.ts";

/** LINDEX: the element at an index (negative counts from the tail), or null. */
export const lindex = defineCommand({
  name: "lindex",
  group: "list",
  summary: "Get an element from a list by its index",
  since: "1.0.0",
  complexity:
    "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
  arity: 3,
  flags: ["readonly"],
  acl: ["list"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: [keyArg, { name: "index", type: "integer" }] },
  handler(ctx, args) {
    // The key is looked up before the index is parsed, as in Redis.
    const list = listForRead(ctx, args.key());
    if (list === undefined) return NULL;
    const i = normalizeIndex(args.long(), list.length);
    return i < 0 ? NULL : list.at(i);
  },
});
