/**
 * The trimming arguments XADD and XTRIM share (MAXLEN/MINID with `=` or
 * `~`, LIMIT), parsed as Redis's streamParseAddOrTrimArgsOrReply does, and
 * the deterministic form they are propagated in.
 *
 * @module
 */
import {
  notInteger,
  streamLimitWithoutApprox,
  streamLimitWithoutStrategy,
  streamTrimArgNegative,
  streamTrimStrategyConflict,
  syntaxError,
  xtrimWithoutStrategy,
} from "../../errors.ts";
import {
  MAX_ID,
  MIN_ID,
  type StreamId,
} from "../../store/structures/stream_id.ts";
import type { TrimOptions } from "../../store/structures/stream_entries.ts";
import type { StreamValue } from "../../store/stream_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import type { Context } from "../types.ts";
import { strictId, xaddId } from "./common.ts";

/** What XADD or XTRIM asked for. */
export interface AddTrimArgs {
  strategy: "none" | "maxlen" | "minid";
  maxlen: number;
  minid: StreamId;
  approx: boolean;
  /** Most entries an approximate trim may remove; 0: no limit. */
  limit: number;
  /** Index in argv of the MAXLEN/MINID threshold. */
  thresholdPos: number;
  noMkStream: boolean;
  idGiven: boolean;
  seqGiven: boolean;
  id: StreamId;
  /** Index in argv of the ID (XADD). */
  idPos: number;
}

function int64(text: string): bigint {
  const v = parseInt64(text);
  if (v === undefined) throw notInteger();
  return v;
}

/** Parses argv from index 2 as XADD (`xadd`) or XTRIM does. */
export function parseAddTrimArgs(ctx: Context, xadd: boolean): AddTrimArgs {
  const argv = ctx.argv;
  const a: AddTrimArgs = {
    strategy: "none",
    maxlen: 0,
    minid: MIN_ID,
    approx: false,
    limit: 0,
    thresholdPos: 0,
    noMkStream: false,
    idGiven: false,
    seqGiven: true,
    id: MIN_ID,
    idPos: argv.length,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === "*") {
      break;
    } else if (eqIgnoreCase(opt, "maxlen") && moreargs > 0) {
      if (a.strategy !== "none") throw streamTrimStrategyConflict();
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && next === "~") {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === "=") {
        i++;
      }
      const maxlen = int64(argv[i + 1]!);
      if (maxlen < 0n) throw streamTrimArgNegative("MAXLEN");
      a.maxlen = Number(maxlen);
      i++;
      a.strategy = "maxlen";
      a.thresholdPos = i;
    } else if (eqIgnoreCase(opt, "minid") && moreargs > 0) {
      if (a.strategy !== "none") throw streamTrimStrategyConflict();
      a.approx = false;
      const next = argv[i + 1]!;
      if (moreargs >= 2 && next === "~") {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === "=") {
        i++;
      }
      a.minid = strictId(argv[i + 1]!);
      i++;
      a.strategy = "minid";
      a.thresholdPos = i;
    } else if (eqIgnoreCase(opt, "limit") && moreargs > 0) {
      const limit = int64(argv[i + 1]!);
      if (limit < 0n) throw streamTrimArgNegative("LIMIT");
      a.limit = Number(limit);
      limitGiven = true;
      i++;
    } else if (xadd && eqIgnoreCase(opt, "nomkstream")) {
      a.noMkStream = true;
    } else if (xadd) {
      const parsed = xaddId(opt);
      a.id = parsed.id;
      a.seqGiven = parsed.seqGiven;
      a.idGiven = true;
      break;
    } else {
      throw syntaxError();
    }
  }
  a.idPos = i;
  if (a.limit !== 0 && a.strategy === "none") {
    throw streamLimitWithoutStrategy();
  }
  if (!xadd && a.strategy === "none") throw xtrimWithoutStrategy();
  if (ctx.client.internal) {
    // Commands from the AOF or a master were rewritten to exact trims.
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) throw streamLimitWithoutApprox();
  } else if (a.approx) {
    a.limit = 100 * ctx.server.encoding.streamNodeMaxEntries;
    if (a.limit <= 0) a.limit = 10000;
    if (a.limit > 1000000) a.limit = 1000000;
  }
  return a;
}

/** The trim options for the store. */
export function trimOptions(a: AddTrimArgs): TrimOptions {
  return {
    strategy: a.strategy === "minid" ? "minid" : "maxlen",
    maxlen: a.maxlen,
    minid: a.minid,
    approx: a.approx,
    limit: a.limit,
  };
}

/**
 * Rewrites an approximate trim in `argv` to the exact one that gives the
 * same result (streamRewriteApproxSpecifier + streamRewriteTrimArgument).
 */
export function rewriteApproxTrim(
  argv: string[],
  a: AddTrimArgs,
  stream: StreamValue,
): void {
  argv[a.thresholdPos - 1] = "=";
  if (a.strategy === "maxlen") {
    argv[a.thresholdPos] = String(stream.length);
  } else {
    const first = stream.entries.edgeId(true, false) ?? MAX_ID;
    argv[a.thresholdPos] = first.toString();
  }
}
