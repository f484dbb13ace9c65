/**
 * COPY source destination [DB destination-db] [REPLACE]
 *
 * @module
 */
import { sameObject, syntaxError } from "../../errors.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { copyString } from "../../store/strings.ts";
import { isString } from "../../store/values.ts";
import { defineCommand, keyAt } from "../define.ts";
import { databaseAt, parseInt32 } from "./db_index.ts";

/** COPY: an independent copy of a value, with its TTL, under another key. */
export const copy = defineCommand({
  name: "copy",
  group: "generic",
  summary: "Copy a key",
  since: "6.2.0",
  complexity:
    "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO ACCESS"), keyAt(2, "OW UPDATE")],
  docs: {
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      {
        name: "destination-db",
        type: "integer",
        token: "DB",
        optional: true,
      },
      { name: "replace", type: "pure-token", token: "REPLACE", optional: true },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const newkey = args.key();
    const src = ctx.db;
    let dst = src;
    let replace = false;
    while (args.more) {
      const option = args.option();
      if (option === "replace") {
        replace = true;
      } else if (option === "db" && args.more) {
        dst = databaseAt(ctx, parseInt32(args.next()));
      } else {
        throw syntaxError();
      }
    }
    if (src === dst && key === newkey) throw sameObject();
    const value = src.lookupRead(key);
    if (value === undefined) return 0;
    const expire = src.getExpireExact(key);
    const exists = dst.lookupWrite(newkey) !== undefined;
    if (exists && !replace) return 0;
    const duplicate = isString(value) ? copyString(value) : value.clone();
    if (exists) dst.delete(newkey);
    dst.add(newkey, duplicate);
    if (expire !== -1n) dst.setExpire(newkey, expire);
    ctx.server.notify(NOTIFY_GENERIC, "copy_to", newkey, dst.id);
    ctx.dirty();
    return 1;
  },
});
