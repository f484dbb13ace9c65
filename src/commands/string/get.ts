/**
 * GET key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";

/** GET: the string stored at a key, or null. */
export const get = defineCommand({
  name: "get",
  group: "string",
  summary: "Returns the string value of a key.",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    return ctx.db.getString(args.key()) ?? null;
  },
});
