/**
 * IdMap: an ordered map keyed by stream IDs, for consumer group pending
 * entries lists (Redis keeps them in radix trees).
 *
 * Entries live in sorted chunks of at most 128 keys, found by binary
 * search over the chunks' last keys: lookups are O(log n), and inserting or
 * removing moves at most one chunk's worth of slots, wherever it happens.
 * Appending in ID order (the usual case: new deliveries) fills the last
 * chunk.
 *
 * @module
 */
import { compareIds, type StreamId } from "./stream_id.ts";

const CHUNK = 128;

interface Chunk<V> {
  keys: StreamId[];
  values: V[];
}

/** An ordered map from stream IDs to values. */
export class IdMap<V> {
  #chunks: Chunk<V>[] = [];
  #size = 0;

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  // Index of the first chunk whose last key is >= id (chunks.length if none).
  #chunkFor(id: StreamId): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const keys = chunks[mid]!.keys;
      if (compareIds(keys[keys.length - 1]!, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The value for `id`, or undefined. */
  get(id: StreamId): V | undefined {
    const c = this.#chunkFor(id);
    const chunk = this.#chunks[c];
    if (chunk === undefined) return undefined;
    const i = lowerBound(chunk.keys, id);
    return i < chunk.keys.length && compareIds(chunk.keys[i]!, id) === 0
      ? chunk.values[i]
      : undefined;
  }

  /** True if `id` is present. */
  has(id: StreamId): boolean {
    return this.get(id) !== undefined;
  }

  /** Sets `id` to `value`. Returns true if the key was new. */
  set(id: StreamId, value: V): boolean {
    const chunks = this.#chunks;
    let c = this.#chunkFor(id);
    if (c === chunks.length) {
      // Past every key: append to the last chunk.
      c = chunks.length - 1;
      if (c < 0 || chunks[c]!.keys.length >= CHUNK) {
        chunks.push({ keys: [id], values: [value] });
        this.#size++;
        return true;
      }
      chunks[c]!.keys.push(id);
      chunks[c]!.values.push(value);
      this.#size++;
      return true;
    }
    const chunk = chunks[c]!;
    const i = lowerBound(chunk.keys, id);
    if (i < chunk.keys.length && compareIds(chunk.keys[i]!, id) === 0) {
      chunk.values[i] = value;
      return false;
    }
    chunk.keys.splice(i, 0, id);
    chunk.values.splice(i, 0, value);
    this.#size++;
    if (chunk.keys.length > CHUNK) {
      const half = chunk.keys.length >>> 1;
      chunks.splice(c + 1, 0, {
        keys: chunk.keys.splice(half),
        values: chunk.values.splice(half),
      });
    }
    return true;
  }

  /** Removes `id`. Returns true if it was present. */
  delete(id: StreamId): boolean {
    const c = this.#chunkFor(id);
    const chunk = this.#chunks[c];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk.keys, id);
    if (i >= chunk.keys.length || compareIds(chunk.keys[i]!, id) !== 0) {
      return false;
    }
    chunk.keys.splice(i, 1);
    chunk.values.splice(i, 1);
    this.#size--;
    if (chunk.keys.length === 0) this.#chunks.splice(c, 1);
    return true;
  }

  /** The smallest key, or undefined. */
  firstKey(): StreamId | undefined {
    return this.#chunks[0]?.keys[0];
  }

  /** The largest key, or undefined. */
  lastKey(): StreamId | undefined {
    const last = this.#chunks[this.#chunks.length - 1];
    return last?.keys[last.keys.length - 1];
  }

  /**
   * Calls `fn` for each entry with a key >= `start` (every entry when
   * omitted), in order, until it returns false. `fn` must not change the map.
   */
  forEachFrom(
    start: StreamId | undefined,
    fn: (key: StreamId, value: V) => boolean | void,
  ): void {
    const chunks = this.#chunks;
    let c = start === undefined ? 0 : this.#chunkFor(start);
    let i = start === undefined || c >= chunks.length
      ? 0
      : lowerBound(chunks[c]!.keys, start);
    for (; c < chunks.length; c++, i = 0) {
      const { keys, values } = chunks[c]!;
      for (; i < keys.length; i++) {
        if (fn(keys[i]!, values[i]!) === false) return;
      }
    }
  }

  /** Entries with keys >= `start`, in order, at most `count` (0: all). */
  entriesFrom(start: StreamId | undefined, count = 0): [StreamId, V][] {
    const out: [StreamId, V][] = [];
    this.forEachFrom(start, (k, v) => {
      out.push([k, v]);
      return count === 0 || out.length < count;
    });
    return out;
  }

  /** Every value, in key order. */
  values(): V[] {
    const out: V[] = [];
    for (const chunk of this.#chunks) out.push(...chunk.values);
    return out;
  }
}

function lowerBound(keys: readonly StreamId[], id: StreamId): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(keys[mid]!, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
