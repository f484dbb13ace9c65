/**
 * ZPOPMIN key [count]
 * ZPOPMAX key [count]
 * ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
 * BZPOPMIN key [key ...] timeout
 * BZPOPMAX key [key ...] timeout
 * BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
 *
 * @module
 */
import {
  countNotPositive,
  numkeysNotPositive,
  outOfRange,
  syntaxError,
} from "../../errors.ts";
import { double, NULL_ARRAY, pairs } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_ZSET } from "../../state.ts";
import type { ZSetValue } from "../../store/zset_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseIntNumber } from "../../util/number.ts";
import { deadlineFromSeconds } from "../blocking.ts";
import { defineCommand, keyAt, keysCounted, keysFrom } from "../define.ts";
import type { Context } from "../types.ts";
import { deleteIfEmpty, zsetForWrite } from "./common.ts";
import {
  BZMPOP_ARGS,
  BZPOPMAX_ARGS,
  BZPOPMIN_ARGS,
  ZMPOP_ARGS,
  ZPOPMAX_ARGS,
  ZPOPMIN_ARGS,
} from "./arguments.ts";

type End = "min" | "max";

/**
 * How a pop replies: `flat` member, score, ... (ZPOPMIN without a count);
 * `pairs` flat in RESP2 and `[member, score]` pairs in RESP3 (ZPOPMIN with
 * a count); `nested` pairs in both protocols (ZMPOP, BZMPOP).
 */
interface PopShape {
  /** Name the key (BZPOP*, ZMPOP, BZMPOP). */
  emitKey: boolean;
  members: "flat" | "pairs" | "nested";
}

/**
 * Pops up to `count` members (-1: one, flat reply) from one set that holds
 * some, as Redis's genericZpopCommand does after choosing the key.
 */
function popFrom(
  ctx: Context,
  key: string,
  zset: ZSetValue,
  end: End,
  count: number,
  shape: PopShape,
): Reply {
  if (count === -1) count = 1;
  const available = zset.size;
  const n = count > available ? available : count;
  const items: Reply[] = [];
  const max = end === "max";
  const nested = shape.members === "nested";
  for (let i = 0; i < n; i++) {
    const member = zset.pop(max);
    const score = double(zset.poppedScore);
    if (nested) items.push([member, score]);
    else items.push(member, score);
  }
  ctx.notify(NOTIFY_ZSET, end === "max" ? "zpopmax" : "zpopmin", key);
  if (!deleteIfEmpty(ctx, key, zset)) ctx.db.touch(key);
  ctx.dirty(n);
  if (!shape.emitKey) return shape.members === "pairs" ? pairs(items) : items;
  return shape.members === "nested" ? [key, items] : [key, ...items];
}

/**
 * The first of `keys` that holds a set (WRONGTYPE if the first existing
 * key holds something else); while a blocked client is served, only the
 * key that became ready.
 */
function firstSet(
  ctx: Context,
  keys: readonly string[],
): { key: string; zset: ZSetValue } | undefined {
  const ready = ctx.readyKey;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (ready !== undefined && key !== ready) continue;
    const zset = zsetForWrite(ctx, key);
    if (zset !== undefined) return { key, zset };
  }
  return undefined;
}

function popCommandName(end: End): string {
  return end === "max" ? "ZPOPMAX" : "ZPOPMIN";
}

function zpopMinMax(ctx: Context, end: End): Reply {
  const argv = ctx.argv;
  if (argv.length > 3) throw syntaxError();
  let count = -1;
  if (argv.length === 3) {
    const v = parseIntNumber(argv[2]!);
    if (v === undefined || v < 0) throw outOfRange("value");
    count = v;
  }
  const found = firstSet(ctx, [argv[1]!]);
  if (found === undefined || count === 0) return [];
  return popFrom(ctx, found.key, found.zset, end, count, {
    emitKey: false,
    members: count === -1 ? "flat" : "pairs",
  });
}

/** ZMPOP/BZMPOP arguments after the numkeys word. */
interface MpopArgs {
  keys: string[];
  end: End;
  count: number;
}

function parseMpop(argv: readonly string[], numkeysIndex: number): MpopArgs {
  const numkeys = parseIntNumber(argv[numkeysIndex]!);
  if (numkeys === undefined || numkeys < 1) throw numkeysNotPositive();
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) throw syntaxError();
  const where = argv[whereIndex]!;
  let end: End;
  if (eqIgnoreCase(where, "min")) end = "min";
  else if (eqIgnoreCase(where, "max")) end = "max";
  else throw syntaxError();
  let count = -1;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && eqIgnoreCase(argv[j]!, "count") && more > 0) {
      j++;
      const v = parseIntNumber(argv[j]!);
      if (v === undefined || v < 1) throw countNotPositive();
      count = v;
    } else {
      throw syntaxError();
    }
  }
  if (count === -1) count = 1;
  return {
    keys: argv.slice(numkeysIndex + 1, whereIndex),
    end,
    count,
  };
}

/**
 * Pops from the set chosen among several keys (ZMPOP, BZPOP*, BZMPOP),
 * replying with its key and the members `nested` or flat, and propagates
 * the pop as ZPOPMIN/ZPOPMAX with the number of members actually popped.
 */
function popFound(
  ctx: Context,
  key: string,
  zset: ZSetValue,
  end: End,
  count: number,
  nested: boolean,
): Reply {
  const available = zset.size;
  const reply = popFrom(ctx, key, zset, end, count, {
    emitKey: true,
    members: nested ? "nested" : "flat",
  });
  ctx.propagateAs(
    count === -1
      ? [popCommandName(end), key]
      : [popCommandName(end), key, String(Math.min(count, available))],
  );
  return reply;
}

/**
 * Redis's blockingGenericZpopCommand: pops from the first set that has
 * members (propagated as ZPOPMIN/ZPOPMAX), or blocks until one gets some.
 */
function blockingPop(
  ctx: Context,
  keys: readonly string[],
  end: End,
  timeoutText: string,
  count: number,
  nested: boolean,
): Reply {
  const deadline = deadlineFromSeconds(timeoutText, ctx.server.clock.now());
  const found = firstSet(ctx, keys);
  if (found !== undefined) {
    return popFound(ctx, found.key, found.zset, end, count, nested);
  }
  return ctx.block({
    keys,
    deadline,
    timeoutReply: NULL_ARRAY,
    readyType: "zset",
  });
}

// BZPOPMIN and BZPOPMAX: the keys, then the timeout.
function bzpop(ctx: Context, end: End): Reply {
  const argv = ctx.argv;
  const timeout = argv[argv.length - 1]!;
  return blockingPop(ctx, argv.slice(1, -1), end, timeout, -1, false);
}

const POP_COMPLEXITY =
  "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.";
const MPOP_COMPLEXITY =
  "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.";
const BPOP_HISTORY = {
  history: [[
    "6.0.0",
    "`timeout` is interpreted as a double instead of an integer.",
  ]] as const,
};

/** ZPOPMIN: removes and returns the lowest-scored members. */
export const zpopmin = defineCommand({
  name: "zpopmin",
  group: "sorted-set",
  summary: "Remove and return members with the lowest scores in a sorted set",
  since: "5.0.0",
  complexity: POP_COMPLEXITY,
  arity: -2,
  flags: ["write", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW ACCESS DELETE")],
  docs: { arguments: ZPOPMIN_ARGS },
  handler(ctx) {
    return zpopMinMax(ctx, "min");
  },
});

/** ZPOPMAX: removes and returns the highest-scored members. */
export const zpopmax = defineCommand({
  name: "zpopmax",
  group: "sorted-set",
  summary: "Remove and return members with the highest scores in a sorted set",
  since: "5.0.0",
  complexity: POP_COMPLEXITY,
  arity: -2,
  flags: ["write", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW ACCESS DELETE")],
  docs: { arguments: ZPOPMAX_ARGS },
  handler(ctx) {
    return zpopMinMax(ctx, "max");
  },
});

/** ZMPOP: pops from the first non-empty set of several. */
export const zmpop = defineCommand({
  name: "zmpop",
  group: "sorted-set",
  summary: "Remove and return members with scores in a sorted set",
  since: "7.0.0",
  complexity: MPOP_COMPLEXITY,
  arity: -4,
  flags: ["write"],
  acl: ["sortedset"],
  keys: [keysCounted(1, "RW ACCESS DELETE")],
  docs: { arguments: ZMPOP_ARGS },
  handler(ctx) {
    const { keys, end, count } = parseMpop(ctx.argv, 1);
    const found = firstSet(ctx, keys);
    if (found === undefined) return NULL_ARRAY;
    return popFound(ctx, found.key, found.zset, end, count, true);
  },
});

/** BZPOPMIN: ZPOPMIN over several keys, waiting for one to get members. */
export const bzpopmin = defineCommand({
  name: "bzpopmin",
  group: "sorted-set",
  summary:
    "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
  since: "5.0.0",
  complexity:
    "O(log(N)) with N being the number of elements in the sorted set.",
  arity: -3,
  flags: ["write", "noscript", "blocking", "fast"],
  acl: ["sortedset"],
  keys: [keysFrom(1, 1, "RW ACCESS DELETE", -2)],
  docs: { arguments: BZPOPMIN_ARGS, ...BPOP_HISTORY },
  handler(ctx) {
    return bzpop(ctx, "min");
  },
});

/** BZPOPMAX: ZPOPMAX over several keys, waiting for one to get members. */
export const bzpopmax = defineCommand({
  name: "bzpopmax",
  group: "sorted-set",
  summary:
    "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
  since: "5.0.0",
  complexity:
    "O(log(N)) with N being the number of elements in the sorted set.",
  arity: -3,
  flags: ["write", "noscript", "blocking", "fast"],
  acl: ["sortedset"],
  keys: [keysFrom(1, 1, "RW ACCESS DELETE", -2)],
  docs: { arguments: BZPOPMAX_ARGS, ...BPOP_HISTORY },
  handler(ctx) {
    return bzpop(ctx, "max");
  },
});

/** BZMPOP: ZMPOP that waits for one of the sets to get members. */
export const bzmpop = defineCommand({
  name: "bzmpop",
  group: "sorted-set",
  summary:
    "Remove and return members with scores in a sorted set or block until one is available",
  since: "7.0.0",
  complexity: MPOP_COMPLEXITY,
  arity: -5,
  flags: ["write", "blocking"],
  acl: ["sortedset"],
  keys: [keysCounted(2, "RW ACCESS DELETE")],
  docs: { arguments: BZMPOP_ARGS },
  handler(ctx) {
    const { keys, end, count } = parseMpop(ctx.argv, 2);
    return blockingPop(ctx, keys, end, ctx.argv[1]!, count, true);
  },
});
