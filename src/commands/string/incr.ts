/**
 * INCR key
 * DECR key
 * INCRBY key increment
 * DECRBY key decrement
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { decrementOverflow, notInteger, overflow } from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_STRING } from "../../state.ts";
import { stringToLatin1 } from "../../store/strings.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../../util/number.ts";
import type { Context } from "../types.ts";

// Redis's incrDecrCommand. Plain numbers while every value is a safe
// integer; bigint at the edges of the signed 64-bit range.
function incrDecr(ctx: Context, key: string, incr: number | bigint): Reply {
  const current = ctx.db.getStringForWrite(key);
  let result: number | bigint | undefined;
  if (current === undefined) {
    result = incr;
  } else {
    const text = typeof current === "string"
      ? current
      : current.length <= 20
      ? stringToLatin1(current)
      : "";
    if (typeof incr === "number" && text.length <= 15) {
      const value = parseSmallInt(text);
      if (value !== undefined) {
        const sum = value + incr;
        if (Number.isSafeInteger(sum)) result = sum;
      }
    }
    if (result === undefined) {
      const value = parseInt64(text);
      if (value === undefined) throw notInteger();
      const by = BigInt(incr);
      if (
        (by < 0n && value < 0n && by < INT64_MIN - value) ||
        (by > 0n && value > 0n && by > INT64_MAX - value)
      ) {
        throw overflow();
      }
      result = value + by;
    }
  }
  const text = String(result);
  if (current === undefined) {
    ctx.db.add(key, text);
  } else {
    ctx.db.replace(key, text);
    ctx.db.touch(key);
  }
  ctx.notify(NOTIFY_STRING, "incrby", key);
  ctx.dirty();
  return result;
}

// string2ll for at most 15 characters (always a safe integer), or undefined.
function parseSmallInt(s: string): number | undefined {
  const len = s.length;
  if (len === 0) return undefined;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (len === 1) return undefined;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return len === 1 ? 0 : undefined;
  if (first < 49 || first > 57) return undefined;
  let v = first - 48;
  for (let j = i + 1; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  return i === 1 ? -v : v;
}

function small(n: bigint): number | bigint {
  return n >= -0x1fffffffffffffn && n <= 0x1fffffffffffffn ? Number(n) : n;
}

const KEY_ONLY = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }],
} as const;

/** INCR: adds 1 to the integer at a key. */
export const incr = defineCommand({
  name: "incr",
  group: "string",
  summary: "Increment the integer value of a key by one",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: KEY_ONLY,
  handler(ctx, args) {
    return incrDecr(ctx, args.key(), 1);
  },
});

/** DECR: subtracts 1 from the integer at a key. */
export const decr = defineCommand({
  name: "decr",
  group: "string",
  summary: "Decrement the integer value of a key by one",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: KEY_ONLY,
  handler(ctx, args) {
    return incrDecr(ctx, args.key(), -1);
  },
});

/** INCRBY: adds an integer to the integer at a key. */
export const incrby = defineCommand({
  name: "incrby",
  group: "string",
  summary: "Increment the integer value of a key by the given amount",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "increment", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    return incrDecr(ctx, key, small(args.int()));
  },
});

/** DECRBY: subtracts an integer from the integer at a key. */
export const decrby = defineCommand({
  name: "decrby",
  group: "string",
  summary: "Decrement the integer value of a key by the given number",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "decrement", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const by = args.int();
    // Negating the smallest 64-bit integer would overflow.
    if (by === INT64_MIN) throw decrementOverflow();
    return incrDecr(ctx, key, small(-by));
  },
});
