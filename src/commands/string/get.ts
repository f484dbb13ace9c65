/**
 * GET key
 * GETDEL key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { shareString } from "../../store/strings.ts";

/** GET: the string stored at a key, or null. */
export const get = defineCommand({
  name: "get",
  group: "string",
  summary: "Get the value of a key",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    const value = ctx.db.getString(args.key());
    return value === undefined ? null : shareString(value);
  },
});

/** GETDEL: replies with the string at a key and deletes the key. */
export const getdel = defineCommand({
  name: "getdel",
  group: "string",
  summary: "Get the value of a key and delete the key",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["write", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS DELETE")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    const key = args.key();
    const value = ctx.db.getString(key);
    if (value === undefined) return null;
    ctx.db.delete(key);
    ctx.dirty();
    ctx.notify(NOTIFY_GENERIC, "del", key);
    const lazy = ctx.server.config.get("lazyfree-lazy-user-del") === "yes";
    ctx.propagateAs([lazy ? "UNLINK" : "DEL", key]);
    return value;
  },
});
