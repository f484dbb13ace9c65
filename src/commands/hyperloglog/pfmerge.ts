/**
 * PFMERGE destkey [sourcekey [sourcekey ...]]
 *
 * @module
 */
import { defineCommand, keyAt, keysFrom } from "../define.ts";
import { corruptedHll } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { NOTIFY_STRING } from "../../state.ts";
import {
  createHll,
  HLL_DENSE,
  HLL_REGISTERS,
  hllBytes,
  hllMergeInto,
  invalidateCache,
} from "../../store/hyperloglog.ts";
import type { RawBytes } from "../../store/strings.ts";
import {
  editor,
  finishEdit,
  readHll,
  sparseMaxBytes,
  unionRegisters,
  unshareAt,
} from "./common.ts";

/**
 * PFMERGE: the union of the destination and the sources into the
 * destination. The destination turns dense when any input is dense, and
 * stays sparse otherwise until it outgrows `hll-sparse-max-bytes` (Redis
 * 7.0 raises its registers one by one, in order).
 */
export const pfmerge = defineCommand({
  name: "pfmerge",
  group: "hyperloglog",
  summary: "Merge N different HyperLogLogs into a single one.",
  since: "2.8.9",
  complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
  arity: -2,
  flags: ["write", "denyoom"],
  acl: ["hyperloglog"],
  keys: [keyAt(1, "RW ACCESS INSERT"), keysFrom(2, 1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "destkey", type: "key", keySpecIndex: 0 },
      { name: "sourcekey", type: "key", keySpecIndex: 1, multiple: true },
    ],
  },
  handler(ctx, args) {
    const argv = ctx.argv;
    const max = unionRegisters;
    max.fill(0);
    let useDense = false;
    // The destination counts as a source too.
    for (let i = 1; i < argv.length; i++) {
      const v = readHll(ctx, argv[i]!);
      if (v === undefined) continue;
      const b = hllBytes(v);
      if (b[4] === HLL_DENSE) useDense = true;
      if (!hllMergeInto(max, b)) throw corruptedHll();
    }
    const key = args.key();
    const current = ctx.db.getStringForWrite(key);
    let bytes: RawBytes;
    if (current === undefined) {
      bytes = createHll();
      ctx.db.add(key, bytes);
    } else {
      bytes = unshareAt(ctx, key, current);
    }
    editor.open(bytes, sparseMaxBytes(ctx));
    if (useDense && !editor.toDense()) {
      finishEdit(ctx, key);
      throw corruptedHll();
    }
    for (let j = 0; j < HLL_REGISTERS; j++) {
      if (max[j] !== 0) editor.set(j, max[j]!);
    }
    bytes = finishEdit(ctx, key);
    invalidateCache(bytes);
    ctx.db.touch(key);
    // Redis reports a merge as a mass PFADD.
    ctx.notify(NOTIFY_STRING, "pfadd", key);
    ctx.dirty();
    return OK;
  },
});
