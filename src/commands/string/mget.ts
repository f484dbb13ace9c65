/**
 * MGET key [key ...]
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import type { Reply } from "../../protocol/types.ts";
import { isString } from "../../store/values.ts";
import { shareString } from "../../store/strings.ts";

/** MGET: the strings at several keys; null for missing keys and other types. */
export const mget = defineCommand({
  name: "mget",
  group: "string",
  summary: "Get the values of all the given keys",
  since: "1.0.0",
  complexity: "O(N) where N is the number of keys to retrieve.",
  arity: -2,
  flags: ["readonly", "fast"],
  acl: ["string"],
  keys: [keysFrom(1, 1, "RO ACCESS")],
  tips: ["request_policy:multi_shard"],
  docs: {
    arguments: [{
      name: "key",
      type: "key",
      multiple: true,
      keySpecIndex: 0,
    }],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const out: Reply[] = new Array(argv.length - 1);
    for (let j = 1; j < argv.length; j++) {
      const v = ctx.db.lookupRead(argv[j]!);
      out[j - 1] = v !== undefined && isString(v) ? shareString(v) : null;
    }
    return out;
  },
});
