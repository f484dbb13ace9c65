/**
 * MOVE key db
 *
 * @module
 */
import { sameObject } from "../../errors.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { defineCommand, keyAt } from "../define.ts";
import { databaseAt, parseInt32 } from "./db_index.ts";

/** MOVE: moves a key, with its TTL, to another database. */
export const move = defineCommand({
  name: "move",
  group: "generic",
  summary: "Move a key to another database",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "db", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const dst = databaseAt(ctx, parseInt32(args.next()));
    const src = ctx.db;
    if (src === dst) throw sameObject();
    const value = src.lookupWrite(key);
    if (value === undefined) return 0;
    const expire = src.getExpireExact(key);
    const meta = src.accessMeta(key);
    if (dst.lookupWrite(key) !== undefined) return 0;
    dst.add(key, value);
    dst.setAccessMeta(key, meta);
    if (expire !== -1n) dst.setExpire(key, expire);
    src.delete(key);
    ctx.server.notify(NOTIFY_GENERIC, "move_from", key, src.id);
    ctx.server.notify(NOTIFY_GENERIC, "move_to", key, dst.id);
    ctx.dirty();
    return 1;
  },
});
