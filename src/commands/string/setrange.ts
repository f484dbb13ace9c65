/**
 * SETRANGE key offset value
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { offsetOutOfRange, stringTooLong } from "../../errors.ts";
import { NOTIFY_STRING } from "../../state.ts";
import { writeRange } from "../../store/strings.ts";

/**
 * SETRANGE: overwrites part of the string at a key, zero-padding it, in
 * place when the value is already an editable buffer.
 */
export const setrange = defineCommand({
  name: "setrange",
  group: "string",
  summary: "Overwrite part of a string at key starting at the specified offset",
  since: "2.2.0",
  complexity:
    "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
  arity: 4,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "offset", type: "integer" },
      { name: "value", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const offset = args.int();
    const value = args.bytes();
    if (offset < 0n) throw offsetOutOfRange();
    const current = ctx.db.getStringForWrite(key);
    // Writing nothing changes nothing (and creates no key).
    if (value.length === 0) return current?.length ?? 0;
    if (
      offset + BigInt(value.length) > ctx.server.limits.maxBulkLen &&
      !ctx.client.internal
    ) {
      throw stringTooLong();
    }
    const updated = writeRange(current, Number(offset), value);
    if (current === undefined) {
      ctx.db.add(key, updated);
    } else {
      ctx.db.replace(key, updated);
      ctx.db.touch(key);
    }
    ctx.notify(NOTIFY_STRING, "setrange", key);
    ctx.dirty();
    return updated.length;
  },
});
