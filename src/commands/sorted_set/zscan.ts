/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * @module
 */
import { formatG17 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import {
  EMPTY_SCAN,
  filterByPattern,
  parseScanCursor,
  parseScanOptions,
  scanTable,
} from "../hash/scan.ts";
import { zsetForRead } from "./common.ts";
import { ZSCAN_ARGS } from "./arguments.ts";

const TWO_62 = 2 ** 62;

/**
 * A score as a listpack holds it: integral scores within ±2^62 are stored
 * as integers (so 1e18 reads back as 1000000000000000000 and -0 as 0),
 * other scores as their `%.17g` text.
 */
function listpackScore(score: number): string {
  if (Number.isInteger(score) && score >= -TWO_62 && score <= TWO_62) {
    return BigInt(score).toString();
  }
  return formatG17(score);
}

/** ZSCAN: iterates over members and scores with a stateless cursor. */
export const zscan = defineCommand({
  name: "zscan",
  group: "sorted-set",
  summary: "Incrementally iterate sorted sets elements and associated scores",
  since: "2.8.0",
  complexity:
    "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
  arity: -3,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: { arguments: ZSCAN_ARGS },
  handler(ctx, args) {
    const key = args.key();
    const cursor = parseScanCursor(args.next());
    const zset = zsetForRead(ctx, key);
    // Options are only parsed once the key is known to hold a sorted set.
    if (zset === undefined) return EMPTY_SCAN;
    const { count, pattern } = parseScanOptions(args);
    const items: string[] = [];
    let next = 0;
    if (zset.isListpack) {
      // A listpack is returned whole, in order, in one call.
      zset.tree.forEach((m, s) => items.push(m, listpackScore(s)));
    } else {
      next = scanTable(
        cursor,
        count * 2, // member and score, as Redis counts them
        items,
        (c) => zset.scan(c, (m, s) => items.push(m, formatG17(s))),
      );
    }
    return [String(next), filterByPattern(items, pattern, 2)];
  },
});
