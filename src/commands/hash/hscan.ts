/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { hashForRead } from "./common.ts";
import { EMPTY_SCAN, parseScanCursor, scanCollection } from "./scan.ts";

/** HSCAN: iterates over fields and values with a stateless cursor. */
export const hscan = defineCommand({
  name: "hscan",
  group: "hash",
  summary: "Incrementally iterate hash fields and associated values",
  since: "2.8.0",
  complexity:
    "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
  arity: -3,
  flags: ["readonly"],
  acl: ["hash"],
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
    const hash = hashForRead(ctx, key);
    // Options are only parsed once the key is known to hold a hash.
    if (hash === undefined) return EMPTY_SCAN;
    return scanCollection(args, cursor, hash);
  },
});
