/**
 * PERSIST key
 *
 * @module
 */
import { NOTIFY_GENERIC } from "../../state.ts";
import { defineCommand, keyAt } from "../define.ts";

/** PERSIST: removes a key's expiry; 1 if it had one. */
export const persist = defineCommand({
  name: "persist",
  group: "generic",
  summary: "Remove the expiration from a key",
  since: "2.2.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    const key = args.key();
    if (ctx.db.lookupWrite(key) === undefined || !ctx.db.persist(key)) {
      return 0;
    }
    ctx.notify(NOTIFY_GENERIC, "persist", key);
    ctx.dirty();
    return 1;
  },
});
