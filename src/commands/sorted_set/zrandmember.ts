/**
 * ZRANDMEMBER key [count [WITHSCORES]]
 *
 * @module
 */
import {
  notInteger,
  syntaxError,
  valueOutOfRange,
  valueOutOfRangeBetween,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import { RangeReply, zsetForRead } from "./common.ts";
import { ZRANDMEMBER_ARGS } from "./arguments.ts";

const LONG_MAX = 9223372036854775807n;

/**
 * The ranks of `count` distinct random members, ascending: a partial
 * Fisher-Yates shuffle over the ranks, with only the moved positions kept.
 */
function distinctRanks(
  size: number,
  count: number,
  rand: (n: number) => number,
): number[] {
  const moved = new Map<number, number>();
  const picked: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + rand(size - i);
    const atI = moved.get(i) ?? i;
    const atJ = moved.get(j) ?? j;
    moved.set(j, atI);
    moved.set(i, atJ);
    picked.push(atJ);
  }
  return picked.sort((a, b) => a - b);
}

function withCount(
  ctx: Context,
  key: string,
  l: bigint,
  withScores: boolean,
): Reply {
  const zset = zsetForRead(ctx, key);
  if (zset === undefined) return [];
  const size = zset.size;
  const unique = l >= 0n;
  const count = unique ? l : -l;
  if (count === 0n) return [];
  const rand = ctx.server.random.int;
  const out = new RangeReply(withScores);
  // Repeats allowed (negative count), or a single member.
  if (!unique || count === 1n) {
    for (let i = Number(count); i > 0; i--) {
      const member = zset.random(rand);
      out.push(member, zset.score(member)!);
    }
    return out.reply();
  }
  // The whole set, from the highest score down (Redis's iteration order).
  if (count >= BigInt(size)) {
    zset.tree.forEachReverse((member, score) => out.push(member, score));
    return out.reply();
  }
  // Walks from one picked rank to the next, or searches when it is far.
  const tree = zset.tree;
  let c = tree.cursor(0);
  let at = 0;
  for (const rank of distinctRanks(size, Number(count), rand)) {
    if (rank - at > 64) {
      c = tree.cursor(rank);
    } else {
      for (; at < rank; at++) c.next();
    }
    at = rank;
    out.push(c.member, c.score);
  }
  return out.reply();
}

/** ZRANDMEMBER: random members, distinct for a positive count. */
export const zrandmember = defineCommand({
  name: "zrandmember",
  group: "sorted-set",
  summary: "Get one or multiple random elements from a sorted set",
  since: "6.2.0",
  complexity: "O(N) where N is the number of elements returned",
  arity: -2,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: { arguments: ZRANDMEMBER_ARGS },
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    if (argv.length >= 3) {
      const l = parseInt64(argv[2]!);
      if (l === undefined) throw notInteger();
      if (l < -LONG_MAX) throw valueOutOfRangeBetween(-LONG_MAX, LONG_MAX);
      if (
        argv.length > 4 ||
        (argv.length === 4 && !eqIgnoreCase(argv[3]!, "withscores"))
      ) {
        throw syntaxError();
      }
      const withScores = argv.length === 4;
      if (withScores && (l < -LONG_MAX / 2n || l > LONG_MAX / 2n)) {
        throw valueOutOfRange();
      }
      return withCount(ctx, key, l, withScores);
    }
    const zset = zsetForRead(ctx, key);
    if (zset === undefined) return null;
    return zset.random(ctx.server.random.int);
  },
});
