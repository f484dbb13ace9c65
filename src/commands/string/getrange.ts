/**
 * GETRANGE key start end
 * SUBSTR key start end
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import type { Reply } from "../../protocol/types.ts";
import type { ArgDoc, Context } from "../types.ts";
import type { Args } from "../args.ts";

const COMPLEXITY =
  "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.";

const ARGUMENTS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "start", type: "integer" },
  { name: "end", type: "integer" },
];

// Redis's getrangeCommand: inclusive range, negative indexes from the end.
function substring(ctx: Context, args: Args): Reply {
  const key = args.key();
  let start = args.int();
  let end = args.int();
  const value = ctx.db.getString(key);
  if (value === undefined) return "";
  const len = BigInt(value.length);
  if (start < 0n && end < 0n && start > end) return "";
  if (start < 0n) start += len;
  if (end < 0n) end += len;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  if (start > end || len === 0n) return "";
  // A copy: an editable value may change before an EXEC reply is sent.
  return value.slice(Number(start), Number(end) + 1);
}

/** GETRANGE: a substring of the string at a key. */
export const getrange = defineCommand({
  name: "getrange",
  group: "string",
  summary: "Get a substring of the string stored at a key",
  since: "2.4.0",
  complexity: COMPLEXITY,
  arity: 4,
  flags: ["readonly"],
  acl: ["string"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ARGUMENTS },
  handler: substring,
});

/** SUBSTR: the old name of GETRANGE. */
export const substr = defineCommand({
  name: "substr",
  group: "string",
  summary: "Get a substring of the string stored at a key",
  since: "1.0.0",
  complexity: COMPLEXITY,
  arity: 4,
  flags: ["readonly"],
  acl: ["string"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ARGUMENTS,
    docFlags: ["deprecated"],
    deprecatedSince: "2.0.0",
    replacedBy: "`GETRANGE`",
  },
  handler: substring,
});
