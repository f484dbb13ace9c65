/**
 * LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
 * BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
 *
 * @module
 */
import { defineCommand, keysCounted } from "../define.ts";
import {
  countNotPositive,
  numkeysNotPositive,
  syntaxError,
} from "../../errors.ts";
import { NULL_ARRAY } from "../../protocol/reply.ts";
import { asciiLower } from "../../util/bytes.ts";
import { parseIntNumber } from "../../util/number.ts";
import type { Reply } from "../../protocol/types.ts";
import type { ArgDoc, Context } from "../types.ts";
import { blockingPop } from "./bpop.ts";
import {
  elementsRemoved,
  type End,
  endArg,
  listForWrite,
  parseEnd,
  popCommandName,
  popRange,
} from "./common.ts";

interface MpopArgs {
  keys: string[];
  end: End;
  count: number;
}

// Redis's lmpopGenericCommand argument parsing; `at` is where numkeys is.
function parseMpop(argv: readonly string[], at: number): MpopArgs {
  const numkeys = parseIntNumber(argv[at]!);
  if (numkeys === undefined || numkeys < 1) throw numkeysNotPositive();
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) throw syntaxError();
  const keys = argv.slice(at + 1, whereAt);
  const end = parseEnd(argv[whereAt]!);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    const more = j < argv.length - 1;
    if (count === -1 && more && asciiLower(argv[j]!) === "count") {
      const n = parseIntNumber(argv[++j]!);
      if (n === undefined || n < 1) throw countNotPositive();
      count = n;
    } else {
      throw syntaxError();
    }
  }
  return { keys, end, count: count === -1 ? 1 : count };
}

// Redis's mpopGenericCommand: the first key holding a list gives up to
// `count` elements; propagated as [LR]POP key n.
function mpop(ctx: Context, { keys, end, count }: MpopArgs): Reply {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const list = listForWrite(ctx, key);
    if (list === undefined) continue;
    const values = popRange(list, end, count);
    elementsRemoved(ctx, key, end, list, values.length);
    ctx.propagateAs([popCommandName(end), key, String(values.length)]);
    return [key, values];
  }
  return NULL_ARRAY;
}

const mpopArgs: readonly ArgDoc[] = [
  { name: "numkeys", type: "integer" },
  { name: "key", type: "key", keySpecIndex: 0, multiple: true },
  endArg("where"),
  { name: "count", type: "integer", token: "COUNT", optional: true },
];

/** LMPOP: pops up to COUNT elements from the first non-empty list. */
export const lmpop = defineCommand({
  name: "lmpop",
  group: "list",
  summary: "Pop elements from a list",
  since: "7.0.0",
  complexity:
    "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
  arity: -4,
  flags: ["write"],
  acl: ["list"],
  keys: [keysCounted(1, "RW ACCESS DELETE")],
  docs: { arguments: mpopArgs },
  handler(ctx) {
    return mpop(ctx, parseMpop(ctx.argv, 1));
  },
});

/** BLMPOP: LMPOP, waiting for one of the lists to get elements. */
export const blmpop = defineCommand({
  name: "blmpop",
  group: "list",
  summary: "Pop elements from a list, or block until one is available",
  since: "7.0.0",
  complexity:
    "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
  arity: -5,
  flags: ["write", "blocking"],
  acl: ["list"],
  keys: [keysCounted(2, "RW ACCESS DELETE")],
  docs: { arguments: [{ name: "timeout", type: "double" }, ...mpopArgs] },
  handler(ctx) {
    const argv = ctx.argv;
    const { keys, end, count } = parseMpop(argv, 2);
    return blockingPop(ctx, keys, end, argv[1]!, count);
  },
});
