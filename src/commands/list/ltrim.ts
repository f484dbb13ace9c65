/**
 * LTRIM key start stop
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { OK } from "../../protocol/reply.ts";
import { NOTIFY_LIST } from "../../state.ts";
import { clampRange, deleteIfEmpty, keyArg, listForWrite } from "./common.ts";

/** LTRIM: keeps only the elements from `start` to `stop` inclusive. */
export const ltrim = defineCommand({
  name: "ltrim",
  group: "list",
  summary: "Trim a list to the specified range",
  since: "1.0.0",
  complexity:
    "O(N) where N is the number of elements to be removed by the operation.",
  arity: 4,
  flags: ["write"],
  acl: ["list"],
  keys: [keyAt(1, "RW DELETE")],
  docs: {
    arguments: [
      keyArg,
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const start = args.long();
    const stop = args.long();
    const list = listForWrite(ctx, key);
    if (list === undefined) return OK;
    const length = list.length;
    const range = clampRange(start, stop, length);
    const fromHead = range === undefined ? length : range[0];
    const fromTail = range === undefined ? 0 : length - range[1] - 1;
    list.dropFront(fromHead);
    list.dropBack(fromTail);
    // Redis sends the event and signals WATCH even when nothing was
    // removed, but counts (and so propagates) only real removals.
    ctx.notify(NOTIFY_LIST, "ltrim", key);
    deleteIfEmpty(ctx, key, list);
    ctx.db.touch(key);
    if (fromHead + fromTail > 0) ctx.dirty(fromHead + fromTail);
    return OK;
  },
});
