/**
 * HINCRBY key field increment
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { hashValueNotInteger, overflow } from "../../errors.ts";
import { NOTIFY_HASH } from "../../state.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../../util/number.ts";
import { hashForWrite } from "./common.ts";

/** HINCRBY: adds an integer to a field (0 when missing); replies with the result. */
export const hincrby = defineCommand({
  name: "hincrby",
  group: "hash",
  summary: "Increment the integer value of a hash field by the given number",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
      { name: "increment", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const field = args.bytes();
    const incr = args.int();
    const hash = hashForWrite(ctx, key);
    const current = hash.get(field);
    let value = 0n;
    if (current !== undefined) {
      const parsed = parseInt64(current);
      if (parsed === undefined) throw hashValueNotInteger();
      value = parsed;
    }
    const result = value + incr;
    if (result > INT64_MAX || result < INT64_MIN) throw overflow();
    hash.set(field, String(result), ctx.server.encoding);
    ctx.db.touch(key);
    ctx.notify(NOTIFY_HASH, "hincrby", key);
    ctx.dirty();
    return result;
  },
});
