/**
 * INCRBYFLOAT key increment
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_STRING } from "../../state.ts";
import { plainString, stringToLatin1 } from "../../store/strings.ts";
import { incrByFloatText } from "../../util/long_double.ts";

/**
 * INCRBYFLOAT: adds a float to the number at a key in x87 `long double`
 * precision, as Redis does; propagated as `SET key result KEEPTTL` so
 * replicas and AOF replays store exactly the same text.
 */
export const incrbyfloat = defineCommand({
  name: "incrbyfloat",
  group: "string",
  summary: "Increment the float value of a key by the given amount",
  since: "2.6.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "increment", type: "double" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const current = ctx.db.getStringForWrite(key);
    const text = incrByFloatText(
      current === undefined ? undefined : stringToLatin1(current),
      args.bytes(),
    );
    // Redis stores the text as is, without turning "3" into an integer.
    const value = plainString(text);
    if (current === undefined) {
      ctx.db.add(key, value);
    } else {
      ctx.db.replace(key, value);
      ctx.db.touch(key);
    }
    ctx.notify(NOTIFY_STRING, "incrbyfloat", key);
    ctx.dirty();
    ctx.propagateAs(["SET", key, text, "KEEPTTL"]);
    return text;
  },
});
