/**
 * LINSERT key <BEFORE | AFTER> pivot element
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { syntaxError } from "../../errors.ts";
import { NOTIFY_LIST } from "../../state.ts";
import { keyArg, listForWrite } from "./common.ts";

/** LINSERT: inserts an element next to the first occurrence of a pivot. */
export const linsert = defineCommand({
  name: "linsert",
  group: "list",
  summary: "Insert an element before or after another element in a list",
  since: "2.2.0",
  complexity:
    "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
  arity: 5,
  flags: ["write", "denyoom"],
  acl: ["list"],
  keys: [keyAt(1, "RW INSERT")],
  docs: {
    arguments: [
      keyArg,
      {
        name: "where",
        type: "oneof",
        arguments: [
          { name: "before", type: "pure-token", token: "BEFORE" },
          { name: "after", type: "pure-token", token: "AFTER" },
        ],
      },
      { name: "pivot", type: "string" },
      { name: "element", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    let after: boolean;
    if (args.accept("after")) after = true;
    else if (args.accept("before")) after = false;
    else throw syntaxError();
    const pivot = args.bytes();
    const value = args.bytes();
    const list = listForWrite(ctx, key);
    if (list === undefined) return 0;
    const at = list.scan(0, false, (v) => v === pivot);
    if (at < 0) return -1;
    list.insert(after ? at + 1 : at, value);
    ctx.db.touch(key);
    ctx.notify(NOTIFY_LIST, "linsert", key);
    ctx.dirty();
    return list.length;
  },
});
