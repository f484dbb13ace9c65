/**
 * Streams in RDB files: RDB_TYPE_STREAM_LISTPACKS (15, Redis 5-6),
 * _LISTPACKS_2 (19, Redis 7.0, what we write) and _LISTPACKS_3 (21, Redis
 * 7.2, which adds each consumer's active time).
 *
 * Layout: the number of nodes; per node its key (the master ID as 16
 * big-endian bytes) and its listpack, both as RDB strings; the length and
 * last ID; for 19 and up the first ID, the largest deleted ID and the
 * number of entries ever added; then the consumer groups, sorted by name:
 * name, last delivered ID, (19+) entries read, the group's PEL (raw 16-byte
 * IDs, delivery time in ms, delivery count) and its consumers (name, seen
 * time, (21) active time, and the IDs of the consumer's own PEL).
 *
 * A node's listpack holds a master entry (live count, deleted count, the
 * number of master fields, the field names, a 0 terminator), then each
 * entry, tombstones included: flags, the ID as differences from the master
 * ID, then either only the values (when the entry has the master's fields)
 * or the field count and fields and values, and last the number of
 * listpack items the entry took. The store keeps the same nodes, so the
 * listpacks written here are byte for byte the ones Redis 7.0 would write
 * for the same XADD/XDEL/XTRIM history (DUMP payloads included).
 *
 * @module
 */
import {
  createConsumer,
  type Nack,
  sortedConsumers,
  StreamValue,
} from "../../store/stream_value.ts";
import type {
  LoadedEntry,
  StreamNodeView,
} from "../../store/structures/stream_entries.ts";
import {
  compareIds,
  MAX_ID,
  MIN_ID,
  StreamId,
} from "../../store/structures/stream_id.ts";
import { type ByteReader, type ByteWriter, RdbFormatError } from "./bytes.ts";
import {
  ListpackBuilder,
  ListpackIterator,
  validateListpack,
} from "./listpack.ts";

/** RDB_TYPE_STREAM_LISTPACKS (Redis 5 and 6). */
export const RDB_TYPE_STREAM_LISTPACKS = 15;
/** RDB_TYPE_STREAM_LISTPACKS_2 (Redis 7.0: first ID, max deleted ID, entries added, entries read). */
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
/** RDB_TYPE_STREAM_LISTPACKS_3 (Redis 7.2: consumers' active time). */
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;

/** What reading a stream needs (a subset of RdbReadOptions). */
export interface StreamReadOptions {
  /** sanitize-dump-payload yes: validate every listpack entry. */
  readonly deep?: boolean;
}

// What writing a stream needs: nothing beyond the writer (a subset of
// RdbWriteOptions, which sets the writer's compression).
type StreamWriteOptions = object;

const TWO32 = 4294967296;
const STREAM_ITEM_FLAG_DELETED = 1;
const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

// An ID from 16 big-endian bytes (a node key or a PEL entry).
function idFromBytes(b: Uint8Array, at = 0): StreamId {
  const word = (p: number) =>
    ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  return new StreamId(word(at), word(at + 4), word(at + 8), word(at + 12));
}

function idToBytes(id: StreamId, out = new Uint8Array(16)): Uint8Array {
  const words = [id.msHi, id.msLo, id.seqHi, id.seqLo];
  for (let i = 0; i < 4; i++) {
    const w = words[i]!;
    out[4 * i] = w >>> 24;
    out[4 * i + 1] = (w >>> 16) & 0xff;
    out[4 * i + 2] = (w >>> 8) & 0xff;
    out[4 * i + 3] = w & 0xff;
  }
  return out;
}

// An unsigned 64-bit RDB length as two 32-bit words.
function readU64(r: ByteReader): [number, number] {
  const v = r.lengthBig();
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

function readId(r: ByteReader): StreamId {
  const [msHi, msLo] = readU64(r);
  const [seqHi, seqLo] = readU64(r);
  return new StreamId(msHi, msLo, seqHi, seqLo);
}

function writeU64(w: ByteWriter, hi: number, lo: number): void {
  if (hi === 0) w.length(lo);
  else w.lengthBig((BigInt(hi) << 32n) | BigInt(lo));
}

function writeId(w: ByteWriter, id: StreamId): void {
  writeU64(w, id.msHi, id.msLo);
  writeU64(w, id.seqHi, id.seqLo);
}

// (hi, lo) + delta modulo 2^64, as words.
function addDelta(
  hi: number,
  lo: number,
  delta: number | bigint,
): [number, number] {
  if (typeof delta === "number") {
    let sum = lo + delta;
    const carry = Math.floor(sum / TWO32);
    sum -= carry * TWO32;
    let h = (hi + carry) % TWO32;
    if (h < 0) h += TWO32;
    return [h, sum];
  }
  const v = BigInt.asUintN(64, ((BigInt(hi) << 32n) | BigInt(lo)) + delta);
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

// (aHi, aLo) - (bHi, bLo) as a signed 64-bit value, the way Redis stores
// an ID part relative to the master ID (uint64 difference cast to int64).
function delta(
  aHi: number,
  aLo: number,
  bHi: number,
  bLo: number,
): number | bigint {
  let lo = aLo - bLo;
  let borrow = 0;
  if (lo < 0) {
    lo += TWO32;
    borrow = 1;
  }
  const hi = (aHi - bHi - borrow) | 0;
  if (hi === 0) return lo;
  if (hi === -1) return lo - TWO32;
  return BigInt.asIntN(
    64,
    ((BigInt(aHi) << 32n) | BigInt(aLo)) -
      ((BigInt(bHi) << 32n) | BigInt(bLo)),
  );
}

// The next listpack item as a signed 64-bit integer, exact.
function nextInt64(it: ListpackIterator): number | bigint {
  const v = it.nextBigInt();
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

// The next listpack item as a count: a non-negative integer no larger than
// `max`.
function nextCount(it: ListpackIterator, max: number, at: number): number {
  const v = it.nextInt();
  if (!(v >= 0 && v <= max)) {
    throw new RdbFormatError("Stream listpack: bad count", at);
  }
  return v;
}

// Rebuilds the node stored under `master` from its listpack, appending it
// to `value`'s entries. `after` is the last ID of the previous node.
function loadNode(
  value: StreamValue,
  master: StreamId,
  lp: Uint8Array,
  at: number,
  after: StreamId | undefined,
): StreamId {
  const fail = (message: string): never => {
    throw new RdbFormatError(`Stream listpack: ${message}`, at);
  };
  const it = new ListpackIterator(lp);
  const max = lp.length; // no count can exceed the items the bytes hold
  if (!it.hasNext()) fail("empty listpack inside stream");
  const live = nextCount(it, max, at);
  const deleted = nextCount(it, max, at);
  const numFields = nextCount(it, max, at);
  const masterFields = new Array<string>(numFields);
  for (let i = 0; i < numFields; i++) masterFields[i] = it.next();
  if (it.nextInt() !== 0) fail("bad master entry terminator");
  const entries: LoadedEntry[] = [];
  let prev = after;
  let nLive = 0;
  while (it.hasNext()) {
    const flags = it.nextInt();
    const msDelta = nextInt64(it);
    const seqDelta = nextInt64(it);
    const [msHi, msLo] = addDelta(master.msHi, master.msLo, msDelta);
    const [seqHi, seqLo] = addDelta(master.seqHi, master.seqLo, seqDelta);
    const id = new StreamId(msHi, msLo, seqHi, seqLo);
    if (
      (prev !== undefined && compareIds(id, prev) <= 0) ||
      compareIds(id, master) < 0
    ) {
      fail("entry IDs out of order");
    }
    prev = id;
    const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
    let items: string[];
    let pieces: number;
    if (same) {
      items = new Array<string>(numFields);
      for (let i = 0; i < numFields; i++) items[i] = it.next();
      pieces = numFields + 3;
    } else {
      const n = nextCount(it, max, at);
      items = new Array<string>(2 * n);
      for (let i = 0; i < 2 * n; i++) items[i] = it.next();
      pieces = 2 * n + 4;
    }
    if (it.nextInt() !== pieces) fail("bad entry item count");
    const isDeleted = (flags & STREAM_ITEM_FLAG_DELETED) !== 0;
    if (!isDeleted) nLive++;
    entries.push({ id, deleted: isDeleted, sameFields: same, items });
  }
  if (entries.length === 0) fail("node without entries");
  if (nLive !== live || entries.length - nLive !== deleted) {
    fail("entry counts do not match the master entry");
  }
  value.entries.loadNode(master, masterFields, lp.length, entries);
  return prev!;
}

/**
 * Reads the payload of a stream of RDB type `type` (15, 19 or 21). Throws
 * RdbFormatError when it is malformed or inconsistent.
 */
export function readStream(
  r: ByteReader,
  type: number,
  opts: StreamReadOptions,
): StreamValue {
  const deep = opts.deep ?? false;
  const value = new StreamValue();
  const nodes = r.length();
  let last: StreamId | undefined;
  for (let n = 0; n < nodes; n++) {
    const keyAt = r.offset;
    const key = r.blob();
    if (key.length !== 16) {
      r.fail("Stream node key entry is not the size of a stream ID", keyAt);
    }
    const master = idFromBytes(key);
    const lpAt = r.offset;
    const lp = r.blob();
    if (!validateListpack(lp, deep)) {
      r.fail("Stream listpack integrity check failed", lpAt);
    }
    if (last !== undefined && compareIds(master, last) <= 0) {
      r.fail("Stream node keys out of order", keyAt);
    }
    last = loadNode(value, master, lp, lpAt, last);
  }
  const lengthAt = r.offset;
  const length = r.lengthBig();
  if (length !== BigInt(value.entries.length)) {
    r.fail("Stream length inconsistent with its entries", lengthAt);
  }
  value.lastId = readId(r);
  if (last !== undefined && compareIds(last, value.lastId) > 0) {
    r.fail("Stream last ID below its entries", lengthAt);
  }
  if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
    value.firstId = readId(r);
    value.maxDeletedId = readId(r);
    value.entriesAdded = r.lengthBig();
  } else {
    // Redis 5/6 files: what Redis's loader derives (streamGetEdgeID gives
    // the largest ID when there are no entries).
    value.maxDeletedId = MIN_ID;
    value.entriesAdded = length;
    value.firstId = value.entries.edgeId(true, true) ?? MAX_ID;
  }
  const groups = r.length();
  for (let g = 0; g < groups; g++) readGroup(r, type, value);
  return value;
}

function readGroup(r: ByteReader, type: number, value: StreamValue): void {
  const at = r.offset;
  const name = r.string();
  const lastId = readId(r);
  const entriesRead = type >= RDB_TYPE_STREAM_LISTPACKS_2
    ? BigInt.asIntN(64, r.lengthBig())
    : value.estimateDistance(lastId);
  const group = value.createGroup(name, lastId, entriesRead);
  if (group === undefined) r.fail("Duplicated consumer group name", at);
  const pelSize = r.length();
  for (let i = 0; i < pelSize; i++) {
    const idAt = r.offset;
    const id = idFromBytes(r.raw(16));
    const deliveryTime = r.millis();
    const count = BigInt.asIntN(64, r.lengthBig());
    const nack: Nack = {
      id,
      deliveryTime,
      deliveryCount: count >= -9007199254740991n && count <= 9007199254740991n
        ? Number(count)
        : count,
      consumer: undefined,
    };
    if (!group.pel.set(id, nack)) {
      r.fail("Duplicated global PEL entry loading stream consumer group", idAt);
    }
  }
  const consumers = r.length();
  for (let c = 0; c < consumers; c++) {
    const nameAt = r.offset;
    const cname = r.string();
    const seenTime = r.millis();
    // Redis 7.2's active time: 7.0 keeps only the seen time.
    if (type >= RDB_TYPE_STREAM_LISTPACKS_3) r.millis();
    const consumer = createConsumer(group, cname, seenTime);
    if (consumer === undefined) {
      r.fail("Duplicate stream consumer detected", nameAt);
    }
    const n = r.length();
    for (let i = 0; i < n; i++) {
      const idAt = r.offset;
      const id = idFromBytes(r.raw(16));
      const nack = group.pel.get(id);
      if (nack === undefined) {
        r.fail("Consumer entry not found in group global PEL", idAt);
      }
      nack.consumer = consumer;
      if (!consumer.pel.set(id, nack)) {
        r.fail(
          "Duplicated consumer PEL entry loading a stream consumer group",
          idAt,
        );
      }
    }
  }
  // Every pending entry needs an owner: the commands rely on it. (Redis
  // checks this only with deep sanitization, and may crash later without.)
  let orphan = false;
  group.pel.forEachFrom(undefined, (_id, nack) => {
    if (nack.consumer === undefined) orphan = true;
    return !orphan;
  });
  if (orphan) r.fail("Stream CG PEL entry without consumer", at);
}

// The listpack of one node, as Redis builds it.
function nodeListpack(node: StreamNodeView): Uint8Array {
  const lp = new ListpackBuilder(node.bytes);
  lp.appendInt(node.live);
  lp.appendInt(node.deleted);
  const fields = node.masterFields;
  lp.appendInt(fields.length);
  for (let i = 0; i < fields.length; i++) lp.append(fields[i]!);
  lp.appendInt(0);
  const m = node.master;
  for (let i = 0; i < node.size; i++) {
    const same = node.sameFields(i);
    lp.appendInt(
      (node.isDeleted(i) ? STREAM_ITEM_FLAG_DELETED : 0) |
        (same ? STREAM_ITEM_FLAG_SAMEFIELDS : 0),
    );
    const id = node.idAt(i);
    lp.appendInt(delta(id.msHi, id.msLo, m.msHi, m.msLo));
    lp.appendInt(delta(id.seqHi, id.seqLo, m.seqHi, m.seqLo));
    const items = node.itemsAt(i);
    if (!same) lp.appendInt(items.length / 2);
    for (let j = 0; j < items.length; j++) lp.append(items[j]!);
    lp.appendInt(same ? items.length + 3 : items.length + 4);
  }
  return lp.finish();
}

/**
 * Writes `value` as the payload of RDB type 19 (RDB_TYPE_STREAM_LISTPACKS_2),
 * exactly as Redis 7.0 does.
 */
export function writeStream(
  w: ByteWriter,
  value: StreamValue,
  _opts: StreamWriteOptions,
): void {
  const nodes = value.entries.nodes();
  w.length(nodes.length);
  const key = new Uint8Array(16);
  for (const node of nodes) {
    w.blob(idToBytes(node.master, key));
    w.blob(nodeListpack(node));
  }
  w.length(value.length);
  writeId(w, value.lastId);
  writeId(w, value.firstId);
  writeId(w, value.maxDeletedId);
  w.lengthBig(BigInt.asUintN(64, value.entriesAdded));
  const groups = value.sortedGroups();
  w.length(groups.length);
  for (const group of groups) {
    w.string(group.name);
    writeId(w, group.lastId);
    w.lengthBig(BigInt.asUintN(64, group.entriesRead));
    w.length(group.pel.size);
    group.pel.forEachFrom(undefined, (id, nack) => {
      w.raw(idToBytes(id, key));
      w.millis(nack.deliveryTime);
      w.lengthBig(BigInt.asUintN(64, BigInt(nack.deliveryCount)));
    });
    const consumers = sortedConsumers(group);
    w.length(consumers.length);
    for (const consumer of consumers) {
      w.string(consumer.name);
      w.millis(consumer.seenTime);
      w.length(consumer.pel.size);
      consumer.pel.forEachFrom(undefined, (id) => {
        w.raw(idToBytes(id, key));
      });
    }
  }
}
