/**
 * Helpers shared by the stream commands: typed lookups, ID arguments with
 * Redis's exact parsing rules, entry replies, node limits, and the
 * commands Redis propagates for consumer group changes.
 *
 * @module
 */
import { invalidStreamId, streamInvalidInterval } from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import type { NodeLimits } from "../../store/structures/stream_entries.ts";
import {
  type ParsedId,
  parseStreamId,
  type StreamId,
} from "../../store/structures/stream_id.ts";
import type {
  ConsumerGroup,
  Nack,
  StreamValue,
} from "../../store/stream_value.ts";
import type { Context } from "../types.ts";

/** The stream at `key` for reading, or undefined; WRONGTYPE for other types. */
export function streamForRead(
  ctx: Context,
  key: string,
): StreamValue | undefined {
  return ctx.db.getCollection<StreamValue>(key, "stream");
}

/** The stream at `key` for writing, or undefined; WRONGTYPE for other types. */
export function streamForWrite(
  ctx: Context,
  key: string,
): StreamValue | undefined {
  return ctx.db.getCollectionForWrite<StreamValue>(key, "stream");
}

/** The node limits from `stream-node-max-bytes` and `stream-node-max-entries`. */
export function nodeLimits(ctx: Context): NodeLimits {
  const e = ctx.server.encoding;
  return { maxBytes: e.streamNodeMaxBytes, maxEntries: e.streamNodeMaxEntries };
}

/** Parses an ID where `-` and `+` are not allowed (Redis's strict parsing). */
export function strictId(text: string): StreamId {
  const parsed = parseStreamId(text, { strict: true });
  if (parsed === undefined) throw invalidStreamId();
  return parsed.id;
}

/** Parses an ID where `-` and `+` mean the smallest and largest IDs. */
export function anyId(text: string, missingSeqMax = false): StreamId {
  const parsed = parseStreamId(text, { missingSeqMax });
  if (parsed === undefined) throw invalidStreamId();
  return parsed.id;
}

/** Parses an XADD ID (strict, `<ms>-*` allowed). */
export function xaddId(text: string): ParsedId {
  const parsed = parseStreamId(text, { strict: true, seqStar: true });
  if (parsed === undefined) throw invalidStreamId();
  return parsed;
}

/**
 * Parses the start of an interval (XRANGE, XPENDING, XAUTOCLAIM): `(id`
 * is exclusive and moves to the next ID.
 */
export function intervalStart(text: string): StreamId {
  if (text.length > 1 && text.charCodeAt(0) === 40) {
    const id = strictId(text.slice(1));
    const next = id.next();
    if (next === undefined) throw streamInvalidInterval("start");
    return next;
  }
  return anyId(text);
}

/** Parses the end of an interval: a missing sequence means the largest; `(id` is exclusive. */
export function intervalEnd(text: string): StreamId {
  if (text.length > 1 && text.charCodeAt(0) === 40) {
    const parsed = parseStreamId(text.slice(1), {
      strict: true,
      missingSeqMax: true,
    });
    if (parsed === undefined) throw invalidStreamId();
    const prev = parsed.id.prev();
    if (prev === undefined) throw streamInvalidInterval("end");
    return prev;
  }
  return anyId(text, true);
}

/**
 * Entries with IDs in [start, end] (backward from `end` when `rev`), at
 * most `count` of them (0: all).
 */
export function rangeReply(
  stream: StreamValue,
  start: StreamId,
  end: StreamId,
  count: number,
  rev: boolean,
): Reply[] {
  const out: Reply[] = [];
  const cursor = stream.entries.cursor(start, end, rev);
  while (cursor.next()) {
    out.push([cursor.id().toString(), cursor.fields()]);
    if (count !== 0 && out.length === count) break;
  }
  return out;
}

/**
 * The XCLAIM Redis propagates for a pending entry (streamPropagateXCLAIM):
 * idempotent, with the absolute delivery time, count and group last ID.
 */
export function xclaimArgv(
  key: string,
  group: ConsumerGroup,
  groupName: string,
  idArg: string,
  nack: Nack,
): string[] {
  return [
    "XCLAIM",
    key,
    groupName,
    nack.consumer!.name,
    "0",
    idArg,
    "TIME",
    String(nack.deliveryTime),
    "RETRYCOUNT",
    String(nack.deliveryCount),
    "FORCE",
    "JUSTID",
    "LASTID",
    group.lastId.toString(),
  ];
}

/** The XGROUP SETID Redis propagates after moving a group's last ID (streamPropagateGroupID). */
export function setIdArgv(
  key: string,
  group: ConsumerGroup,
  groupName: string,
): string[] {
  return [
    "XGROUP",
    "SETID",
    key,
    groupName,
    group.lastId.toString(),
    "ENTRIESREAD",
    String(group.entriesRead),
  ];
}

/** The XGROUP CREATECONSUMER Redis propagates (streamPropagateConsumerCreation). */
export function createConsumerArgv(
  key: string,
  groupName: string,
  consumer: string,
): string[] {
  return ["XGROUP", "CREATECONSUMER", key, groupName, consumer];
}
