/**
 * StreamEntries: the entries of a stream, ordered by ID, in nodes laid out
 * the way Redis 7.0 lays out its listpacks.
 *
 * Redis keeps a stream as a radix tree of listpacks ("nodes"). That layout
 * is observable: approximate trimming (`MAXLEN ~`, `MINID ~`) only removes
 * whole nodes, XINFO STREAM reports the number of nodes and radix tree
 * nodes, and a node is closed when it reaches `stream-node-max-entries`
 * entries or `stream-node-max-bytes` bytes. So this structure keeps the
 * same nodes: the same entries per node, deleted entries left in place as
 * tombstones, and an exact count of each node's listpack size in bytes.
 *
 * Per node, IDs, flags and offsets live in one `Uint32Array` (six words per
 * entry), and fields and values in one flat array of latin1 strings.
 * An entry with the same field names as the node's first entry stores only
 * its values, as Redis does. Lookups are binary searches over nodes, then
 * inside a node: O(log n).
 *
 * @module
 */
import { parseIntNumber } from "../../util/number.ts";
import {
  arrayBytes,
  grownCapacity,
  stringBytes,
  TYPED_ARRAY,
} from "../memory.ts";
import { compareIds, StreamId } from "./stream_id.ts";

// A StreamNode object, and a StreamId (store/memory.ts).
const NODE_OBJECT = 120;
const STREAM_ID = 56;

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

// Words per entry in StreamNode.words: the ID's four words, the entry's
// offset in `data`, its flags. One array, so a node costs one allocation
// per growth step (typed array allocations dominated XADD's profile).
const STRIDE = 6;
const START = 4;
const FLAGS = 5;
// Initial capacity of a node after the first (see append).
const FULL_NODE = 128;

/** The largest listpack Redis builds for a stream node (STREAM_LISTPACK_MAX_SIZE). */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
// Listpack header (total bytes + element count) and end marker.
const LP_EMPTY_BYTES = 7;

/** Node size limits (`stream-node-max-bytes`, `stream-node-max-entries`). */
export interface NodeLimits {
  readonly maxBytes: number;
  readonly maxEntries: number;
}

/** One entry of a node being loaded (see StreamEntries.loadNode). */
export interface LoadedEntry {
  readonly id: StreamId;
  /** A tombstone (STREAM_ITEM_FLAG_DELETED). */
  readonly deleted: boolean;
  /** Has the master entry's fields (STREAM_ITEM_FLAG_SAMEFIELDS). */
  readonly sameFields: boolean;
  /** Values only when `sameFields`, else fields and values alternating. */
  readonly items: string[];
}

/** How to trim (XTRIM, XADD MAXLEN/MINID). */
export interface TrimOptions {
  readonly strategy: "maxlen" | "minid";
  /** MAXLEN threshold. */
  readonly maxlen?: number;
  /** MINID threshold. */
  readonly minid?: StreamId;
  /** `~`: only whole nodes are removed. */
  readonly approx: boolean;
  /** Most entries to remove (approximate trimming only); 0 for no limit. */
  readonly limit: number;
}

/** Bytes a listpack spends on integer element `v` (encoding plus back length). */
export function lpIntSize(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Bytes a listpack spends on string element `s` (stored as an integer when it is one). */
export function lpStringSize(s: string): number {
  const len = s.length;
  if (len > 0 && len <= 20) {
    const c = s.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45) {
      const v = parseIntNumber(s);
      if (v !== undefined) return lpIntSize(v);
    }
  }
  const enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return enc + backlenSize(enc);
}

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

// Listpack bytes of the 64-bit two's complement difference a - b of two
// unsigned 64-bit values given as words (Redis stores ID deltas that way).
function deltaSize(aHi: number, aLo: number, bHi: number, bLo: number): number {
  let lo = aLo - bLo;
  let borrow = 0;
  if (lo < 0) {
    lo += 4294967296;
    borrow = 1;
  }
  const hi = (aHi - bHi - borrow) | 0; // as int32
  if (hi === 0) return lpIntSize(lo);
  if (hi === -1) return lpIntSize(lo - 4294967296);
  return 10;
}

/**
 * One node as its listpack lays it out, read only (the RDB codec writes
 * the listpack from it).
 */
export interface StreamNodeView {
  /** The node's key: the ID its entries' IDs are relative to. */
  readonly master: StreamId;
  /** The master entry's field names. */
  readonly masterFields: readonly string[];
  /** Entries, tombstones included. */
  readonly size: number;
  /** Live entries (the master entry's count). */
  readonly live: number;
  /** Tombstones (the master entry's deleted count). */
  readonly deleted: number;
  /** The listpack's size in bytes. */
  readonly bytes: number;
  /** ID of entry `i`. */
  idAt(i: number): StreamId;
  /** True if entry `i` is a tombstone. */
  isDeleted(i: number): boolean;
  /** True if entry `i` has the master entry's fields (only its values are stored). */
  sameFields(i: number): boolean;
  /**
   * The listpack items of entry `i` between its ID and its count: its
   * values when `sameFields(i)`, else its fields and values alternating.
   */
  itemsAt(i: number): string[];
}

/** One node: what Redis keeps in one listpack. */
class StreamNode implements StreamNodeView {
  /** The node's key in the radix tree: the ID of its first entry. */
  readonly master: StreamId;
  readonly masterFields: string[];
  /** STRIDE words per entry: ID words, offset in `data`, flags. */
  words: Uint32Array;
  data: string[] = [];
  /** Entries, tombstones included. */
  size = 0;
  /** Live entries (the listpack's `count`). */
  live = 0;
  /** Tombstones (the listpack's `deleted`). */
  deleted = 0;
  /** The listpack's size in bytes. */
  bytes = 0;
  /** Bytes of the strings in `data` and `masterFields` (memory accounting). */
  strBytes = 0;
  /** Capacity of `data` (memory accounting). */
  dataCap = 0;

  constructor(master: StreamId, masterFields: string[], capacity: number) {
    this.master = master;
    this.masterFields = masterFields;
    this.words = new Uint32Array(capacity * STRIDE);
    for (const f of masterFields) this.strBytes += stringBytes(f.length);
  }

  /** Bytes of V8 heap (and array buffers) the node uses (store/memory.ts). */
  heapBytes(): number {
    return NODE_OBJECT + STREAM_ID + TYPED_ARRAY + this.words.byteLength +
      arrayBytes(this.dataCap) + arrayBytes(this.masterFields.length) +
      this.strBytes;
  }

  /** Entries `words` has room for. */
  get capacity(): number {
    return this.words.length / STRIDE;
  }

  /** Drops spare capacity once the node is closed (Redis's lpShrinkToFit). */
  shrink(): void {
    if (this.size === this.capacity) return;
    this.words = this.words.slice(0, this.size * STRIDE);
  }

  /**
   * Makes room for more entries: four times as many, but no more than a
   * node may hold (`maxEntries`, 0 for no limit), so a node filled by count
   * needs no shrinking when it closes.
   */
  grow(maxEntries: number): void {
    let cap = Math.max(this.capacity * 4, 8);
    if (maxEntries > this.size && cap > maxEntries) cap = maxEntries;
    const words = new Uint32Array(cap * STRIDE);
    words.set(this.words);
    this.words = words;
  }

  #start(i: number): number {
    return this.words[i * STRIDE + START]!;
  }

  #end(i: number): number {
    return i + 1 < this.size ? this.#start(i + 1) : this.data.length;
  }

  #flags(i: number): number {
    return this.words[i * STRIDE + FLAGS]!;
  }

  /** ID of entry `i`. */
  idAt(i: number): StreamId {
    const ids = this.words;
    const p = i * STRIDE;
    return new StreamId(ids[p]!, ids[p + 1]!, ids[p + 2]!, ids[p + 3]!);
  }

  /** Compares entry `i`'s ID with `id`. */
  compareAt(i: number, id: StreamId): number {
    const ids = this.words;
    const p = i * STRIDE;
    let d = ids[p]! - id.msHi;
    if (d !== 0) return d;
    d = ids[p + 1]! - id.msLo;
    if (d !== 0) return d;
    d = ids[p + 2]! - id.seqHi;
    if (d !== 0) return d;
    return ids[p + 3]! - id.seqLo;
  }

  /** Index of the first entry with an ID >= `id` (`size` if none). */
  lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareAt(mid, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Fields and values of entry `i`, as a flat array. */
  fieldsAt(i: number): string[] {
    const start = this.#start(i);
    const data = this.data;
    if ((this.#flags(i) & FLAG_SAMEFIELDS) === 0) {
      return data.slice(start, this.#end(i));
    }
    const names = this.masterFields;
    const out = new Array<string>(names.length * 2);
    for (let j = 0; j < names.length; j++) {
      out[2 * j] = names[j]!;
      out[2 * j + 1] = data[start + j]!;
    }
    return out;
  }

  /** Number of field-value pairs of entry `i`. */
  pairsAt(i: number): number {
    if ((this.#flags(i) & FLAG_SAMEFIELDS) !== 0) {
      return this.masterFields.length;
    }
    return (this.#end(i) - this.#start(i)) / 2;
  }

  /**
   * Marks entry `i` deleted and updates the counters, as Redis does. The
   * fields and values stay: Redis's listpack keeps them, and a save (RDB,
   * DUMP) writes the listpack as it is.
   */
  markDeleted(i: number): void {
    this.words[i * STRIDE + FLAGS] = this.#flags(i) | FLAG_DELETED;
    this.bytes += lpIntSize(this.live - 1) - lpIntSize(this.live) +
      lpIntSize(this.deleted + 1) - lpIntSize(this.deleted);
    this.live--;
    this.deleted++;
  }

  isDeleted(i: number): boolean {
    return (this.#flags(i) & FLAG_DELETED) !== 0;
  }

  sameFields(i: number): boolean {
    return (this.#flags(i) & FLAG_SAMEFIELDS) !== 0;
  }

  itemsAt(i: number): string[] {
    return this.data.slice(this.#start(i), this.#end(i));
  }

  /** Appends an entry as a listpack holds it (RDB load). */
  load(id: StreamId, deleted: boolean, same: boolean, items: string[]): void {
    if (this.size === this.capacity) this.grow(0);
    const words = this.words;
    const p = this.size * STRIDE;
    words[p] = id.msHi;
    words[p + 1] = id.msLo;
    words[p + 2] = id.seqHi;
    words[p + 3] = id.seqLo;
    words[p + START] = this.data.length;
    words[p + FLAGS] = (deleted ? FLAG_DELETED : 0) |
      (same ? FLAG_SAMEFIELDS : 0);
    for (let j = 0; j < items.length; j++) {
      const v = items[j]!;
      this.data.push(v);
      this.strBytes += stringBytes(v.length);
    }
    this.dataCap = grownCapacity(this.dataCap, this.data.length);
    this.size++;
    if (deleted) this.deleted++;
    else this.live++;
  }

  clone(): StreamNode {
    const n = new StreamNode(this.master, this.masterFields, 0);
    n.words = this.words.slice();
    n.data = this.data.slice();
    n.size = this.size;
    n.live = this.live;
    n.deleted = this.deleted;
    n.bytes = this.bytes;
    n.strBytes = this.strBytes;
    n.dataCap = n.data.length;
    return n;
  }
}

/** The entries of one stream. */
export class StreamEntries {
  #nodes: StreamNode[] = [];
  /** Number of live entries. */
  length = 0;
  // Bytes of the nodes (store/memory.ts).
  #heap = 0;

  /** Bytes of V8 heap (and array buffers) the entries use, in O(1). */
  get heapBytes(): number {
    return this.#heap + arrayBytes(grownCapacity(0, this.#nodes.length));
  }

  /** Number of nodes (XINFO STREAM `radix-tree-keys`). */
  get nodeCount(): number {
    return this.#nodes.length;
  }

  /**
   * Appends an entry with an ID greater than every ID in the stream. Its
   * fields and values are `argv[start..]`, alternating.
   */
  append(
    id: StreamId,
    argv: readonly string[],
    start: number,
    limits: NodeLimits,
  ): void {
    const numFields = (argv.length - start) / 2;
    let node = this.#nodes[this.#nodes.length - 1];
    const last = node;
    const before = last === undefined ? 0 : last.heapBytes();
    if (node !== undefined) {
      let totelelen = 0;
      for (let i = start; i < argv.length; i++) totelelen += argv[i]!.length;
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) {
        maxBytes = STREAM_LISTPACK_MAX_SIZE;
      }
      if (
        node.bytes + totelelen >= maxBytes ||
        (limits.maxEntries !== 0 &&
          node.live + node.deleted >= limits.maxEntries)
      ) {
        node.shrink();
        node = undefined;
      }
    }
    let same = false;
    if (node === undefined) {
      const fields = new Array<string>(numFields);
      let bytes = LP_EMPTY_BYTES + lpIntSize(0) + lpIntSize(0) +
        lpIntSize(numFields) + lpIntSize(0);
      for (let i = 0; i < numFields; i++) {
        fields[i] = argv[start + 2 * i]!;
        bytes += lpStringSize(fields[i]!);
      }
      // A stream's first node starts small (most streams are short); once a
      // node has filled up, the next one is likely to fill too, so it gets
      // its full size at once.
      const max = limits.maxEntries;
      let cap = last === undefined ? 8 : FULL_NODE;
      if (max > 0 && max < cap) cap = max;
      node = new StreamNode(id, fields, cap);
      node.bytes = bytes;
      this.#nodes.push(node);
      same = true;
    } else {
      const names = node.masterFields;
      if (names.length === numFields) {
        same = true;
        for (let i = 0; i < numFields; i++) {
          if (names[i] !== argv[start + 2 * i]) {
            same = false;
            break;
          }
        }
      }
    }
    if (node.size === node.capacity) node.grow(limits.maxEntries);
    const words = node.words;
    const p = node.size * STRIDE;
    words[p] = id.msHi;
    words[p + 1] = id.msLo;
    words[p + 2] = id.seqHi;
    words[p + 3] = id.seqLo;
    words[p + START] = node.data.length;
    words[p + FLAGS] = same ? FLAG_SAMEFIELDS : 0;
    const m = node.master;
    let bytes = lpIntSize(same ? FLAG_SAMEFIELDS : 0) +
      deltaSize(id.msHi, id.msLo, m.msHi, m.msLo) +
      deltaSize(id.seqHi, id.seqLo, m.seqHi, m.seqLo);
    const data = node.data;
    if (same) {
      for (let j = start + 1; j < argv.length; j += 2) {
        const v = argv[j]!;
        data.push(v);
        bytes += lpStringSize(v);
      }
      bytes += lpIntSize(numFields + 3);
    } else {
      for (let j = start; j < argv.length; j++) {
        const v = argv[j]!;
        data.push(v);
        bytes += lpStringSize(v);
      }
      bytes += lpIntSize(numFields) + lpIntSize(numFields * 2 + 4);
    }
    bytes += lpIntSize(node.live + 1) - lpIntSize(node.live);
    node.bytes += bytes;
    node.size++;
    node.live++;
    this.length++;
    for (let j = same ? start + 1 : start; j < argv.length; j += same ? 2 : 1) {
      node.strBytes += stringBytes(argv[j]!.length);
    }
    node.dataCap = grownCapacity(node.dataCap, data.length);
    let after = node.heapBytes();
    if (node !== last && last !== undefined) after += last.heapBytes();
    this.#heap += after - before;
  }

  // Index of the last node whose master ID is <= id, or -1.
  #nodeAtOrBefore(id: StreamId): number {
    const nodes = this.#nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(nodes[mid]!.master, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  // Node and index of the entry (live or not) with exactly this ID.
  #find(id: StreamId): [StreamNode, number] | undefined {
    const n = this.#nodeAtOrBefore(id);
    if (n < 0) return undefined;
    const node = this.#nodes[n]!;
    const i = node.lowerBound(id);
    if (i < node.size && node.compareAt(i, id) === 0) return [node, i];
    return undefined;
  }

  /** True if a live entry has this ID. */
  has(id: StreamId): boolean {
    const found = this.#find(id);
    return found !== undefined && !found[0].isDeleted(found[1]);
  }

  /** Fields and values of the live entry with this ID, or undefined. */
  get(id: StreamId): string[] | undefined {
    const found = this.#find(id);
    if (found === undefined || found[0].isDeleted(found[1])) return undefined;
    return found[0].fieldsAt(found[1]);
  }

  /** Deletes the entry with this ID (XDEL). Returns false if there is none. */
  delete(id: StreamId): boolean {
    const n = this.#nodeAtOrBefore(id);
    if (n < 0) return false;
    const node = this.#nodes[n]!;
    const i = node.lowerBound(id);
    if (i >= node.size || node.compareAt(i, id) !== 0 || node.isDeleted(i)) {
      return false;
    }
    const before = node.heapBytes();
    if (node.live === 1) {
      // The last live entry of a node takes the whole node with it.
      this.#nodes.splice(n, 1);
      this.#heap -= before;
    } else {
      node.markDeleted(i);
      this.#heap += node.heapBytes() - before;
    }
    this.length--;
    return true;
  }

  /**
   * The first (or last) entry's ID, tombstones included unless
   * `skipTombstones`; undefined when there is none.
   */
  edgeId(first: boolean, skipTombstones: boolean): StreamId | undefined {
    const nodes = this.#nodes;
    if (first) {
      for (const node of nodes) {
        for (let i = 0; i < node.size; i++) {
          if (!skipTombstones || !node.isDeleted(i)) return node.idAt(i);
        }
      }
    } else {
      for (let n = nodes.length - 1; n >= 0; n--) {
        const node = nodes[n]!;
        for (let i = node.size - 1; i >= 0; i--) {
          if (!skipTombstones || !node.isDeleted(i)) return node.idAt(i);
        }
      }
    }
    return undefined;
  }

  /** Trims as XTRIM does. Returns the number of entries removed. */
  trim(opts: TrimOptions): number {
    const nodes = this.#nodes;
    const maxlen = opts.maxlen ?? 0;
    const minid = opts.minid;
    const byLength = opts.strategy === "maxlen";
    let removed = 0;
    let dropped = 0; // whole nodes removed from the front
    while (dropped < nodes.length) {
      if (byLength && this.length <= maxlen) break;
      const node = nodes[dropped]!;
      const entries = node.live;
      if (opts.limit !== 0 && removed + entries > opts.limit) break;
      const removeNode = byLength
        ? this.length - entries >= maxlen
        : node.compareAt(node.size - 1, minid!) < 0;
      if (removeNode) {
        dropped++;
        this.length -= entries;
        removed += entries;
        this.#heap -= node.heapBytes();
        continue;
      }
      if (opts.approx) break;
      // Mark entries deleted inside this node, then stop.
      const before = node.heapBytes();
      for (let i = 0; i < node.size; i++) {
        const stop = byLength
          ? this.length <= maxlen
          : node.compareAt(i, minid!) >= 0;
        if (stop) break;
        if (!node.isDeleted(i)) {
          node.markDeleted(i);
          this.length--;
          removed++;
        }
      }
      this.#heap += node.heapBytes() - before;
      break;
    }
    if (dropped > 0) nodes.splice(0, dropped);
    return removed;
  }

  /** A cursor over live entries with IDs in [start, end], forward or backward. */
  cursor(start: StreamId, end: StreamId, rev = false): EntryCursor {
    return new EntryCursor(this.#nodes, start, end, rev);
  }

  /**
   * Number of nodes of the radix tree Redis would hold for these nodes
   * (XINFO STREAM `radix-tree-nodes`): a compressed trie over the 16-byte
   * big-endian master IDs, in the canonical shape Redis's rax keeps.
   */
  radixTreeNodes(): number {
    const keys = this.#nodes.map((n) => n.master);
    if (keys.length === 0) return 1;
    return raxNodes(keys, 0, keys.length, 0);
  }

  /** An independent copy. */
  clone(): StreamEntries {
    const copy = new StreamEntries();
    copy.#nodes = this.#nodes.map((n) => n.clone());
    copy.length = this.length;
    for (const n of copy.#nodes) copy.#heap += n.heapBytes();
    return copy;
  }

  /** The nodes in ID order (RDB save). */
  nodes(): readonly StreamNodeView[] {
    return this.#nodes;
  }

  /**
   * Appends a node rebuilt from a listpack (RDB load): `master` is its key,
   * greater than every ID in the stream; `bytes` the listpack's size.
   * `entries` are its entries in ID order, tombstones included: ID, flags
   * (tombstone, same fields) and items as `StreamNodeView.itemsAt` gives
   * them.
   */
  loadNode(
    master: StreamId,
    masterFields: string[],
    bytes: number,
    entries: readonly LoadedEntry[],
  ): void {
    const node = new StreamNode(master, masterFields, entries.length);
    for (const e of entries) node.load(e.id, e.deleted, e.sameFields, e.items);
    node.bytes = bytes;
    this.#nodes.push(node);
    this.length += node.live;
    this.#heap += node.heapBytes();
  }

  /** Per-node sizes, for tests: [live, deleted, bytes]. */
  nodeStats(): [number, number, number][] {
    return this.#nodes.map((n) => [n.live, n.deleted, n.bytes]);
  }
}

function keyByte(id: StreamId, pos: number): number {
  const word = pos < 4
    ? id.msHi
    : pos < 8
    ? id.msLo
    : pos < 12
    ? id.seqHi
    : id.seqLo;
  return (word >>> (8 * (3 - (pos & 3)))) & 0xff;
}

function raxNodes(
  keys: readonly StreamId[],
  lo: number,
  hi: number,
  depth: number,
): number {
  if (hi - lo === 1) return depth === 16 ? 1 : 2;
  const first = keys[lo]!;
  const last = keys[hi - 1]!;
  let c = depth;
  while (c < 16 && keyByte(first, c) === keyByte(last, c)) c++;
  let n = c > depth ? 2 : 1; // a chain down to the branch, then the branch
  let g = lo;
  while (g < hi) {
    const b = keyByte(keys[g]!, c);
    let e = g + 1;
    while (e < hi && keyByte(keys[e]!, c) === b) e++;
    n += raxNodes(keys, g, e, c + 1);
    g = e;
  }
  return n;
}

/** Walks live entries in an ID range. Call `next()` before reading. */
export class EntryCursor {
  readonly #nodes: readonly StreamNode[];
  readonly #end: StreamId;
  readonly #rev: boolean;
  #n: number;
  #i: number;
  #node: StreamNode | undefined;
  #done = false;

  constructor(
    nodes: readonly StreamNode[],
    start: StreamId,
    end: StreamId,
    rev: boolean,
  ) {
    this.#nodes = nodes;
    this.#rev = rev;
    // Forward: from `start` up to `end`. Backward: from `end` down to `start`.
    this.#end = rev ? start : end;
    const from = rev ? end : start;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(nodes[mid]!.master, from) <= 0) lo = mid + 1;
      else hi = mid;
    }
    let n = lo - 1;
    if (!rev) {
      if (n < 0) n = 0;
      const node = nodes[n];
      this.#n = n;
      this.#i = node === undefined ? 0 : node.lowerBound(from) - 1;
    } else {
      this.#n = n;
      const node = nodes[n];
      if (node === undefined) {
        this.#i = 0;
      } else {
        // One past the last entry <= from.
        let i = node.lowerBound(from);
        if (i < node.size && node.compareAt(i, from) === 0) i++;
        this.#i = i;
      }
    }
    this.#node = nodes[this.#n];
  }

  /** Moves to the next live entry in range; false when there is none. */
  next(): boolean {
    if (this.#done) return false;
    const nodes = this.#nodes;
    for (;;) {
      const node = this.#node;
      if (node === undefined) {
        this.#done = true;
        return false;
      }
      if (!this.#rev) {
        this.#i++;
        if (this.#i >= node.size) {
          this.#n++;
          this.#node = nodes[this.#n];
          this.#i = -1;
          continue;
        }
        if (node.compareAt(this.#i, this.#end) > 0) {
          this.#done = true;
          return false;
        }
      } else {
        this.#i--;
        if (this.#i < 0) {
          this.#n--;
          this.#node = this.#n >= 0 ? nodes[this.#n] : undefined;
          this.#i = this.#node === undefined ? 0 : this.#node.size;
          continue;
        }
        if (node.compareAt(this.#i, this.#end) < 0) {
          this.#done = true;
          return false;
        }
      }
      if (!node.isDeleted(this.#i)) return true;
    }
  }

  /** The current entry's ID. */
  id(): StreamId {
    return this.#node!.idAt(this.#i);
  }

  /** The current entry's fields and values, alternating. */
  fields(): string[] {
    return this.#node!.fieldsAt(this.#i);
  }

  /** Number of field-value pairs of the current entry. */
  pairs(): number {
    return this.#node!.pairsAt(this.#i);
  }
}
