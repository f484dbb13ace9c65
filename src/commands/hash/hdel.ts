/**
 * HDEL key field [field ...]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_GENERIC, NOTIFY_HASH } from "../../state.ts";
import type { HashValue } from "../../store/hash_value.ts";

/** HDEL: removes fields; deletes the key once the hash is empty. */
export const hdel = defineCommand({
  name: "hdel",
  group: "hash",
  summary: "Delete one or more hash fields",
  since: "2.0.0",
  complexity: "O(N) where N is the number of fields to be removed.",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RW DELETE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string", multiple: true },
    ],
    history: [["2.4.0", "Accepts multiple `field` arguments."]],
  },
  handler(ctx, args) {
    const key = args.key();
    const hash = ctx.db.getCollectionForWrite<HashValue>(key, "hash");
    if (hash === undefined) return 0;
    let deleted = 0;
    let removed = false;
    while (args.more) {
      if (hash.delete(args.bytes())) {
        deleted++;
        if (hash.size === 0) {
          ctx.db.delete(key);
          removed = true;
          break;
        }
      }
    }
    if (deleted > 0) {
      ctx.db.touch(key);
      ctx.notify(NOTIFY_HASH, "hdel", key);
      if (removed) ctx.notify(NOTIFY_GENERIC, "del", key);
      ctx.dirty(deleted);
    }
    return deleted;
  },
});
