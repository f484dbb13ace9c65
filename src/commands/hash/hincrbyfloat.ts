/**
 * HINCRBYFLOAT key field increment
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import {
  hashValueNotFloat,
  incrementNanOrInfinity,
  notFloat,
  valueNanOrInfinity,
} from "../../errors.ts";
import { NOTIFY_HASH } from "../../state.ts";
import {
  addLongDouble,
  formatLongDouble,
  type LongDouble,
  parseLongDouble,
} from "../../util/long_double.ts";
import { hashForWrite } from "./common.ts";

const ZERO: LongDouble = { neg: false, inf: false, mant: 0n, exp: 0 };

/**
 * HINCRBYFLOAT: adds a float to a field in `long double`, as Redis does;
 * replies with the result and propagates it as an HSET.
 */
export const hincrbyfloat = defineCommand({
  name: "hincrbyfloat",
  group: "hash",
  summary: "Increment the float value of a hash field by the given amount",
  since: "2.6.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
      { name: "increment", type: "double" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const field = args.bytes();
    // Unlike INCRBYFLOAT, an infinite increment is refused up front.
    const incr = parseLongDouble(args.bytes());
    if (incr === undefined) throw notFloat();
    if (incr.inf) throw valueNanOrInfinity();
    const hash = hashForWrite(ctx, key);
    const current = hash.get(field);
    let value = ZERO;
    if (current !== undefined) {
      const parsed = parseLongDouble(current);
      if (parsed === undefined) throw hashValueNotFloat();
      value = parsed;
    }
    const sum = addLongDouble(value, incr);
    if (sum === undefined || sum.inf) throw incrementNanOrInfinity();
    const text = formatLongDouble(sum);
    hash.set(field, text, ctx.server.encoding);
    ctx.db.touch(key);
    ctx.notify(NOTIFY_HASH, "hincrbyfloat", key);
    ctx.dirty();
    // Replicas and the AOF get the result, so float formatting can never
    // make them drift.
    ctx.propagateAs(["HSET", key, field, text]);
    return text;
  },
});
