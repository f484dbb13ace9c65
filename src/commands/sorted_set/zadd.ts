/**
 * ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
 * ZINCRBY key increment member
 *
 * @module
 */
import {
  notFloat,
  scoreNan,
  syntaxError,
  zaddGtLtNx,
  zaddIncrSinglePair,
  zaddXxNx,
} from "../../errors.ts";
import { double } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_ZSET } from "../../state.ts";
import {
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  ZADD_XX,
  ZSetValue,
} from "../../store/zset_value.ts";
import { asciiLower } from "../../util/bytes.ts";
import { parseDouble } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import { zsetForWrite } from "./common.ts";
import { ZADD_ARGS, ZINCRBY_ARGS } from "./arguments.ts";

/** ZADD's options as parsed. */
export interface ZaddOptions {
  /** ZADD_NX, ZADD_XX, ZADD_GT, ZADD_LT, ZADD_INCR. */
  flags: number;
  /** CH: count updated members too. */
  ch: boolean;
}

/** Parsed ZADD arguments: the options and the score/member pairs. */
export interface ZaddBatch extends ZaddOptions {
  scores: readonly number[];
  members: readonly string[];
}

/**
 * Applies parsed ZADD arguments to `key` (Redis's zaddGenericCommand after
 * parsing; GEOADD ends here too): creates the set if needed, adds or
 * updates each member, notifies, and returns the reply.
 */
export function applyZadd(ctx: Context, key: string, batch: ZaddBatch): Reply {
  const { flags, ch, scores, members } = batch;
  const incr = (flags & ZADD_INCR) !== 0;
  const limits = ctx.server.encoding;
  let zset = zsetForWrite(ctx, key);
  const existed = zset !== undefined;
  if (zset === undefined) {
    if (flags & ZADD_XX) return incr ? null : 0;
    zset = ZSetValue.forFirstMember(members[0]!.length, limits);
    ctx.db.add(key, zset);
  }
  let added = 0;
  let updated = 0;
  let processed = 0;
  let nan = false;
  for (let j = 0; j < scores.length; j++) {
    const result = zset.add(scores[j]!, members[j]!, flags, limits);
    if (result & ZADD_OUT_NAN) {
      nan = true;
      break;
    }
    if (result & ZADD_OUT_ADDED) added++;
    if (result & ZADD_OUT_UPDATED) updated++;
    if (!(result & ZADD_OUT_NOP)) processed++;
  }
  if (added !== 0 || updated !== 0) {
    if (existed) {
      ctx.db.touch(key);
      if (added !== 0) ctx.db.signalReady(key);
    }
    ctx.notify(NOTIFY_ZSET, incr ? "zincr" : "zadd", key);
  }
  if (nan) throw scoreNan();
  if (added + updated !== 0) ctx.dirty(added + updated);
  if (incr) return processed !== 0 ? double(zset.newScore) : null;
  return ch ? added + updated : added;
}

/** Parses ZADD's option words starting at `argv[2]`; returns the index of the first score. */
export function parseZaddOptions(
  argv: readonly string[],
  options: ZaddOptions,
): number {
  let i = 2;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.length > 4) break;
    const opt = asciiLower(word);
    if (opt === "nx") options.flags |= ZADD_NX;
    else if (opt === "xx") options.flags |= ZADD_XX;
    else if (opt === "ch") options.ch = true;
    else if (opt === "incr") options.flags |= ZADD_INCR;
    else if (opt === "gt") options.flags |= ZADD_GT;
    else if (opt === "lt") options.flags |= ZADD_LT;
    else break;
  }
  return i;
}

function zaddGeneric(ctx: Context, initialFlags: number): Reply {
  const argv = ctx.argv;
  const options: ZaddOptions = { flags: initialFlags, ch: false };
  const first = parseZaddOptions(argv, options);
  const words = argv.length - first;
  if (words % 2 !== 0 || words === 0) throw syntaxError();
  const flags = options.flags;
  const nx = (flags & ZADD_NX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  if (nx && (flags & ZADD_XX)) throw zaddXxNx();
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw zaddGtLtNx();
  if ((flags & ZADD_INCR) && words > 2) throw zaddIncrSinglePair();
  // Every score is checked before anything changes.
  const scores: number[] = [];
  const members: string[] = [];
  for (let i = first; i < argv.length; i += 2) {
    const score = parseDouble(argv[i]!);
    if (score === undefined) throw notFloat();
    scores.push(score);
    members.push(argv[i + 1]!);
  }
  const batch: ZaddBatch = { flags, ch: options.ch, scores, members };
  return applyZadd(ctx, argv[1]!, batch);
}

/** ZADD: adds members with scores, or updates their scores. */
export const zadd = defineCommand({
  name: "zadd",
  group: "sorted-set",
  summary:
    "Add one or more members to a sorted set, or update its score if it already exists",
  since: "1.2.0",
  complexity:
    "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
  arity: -4,
  flags: ["write", "denyoom", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: {
    arguments: ZADD_ARGS,
    history: [
      ["2.4.0", "Accepts multiple elements."],
      ["3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."],
      ["6.2.0", "Added the `GT` and `LT` options."],
    ],
  },
  handler(ctx) {
    return zaddGeneric(ctx, 0);
  },
});

/** ZINCRBY: adds to a member's score (creating it at 0). */
export const zincrby = defineCommand({
  name: "zincrby",
  group: "sorted-set",
  summary: "Increment the score of a member in a sorted set",
  since: "1.2.0",
  complexity: "O(log(N)) where N is the number of elements in the sorted set.",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  acl: ["sortedset"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: { arguments: ZINCRBY_ARGS },
  handler(ctx) {
    // Redis runs ZINCRBY through ZADD's parser, option words included.
    return zaddGeneric(ctx, ZADD_INCR);
  },
});
