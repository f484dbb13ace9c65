/**
 * SADD key member [member ...]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_SET } from "../../state.ts";
import { SetValue } from "../../store/set_value.ts";
import { setForWrite } from "./common.ts";

/** SADD: adds members; replies with the number that were new. */
export const sadd = defineCommand({
  name: "sadd",
  group: "set",
  summary: "Add one or more members to a set",
  since: "1.0.0",
  complexity:
    "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RW INSERT")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
    history: [["2.4.0", "Accepts multiple `member` arguments."]],
  },
  handler(ctx, args) {
    const key = args.key();
    let set = setForWrite(ctx, key);
    if (set === undefined) {
      // The first member decides whether the set starts as an intset.
      set = SetValue.forMember(args.peek()!);
      ctx.db.add(key, set);
    }
    const limits = ctx.server.encoding;
    let added = 0;
    while (args.more) {
      if (set.add(args.bytes(), limits)) added++;
    }
    if (added > 0) {
      ctx.db.touch(key);
      ctx.notify(NOTIFY_SET, "sadd", key);
      ctx.dirty(added);
    }
    return added;
  },
});
