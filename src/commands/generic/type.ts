/**
 * TYPE key
 *
 * @module
 */
import { simple } from "../../protocol/reply.ts";
import { typeOf } from "../../store/values.ts";
import { defineCommand, keyAt } from "../define.ts";

/** TYPE: the type name of the value at a key, or `none`. */
export const type = defineCommand({
  name: "type",
  group: "generic",
  summary: "Determine the type stored at key",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    const value = ctx.db.lookupReadNoTouch(args.key());
    return simple(value === undefined ? "none" : typeOf(value));
  },
});
