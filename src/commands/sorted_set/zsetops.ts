/**
 * ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
 * ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
 * ZDIFF numkeys key [key ...] [WITHSCORES]
 * ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX]
 * ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM | MIN | MAX]
 * ZDIFFSTORE destination numkeys key [key ...]
 * ZINTERCARD numkeys key [key ...] [LIMIT limit]
 *
 * Plain sets are accepted as inputs, every member scoring 1.
 *
 * @module
 */
import {
  atLeastOneInputKey,
  limitNegative,
  notInteger,
  syntaxError,
  weightNotFloat,
  wrongType,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_GENERIC, NOTIFY_ZSET } from "../../state.ts";
import type { SetValue } from "../../store/set_value.ts";
import { isString } from "../../store/values.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseDouble, parseIntNumber } from "../../util/number.ts";
import { defineCommand, keyAt, keysCounted } from "../define.ts";
import type { Context } from "../types.ts";
import { RangeReply } from "./common.ts";
import { storeZset } from "./zrange.ts";
import {
  ZDIFF_ARGS,
  ZDIFFSTORE_ARGS,
  ZINTER_ARGS,
  ZINTERCARD_ARGS,
  ZINTERSTORE_ARGS,
  ZUNION_ARGS,
  ZUNIONSTORE_ARGS,
} from "./arguments.ts";

type Op = "union" | "inter" | "diff";
type Aggregate = "sum" | "min" | "max";

/** One input: a sorted set, a set (scores of 1), or nothing. */
class Source {
  readonly value: ZSetValue | SetValue | undefined;
  weight = 1;

  constructor(value: ZSetValue | SetValue | undefined) {
    this.value = value;
  }

  get size(): number {
    return this.value?.size ?? 0;
  }

  /** Calls `fn` for each member with its (unweighted) score. */
  forEach(fn: (member: string, score: number) => void): void {
    const v = this.value;
    if (v === undefined) return;
    if (v instanceof ZSetValue) {
      // Redis walks sorted sets from the highest member down.
      v.tree.forEachReverse(fn);
    } else {
      v.forEach((member) => fn(member, 1));
    }
  }

  /** The member's unweighted score, or undefined when absent. */
  find(member: string): number | undefined {
    const v = this.value;
    if (v === undefined) return undefined;
    if (v instanceof ZSetValue) return v.score(member);
    return v.has(member) ? 1 : undefined;
  }
}

function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === "sum") {
    const sum = target + value;
    // inf + -inf: Redis keeps 0 rather than NaN.
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === "min") return value < target ? value : target;
  return value > target ? value : target;
}

interface Parsed {
  sources: Source[];
  aggregate: Aggregate;
  withScores: boolean;
  limit: number;
}

/** Redis's argument handling in zunionInterDiffGenericCommand. */
function parse(
  ctx: Context,
  numkeysIndex: number,
  op: Op,
  store: boolean,
  cardinalityOnly: boolean,
): Parsed {
  const argv = ctx.argv;
  const setnum = parseIntNumber(argv[numkeysIndex]!);
  if (setnum === undefined) throw notInteger();
  if (setnum < 1) throw atLeastOneInputKey(ctx.command.fullName);
  if (setnum > argv.length - (numkeysIndex + 1)) throw syntaxError();
  const sources: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = ctx.db.lookupRead(argv[j]!);
    if (v === undefined) {
      sources.push(new Source(undefined));
    } else if (isString(v) || (v.type !== "zset" && v.type !== "set")) {
      throw wrongType();
    } else {
      sources.push(new Source(v as ZSetValue | SetValue));
    }
  }
  const parsed: Parsed = {
    sources,
    aggregate: "sum",
    withScores: false,
    limit: 0,
  };
  while (j < argv.length) {
    const remaining = argv.length - j;
    const word = argv[j]!;
    if (
      op !== "diff" && !cardinalityOnly && remaining >= setnum + 1 &&
      eqIgnoreCase(word, "weights")
    ) {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = parseDouble(argv[j]!);
        if (w === undefined) throw weightNotFloat();
        sources[i]!.weight = w;
      }
    } else if (
      op !== "diff" && !cardinalityOnly && remaining >= 2 &&
      eqIgnoreCase(word, "aggregate")
    ) {
      const how = argv[j + 1]!;
      if (eqIgnoreCase(how, "sum")) parsed.aggregate = "sum";
      else if (eqIgnoreCase(how, "min")) parsed.aggregate = "min";
      else if (eqIgnoreCase(how, "max")) parsed.aggregate = "max";
      else throw syntaxError();
      j += 2;
    } else if (
      !store && !cardinalityOnly && eqIgnoreCase(word, "withscores")
    ) {
      parsed.withScores = true;
      j++;
    } else if (
      cardinalityOnly && remaining >= 2 && eqIgnoreCase(word, "limit")
    ) {
      const limit = parseIntNumber(argv[j + 1]!);
      if (limit === undefined || limit < 0) throw limitNegative();
      parsed.limit = limit;
      j += 2;
    } else {
      throw syntaxError();
    }
  }
  return parsed;
}

function weighted(weight: number, score: number): number {
  const v = weight * score;
  return Number.isNaN(v) ? 0 : v;
}

/** Computes the result set (skiplist-encoded, as Redis builds it). */
function compute(op: Op, p: Parsed): ZSetValue {
  const sources = p.sources;
  // Smallest inputs first (stable, like glibc's merge sort); the order is
  // also the order in which scores are summed.
  if (op !== "diff") sources.sort((a, b) => a.size - b.size);
  const result = new ZSetValue(false);
  const limits = { zsetMaxListpackEntries: 0, zsetMaxListpackValue: 0 };
  if (op === "inter") {
    const first = sources[0]!;
    if (first.size === 0) return result;
    first.forEach((member, s) => {
      let score = weighted(first.weight, s);
      for (let j = 1; j < sources.length; j++) {
        const found = sources[j]!.find(member);
        if (found === undefined) return;
        score = aggregate(score, found * sources[j]!.weight, p.aggregate);
      }
      result.insert(score, member, limits);
    });
  } else if (op === "union") {
    const acc = new Map<string, number>();
    for (const src of sources) {
      if (src.size === 0) continue;
      src.forEach((member, s) => {
        const score = weighted(src.weight, s);
        const existing = acc.get(member);
        acc.set(
          member,
          existing === undefined
            ? score
            : aggregate(existing, score, p.aggregate),
        );
      });
    }
    for (const [member, score] of acc) result.insert(score, member, limits);
  } else {
    const first = sources[0]!;
    if (first.size === 0) return result;
    first.forEach((member, score) => {
      for (let j = 1; j < sources.length; j++) {
        if (sources[j]!.value === first.value) return;
        if (sources[j]!.find(member) !== undefined) return;
      }
      result.insert(score, member, limits);
    });
  }
  return result;
}

/** ZINTERCARD's count: members of the smallest input found in all others. */
function intersectionCardinality(p: Parsed): number {
  const sources = p.sources;
  sources.sort((a, b) => a.size - b.size);
  const first = sources[0]!;
  let count = 0;
  if (first.size === 0) return 0;
  const v = first.value!;
  const members: string[] = [];
  if (v instanceof ZSetValue) {
    v.tree.forEachReverse((m) => members.push(m));
  } else {
    v.forEach((m) => members.push(m));
  }
  for (const member of members) {
    let inAll = true;
    for (let j = 1; j < sources.length && inAll; j++) {
      inAll = sources[j]!.find(member) !== undefined;
    }
    if (!inAll) continue;
    count++;
    if (p.limit !== 0 && count >= p.limit) break;
  }
  return count;
}

function reply(ctx: Context, op: Op): Reply {
  const p = parse(ctx, 1, op, false, false);
  const result = compute(op, p);
  const out = new RangeReply(p.withScores);
  result.tree.forEach((member, score) => out.push(member, score));
  return out.reply();
}

const STORE_EVENTS: Record<Op, string> = {
  union: "zunionstore",
  inter: "zinterstore",
  diff: "zdiffstore",
};

function storeResult(ctx: Context, op: Op): Reply {
  const p = parse(ctx, 2, op, true, false);
  const result = compute(op, p);
  const key = ctx.argv[1]!;
  if (result.size === 0) {
    if (ctx.db.delete(key)) {
      ctx.notify(NOTIFY_GENERIC, "del", key);
      ctx.dirty();
    }
    return 0;
  }
  let longest = 0;
  result.tree.forEach((member) => {
    if (member.length > longest) longest = member.length;
  });
  result.convertToListpackIfNeeded(longest, ctx.server.encoding);
  storeZset(ctx, key, result);
  ctx.notify(NOTIFY_ZSET, STORE_EVENTS[op], key);
  ctx.dirty();
  return result.size;
}

const UNION_COMPLEXITY =
  "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";
const INTER_COMPLEXITY =
  "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
const DIFF_COMPLEXITY =
  "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.";

/** ZUNION: the union of several sets, scores aggregated. */
export const zunion = defineCommand({
  name: "zunion",
  group: "sorted-set",
  summary: "Add multiple sorted sets",
  since: "6.2.0",
  complexity: UNION_COMPLEXITY,
  arity: -3,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keysCounted(1, "RO ACCESS")],
  docs: { arguments: ZUNION_ARGS },
  handler(ctx) {
    return reply(ctx, "union");
  },
});

/** ZINTER: the intersection of several sets, scores aggregated. */
export const zinter = defineCommand({
  name: "zinter",
  group: "sorted-set",
  summary: "Intersect multiple sorted sets",
  since: "6.2.0",
  complexity: INTER_COMPLEXITY,
  arity: -3,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keysCounted(1, "RO ACCESS")],
  docs: { arguments: ZINTER_ARGS },
  handler(ctx) {
    return reply(ctx, "inter");
  },
});

/** ZDIFF: the members of the first set that no other set has. */
export const zdiff = defineCommand({
  name: "zdiff",
  group: "sorted-set",
  summary: "Subtract multiple sorted sets",
  since: "6.2.0",
  complexity: DIFF_COMPLEXITY,
  arity: -3,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keysCounted(1, "RO ACCESS")],
  docs: { arguments: ZDIFF_ARGS },
  handler(ctx) {
    return reply(ctx, "diff");
  },
});

/** ZUNIONSTORE: ZUNION stored at a key. */
export const zunionstore = defineCommand({
  name: "zunionstore",
  group: "sorted-set",
  summary:
    "Add multiple sorted sets and store the resulting sorted set in a new key",
  since: "2.0.0",
  complexity:
    "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
  arity: -4,
  flags: ["write", "denyoom"],
  acl: ["sortedset"],
  keys: [keyAt(1, "OW UPDATE"), keysCounted(2, "RO ACCESS")],
  docs: { arguments: ZUNIONSTORE_ARGS },
  handler(ctx) {
    return storeResult(ctx, "union");
  },
});

/** ZINTERSTORE: ZINTER stored at a key. */
export const zinterstore = defineCommand({
  name: "zinterstore",
  group: "sorted-set",
  summary:
    "Intersect multiple sorted sets and store the resulting sorted set in a new key",
  since: "2.0.0",
  complexity: INTER_COMPLEXITY,
  arity: -4,
  flags: ["write", "denyoom"],
  acl: ["sortedset"],
  keys: [keyAt(1, "OW UPDATE"), keysCounted(2, "RO ACCESS")],
  docs: { arguments: ZINTERSTORE_ARGS },
  handler(ctx) {
    return storeResult(ctx, "inter");
  },
});

/** ZDIFFSTORE: ZDIFF stored at a key. */
export const zdiffstore = defineCommand({
  name: "zdiffstore",
  group: "sorted-set",
  summary:
    "Subtract multiple sorted sets and store the resulting sorted set in a new key",
  since: "6.2.0",
  complexity: DIFF_COMPLEXITY,
  arity: -4,
  flags: ["write", "denyoom"],
  acl: ["sortedset"],
  keys: [keyAt(1, "OW UPDATE"), keysCounted(2, "RO ACCESS")],
  docs: { arguments: ZDIFFSTORE_ARGS },
  handler(ctx) {
    return storeResult(ctx, "diff");
  },
});

/** ZINTERCARD: the size of the intersection, optionally capped. */
export const zintercard = defineCommand({
  name: "zintercard",
  group: "sorted-set",
  summary:
    "Intersect multiple sorted sets and return the cardinality of the result",
  since: "7.0.0",
  complexity:
    "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
  arity: -3,
  flags: ["readonly"],
  acl: ["sortedset"],
  keys: [keysCounted(1, "RO ACCESS")],
  docs: { arguments: ZINTERCARD_ARGS },
  handler(ctx) {
    return intersectionCardinality(parse(ctx, 1, "inter", false, true));
  },
});
