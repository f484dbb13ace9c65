/**
 * XACK key group id [id ...]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { streamForRead, strictId } from "./common.ts";
import { DOCS_XACK } from "./docs.ts";

/** XACK: removes entries from a group's pending list; replies how many were pending. */
export const xack = defineCommand({
  name: "xack",
  group: "stream",
  summary:
    "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
  since: "5.0.0",
  complexity: "O(1) for each message ID processed.",
  arity: -4,
  flags: ["write", "fast"],
  acl: ["stream"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: DOCS_XACK,
  handler(ctx) {
    const argv = ctx.argv;
    const group = streamForRead(ctx, argv[1]!)?.group(argv[2]!);
    if (group === undefined) return 0;
    // Every ID is checked first so the command never half-runs.
    const ids = argv.slice(3).map(strictId);
    let acked = 0;
    for (const id of ids) {
      const nack = group.pel.get(id);
      if (nack === undefined) continue;
      group.pel.delete(id);
      nack.consumer?.pel.delete(id);
      acked++;
    }
    if (acked > 0) ctx.dirty(acked);
    return acked;
  },
});
