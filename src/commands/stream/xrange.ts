/**
 * XRANGE key start end [COUNT count]
 * XREVRANGE key end start [COUNT count]
 *
 * @module
 */
import { notInteger, syntaxError } from "../../errors.ts";
import { EMPTY_ARRAY, NULL_ARRAY } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import {
  intervalEnd,
  intervalStart,
  rangeReply,
  streamForRead,
} from "./common.ts";
import { DOCS_XRANGE, DOCS_XREVRANGE } from "./docs.ts";

// Redis's xrangeGenericCommand.
function range(ctx: Context, rev: boolean): Reply {
  const argv = ctx.argv;
  const start = intervalStart(rev ? argv[3]! : argv[2]!);
  const end = intervalEnd(rev ? argv[2]! : argv[3]!);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (eqIgnoreCase(argv[j]!, "count") && j + 1 < argv.length) {
      const v = parseInt64(argv[j + 1]!);
      if (v === undefined) throw notInteger();
      count = v < 0n ? 0 : Number(v);
      j++;
    } else {
      throw syntaxError();
    }
  }
  const stream = streamForRead(ctx, argv[1]!);
  if (stream === undefined) return EMPTY_ARRAY;
  if (count === 0) return NULL_ARRAY;
  return rangeReply(stream, start, end, count === -1 ? 0 : count, rev);
}

/** XRANGE: entries with IDs between start and end, oldest first. */
export const xrange = defineCommand({
  name: "xrange",
  group: "stream",
  summary:
    "Return a range of elements in a stream, with IDs matching the specified IDs interval",
  since: "5.0.0",
  complexity:
    "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
  arity: -4,
  flags: ["readonly"],
  acl: ["stream"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: DOCS_XRANGE,
  handler(ctx) {
    return range(ctx, false);
  },
});

/** XREVRANGE: entries with IDs between end and start, newest first. */
export const xrevrange = defineCommand({
  name: "xrevrange",
  group: "stream",
  summary:
    "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
  since: "5.0.0",
  complexity:
    "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
  arity: -4,
  flags: ["readonly"],
  acl: ["stream"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: DOCS_XREVRANGE,
  handler(ctx) {
    return range(ctx, true);
  },
});
