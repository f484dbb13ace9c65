/**
 * KEYS pattern
 *
 * @module
 */
import { globMatch } from "../../util/glob.ts";
import { defineCommand } from "../define.ts";

/** KEYS: every key matching a glob pattern. */
export const keys = defineCommand({
  name: "keys",
  group: "generic",
  summary: "Find all keys matching the given pattern",
  since: "1.0.0",
  complexity:
    "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
  arity: 2,
  flags: ["readonly"],
  acl: ["keyspace", "dangerous"],
  tips: ["request_policy:all_shards", "nondeterministic_output_order"],
  docs: { arguments: [{ name: "pattern", type: "pattern" }] },
  handler(ctx, args) {
    const pattern = args.next();
    const all = pattern === "*";
    const db = ctx.db;
    const out: string[] = [];
    // Expired keys are skipped but not deleted: KEYS only reads.
    for (const key of db.dict.keys()) {
      if ((all || globMatch(pattern, key)) && !db.isExpired(key)) out.push(key);
    }
    return out;
  },
});
