/**
 * SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
 *   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { OK } from "../../protocol/reply.ts";

/** SET (minimal first version). */
export const set = defineCommand({
  name: "set",
  group: "string",
  summary:
    "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE VARIABLE_FLAGS")],
  handler(ctx, args) {
    const key = args.key();
    const value = args.bytes();
    ctx.db.set(key, value);
    ctx.dirty();
    return OK;
  },
});
