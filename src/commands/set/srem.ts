/**
 * SREM key member [member ...]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_GENERIC, NOTIFY_SET } from "../../state.ts";
import { setForWrite } from "./common.ts";

/** SREM: removes members; deletes the key once the set is empty. */
export const srem = defineCommand({
  name: "srem",
  group: "set",
  summary: "Remove one or more members from a set",
  since: "1.0.0",
  complexity: "O(N) where N is the number of members to be removed.",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RW DELETE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
    history: [["2.4.0", "Accepts multiple `member` arguments."]],
  },
  handler(ctx, args) {
    const key = args.key();
    const set = setForWrite(ctx, key);
    if (set === undefined) return 0;
    let deleted = 0;
    let removed = false;
    while (args.more) {
      if (set.delete(args.bytes())) {
        deleted++;
        if (set.size === 0) {
          ctx.db.delete(key);
          removed = true;
          break;
        }
      }
    }
    if (deleted > 0) {
      ctx.db.touch(key);
      ctx.notify(NOTIFY_SET, "srem", key);
      if (removed) ctx.notify(NOTIFY_GENERIC, "del", key);
      ctx.dirty(deleted);
    }
    return deleted;
  },
});
