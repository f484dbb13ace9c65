/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { EMPTY_SCAN, parseScanCursor, scanCollection } from "../hash/scan.ts";
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
    return scanCollection(args, cursor, set);
  },
});
