/**
 * APPEND key value
 * STRLEN key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { stringTooLong } from "../../errors.ts";
import { NOTIFY_STRING } from "../../state.ts";
import { appendString } from "../../store/strings.ts";

/**
 * APPEND: appends to the string at a key (creating it), in place and
 * amortised O(1) once the value is an editable buffer.
 */
export const append = defineCommand({
  name: "append",
  group: "string",
  summary: "Append a value to a key",
  since: "2.0.0",
  complexity:
    "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW INSERT")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const suffix = args.bytes();
    const current = ctx.db.getStringForWrite(key);
    let total: number;
    if (current === undefined) {
      ctx.db.add(key, suffix);
      total = suffix.length;
    } else {
      total = current.length + suffix.length;
      if (total > ctx.server.limits.maxBulkLen && !ctx.client.internal) {
        throw stringTooLong();
      }
      // Even an empty suffix makes the value a raw (editable) string.
      ctx.db.replace(key, appendString(current, suffix));
      ctx.db.touch(key);
    }
    ctx.notify(NOTIFY_STRING, "append", key);
    ctx.dirty();
    return total;
  },
});

/** STRLEN: the length of the string at a key, 0 when missing. */
export const strlen = defineCommand({
  name: "strlen",
  group: "string",
  summary: "Get the length of the value stored in a key",
  since: "2.2.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    return ctx.db.getString(args.key())?.length ?? 0;
  },
});
