/**
 * ZREMRANGEBYRANK key start stop
 * ZREMRANGEBYSCORE key min max
 * ZREMRANGEBYLEX key min max
 *
 * @module
 */
import { notInteger } from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_ZSET } from "../../state.ts";
import type { ZSetValue } from "../../store/zset_value.ts";
import { parseIntNumber } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import {
  deleteIfEmpty,
  parseLexRange,
  parseScoreRange,
  zsetForWrite,
} from "./common.ts";
import {
  ZREMRANGEBYLEX_ARGS,
  ZREMRANGEBYRANK_ARGS,
  ZREMRANGEBYSCORE_ARGS,
} from "./arguments.ts";

function long(text: string): number {
  const v = parseIntNumber(text);
  if (v === undefined) throw notInteger();
  return v;
}

/**
 * Parses the range first (its errors come before the key lookup), then
 * removes what `remove` selects and sends `event`.
 */
function removeRange(
  ctx: Context,
  event: string,
  remove: (zset: ZSetValue) => number,
): Reply {
  const key = ctx.argv[1]!;
  const zset = zsetForWrite(ctx, key);
  if (zset === undefined) return 0;
  const deleted = remove(zset);
  if (deleted !== 0) {
    ctx.notify(NOTIFY_ZSET, event, key);
    if (!deleteIfEmpty(ctx, key, zset)) ctx.db.touch(key);
    ctx.dirty(deleted);
  }
  return deleted;
}

const COMPLEXITY =
  "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.";

/** ZREMRANGEBYRANK: removes members by rank. */
export const zremrangebyrank = defineCommand({
  name: "zremrangebyrank",
  group: "sorted-set",
  summary: "Remove all members in a sorted set within the given indexes",
  since: "2.0.0",
  complexity: COMPLEXITY,
  arity: 4,
  flags: ["write"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW DELETE")],
  docs: { arguments: ZREMRANGEBYRANK_ARGS },
  handler(ctx) {
    const startArg = long(ctx.argv[2]!);
    const endArg = long(ctx.argv[3]!);
    return removeRange(ctx, "zremrangebyrank", (zset) => {
      const length = zset.size;
      let start = startArg;
      let end = endArg;
      if (start < 0) start = length + start;
      if (end < 0) end = length + end;
      if (start < 0) start = 0;
      if (start > end || start >= length) return 0;
      if (end >= length) end = length - 1;
      return zset.deleteRangeByRank(start, end);
    });
  },
});

/** ZREMRANGEBYSCORE: removes members with scores in a range. */
export const zremrangebyscore = defineCommand({
  name: "zremrangebyscore",
  group: "sorted-set",
  summary: "Remove all members in a sorted set within the given scores",
  since: "1.2.0",
  complexity: COMPLEXITY,
  arity: 4,
  flags: ["write"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW DELETE")],
  docs: { arguments: ZREMRANGEBYSCORE_ARGS },
  handler(ctx) {
    const range = parseScoreRange(ctx.argv[2]!, ctx.argv[3]!);
    return removeRange(
      ctx,
      "zremrangebyscore",
      (zset) => zset.deleteRangeByScore(range),
    );
  },
});

/** ZREMRANGEBYLEX: removes members in a lexicographic range. */
export const zremrangebylex = defineCommand({
  name: "zremrangebylex",
  group: "sorted-set",
  summary:
    "Remove all members in a sorted set between the given lexicographical range",
  since: "2.8.9",
  complexity: COMPLEXITY,
  arity: 4,
  flags: ["write"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW DELETE")],
  docs: { arguments: ZREMRANGEBYLEX_ARGS },
  handler(ctx) {
    const range = parseLexRange(ctx.argv[2]!, ctx.argv[3]!);
    return removeRange(
      ctx,
      "zremrangebylex",
      (zset) => zset.deleteRangeByLex(range),
    );
  },
});
