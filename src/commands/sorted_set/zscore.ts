/**
 * ZSCORE key member
 * ZMSCORE key member [member ...]
 *
 * @module
 */
import { double } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { defineCommand, keyAt } from "../define.ts";
import { zsetForRead } from "./common.ts";
import { ZMSCORE_ARGS, ZSCORE_ARGS } from "./arguments.ts";

/** ZSCORE: a member's score, or null. */
export const zscore = defineCommand({
  name: "zscore",
  group: "sorted-set",
  summary: "Get the score associated with the given member in a sorted set",
  since: "1.2.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ZSCORE_ARGS },
  handler(ctx, args) {
    const zset = zsetForRead(ctx, args.key());
    const member = args.next();
    const score = zset?.score(member);
    return score === undefined ? null : double(score);
  },
});

/** ZMSCORE: the scores of several members (null for missing ones). */
export const zmscore = defineCommand({
  name: "zmscore",
  group: "sorted-set",
  summary: "Get the score associated with the given members in a sorted set",
  since: "6.2.0",
  complexity: "O(N) where N is the number of members being requested.",
  arity: -3,
  flags: ["readonly", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: ZMSCORE_ARGS },
  handler(ctx, args) {
    const zset = zsetForRead(ctx, args.key());
    const out: Reply[] = [];
    while (args.more) {
      const member = args.next();
      const score = zset?.score(member);
      out.push(score === undefined ? null : double(score));
    }
    return out;
  },
});
