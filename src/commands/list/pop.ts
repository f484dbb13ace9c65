/**
 * LPOP key [count]
 * RPOP key [count]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { outOfRange, wrongArity } from "../../errors.ts";
import { EMPTY_ARRAY, NULL, NULL_ARRAY } from "../../protocol/reply.ts";
import { parseIntNumber } from "../../util/number.ts";
import type { Reply } from "../../protocol/types.ts";
import type { CommandDocs, Context } from "../types.ts";
import {
  elementsRemoved,
  type End,
  keyArg,
  listForWrite,
  popRange,
} from "./common.ts";

// Redis's popGenericCommand. Without a count: one element as a bulk
// string; with one: an array of up to `count` elements.
function pop(ctx: Context, end: End): Reply {
  const argv = ctx.argv;
  if (argv.length > 3) throw wrongArity(ctx.command.fullName);
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = parseIntNumber(argv[2]!);
    if (n === undefined || n < 0) throw outOfRange("value");
    count = n;
  }
  const key = argv[1]!;
  const list = listForWrite(ctx, key);
  if (list === undefined) return hasCount ? NULL_ARRAY : NULL;
  if (hasCount && count === 0) return EMPTY_ARRAY;
  if (!hasCount) {
    const value = end === "left" ? list.popFront()! : list.popBack()!;
    elementsRemoved(ctx, key, end, list, 1);
    return value;
  }
  const values = popRange(list, end, count);
  elementsRemoved(ctx, key, end, list, values.length);
  return values;
}

function docs(): CommandDocs {
  return {
    arguments: [keyArg, {
      name: "count",
      type: "integer",
      since: "6.2.0",
      optional: true,
    }],
    history: [["6.2.0", "Added the `count` argument."]],
  };
}

/** LPOP: removes and returns elements from the head. */
export const lpop = defineCommand({
  name: "lpop",
  group: "list",
  summary: "Remove and get the first elements in a list",
  since: "1.0.0",
  complexity: "O(N) where N is the number of elements returned",
  arity: -2,
  flags: ["write", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RW ACCESS DELETE")],
  docs: docs(),
  handler(ctx) {
    return pop(ctx, "left");
  },
});

/** RPOP: removes and returns elements from the tail. */
export const rpop = defineCommand({
  name: "rpop",
  group: "list",
  summary: "Remove and get the last elements in a list",
  since: "1.0.0",
  complexity: "O(N) where N is the number of elements returned",
  arity: -2,
  flags: ["write", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RW ACCESS DELETE")],
  docs: docs(),
  handler(ctx) {
    return pop(ctx, "right");
  },
});
