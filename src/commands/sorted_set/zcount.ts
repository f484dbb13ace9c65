/**
 * ZCOUNT key min max
 * ZLEXCOUNT key min max
 *
 * @module
 */
import {
  lexLteMax,
  scoreRangeEmpty,
} from "../../store/structures/zset_tree.ts";
import { defineCommand, keyAt } from "../define.ts";
import { parseLexRange, parseScoreRange, zsetForRead } from "./common.ts";
import { ZCOUNT_ARGS, ZLEXCOUNT_ARGS } from "./arguments.ts";

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
    if (scoreRangeEmpty(range)) return 0;
    const tree = zset.tree;
    const count = tree.rangeEnd(range) - tree.rangeStart(range);
    return count > 0 ? count : 0;
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
    const tree = zset.tree;
    if (zset.isListpack) {
      // A listpack is walked from the first member in range.
      const first = tree.lexFirst(range, true);
      if (first < 0) return 0;
      let count = 0;
      const c = tree.cursor(first);
      for (; c.valid && lexLteMax(c.member, range); c.next()) count++;
      return count;
    }
    const first = tree.lexFirst(range, false);
    if (first < 0) return 0;
    let count = tree.size - first;
    const last = tree.lexLast(range, false);
    if (last >= 0) count -= tree.size - 1 - last;
    return count;
  },
});
