/**
 * XTRIM key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]
 *
 * @module
 */
import { NOTIFY_STREAM } from "../../state.ts";
import { defineCommand, keyAt } from "../define.ts";
import { streamForWrite } from "./common.ts";
import { DOCS_XTRIM } from "./docs.ts";
import {
  parseAddTrimArgs,
  rewriteApproxTrim,
  trimOptions,
} from "./trim_args.ts";

/** XTRIM: removes the oldest entries; replies the number removed. */
export const xtrim = defineCommand({
  name: "xtrim",
  group: "stream",
  summary:
    "Trims the stream to (approximately if '~' is passed) a certain size",
  since: "5.0.0",
  complexity:
    "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
  arity: -4,
  flags: ["write"],
  acl: ["stream"],
  keys: [keyAt(1, "RW DELETE")],
  tips: ["nondeterministic_output"],
  docs: DOCS_XTRIM,
  handler(ctx) {
    const key = ctx.argv[1]!;
    const a = parseAddTrimArgs(ctx, false);
    const stream = streamForWrite(ctx, key);
    if (stream === undefined) return 0;
    const removed = stream.trim(trimOptions(a));
    if (removed > 0) {
      ctx.notify(NOTIFY_STREAM, "xtrim", key);
      if (a.approx) {
        const argv = ctx.argv.slice();
        rewriteApproxTrim(argv, a, stream);
        ctx.propagateAs(argv);
      }
      ctx.db.touch(key);
      ctx.dirty(removed);
    }
    return removed;
  },
});
