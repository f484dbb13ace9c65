/**
 * SWAPDB index1 index2
 *
 * @module
 */
import { dbIndexOutOfRange, invalidDbIndex } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { defineCommand } from "../define.ts";
import { parseInt32 } from "./db_index.ts";

/** SWAPDB: exchanges the contents of two databases. */
export const swapdb = defineCommand({
  name: "swapdb",
  group: "server",
  summary: "Swaps two Redis databases",
  since: "4.0.0",
  complexity:
    "O(N) where N is the count of clients watching or blocking on keys from both databases.",
  arity: 3,
  flags: ["write", "fast"],
  acl: ["keyspace", "dangerous"],
  docs: {
    arguments: [
      { name: "index1", type: "integer" },
      { name: "index2", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const a = parseInt32(args.next(), () => invalidDbIndex("first"));
    const b = parseInt32(args.next(), () => invalidDbIndex("second"));
    const keyspace = ctx.server.keyspace;
    if (a < 0 || a >= keyspace.count || b < 0 || b >= keyspace.count) {
      throw dbIndexOutOfRange();
    }
    keyspace.swap(a, b);
    ctx.dirty();
    return OK;
  },
});
