/**
 * XDEL key id [id ...]
 *
 * @module
 */
import { NOTIFY_STREAM } from "../../state.ts";
import { defineCommand, keyAt } from "../define.ts";
import { streamForWrite, strictId } from "./common.ts";
import { DOCS_XDEL } from "./docs.ts";

/** XDEL: deletes entries by ID; replies how many existed. */
export const xdel = defineCommand({
  name: "xdel",
  group: "stream",
  summary:
    "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.",
  since: "5.0.0",
  complexity:
    "O(1) for each single item to delete in the stream, regardless of the stream size.",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["stream"],
  keys: [keyAt(1, "RW DELETE")],
  docs: DOCS_XDEL,
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    const stream = streamForWrite(ctx, key);
    if (stream === undefined) return 0;
    // Every ID is checked first so the command never half-runs.
    const ids = argv.slice(2).map(strictId);
    const deleted = stream.deleteIds(ids);
    if (deleted > 0) {
      ctx.db.touch(key);
      ctx.notify(NOTIFY_STREAM, "xdel", key);
      ctx.dirty(deleted);
    }
    return deleted;
  },
});
