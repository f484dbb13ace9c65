/**
 * LLEN key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { keyArg, listForRead } from "./common.ts";

/** LLEN: the length of a list, 0 for a missing key. */
export const llen = defineCommand({
  name: "llen",
  group: "list",
  summary: "Get the length of a list",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: [keyArg] },
  handler(ctx, args) {
    return listForRead(ctx, args.key())?.length ?? 0;
  },
});
