/**
 * ZCOUNT key min max
 * ZLEXCOUNT key min max
 *
 * @module
 */
import {
  lexLteMax,
  scoreLteMax,
  type SkipNode,
} from "../../store/structures/skiplist.ts";
import { defineCommand, keyAt } from "../define.ts";
import { parseLexRange, parseScoreRange, zsetForRead } from "./common.ts";
import { ZCOUNT_ARGS, ZLEXCOUNT_ARGS } from "./arguments.ts";

function countFrom(
  first: SkipNode | null,
  inRange: (n: SkipNode) => boolean,
): number {
  let count = 0;
  for (let n = first; n !== null && inRange(n); n = n.next[0]!) count++;
  return count;
}

/** ZCOUNT: the number of members with scores in a range. */
export const zcount = defineCommand({
  name: "zcount",
  group: "sorted-set",
  summary:
    "Count the members in a sorted set with scores within the given values",
  since: "2.0.0",
  complexity:
    "O(log(N)) with N being the number of elements in the sorted set.",
  arity: 4,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ZCOUNT_ARGS },
  handler(ctx, args) {
    const key = args.key();
    const range = parseScoreRange(args.next(), args.next());
    const zset = zsetForRead(ctx, key);
    if (zset === undefined) return 0;
    const list = zset.list;
    const first = list.firstInRange(range);
    if (first === null) return 0;
    if (zset.isListpack) {
      return countFrom(first, (n) => scoreLteMax(n.score, range));
    }
    const last = list.lastInRange(range)!;
    return list.rank(last.score, last.member) -
      list.rank(first.score, first.member) + 1;
  },
});

/** ZLEXCOUNT: the number of members in a lexicographic range. */
export const zlexcount = defineCommand({
  name: "zlexcount",
  group: "sorted-set",
  summary:
    "Count the number of members in a sorted set between a given lexicographical range",
  since: "2.8.9",
  complexity:
    "O(log(N)) with N being the number of elements in the sorted set.",
  arity: 4,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ZLEXCOUNT_ARGS },
  handler(ctx, args) {
    const key = args.key();
    const range = parseLexRange(args.next(), args.next());
    const zset = zsetForRead(ctx, key);
    if (zset === undefined) return 0;
    const list = zset.list;
    if (zset.isListpack) {
      return countFrom(
        list.firstInLexRange(range, true),
        (n) => lexLteMax(n.member, range),
      );
    }
    const first = list.firstInLexRange(range);
    if (first === null) return 0;
    let count = list.length - (list.rank(first.score, first.member) - 1);
    const last = list.lastInLexRange(range);
    if (last !== null) {
      count -= list.length - list.rank(last.score, last.member);
    }
    return count;
  },
});
