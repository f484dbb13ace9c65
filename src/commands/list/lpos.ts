/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import {
  countNegative,
  maxlenNegative,
  rankZero,
  syntaxError,
} from "../../errors.ts";
import { EMPTY_ARRAY, NULL } from "../../protocol/reply.ts";
import { parseIntNumber } from "../../util/number.ts";
import type { CommandError } from "../../errors.ts";
import type { Args } from "../args.ts";
import { keyArg, listForRead } from "./common.ts";

const INT64_MIN = -(2 ** 63);

// Redis's getPositiveLongFromObjectOrReply: one message for both bad
// syntax and a negative value.
function nonNegative(args: Args, error: () => CommandError): number {
  const v = parseIntNumber(args.next());
  if (v === undefined || v < 0) throw error();
  return v;
}

/** LPOS: the index of matching elements. */
export const lpos = defineCommand({
  name: "lpos",
  group: "list",
  summary: "Return the index of matching elements on a list",
  since: "6.0.6",
  complexity:
    "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
  arity: -3,
  flags: ["readonly"],
  acl: ["list"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      keyArg,
      { name: "element", type: "string" },
      { name: "rank", type: "integer", token: "RANK", optional: true },
      {
        name: "num-matches",
        type: "integer",
        token: "COUNT",
        optional: true,
      },
      { name: "len", type: "integer", token: "MAXLEN", optional: true },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const element = args.bytes();
    let rank = 1;
    let count = -1; // -1: no COUNT option
    let maxlen = 0;
    while (args.more) {
      const opt = args.option();
      if (!args.more) throw syntaxError();
      if (opt === "rank") {
        rank = args.long();
        if (rank === 0) throw rankZero();
      } else if (opt === "count") {
        count = nonNegative(args, countNegative);
      } else if (opt === "maxlen") {
        maxlen = nonNegative(args, maxlenNegative);
      } else {
        throw syntaxError();
      }
    }
    // Redis negates a negative rank in a C long: the smallest one stays
    // negative, so every match counts and COUNT never stops the search.
    const anyRank = rank === INT64_MIN;
    const reverse = rank < 0;
    if (reverse) rank = -rank;
    const list = listForRead(ctx, key);
    if (list === undefined) return count !== -1 ? EMPTY_ARRAY : NULL;
    const length = list.length;
    const limit = maxlen === 0 ? length : Math.min(maxlen, length);
    const found: number[] = [];
    let matches = 0;
    list.scan(reverse ? length - 1 : 0, reverse, (v, i) => {
      const seen = reverse ? length - 1 - i : i;
      if (seen >= limit) return true;
      if (v !== element) return false;
      matches++;
      if (!anyRank && matches < rank) return false;
      found.push(i);
      if (count === -1) return true;
      return count !== 0 && !anyRank && matches - rank + 1 >= count;
    });
    if (count !== -1) return found;
    return found.length === 0 ? NULL : found[0]!;
  },
});
