/**
 * XADD key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]]
 *   <* | id> field value [field value ...]
 *
 * @module
 */
import {
  streamElementsTooLarge,
  streamIdExhausted,
  wrongArity,
  xaddIdTooSmall,
  xaddIdZero,
} from "../../errors.ts";
import { NULL } from "../../protocol/reply.ts";
import { NOTIFY_STREAM } from "../../state.ts";
import { STREAM_LISTPACK_MAX_SIZE } from "../../store/structures/stream_entries.ts";
import { compareIds, StreamId } from "../../store/structures/stream_id.ts";
import { StreamValue } from "../../store/stream_value.ts";
import { defineCommand, keyAt } from "../define.ts";
import { nodeLimits, streamForWrite } from "./common.ts";
import { DOCS_XADD } from "./docs.ts";
import {
  parseAddTrimArgs,
  rewriteApproxTrim,
  trimOptions,
} from "./trim_args.ts";

/** XADD: appends an entry, creating the stream, and trims it if asked. */
export const xadd = defineCommand({
  name: "xadd",
  group: "stream",
  summary: "Appends a new entry to a stream",
  since: "5.0.0",
  complexity:
    "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
  arity: -5,
  flags: ["write", "denyoom", "fast"],
  acl: ["stream"],
  keys: [{
    ...keyAt(1, "RW UPDATE"),
    notes: "UPDATE instead of INSERT because of the optional trimming feature",
  }],
  tips: ["nondeterministic_output"],
  docs: DOCS_XADD,
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    const a = parseAddTrimArgs(ctx, true);
    const fieldPos = a.idPos + 1;
    const n = argv.length - fieldPos;
    if (n < 2 || n % 2 === 1) throw wrongArity("xadd");
    if (a.idGiven && a.seqGiven && a.id.isZero()) throw xaddIdZero();

    let stream = streamForWrite(ctx, key);
    let created = false;
    if (stream === undefined) {
      if (a.noMkStream) return NULL;
      stream = new StreamValue();
      ctx.db.add(key, stream);
      created = true;
    }
    const last = stream.lastId;
    if (last.isMax()) throw streamIdExhausted();

    let id: StreamId;
    if (!a.idGiven) {
      const now = StreamId.of(ctx.server.clock.now(), 0);
      id = compareMs(now, last) > 0 ? now : last.next()!;
    } else if (a.seqGiven) {
      id = a.id;
    } else if (last.sameMs(a.id)) {
      const next = last.nextSeq();
      // Redis 7.0 reports this overflow with the ERANGE text.
      if (next === undefined) throw streamElementsTooLarge();
      id = next;
    } else {
      id = a.id;
    }
    if (compareIds(id, last) <= 0) throw xaddIdTooSmall();
    let total = 0;
    for (let i = fieldPos; i < argv.length; i++) total += argv[i]!.length;
    if (total > STREAM_LISTPACK_MAX_SIZE) throw streamElementsTooLarge();

    stream.append(id, argv, fieldPos, nodeLimits(ctx));
    const idText = id.toString();
    if (!created) {
      ctx.db.touch(key);
      ctx.db.signalReady(key);
    }
    ctx.notify(NOTIFY_STREAM, "xadd", key);
    ctx.dirty();

    if (a.strategy !== "none" && stream.trim(trimOptions(a)) > 0) {
      ctx.notify(NOTIFY_STREAM, "xtrim", key);
    }
    // Replicas and the AOF get the ID chosen and the exact trim; the rewrite
    // is only built when something consumes it.
    if (ctx.server.sinks.length !== 0) {
      let rewritten: string[] | undefined;
      if (!a.idGiven || !a.seqGiven) {
        rewritten = argv.slice();
        rewritten[a.idPos] = idText;
      }
      if (a.approx) {
        rewritten ??= argv.slice();
        rewriteApproxTrim(rewritten, a, stream);
      }
      if (rewritten !== undefined) ctx.propagateAs(rewritten);
    }
    return idText;
  },
});

// Compares the milliseconds parts only.
function compareMs(a: StreamId, b: StreamId): number {
  if (a.msHi !== b.msHi) return a.msHi - b.msHi;
  return a.msLo - b.msLo;
}
