/**
 * RENAME key newkey
 * RENAMENX key newkey
 *
 * @module
 */
import { noSuchKey } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import type { Args } from "../args.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { CommandDocs, Context } from "../types.ts";

// Redis's renameGenericCommand: the value moves with its TTL and its
// LRU/LFU data; an existing destination is overwritten (RENAME) or left
// alone (RENAMENX).
function rename(ctx: Context, args: Args, nx: boolean): Reply {
  const key = args.key();
  const newkey = args.key();
  const db = ctx.db;
  const value = db.lookupWrite(key);
  if (value === undefined) throw noSuchKey();
  if (key === newkey) return nx ? 0 : OK;
  const expire = db.getExpireExact(key);
  const meta = db.accessMeta(key);
  const overwrite = db.lookupWrite(newkey) !== undefined;
  if (overwrite && nx) return 0;
  // The source goes first: clients that cache keys hear about `key`, then
  // about `newkey`, in Redis's order.
  db.delete(key);
  if (overwrite) db.delete(newkey);
  db.add(newkey, value);
  db.setAccessMeta(newkey, meta);
  if (expire !== -1n) db.setExpire(newkey, expire);
  ctx.notify(NOTIFY_GENERIC, "rename_from", key);
  ctx.notify(NOTIFY_GENERIC, "rename_to", newkey);
  ctx.dirty();
  return nx ? 1 : OK;
}

const docs: CommandDocs = {
  arguments: [
    { name: "key", type: "key", keySpecIndex: 0 },
    { name: "newkey", type: "key", keySpecIndex: 1 },
  ],
};

/** RENAME: moves a value to another key name, overwriting it. */
export const renameCommand = defineCommand({
  name: "rename",
  group: "generic",
  summary: "Rename a key",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW ACCESS DELETE"), keyAt(2, "OW UPDATE")],
  docs,
  handler(ctx, args) {
    return rename(ctx, args, false);
  },
});

/** RENAMENX: RENAME only when the new name is free. */
export const renamenx = defineCommand({
  name: "renamenx",
  group: "generic",
  summary: "Rename a key, only if the new key does not exist",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW ACCESS DELETE"), keyAt(2, "OW INSERT")],
  docs: {
    ...docs,
    history: [[
      "3.2.0",
      "The command no longer returns an error when source and destination names are the same.",
    ]],
  },
  handler(ctx, args) {
    return rename(ctx, args, true);
  },
});
