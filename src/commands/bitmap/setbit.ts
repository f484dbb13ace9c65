/**
 * SETBIT key offset value
 * GETBIT key offset
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { bitValueError } from "../../errors.ts";
import { NOTIFY_STRING } from "../../state.ts";
import { editableBytes } from "../../store/strings.ts";
import { parseInt64 } from "../../util/number.ts";
import { bitOffset, byteOf } from "./common.ts";

/**
 * SETBIT: sets or clears one bit, growing the string with zero bytes;
 * replies with the bit's old value. Nothing is propagated when neither the
 * bit nor the length changed.
 */
export const setbit = defineCommand({
  name: "setbit",
  group: "bitmap",
  summary: "Sets or clears the bit at offset in the string value stored at key",
  since: "2.2.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom"],
  acl: ["bitmap"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "offset", type: "integer" },
      { name: "value", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const offset = bitOffset(ctx, args.next());
    const on = parseInt64(args.next());
    if (on !== 0n && on !== 1n) throw bitValueError();
    const current = ctx.db.getStringForWrite(key);
    const byte = Math.floor(offset / 8);
    const bytes = editableBytes(current, byte + 1);
    const grown = current === undefined || bytes.length !== current.length;
    if (current === undefined) ctx.db.add(key, bytes);
    else if (bytes !== current) ctx.db.replace(key, bytes);
    const mask = 1 << (7 - (offset & 7));
    const old = (bytes[byte]! & mask) !== 0 ? 1 : 0;
    if (grown || old !== Number(on)) {
      bytes[byte] = on === 1n ? bytes[byte]! | mask : bytes[byte]! & ~mask;
      ctx.db.touch(key);
      ctx.notify(NOTIFY_STRING, "setbit", key);
      ctx.dirty();
    }
    return old;
  },
});

/** GETBIT: the bit at an offset; 0 past the end or for a missing key. */
export const getbit = defineCommand({
  name: "getbit",
  group: "bitmap",
  summary: "Returns the bit value at offset in the string value stored at key",
  since: "2.2.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["bitmap"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "offset", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const offset = bitOffset(ctx, args.next());
    const value = ctx.db.getString(key);
    if (value === undefined) return 0;
    const byte = Math.floor(offset / 8);
    if (byte >= value.length) return 0;
    return (byteOf(value, byte) >> (7 - (offset & 7))) & 1;
  },
});
