/**
 * DUMP key
 *
 * @module
 */
import { NULL } from "../../protocol/reply.ts";
import { defineCommand, keyAt } from "../define.ts";
import { valueCodec } from "./restore.ts";

/** DUMP: the value at a key serialized in RDB format, or null. */
export const dump = defineCommand({
  name: "dump",
  group: "generic",
  summary:
    "Return a serialized version of the value stored at the specified key.",
  since: "2.6.0",
  complexity:
    "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
  arity: 2,
  flags: ["readonly"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [{ name: "key", type: "key", keySpecIndex: 0 }],
  },
  handler(ctx, args) {
    const value = ctx.db.lookupRead(args.key());
    if (value === undefined) return NULL;
    return valueCodec(ctx).dump(value);
  },
});
