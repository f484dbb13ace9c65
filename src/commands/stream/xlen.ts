/**
 * XLEN key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { streamForRead } from "./common.ts";
import { DOCS_XLEN } from "./docs.ts";

/** XLEN: the number of entries in a stream (0 when there is none). */
export const xlen = defineCommand({
  name: "xlen",
  group: "stream",
  summary: "Return the number of entries in a stream",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["stream"],
  keys: [keyAt(1, "RO")],
  docs: DOCS_XLEN,
  handler(ctx, args) {
    return streamForRead(ctx, args.key())?.length ?? 0;
  },
});
