/**
 * LSET key index element
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { indexOutOfRange, noSuchKey } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { NOTIFY_LIST } from "../../state.ts";
import { keyArg, listForWrite, normalizeIndex } from "./common.ts";

/** LSET: replaces the element at an index. */
export const lset = defineCommand({
  name: "lset",
  group: "list",
  summary: "Set the value of an element in a list by its index",
  since: "1.0.0",
  complexity:
    "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
  arity: 4,
  flags: ["write", "denyoom"],
  acl: ["list"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: {
    arguments: [
      keyArg,
      { name: "index", type: "integer" },
      { name: "element", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const list = listForWrite(ctx, key);
    if (list === undefined) throw noSuchKey();
    const i = normalizeIndex(args.long(), list.length);
    const value = args.bytes();
    if (i < 0) throw indexOutOfRange();
    list.set(i, value);
    ctx.db.touch(key);
    ctx.notify(NOTIFY_LIST, "lset", key);
    ctx.dirty();
    return OK;
  },
});
