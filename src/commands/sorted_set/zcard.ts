/**
 * ZCARD key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { zsetForRead } from "./common.ts";
import { ZCARD_ARGS } from "./arguments.ts";

/** ZCARD: the number of members. */
export const zcard = defineCommand({
  name: "zcard",
  group: "sorted-set",
  summary: "Get the number of members in a sorted set",
  since: "1.2.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: ZCARD_ARGS },
  handler(ctx, args) {
    return zsetForRead(ctx, args.key())?.size ?? 0;
  },
});
