/**
 * XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
 * XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds]
 *   [NOACK] STREAMS key [key ...] id [id ...]
 *
 * Both follow Redis 7.0's xreadCommand. A client that blocks keeps, beside
 * its argv, the IDs it waits to pass (`$` resolved when it blocked, `>`
 * resolved to the group's last ID each time a key is served); when a key
 * gets data the handler runs again and serves that key only, as Redis's
 * serveClientsBlockedOnStreamKey does.
 *
 * @module
 */
import {
  notInteger,
  syntaxError,
  xreadGreaterThanId,
  xreadgroupDollar,
  xreadgroupGroupGone,
  xreadgroupMissingGroup,
  xreadgroupNoGroup,
  xreadGroupOnlyOption,
  xreadUnbalanced,
} from "../../errors.ts";
import { CommandError } from "../../errors.ts";
import { map, NULL_ARRAY } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import { NOTIFY_STREAM } from "../../state.ts";
import {
  compareIds,
  MAX_ID,
  MIN_ID,
  type StreamId,
} from "../../store/structures/stream_id.ts";
import {
  type Consumer,
  type ConsumerGroup,
  createConsumer,
  incrDeliveryCount,
  type Nack,
  StreamValue,
} from "../../store/stream_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { deadlineFromMillis } from "../blocking.ts";
import { defineCommand, keysAfterKeyword } from "../define.ts";
import type { Context } from "../types.ts";
import {
  createConsumerArgv,
  rangeReply,
  setIdArgv,
  streamForRead,
  strictId,
  xclaimArgv,
} from "./common.ts";
import { DOCS_XREAD, DOCS_XREADGROUP } from "./docs.ts";

/** Entries a blocked read returns at most when it gave no COUNT (XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

/** What a blocked XREAD/XREADGROUP waits for. */
interface BlockedRead {
  readonly keys: readonly string[];
  /** Per key: entries must be greater than this (MAX_ID stands for `>`). */
  readonly ids: StreamId[];
  readonly count: number;
  readonly group: string | undefined;
  readonly consumer: string;
  readonly noack: boolean;
  readonly deadline: number;
}

// Keyed by the argv array the blocked client reruns with.
const blockedReads = new WeakMap<Argv, BlockedRead>();

// RESP2: an array of [key, entries] pairs; RESP3: a map (Redis branches
// on the protocol here too, c->resp == 2).
function streamsReply(ctx: Context, pairs: Reply[]): Reply {
  if (ctx.client.protocol === 3) return map(pairs);
  const out: Reply[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    out.push([pairs[i]!, pairs[i + 1]!]);
  }
  return out;
}

// The consumer that reads: looked up (its seen time refreshed) or created.
function readingConsumer(
  ctx: Context,
  key: string,
  group: ConsumerGroup,
  groupName: string,
  name: string,
  noack: boolean,
): Consumer {
  const now = ctx.server.clock.now();
  const existing = group.consumers.get(name);
  if (existing !== undefined) {
    existing.seenTime = now;
    return existing;
  }
  const consumer = createConsumer(group, name, now)!;
  ctx.notify(NOTIFY_STREAM, "xgroup-createconsumer", key);
  if (noack) {
    // Without NOACK the consumer travels inside the XCLAIMs.
    ctx.propagateAs(createConsumerArgv(key, groupName, name));
    ctx.dirty();
  }
  return consumer;
}

/**
 * Delivers new entries from `start` on to a consumer (Redis's
 * streamReplyWithRange with a group): moves the group's last ID, adds the
 * entries to the pending lists unless NOACK, and propagates that.
 */
function deliver(
  ctx: Context,
  stream: StreamValue,
  group: ConsumerGroup,
  consumer: Consumer,
  opts: { key: string; groupName: string; start: StreamId; count: number },
  noack: boolean,
): Reply[] {
  const out: Reply[] = [];
  const now = ctx.server.clock.now();
  const cursor = stream.entries.cursor(opts.start, MAX_ID, false);
  let propagateLastId = false;
  while (cursor.next()) {
    const id = cursor.id();
    if (compareIds(id, group.lastId) > 0) {
      stream.advanceGroup(group, id);
      if (noack) propagateLastId = true;
    }
    out.push([id.toString(), cursor.fields()]);
    if (!noack) {
      let nack = group.pel.get(id);
      if (nack === undefined) {
        nack = { id, deliveryTime: now, deliveryCount: 1, consumer };
        group.pel.set(id, nack);
      } else {
        // Delivered again (XGROUP SETID moved the group back): it now
        // belongs to this consumer, as a first delivery.
        nack.consumer?.pel.delete(id);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
      }
      consumer.pel.set(id, nack);
      ctx.propagateAs(
        xclaimArgv(opts.key, group, opts.groupName, id.toString(), nack),
      );
      ctx.dirty();
    }
    if (opts.count !== 0 && out.length === opts.count) break;
  }
  if (propagateLastId) {
    ctx.propagateAs(setIdArgv(opts.key, group, opts.groupName));
    ctx.dirty();
  }
  return out;
}

/**
 * A consumer's own pending entries from `start` on (Redis's
 * streamReplyWithRangeFromConsumerPEL); deleted entries come as [id, nil].
 */
function history(
  ctx: Context,
  stream: StreamValue,
  consumer: Consumer,
  start: StreamId,
  count: number,
): Reply[] {
  const now = ctx.server.clock.now();
  const out: Reply[] = [];
  for (const [id, nack] of consumer.pel.entriesFrom(start, count)) {
    const fields = stream.entries.get(id);
    if (fields === undefined) {
      out.push([id.toString(), NULL_ARRAY]);
    } else {
      out.push([id.toString(), fields]);
      updateDelivery(nack, now);
    }
  }
  return out;
}

function updateDelivery(nack: Nack, now: number): void {
  nack.deliveryTime = now;
  nack.deliveryCount = incrDeliveryCount(nack.deliveryCount);
}

function streamAt(ctx: Context, key: string): StreamValue | undefined {
  const v = ctx.db.peek(key);
  return v instanceof StreamValue ? v : undefined;
}

// Redis's serveClientsBlockedOnStreamKey (and, for a stream key that is
// gone, unblockDeletedStreamReadgroupClients), for the key that got ready.
function serveBlocked(ctx: Context, st: BlockedRead): Reply {
  const key = ctx.readyKey;
  const idx = key === undefined ? -1 : st.keys.indexOf(key);
  if (key !== undefined && idx >= 0) {
    const stream = streamAt(ctx, key);
    if (stream === undefined) {
      if (st.group !== undefined) {
        throw new CommandError(
          "UNBLOCKED",
          "the stream key no longer exists",
        );
      }
    } else {
      let gt = st.ids[idx]!;
      let group: ConsumerGroup | undefined;
      if (st.group !== undefined) {
        group = stream.group(st.group);
        if (group === undefined) throw xreadgroupGroupGone();
        gt = st.ids[idx] = group.lastId;
      }
      if (compareIds(stream.lastId, gt) > 0) {
        const start = gt.next()!;
        let entries: Reply[];
        if (group !== undefined) {
          const consumer = readingConsumer(
            ctx,
            key,
            group,
            st.group!,
            st.consumer,
            st.noack,
          );
          entries = deliver(ctx, stream, group, consumer, {
            key,
            groupName: st.group!,
            start,
            count: st.count,
          }, st.noack);
        } else {
          entries = rangeReply(stream, start, MAX_ID, st.count, false);
        }
        blockedReads.delete(ctx.argv);
        return streamsReply(ctx, [key, entries]);
      }
    }
  }
  // Not served: keep waiting, in the same place in line.
  return ctx.block({
    keys: st.keys,
    deadline: st.deadline,
    timeoutReply: NULL_ARRAY,
    readyType: "stream",
  });
}

// Redis's xreadCommand.
function xread(ctx: Context, xreadgroup: boolean): Reply {
  const waiting = blockedReads.get(ctx.argv);
  if (waiting !== undefined && ctx.client.blocked !== undefined) {
    return serveBlocked(ctx, waiting);
  }
  const argv = ctx.argv;
  const argc = argv.length;
  let block = false;
  let deadline = 0;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupName: string | undefined;
  let consumerName = "";
  for (let i = 1; i < argc; i++) {
    const moreargs = argc - i - 1;
    const o = argv[i]!;
    if (eqIgnoreCase(o, "block") && moreargs > 0) {
      i++;
      deadline = deadlineFromMillis(argv[i]!, ctx.server.clock.now());
      block = true;
    } else if (eqIgnoreCase(o, "count") && moreargs > 0) {
      i++;
      const v = parseInt64(argv[i]!);
      if (v === undefined) throw notInteger();
      count = v < 0n ? 0 : Number(v);
    } else if (eqIgnoreCase(o, "streams") && moreargs > 0) {
      streamsArg = i + 1;
      streamsCount = argc - streamsArg;
      if (streamsCount % 2 !== 0) throw xreadUnbalanced();
      streamsCount /= 2;
      break;
    } else if (eqIgnoreCase(o, "group") && moreargs >= 2) {
      if (!xreadgroup) throw xreadGroupOnlyOption("GROUP");
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (eqIgnoreCase(o, "noack")) {
      if (!xreadgroup) throw xreadGroupOnlyOption("NOACK");
      noack = true;
    } else {
      throw syntaxError();
    }
  }
  if (streamsArg === 0) throw syntaxError();
  if (xreadgroup && groupName === undefined) throw xreadgroupMissingGroup();

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  const ids: StreamId[] = [];
  const groups: (ConsumerGroup | undefined)[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i]!;
    const stream = streamForRead(ctx, key);
    let group: ConsumerGroup | undefined;
    if (groupName !== undefined) {
      group = stream?.group(groupName);
      if (group === undefined) throw xreadgroupNoGroup(key, groupName);
    }
    groups.push(group);
    const text = argv[streamsArg + streamsCount + i]!;
    if (text === "$") {
      if (xreadgroup) throw xreadgroupDollar();
      ids.push(stream?.lastId ?? MIN_ID);
    } else if (text === ">") {
      if (!xreadgroup) throw xreadGreaterThanId();
      ids.push(MAX_ID);
    } else {
      ids.push(strictId(text));
    }
  }

  const served: Reply[] = [];
  for (let i = 0; i < streamsCount; i++) {
    const key = keys[i]!;
    const stream = streamForRead(ctx, key);
    if (stream === undefined) continue;
    let gt = ids[i]!;
    const group = groups[i];
    let serve = false;
    let fromHistory = false;
    if (group !== undefined) {
      if (!gt.isMax()) {
        serve = true;
        fromHistory = true;
      } else if (stream.length > 0) {
        if (compareIds(stream.lastValidId(), group.lastId) > 0) {
          serve = true;
          gt = group.lastId;
        }
      }
    } else if (stream.length > 0) {
      serve = compareIds(stream.lastValidId(), gt) > 0;
    }
    if (!serve) continue;
    // Entries strictly after gt (gt is below the last entry, or a history ID).
    const start = gt.next() ?? MAX_ID;
    let entries: Reply[];
    if (group !== undefined) {
      const consumer = readingConsumer(
        ctx,
        key,
        group,
        groupName!,
        consumerName,
        noack,
      );
      entries = fromHistory
        ? history(ctx, stream, consumer, start, count)
        : deliver(ctx, stream, group, consumer, {
          key,
          groupName: groupName!,
          start,
          count,
        }, noack);
    } else {
      entries = rangeReply(stream, start, MAX_ID, count, false);
    }
    served.push(key, entries);
  }
  if (served.length !== 0) return streamsReply(ctx, served);
  if (!block) return NULL_ARRAY;

  const st: BlockedRead = {
    keys,
    ids,
    count: count !== 0 ? count : BLOCKED_DEFAULT_COUNT,
    group: groupName,
    consumer: consumerName,
    noack,
    deadline,
  };
  blockedReads.set(argv, st);
  const r = ctx.block({
    keys,
    deadline,
    timeoutReply: NULL_ARRAY,
    readyType: "stream",
  });
  if (r === NULL_ARRAY) blockedReads.delete(argv);
  return r;
}

/** XREAD: entries after the given IDs from one or more streams; can block. */
export const xreadCommand = defineCommand({
  name: "xread",
  group: "stream",
  summary:
    "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.",
  since: "5.0.0",
  complexity:
    "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
  arity: -4,
  flags: ["readonly", "blocking"],
  acl: ["stream"],
  keys: [
    keysAfterKeyword("STREAMS", 1, "RO ACCESS", {
      range: { lastkey: -1, keystep: 1, limit: 2 },
    }),
  ],
  docs: DOCS_XREAD,
  handler(ctx) {
    return xread(ctx, false);
  },
});

/** XREADGROUP: reads as a consumer of a group: new entries or its own pending ones; can block. */
export const xreadgroup = defineCommand({
  name: "xreadgroup",
  group: "stream",
  summary:
    "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
  since: "5.0.0",
  complexity:
    "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
  arity: -7,
  flags: ["write", "blocking"],
  acl: ["stream"],
  keys: [
    keysAfterKeyword("STREAMS", 4, "RO ACCESS", {
      range: { lastkey: -1, keystep: 1, limit: 2 },
    }),
  ],
  docs: DOCS_XREADGROUP,
  handler(ctx) {
    return xread(ctx, true);
  },
});
