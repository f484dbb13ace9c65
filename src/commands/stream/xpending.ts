/**
 * XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
 *
 * @module
 */
import { notInteger, streamNoKeyOrGroup, syntaxError } from "../../errors.ts";
import { EMPTY_ARRAY, NULL, NULL_ARRAY } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { compareIds, type StreamId } from "../../store/structures/stream_id.ts";
import { sortedConsumers } from "../../store/stream_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import { intervalEnd, intervalStart, streamForRead } from "./common.ts";
import { DOCS_XPENDING } from "./docs.ts";

function int64(text: string): number {
  const v = parseInt64(text);
  if (v === undefined) throw notInteger();
  return Number(v);
}

/** XPENDING: a summary of a group's pending entries, or the entries themselves. */
export const xpending = defineCommand({
  name: "xpending",
  group: "stream",
  summary:
    "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
  since: "5.0.0",
  complexity:
    "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
  arity: -3,
  flags: ["readonly"],
  acl: ["stream"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: DOCS_XPENDING,
  handler(ctx) {
    const argv = ctx.argv;
    const argc = argv.length;
    const key = argv[1]!;
    const groupName = argv[2]!;
    if (argc !== 3 && (argc < 6 || argc > 9)) throw syntaxError();
    let start: StreamId | undefined;
    let end: StreamId | undefined;
    let count = 0;
    let minIdle = 0;
    let consumerName: string | undefined;
    if (argc >= 6) {
      let startIdx = 3;
      if (eqIgnoreCase(argv[3]!, "idle")) {
        minIdle = int64(argv[4]!);
        if (argc < 8) throw syntaxError();
        startIdx += 2;
      }
      count = int64(argv[startIdx + 2]!);
      if (count < 0) count = 0;
      start = intervalStart(argv[startIdx]!);
      end = intervalEnd(argv[startIdx + 1]!);
      if (startIdx + 3 < argc) consumerName = argv[startIdx + 3];
    }
    const group = streamForRead(ctx, key)?.group(groupName);
    if (group === undefined) throw streamNoKeyOrGroup(key, groupName);

    if (start === undefined || end === undefined) {
      const size = group.pel.size;
      if (size === 0) return [0, NULL, NULL, NULL_ARRAY];
      const owners: Reply[] = [];
      for (const c of sortedConsumers(group)) {
        if (c.pel.size !== 0) owners.push([c.name, String(c.pel.size)]);
      }
      return [
        size,
        group.pel.firstKey()!.toString(),
        group.pel.lastKey()!.toString(),
        owners,
      ];
    }
    let pel = group.pel;
    if (consumerName !== undefined) {
      const consumer = group.consumers.get(consumerName);
      if (consumer === undefined) return EMPTY_ARRAY;
      pel = consumer.pel;
    }
    const now = ctx.server.clock.now();
    const out: Reply[] = [];
    const last = end;
    pel.forEachFrom(start, (id, nack) => {
      if (count === 0 || compareIds(id, last) > 0) return false;
      const idle = now - nack.deliveryTime;
      if (minIdle !== 0 && idle < minIdle) return;
      out.push([
        id.toString(),
        nack.consumer!.name,
        idle < 0 ? 0 : idle,
        nack.deliveryCount,
      ]);
      count--;
    });
    return out;
  },
});
