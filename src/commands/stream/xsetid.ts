/**
 * XSETID key last-id [ENTRIESADDED entries-added]
 *   [MAXDELETEDID max-deleted-id]
 *
 * @module
 */
import {
  noSuchKey,
  notInteger,
  syntaxError,
  xsetidError,
} from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { NOTIFY_STREAM } from "../../state.ts";
import {
  compareIds,
  MIN_ID,
  type StreamId,
} from "../../store/structures/stream_id.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import { streamForWrite, strictId } from "./common.ts";
import { DOCS_XSETID } from "./docs.ts";

/** XSETID: sets a stream's last ID and, optionally, its counters. */
export const xsetid = defineCommand({
  name: "xsetid",
  group: "stream",
  summary: "An internal command for replicating stream values",
  since: "5.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  acl: ["stream"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: DOCS_XSETID,
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    const id = strictId(argv[2]!);
    let entriesAdded = -1n;
    let maxDeleted: StreamId = MIN_ID;
    for (let i = 3; i < argv.length;) {
      const moreargs = argv.length - 1 - i;
      const opt = argv[i]!;
      if (eqIgnoreCase(opt, "entriesadded") && moreargs > 0) {
        const v = parseInt64(argv[i + 1]!);
        if (v === undefined) throw notInteger();
        if (v < 0n) throw xsetidError("negative");
        entriesAdded = v;
        i += 2;
      } else if (eqIgnoreCase(opt, "maxdeletedid") && moreargs > 0) {
        maxDeleted = strictId(argv[i + 1]!);
        if (compareIds(id, maxDeleted) < 0) throw xsetidError("maxdeleted");
        i += 2;
      } else {
        throw syntaxError();
      }
    }
    const stream = streamForWrite(ctx, key);
    if (stream === undefined) throw noSuchKey();
    if (stream.length > 0) {
      if (compareIds(id, stream.lastValidId()) < 0) throw xsetidError("top");
      if (entriesAdded !== -1n && BigInt(stream.length) > entriesAdded) {
        throw xsetidError("entriesadded");
      }
    }
    stream.lastId = id;
    if (entriesAdded !== -1n) stream.entriesAdded = entriesAdded;
    if (!maxDeleted.isZero()) stream.maxDeletedId = maxDeleted;
    ctx.notify(NOTIFY_STREAM, "xsetid", key);
    ctx.dirty();
    return OK;
  },
});
