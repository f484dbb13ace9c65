/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import {
  EMPTY_SCAN,
  filterByPattern,
  parseScanCursor,
  parseScanOptions,
  scanTable,
} from "../hash/scan.ts";
import { setForRead } from "./common.ts";

/** SSCAN: iterates over members with a stateless cursor. */
export const sscan = defineCommand({
  name: "sscan",
  group: "set",
  summary: "Incrementally iterate Set elements",
  since: "2.8.0",
  complexity:
    "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
  arity: -3,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", optional: true },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const cursor = parseScanCursor(args.next());
    const set = setForRead(ctx, key);
    // Options are only parsed once the key is known to hold a set.
    if (set === undefined) return EMPTY_SCAN;
    const { count, pattern } = parseScanOptions(args);
    const items: string[] = [];
    const push = (member: string) => {
      items.push(member);
    };
    let next = 0;
    if (set.encoding() === "intset") {
      set.forEach(push);
    } else {
      next = scanTable(cursor, count, items, (c) => set.scan(c, push));
    }
    return [String(next), filterByPattern(items, pattern, 1)];
  },
});
