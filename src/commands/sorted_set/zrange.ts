/**
 * ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
 * ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
 * ZREVRANGE key start stop [WITHSCORES]
 * ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
 * ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
 * ZRANGEBYLEX key min max [LIMIT offset count]
 * ZREVRANGEBYLEX key max min [LIMIT offset count]
 *
 * @module
 */
import {
  notInteger,
  syntaxError,
  zrangeLimitNeedsBy,
  zrangeWithscoresBylex,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_GENERIC, NOTIFY_ZSET } from "../../state.ts";
import {
  lexGteMin,
  lexLteMax,
  type LexRange,
  type ScoreRange,
  scoreRangeEmpty,
} from "../../store/structures/zset_tree.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseIntNumber } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { CommandDocs, Context } from "../types.ts";
import {
  parseLexRange,
  parseScoreRange,
  RangeReply,
  zsetForRead,
} from "./common.ts";
import {
  ZRANGE_ARGS,
  ZRANGEBYLEX_ARGS,
  ZRANGEBYSCORE_ARGS,
  ZRANGESTORE_ARGS,
  ZREVRANGE_ARGS,
  ZREVRANGEBYLEX_ARGS,
  ZREVRANGEBYSCORE_ARGS,
} from "./arguments.ts";

type RangeType = "auto" | "rank" | "score" | "lex";
type Direction = "auto" | "forward" | "reverse";

/** Where a range's members go: a reply, or a set to store. */
interface RangeSink {
  push(member: string, score: number): void;
}

/** What a range selected, in order, for ZRANGESTORE. */
class RangeResult implements RangeSink {
  readonly members: string[] = [];
  readonly scores: number[] = [];
  /** The length known before iterating (rank ranges), or -1. */
  hint = -1;

  push(member: string, score: number): void {
    this.members.push(member);
    this.scores.push(score);
  }
}

function long(text: string): number {
  const v = parseIntNumber(text);
  if (v === undefined) throw notInteger();
  return v;
}

// Sends `count` members from 0-based `rank` on (down from it with
// `reverse`) to `out`.
function emit(
  zset: ZSetValue,
  rank: number,
  count: number,
  reverse: boolean,
  out: RangeSink,
): void {
  const c = zset.tree.cursor(rank);
  for (; count > 0 && c.valid; count--) {
    out.push(c.member, c.score);
    if (reverse) c.prev();
    else c.next();
  }
}

// Returns the number of members the rank range selects.
function byRank(
  zset: ZSetValue,
  start: number,
  end: number,
  reverse: boolean,
  out: RangeSink,
): number {
  const length = zset.size;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return 0;
  if (end >= length) end = length - 1;
  const n = end - start + 1;
  emit(zset, reverse ? length - 1 - start : start, n, reverse, out);
  return n;
}

// Skips `offset` members of the score range (a negative offset skips them
// all, as in Redis), then takes up to `limit` (negative: no limit).
function byScore(
  zset: ZSetValue,
  r: ScoreRange,
  offset: number,
  limit: number,
  reverse: boolean,
  out: RangeSink,
): void {
  if (offset < 0 || scoreRangeEmpty(r)) return;
  const tree = zset.tree;
  const lo = tree.rangeStart(r);
  const hi = tree.rangeEnd(r);
  let count = hi - lo - offset;
  if (count <= 0) return;
  if (limit >= 0 && limit < count) count = limit;
  emit(zset, reverse ? hi - 1 - offset : lo + offset, count, reverse, out);
}

// Lexicographic ranges walk from their first member while members stay in
// range, as Redis does (see ZSetTree.lexFirst).
function byLex(
  zset: ZSetValue,
  r: LexRange,
  offset: number,
  limit: number,
  reverse: boolean,
  out: RangeSink,
): void {
  const tree = zset.tree;
  const linear = zset.isListpack;
  const first = reverse ? tree.lexLast(r, linear) : tree.lexFirst(r, linear);
  if (first < 0 || offset < 0) return;
  const c = tree.cursor(reverse ? first - offset : first + offset);
  for (; c.valid && limit-- !== 0;) {
    const member = c.member;
    if (reverse ? !lexGteMin(member, r) : !lexLteMax(member, r)) break;
    out.push(member, c.score);
    if (reverse) c.prev();
    else c.next();
  }
}

/**
 * Stores a range's result at `key` as ZRANGESTORE does (an empty result
 * deletes the key) and returns the reply.
 */
function storeRange(ctx: Context, key: string, result: RangeResult): Reply {
  const count = result.members.length;
  if (count === 0) {
    if (ctx.db.delete(key)) {
      ctx.notify(NOTIFY_GENERIC, "del", key);
      ctx.dirty();
    }
    return 0;
  }
  const limits = ctx.server.encoding;
  const dst = new ZSetValue(!(result.hint > limits.zsetMaxListpackEntries));
  for (let i = 0; i < count; i++) {
    dst.insert(result.scores[i]!, result.members[i]!, limits);
  }
  storeZset(ctx, key, dst);
  ctx.notify(NOTIFY_ZSET, "zrangestore", key);
  ctx.dirty();
  return count;
}

/**
 * Writes a computed set to `key` as Redis's setKey does: a new key is
 * added (waking clients blocked on it), an existing one overwritten.
 */
export function storeZset(ctx: Context, key: string, zset: ZSetValue): void {
  if (ctx.db.has(key)) ctx.db.set(key, zset);
  else ctx.db.add(key, zset);
}

/** Redis's zrangeGenericCommand: parsing, checks and the three kinds of range. */
function zrangeGeneric(
  ctx: Context,
  keyIndex: number,
  store: boolean,
  type: RangeType,
  direction: Direction,
): Reply {
  const argv = ctx.argv;
  const key = argv[keyIndex]!;
  let minIndex = keyIndex + 1;
  let maxIndex = keyIndex + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyIndex + 3; j < argv.length; j++) {
    const word = argv[j]!;
    const left = argv.length - j - 1;
    if (!store && eqIgnoreCase(word, "withscores")) {
      withScores = true;
    } else if (eqIgnoreCase(word, "limit") && left >= 2) {
      offset = long(argv[j + 1]!);
      limit = long(argv[j + 2]!);
      j += 2;
    } else if (direction === "auto" && eqIgnoreCase(word, "rev")) {
      direction = "reverse";
    } else if (type === "auto" && eqIgnoreCase(word, "bylex")) {
      type = "lex";
    } else if (type === "auto" && eqIgnoreCase(word, "byscore")) {
      type = "score";
    } else {
      throw syntaxError();
    }
  }
  if (direction === "auto") direction = "forward";
  if (type === "auto") type = "rank";
  if (limit !== -1 && type === "rank") throw zrangeLimitNeedsBy();
  if (withScores && type === "lex") throw zrangeWithscoresBylex();
  const reverse = direction === "reverse";
  if (reverse && type !== "rank") {
    minIndex = keyIndex + 2;
    maxIndex = keyIndex + 1;
  }

  let rankStart = 0;
  let rankEnd = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (type === "rank") {
    rankStart = long(argv[minIndex]!);
    rankEnd = long(argv[maxIndex]!);
  } else if (type === "score") {
    scoreRange = parseScoreRange(argv[minIndex]!, argv[maxIndex]!);
  } else {
    lexRange = parseLexRange(argv[minIndex]!, argv[maxIndex]!);
  }

  const zset = zsetForRead(ctx, key);
  const result = store ? new RangeResult() : undefined;
  const reply = store ? undefined : new RangeReply(withScores);
  const out: RangeSink = result ?? reply!;
  if (zset !== undefined) {
    if (type === "rank") {
      const n = byRank(zset, rankStart, rankEnd, reverse, out);
      if (result !== undefined) result.hint = n;
    } else if (scoreRange !== undefined) {
      byScore(zset, scoreRange, offset, limit, reverse, out);
    } else if (lexRange !== undefined) {
      byLex(zset, lexRange, offset, limit, reverse, out);
    }
  }
  if (result !== undefined) return storeRange(ctx, argv[1]!, result);
  return reply!.reply();
}

function deprecated(
  replacedBy: string,
  history?: readonly (readonly [string, string])[],
): CommandDocs {
  return {
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy,
    ...(history === undefined ? {} : { history }),
  };
}

const RANGE_COMPLEXITY =
  "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).";

/** ZRANGE: members by rank, score or lexicographic range, in either direction. */
export const zrange = defineCommand({
  name: "zrange",
  group: "sorted-set",
  summary: "Return a range of members in a sorted set",
  since: "1.2.0",
  complexity:
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
  arity: -4,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ZRANGE_ARGS,
    history: [[
      "6.2.0",
      "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.",
    ]],
  },
  handler(ctx) {
    return zrangeGeneric(ctx, 1, false, "auto", "auto");
  },
});

/** ZRANGESTORE: stores what ZRANGE would return at another key. */
export const zrangestore = defineCommand({
  name: "zrangestore",
  group: "sorted-set",
  summary: "Store a range of members from sorted set into another key",
  since: "6.2.0",
  complexity:
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
  arity: -5,
  flags: ["write", "denyoom"],
  acl: ["sortedset"],
  keys: [keyAt(1, "OW UPDATE"), keyAt(2, "RO ACCESS")],
  docs: { arguments: ZRANGESTORE_ARGS },
  handler(ctx) {
    return zrangeGeneric(ctx, 2, true, "auto", "auto");
  },
});

/** ZREVRANGE: members by rank, highest score first. */
export const zrevrange = defineCommand({
  name: "zrevrange",
  group: "sorted-set",
  summary:
    "Return a range of members in a sorted set, by index, with scores ordered from high to low",
  since: "1.2.0",
  complexity:
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
  arity: -4,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ZREVRANGE_ARGS,
    ...deprecated("`ZRANGE` with the `REV` argument"),
  },
  handler(ctx) {
    return zrangeGeneric(ctx, 1, false, "rank", "reverse");
  },
});

/** ZRANGEBYSCORE: members with scores in a range. */
export const zrangebyscore = defineCommand({
  name: "zrangebyscore",
  group: "sorted-set",
  summary: "Return a range of members in a sorted set, by score",
  since: "1.0.5",
  complexity: RANGE_COMPLEXITY,
  arity: -4,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ZRANGEBYSCORE_ARGS,
    ...deprecated("`ZRANGE` with the `BYSCORE` argument", [
      ["2.0.0", "Added the `WITHSCORES` modifier."],
    ]),
  },
  handler(ctx) {
    return zrangeGeneric(ctx, 1, false, "score", "forward");
  },
});

/** ZREVRANGEBYSCORE: members with scores in a range, highest first. */
export const zrevrangebyscore = defineCommand({
  name: "zrevrangebyscore",
  group: "sorted-set",
  summary:
    "Return a range of members in a sorted set, by score, with scores ordered from high to low",
  since: "2.2.0",
  complexity: RANGE_COMPLEXITY,
  arity: -4,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ZREVRANGEBYSCORE_ARGS,
    ...deprecated("`ZRANGE` with the `REV` and `BYSCORE` arguments", [
      ["2.1.6", "`min` and `max` can be exclusive."],
    ]),
  },
  handler(ctx) {
    return zrangeGeneric(ctx, 1, false, "score", "reverse");
  },
});

/** ZRANGEBYLEX: members in a lexicographic range. */
export const zrangebylex = defineCommand({
  name: "zrangebylex",
  group: "sorted-set",
  summary:
    "Return a range of members in a sorted set, by lexicographical range",
  since: "2.8.9",
  complexity: RANGE_COMPLEXITY,
  arity: -4,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ZRANGEBYLEX_ARGS,
    ...deprecated("`ZRANGE` with the `BYLEX` argument"),
  },
  handler(ctx) {
    return zrangeGeneric(ctx, 1, false, "lex", "forward");
  },
});

/** ZREVRANGEBYLEX: members in a lexicographic range, highest first. */
export const zrevrangebylex = defineCommand({
  name: "zrevrangebylex",
  group: "sorted-set",
  summary:
    "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
  since: "2.8.9",
  complexity: RANGE_COMPLEXITY,
  arity: -4,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: ZREVRANGEBYLEX_ARGS,
    ...deprecated("`ZRANGE` with the `REV` and `BYLEX` arguments"),
  },
  handler(ctx) {
    return zrangeGeneric(ctx, 1, false, "lex", "reverse");
  },
});
