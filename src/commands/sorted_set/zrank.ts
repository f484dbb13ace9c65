/**
 * ZRANK key member
 * ZREVRANK key member
 *
 * @module
 */
import type { Reply } from "../../protocol/types.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import { zsetForRead } from "./common.ts";
import { ZRANK_ARGS, ZREVRANK_ARGS } from "./arguments.ts";

function rankOf(ctx: Context, reverse: boolean): Reply {
  const zset = zsetForRead(ctx, ctx.argv[1]!);
  if (zset === undefined) return null;
  const rank = zset.rank(ctx.argv[2]!, reverse);
  return rank < 0 ? null : rank;
}

/** ZRANK: a member's 0-based position by ascending score, or null. */
export const zrank = defineCommand({
  name: "zrank",
  group: "sorted-set",
  summary: "Determine the index of a member in a sorted set",
  since: "2.0.0",
  complexity: "O(log(N))",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ZRANK_ARGS },
  handler(ctx) {
    return rankOf(ctx, false);
  },
});

/** ZREVRANK: a member's 0-based position by descending score, or null. */
export const zrevrank = defineCommand({
  name: "zrevrank",
  group: "sorted-set",
  summary:
    "Determine the index of a member in a sorted set, with scores ordered from high to low",
  since: "2.0.0",
  complexity: "O(log(N))",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ZREVRANK_ARGS },
  handler(ctx) {
    return rankOf(ctx, true);
  },
});
