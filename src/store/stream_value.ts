/**
 * StreamValue: the value of a Redis stream key: its entries, the metadata
 * Redis 7.0 keeps beside them (last ID, entries added, max deleted ID,
 * first ID), and its consumer groups with their pending entries lists.
 *
 * The consumer group bookkeeping follows Redis 7.0's t_stream.c: a group
 * keeps a logical read counter (`entries-read`) that stays exact while no
 * deletion gets in the way, and is re-estimated (or becomes unknown) when
 * one does.
 *
 * @module
 */
import { IdMap } from "./structures/id_map.ts";
import {
  type NodeLimits,
  StreamEntries,
  type TrimOptions,
} from "./structures/stream_entries.ts";
import { compareIds, MIN_ID, StreamId } from "./structures/stream_id.ts";
import { stringBytes, VALUE_MEMORY, type ValueMemory } from "./memory.ts";
import type { CollectionValue } from "./values.ts";

// An empty stream: the StreamValue and StreamEntries objects and the IDs
// it holds, with its accounting state (store/memory.ts).
const STREAM_OBJECT = 180 + VALUE_MEMORY;
// A consumer group, a consumer (each with its PEL and maps), a pending
// entry in a group's PEL (the Nack, its ID and slots), and in a
// consumer's PEL (slots).
const GROUP_OBJECT = 400;
const CONSUMER_OBJECT = 300;
const GROUP_PEL_ENTRY = 160;
const CONSUMER_PEL_ENTRY = 20;

/** The `entries-read` of a group whose counter is unknown (SCG_INVALID_ENTRIES_READ). */
export const INVALID_ENTRIES_READ = -1n;

/** A pending entry: delivered to a consumer and not acknowledged yet. */
export interface Nack {
  readonly id: StreamId;
  /** Unix ms of the last delivery. */
  deliveryTime: number;
  /** Number of deliveries; a bigint only beyond 2^53 (RETRYCOUNT can set anything). */
  deliveryCount: number | bigint;
  /** Owner; undefined only transiently while XCLAIM FORCE creates it. */
  consumer: Consumer | undefined;
}

/** A consumer of a group. */
export interface Consumer {
  readonly name: string;
  /** Unix ms of the last interaction (XINFO `seen-time`, `idle`). */
  seenTime: number;
  /** Its own pending entries (shared with the group's PEL). */
  readonly pel: IdMap<Nack>;
}

/** A consumer group. */
export interface ConsumerGroup {
  readonly name: string;
  lastId: StreamId;
  /** Logical read counter, or INVALID_ENTRIES_READ. */
  entriesRead: bigint;
  readonly pel: IdMap<Nack>;
  readonly consumers: Map<string, Consumer>;
}

/** Adds one to a delivery count, wrapping at 2^64 and printing as int64 like Redis. */
export function incrDeliveryCount(n: number | bigint): number | bigint {
  if (typeof n === "number" && n < Number.MAX_SAFE_INTEGER) return n + 1;
  const v = BigInt(n) + 1n;
  return BigInt.asIntN(64, v);
}

/** A stream value. */
export class StreamValue implements CollectionValue {
  entries: StreamEntries = new StreamEntries();
  /** The ID of the last entry ever added (or set with XSETID). */
  lastId: StreamId = MIN_ID;
  /** The first live entry's ID, 0-0 when empty (XINFO `recorded-first-entry-id`). */
  firstId: StreamId = MIN_ID;
  /** The largest ID ever deleted with XDEL (or set with XSETID). */
  maxDeletedId: StreamId = MIN_ID;
  /** Entries ever added. */
  entriesAdded = 0n;
  /** Consumer groups by name; created on first use. */
  groups: Map<string, ConsumerGroup> | undefined;
  /** Memory accounting state, kept by the keyspace (store/memory.ts). */
  mem: ValueMemory | undefined;

  /**
   * Bytes of memory the stream uses: O(1) for the entries, plus O(1) per
   * consumer group and consumer.
   */
  get bytes(): number {
    let bytes = STREAM_OBJECT + this.entries.heapBytes;
    if (this.groups !== undefined) {
      for (const g of this.groups.values()) {
        bytes += GROUP_OBJECT + stringBytes(g.name.length) +
          GROUP_PEL_ENTRY * g.pel.size;
        for (const c of g.consumers.values()) {
          bytes += CONSUMER_OBJECT + stringBytes(c.name.length) +
            CONSUMER_PEL_ENTRY * c.pel.size;
        }
      }
    }
    return bytes;
  }

  /** The Redis type name. */
  get type(): "stream" {
    return "stream";
  }

  /** What OBJECT ENCODING prints. */
  encoding(): string {
    return "stream";
  }

  /** Number of live entries. */
  get length(): number {
    return this.entries.length;
  }

  /** Appends an entry whose ID is greater than `lastId`. */
  append(
    id: StreamId,
    argv: readonly string[],
    start: number,
    limits: NodeLimits,
  ): void {
    this.entries.append(id, argv, start, limits);
    this.lastId = id;
    this.entriesAdded++;
    if (this.entries.length === 1) this.firstId = id;
  }

  /** Trims (XTRIM, XADD MAXLEN/MINID); returns the number of entries removed. */
  trim(opts: TrimOptions): number {
    const removed = this.entries.trim(opts);
    if (removed > 0) this.#refreshFirstId();
    return removed;
  }

  #refreshFirstId(): void {
    this.firstId = this.entries.length === 0
      ? MIN_ID
      : this.entries.edgeId(true, true) ?? MIN_ID;
  }

  /** XDEL: deletes entries; returns how many existed. */
  deleteIds(ids: readonly StreamId[]): number {
    let deleted = 0;
    let first = false;
    for (const id of ids) {
      if (!this.entries.delete(id)) continue;
      if (compareIds(id, this.firstId) === 0) first = true;
      if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (this.entries.length === 0) this.firstId = MIN_ID;
      else if (first) this.#refreshFirstId();
    }
    return deleted;
  }

  /** The last live entry's ID, or 0-0 (Redis's streamLastValidID). */
  lastValidId(): StreamId {
    return this.entries.edgeId(false, true) ?? MIN_ID;
  }

  /**
   * True if a tombstone may lie in [start, end] (Redis's
   * streamRangeHasTombstones); `end` undefined means the largest ID.
   */
  rangeHasTombstones(start: StreamId | undefined, end?: StreamId): boolean {
    if (this.entries.length === 0 || this.maxDeletedId.isZero()) return false;
    if (compareIds(this.firstId, this.maxDeletedId) > 0) return false;
    const s = start ?? MIN_ID;
    if (
      compareIds(s, this.maxDeletedId) <= 0 &&
      (end === undefined || compareIds(this.maxDeletedId, end) <= 0)
    ) {
      return true;
    }
    return false;
  }

  /**
   * The logical read counter of `id`: how many entries were added up to it
   * (Redis's streamEstimateDistanceFromFirstEverEntry), or
   * INVALID_ENTRIES_READ when it cannot be known.
   */
  estimateDistance(id: StreamId): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.entries.length === 0 && compareIds(id, this.lastId) < 1) {
      return this.entriesAdded;
    }
    const cmpLast = compareIds(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = compareIds(id, this.firstId);
    if (
      this.maxDeletedId.isZero() ||
      compareIds(this.maxDeletedId, this.firstId) < 0
    ) {
      if (cmpFirst < 0) {
        return this.entriesAdded - BigInt(this.entries.length);
      }
      if (cmpFirst === 0) {
        return this.entriesAdded - BigInt(this.entries.length) + 1n;
      }
    }
    return INVALID_ENTRIES_READ;
  }

  /** A group's lag (XINFO `lag`), or undefined when unknown. */
  groupLag(group: ConsumerGroup): bigint | undefined {
    if (this.entriesAdded === 0n) return 0n;
    if (
      group.entriesRead !== INVALID_ENTRIES_READ &&
      !this.rangeHasTombstones(group.lastId)
    ) {
      return this.entriesAdded - group.entriesRead;
    }
    const read = this.estimateDistance(group.lastId);
    if (read === INVALID_ENTRIES_READ) return undefined;
    return this.entriesAdded - read;
  }

  /**
   * Moves a group's last delivered ID forward to `id` as delivering it does,
   * keeping its read counter (the group part of streamReplyWithRange).
   */
  advanceGroup(group: ConsumerGroup, id: StreamId): void {
    if (compareIds(id, group.lastId) <= 0) return;
    if (
      group.entriesRead !== INVALID_ENTRIES_READ &&
      !this.rangeHasTombstones(id)
    ) {
      group.entriesRead++;
    } else if (this.entriesAdded !== 0n) {
      group.entriesRead = this.estimateDistance(id);
    }
    group.lastId = id;
  }

  /** The group named `name`, or undefined. */
  group(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  /** Creates a group; undefined if the name is taken. */
  createGroup(
    name: string,
    lastId: StreamId,
    entriesRead: bigint,
  ): ConsumerGroup | undefined {
    const groups = this.groups ??= new Map();
    if (groups.has(name)) return undefined;
    const group: ConsumerGroup = {
      name,
      lastId,
      entriesRead,
      pel: new IdMap(),
      consumers: new Map(),
    };
    groups.set(name, group);
    return group;
  }

  /** Removes a group. Returns true if it existed. */
  destroyGroup(name: string): boolean {
    return this.groups?.delete(name) ?? false;
  }

  /** Groups sorted by name, as Redis's radix tree lists them. */
  sortedGroups(): ConsumerGroup[] {
    if (this.groups === undefined) return [];
    return [...this.groups.values()].sort((a, b) => byName(a.name, b.name));
  }

  /** An independent copy, consumer groups included (COPY). */
  clone(): StreamValue {
    const copy = new StreamValue();
    copy.entries = this.entries.clone();
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    if (this.groups !== undefined) {
      copy.groups = new Map();
      for (const g of this.groups.values()) {
        const group = copy.createGroup(g.name, g.lastId, g.entriesRead)!;
        const nacks = new Map<Nack, Nack>();
        g.pel.forEachFrom(undefined, (id, nack) => {
          const n: Nack = {
            id,
            deliveryTime: nack.deliveryTime,
            deliveryCount: nack.deliveryCount,
            consumer: undefined,
          };
          nacks.set(nack, n);
          group.pel.set(id, n);
        });
        for (const c of g.consumers.values()) {
          const consumer = createConsumer(group, c.name, c.seenTime)!;
          c.pel.forEachFrom(undefined, (id, nack) => {
            const n = nacks.get(nack)!;
            n.consumer = consumer;
            consumer.pel.set(id, n);
          });
        }
      }
    }
    return copy;
  }
}

/** Orders names as Redis's radix trees do (bytewise). */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Consumers of a group sorted by name. */
export function sortedConsumers(group: ConsumerGroup): Consumer[] {
  return [...group.consumers.values()].sort((a, b) => byName(a.name, b.name));
}

/** Creates a consumer; undefined if the name is taken. */
export function createConsumer(
  group: ConsumerGroup,
  name: string,
  now: number,
): Consumer | undefined {
  if (group.consumers.has(name)) return undefined;
  const consumer: Consumer = { name, seenTime: now, pel: new IdMap() };
  group.consumers.set(name, consumer);
  return consumer;
}

/** Removes a consumer and its pending entries from the group's PEL. */
export function deleteConsumer(
  group: ConsumerGroup,
  consumer: Consumer,
): void {
  consumer.pel.forEachFrom(undefined, (id) => {
    group.pel.delete(id);
  });
  group.consumers.delete(consumer.name);
}
