/**
 * PFCOUNT key [key ...]
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import { corruptedHll } from "../../errors.ts";
import {
  cacheValid,
  hllBytes,
  hllCount,
  hllMergeInto,
  rawCount,
  readCachedCount,
  writeCachedCount,
} from "../../store/hyperloglog.ts";
import { readHll, unionRegisters, unshareAt } from "./common.ts";

/**
 * PFCOUNT: the estimated cardinality of one HLL, from its cache when
 * valid, or of the union of several (never cached). Refreshing the cache
 * of one key changes the string, so it dirties and propagates the command
 * and invalidates WATCH, as in Redis, although PFCOUNT is read-only.
 */
export const pfcount = defineCommand({
  name: "pfcount",
  group: "hyperloglog",
  summary:
    "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
  since: "2.8.9",
  complexity:
    "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
  arity: -2,
  // may_replicate: refreshing the cache writes (read-only scripts and
  // CLIENT PAUSE WRITE refuse it, as in Redis).
  flags: ["readonly", "may_replicate"],
  acl: ["hyperloglog"],
  keys: [{
    ...keysFrom(1, 1, "RW ACCESS"),
    notes:
      "RW because it may change the internal representation of the key, and propagate to replicas",
  }],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
    ],
  },
  handler(ctx, args) {
    const argv = ctx.argv;
    if (argv.length > 2) {
      const max = unionRegisters;
      max.fill(0);
      for (let i = 1; i < argv.length; i++) {
        const v = readHll(ctx, argv[i]!);
        if (v === undefined) continue;
        if (!hllMergeInto(max, hllBytes(v))) throw corruptedHll();
      }
      return rawCount(max);
    }
    const key = args.key();
    const v = readHll(ctx, key);
    if (v === undefined) return 0;
    const bytes = unshareAt(ctx, key, v);
    if (cacheValid(bytes)) return readCachedCount(bytes);
    const card = hllCount(bytes);
    if (card === undefined) throw corruptedHll();
    // Changed in place: a running snapshot must keep the old bytes first.
    if (bytes === v) ctx.db.lookupWrite(key);
    writeCachedCount(bytes, card);
    ctx.db.touch(key);
    ctx.dirty();
    return card;
  },
});
