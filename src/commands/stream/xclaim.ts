/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms]
 *   [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID]
 *   [LASTID lastid]
 * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
 *
 * Both move pending entries to a consumer and are propagated as one
 * idempotent XCLAIM per entry (Redis's streamPropagateXCLAIM), never as
 * the command the client sent.
 *
 * @module
 */
import {
  streamNoKeyOrGroup,
  syntaxError,
  xautoclaimCount,
  xautoclaimCountTooHigh,
  xclaimInvalidArgument,
  xclaimUnknownOption,
} from "../../errors.ts";
import { NULL } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_STREAM } from "../../state.ts";
import { compareIds, type StreamId } from "../../store/structures/stream_id.ts";
import {
  type Consumer,
  type ConsumerGroup,
  createConsumer,
  incrDeliveryCount,
  type Nack,
  type StreamValue,
} from "../../store/stream_value.ts";
import { parseStreamId } from "../../store/structures/stream_id.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import {
  intervalStart,
  setIdArgv,
  streamForRead,
  strictId,
  xclaimArgv,
} from "./common.ts";
import { DOCS_XAUTOCLAIM, DOCS_XCLAIM } from "./docs.ts";

/** The largest allocation jemalloc grants Redis on the reference machine (3 * 2^44 bytes). */
const MAX_TRANSIENT_BYTES = 52776558133248;

function int64(text: string, what: string, command: string): bigint {
  const v = parseInt64(text);
  if (v === undefined) throw xclaimInvalidArgument(what, command);
  return v;
}

// The consumer that claims, looked up (refreshing its seen time) or created
// on the first entry actually claimed.
function claimant(
  ctx: Context,
  group: ConsumerGroup,
  name: string,
  now: number,
): Consumer {
  const existing = group.consumers.get(name);
  if (existing !== undefined) {
    existing.seenTime = now;
    return existing;
  }
  ctx.notify(NOTIFY_STREAM, "xgroup-createconsumer", ctx.argv[1]!);
  return createConsumer(group, name, now)!;
}

// Moves a pending entry to `consumer`.
function transfer(nack: Nack, consumer: Consumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.delete(nack.id);
  consumer.pel.set(nack.id, nack);
  nack.consumer = consumer;
}

// Removes the pending entry of a deleted stream entry.
function dropNack(group: ConsumerGroup, nack: Nack): void {
  group.pel.delete(nack.id);
  nack.consumer?.pel.delete(nack.id);
}

function claimedReply(
  stream: StreamValue,
  id: StreamId,
  justId: boolean,
): Reply {
  if (justId) return id.toString();
  const fields = stream.entries.get(id);
  return fields === undefined ? NULL : [id.toString(), fields];
}

/** XCLAIM: takes over pending entries that have been idle long enough. */
export const xclaim = defineCommand({
  name: "xclaim",
  group: "stream",
  summary:
    "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
  since: "5.0.0",
  complexity:
    "O(log N) with N being the number of messages in the PEL of the consumer group.",
  arity: -6,
  flags: ["write", "fast"],
  acl: ["stream"],
  keys: [keyAt(1, "RW UPDATE")],
  tips: ["nondeterministic_output"],
  docs: DOCS_XCLAIM,
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    const groupName = argv[2]!;
    const stream = streamForRead(ctx, key);
    const group = stream?.group(groupName);
    if (stream === undefined || group === undefined) {
      throw streamNoKeyOrGroup(key, groupName);
    }
    let minIdle = int64(argv[4]!, "min-idle-time", "XCLAIM");
    if (minIdle < 0n) minIdle = 0n;
    // IDs come first; the first word that is not one starts the options.
    let j = 5;
    const ids: StreamId[] = [];
    for (; j < argv.length; j++) {
      const parsed = parseStreamId(argv[j]!, { strict: true });
      if (parsed === undefined) break;
      ids.push(parsed.id);
    }
    const now = ctx.server.clock.now();
    let retryCount = -1n;
    let deliveryTime: number | undefined;
    let force = false;
    let justId = false;
    let lastId: StreamId | undefined;
    for (; j < argv.length; j++) {
      const moreargs = argv.length - 1 - j;
      const opt = argv[j]!;
      if (eqIgnoreCase(opt, "force")) {
        force = true;
      } else if (eqIgnoreCase(opt, "justid")) {
        justId = true;
      } else if (eqIgnoreCase(opt, "idle") && moreargs > 0) {
        j++;
        deliveryTime = now - Number(int64(argv[j]!, "IDLE option", "XCLAIM"));
      } else if (eqIgnoreCase(opt, "time") && moreargs > 0) {
        j++;
        deliveryTime = Number(int64(argv[j]!, "TIME option", "XCLAIM"));
      } else if (eqIgnoreCase(opt, "retrycount") && moreargs > 0) {
        j++;
        retryCount = int64(argv[j]!, "RETRYCOUNT option", "XCLAIM");
      } else if (eqIgnoreCase(opt, "lastid") && moreargs > 0) {
        j++;
        lastId = strictId(argv[j]!);
      } else {
        throw xclaimUnknownOption(opt);
      }
    }
    let propagateLastId = false;
    if (lastId !== undefined && compareIds(lastId, group.lastId) > 0) {
      group.lastId = lastId;
      propagateLastId = true;
    }
    if (deliveryTime === undefined || deliveryTime < 0 || deliveryTime > now) {
      deliveryTime = now;
    }
    const idle = Number(minIdle);
    let consumer: Consumer | undefined;
    const out: Reply[] = [];
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      const idArg = argv[5 + k]!;
      let nack = group.pel.get(id);
      if (!stream.entries.has(id)) {
        // The entry is gone: its pending entry goes too.
        if (nack !== undefined) {
          ctx.propagateAs(xclaimArgv(key, group, groupName, idArg, nack));
          ctx.dirty();
          propagateLastId = false;
          dropNack(group, nack);
        }
        continue;
      }
      if (force && nack === undefined) {
        nack = { id, deliveryTime: now, deliveryCount: 1, consumer: undefined };
        group.pel.set(id, nack);
      }
      if (nack === undefined) continue;
      if (nack.consumer !== undefined && idle !== 0) {
        if (now - nack.deliveryTime < idle) continue;
      }
      consumer ??= claimant(ctx, group, argv[3]!, now);
      nack.deliveryTime = deliveryTime;
      if (retryCount >= 0n) {
        nack.deliveryCount = retryCount <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(retryCount)
          : retryCount;
      } else if (!justId) {
        nack.deliveryCount = incrDeliveryCount(nack.deliveryCount);
      }
      transfer(nack, consumer);
      out.push(claimedReply(stream, id, justId));
      ctx.propagateAs(xclaimArgv(key, group, groupName, idArg, nack));
      ctx.dirty();
      propagateLastId = false;
    }
    if (propagateLastId) {
      ctx.propagateAs(setIdArgv(key, group, groupName));
      ctx.dirty();
    }
    return out;
  },
});

/** XAUTOCLAIM: scans the pending list from a cursor and claims idle entries. */
export const xautoclaim = defineCommand({
  name: "xautoclaim",
  group: "stream",
  summary:
    "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
  since: "6.2.0",
  complexity: "O(1) if COUNT is small.",
  arity: -6,
  flags: ["write", "fast"],
  acl: ["stream"],
  keys: [keyAt(1, "RW DELETE")],
  tips: ["nondeterministic_output"],
  docs: DOCS_XAUTOCLAIM,
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    const groupName = argv[2]!;
    let minIdle = int64(argv[4]!, "min-idle-time", "XAUTOCLAIM");
    if (minIdle < 0n) minIdle = 0n;
    const start = intervalStart(argv[5]!);
    let count = 100;
    let justId = false;
    // LONG_MAX / max(sizeof(streamID), attempts factor)
    const maxCount = 576460752303423487n;
    for (let j = 6; j < argv.length; j++) {
      const moreargs = argv.length - 1 - j;
      const opt = argv[j]!;
      if (eqIgnoreCase(opt, "count") && moreargs > 0) {
        const v = parseInt64(argv[j + 1]!);
        if (v === undefined || v < 1n || v > maxCount) throw xautoclaimCount();
        count = Number(v);
        j++;
      } else if (eqIgnoreCase(opt, "justid")) {
        justId = true;
      } else {
        throw syntaxError();
      }
    }
    const stream = streamForRead(ctx, key);
    const group = stream?.group(groupName);
    if (stream === undefined || group === undefined) {
      throw streamNoKeyOrGroup(key, groupName);
    }
    // Redis allocates COUNT stream IDs up front; on the reference machine
    // (jemalloc, 47-bit address space) more than 48 TiB cannot be had.
    if (count * 16 > MAX_TRANSIENT_BYTES) throw xautoclaimCountTooHigh();
    let attempts = count * 10;
    const now = ctx.server.clock.now();
    const idle = Number(minIdle);
    let consumer: Consumer | undefined;
    const claimed: Reply[] = [];
    const deleted: Reply[] = [];
    // Snapshot the pending entries from the cursor on: at most `attempts`
    // are looked at, plus one more for the next cursor.
    const candidates = group.pel.entriesFrom(start, attempts + 1);
    let next = 0;
    while (attempts-- > 0 && count > 0 && next < candidates.length) {
      const [id, nack] = candidates[next++]!;
      if (!stream.entries.has(id)) {
        ctx.propagateAs(
          xclaimArgv(key, group, groupName, id.toString(), nack),
        );
        ctx.dirty();
        dropNack(group, nack);
        deleted.push(id.toString());
        count--;
        continue;
      }
      if (idle !== 0 && now - nack.deliveryTime < idle) continue;
      consumer ??= claimant(ctx, group, argv[3]!, now);
      nack.deliveryTime = now;
      if (!justId) nack.deliveryCount = incrDeliveryCount(nack.deliveryCount);
      transfer(nack, consumer);
      claimed.push(claimedReply(stream, id, justId));
      count--;
      ctx.propagateAs(xclaimArgv(key, group, groupName, id.toString(), nack));
      ctx.dirty();
    }
    const cursor = candidates[next]?.[0];
    return [cursor === undefined ? "0-0" : cursor.toString(), claimed, deleted];
  },
});
