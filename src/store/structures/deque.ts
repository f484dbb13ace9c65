/**
 * Deque: a double-ended queue with O(1) push and pop at both ends, O(1)
 * access by index, and no large copies as it grows.
 *
 * Small deques (up to `CHUNK` elements) are a ring buffer whose capacity
 * doubles as needed, so a three-element list costs one small array. Past
 * that, elements live in fixed-size chunks of `CHUNK` slots held by a ring
 * of chunks (C++'s `std::deque` layout): every chunk is full except the
 * first and the last, so element `i` is found with a shift and a mask.
 * Growing allocates one chunk at a time and, rarely, copies the small ring
 * of chunk pointers; it never copies elements, so a push costs the same on
 * a list of ten million elements as on an empty one.
 *
 * Insertions and removals in the middle move the elements on the shorter
 * side, like Redis's quicklist they cost O(N) in the worst case.
 *
 * @module
 */

const SHIFT = 7;
/** Slots per chunk once the deque is chunked (and the small ring's largest capacity). */
export const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
const MIN_RING = 4;

// Emptied chunks are kept for reuse, so a queue that pushes and pops across
// a chunk boundary does not allocate each time. They are all-undefined.
const POOL_MAX = 64;
const pool: unknown[][] = [];

function newChunk<T>(): (T | undefined)[] {
  return (pool.pop() as (T | undefined)[] | undefined) ??
    new Array<T | undefined>(CHUNK).fill(undefined);
}

function releaseChunk(chunk: unknown[], dirty: boolean): void {
  if (pool.length >= POOL_MAX) return;
  if (dirty) chunk.fill(undefined);
  pool.push(chunk);
}

/** A double-ended queue of `T` (never `undefined`). */
export class Deque<T> {
  #len = 0;
  // Small mode: index of the first element in #ring. Chunked mode: offset
  // of the first element in the first chunk.
  #head = 0;
  // Small mode storage, a power-of-two ring; undefined in chunked mode.
  #ring: (T | undefined)[] | undefined;
  // Chunked mode: a power-of-two ring of chunks, #dirLen of them in use
  // starting at #dirHead.
  #dir: (T | undefined)[][] | undefined;
  #dirHead = 0;
  #dirLen = 0;

  /** A deque holding `items` in order. */
  constructor(items?: readonly T[]) {
    if (items === undefined || items.length === 0) {
      this.#ring = new Array<T | undefined>(MIN_RING).fill(undefined);
      return;
    }
    if (items.length <= CHUNK) {
      let cap = MIN_RING;
      while (cap < items.length) cap *= 2;
      const ring = new Array<T | undefined>(cap).fill(undefined);
      for (let i = 0; i < items.length; i++) ring[i] = items[i];
      this.#ring = ring;
      this.#len = items.length;
      return;
    }
    this.#ring = new Array<T | undefined>(MIN_RING).fill(undefined);
    for (let i = 0; i < items.length; i++) this.pushBack(items[i]!);
  }

  /** Number of elements. */
  get length(): number {
    return this.#len;
  }

  /** The element at index `i` (0 ≤ i < length; not checked). */
  at(i: number): T {
    const ring = this.#ring;
    if (ring !== undefined) {
      return ring[(this.#head + i) & (ring.length - 1)] as T;
    }
    const g = this.#head + i;
    const dir = this.#dir!;
    return dir[(this.#dirHead + (g >>> SHIFT)) & (dir.length - 1)]![
      g & MASK
    ] as T;
  }

  /** Replaces the element at index `i` (0 ≤ i < length; not checked). */
  set(i: number, value: T): void {
    const ring = this.#ring;
    if (ring !== undefined) {
      ring[(this.#head + i) & (ring.length - 1)] = value;
      return;
    }
    const g = this.#head + i;
    const dir = this.#dir!;
    dir[(this.#dirHead + (g >>> SHIFT)) & (dir.length - 1)]![g & MASK] = value;
  }

  /** The first element, or undefined when empty. */
  first(): T | undefined {
    return this.#len === 0 ? undefined : this.at(0);
  }

  /** The last element, or undefined when empty. */
  last(): T | undefined {
    return this.#len === 0 ? undefined : this.at(this.#len - 1);
  }

  /** Adds `value` at the end. */
  pushBack(value: T): void {
    const ring = this.#ring;
    if (ring !== undefined) {
      if (this.#len < ring.length) {
        ring[(this.#head + this.#len) & (ring.length - 1)] = value;
        this.#len++;
        return;
      }
      if (ring.length < CHUNK) {
        this.#growRing();
        this.#ring![this.#len++] = value;
        return;
      }
      this.#toChunks();
    }
    const g = this.#head + this.#len;
    const c = g >>> SHIFT;
    if (c === this.#dirLen) this.#addChunkBack();
    const dir = this.#dir!;
    dir[(this.#dirHead + c) & (dir.length - 1)]![g & MASK] = value;
    this.#len++;
  }

  /** Adds `value` at the front. */
  pushFront(value: T): void {
    const ring = this.#ring;
    if (ring !== undefined) {
      if (this.#len === ring.length) {
        if (ring.length < CHUNK) {
          this.#growRing();
        } else {
          this.#toChunks();
          this.pushFront(value);
          return;
        }
      }
      const r = this.#ring!;
      this.#head = (this.#head - 1) & (r.length - 1);
      r[this.#head] = value;
      this.#len++;
      return;
    }
    if (this.#head === 0) {
      this.#addChunkFront();
      this.#head = CHUNK;
    }
    this.#head--;
    this.#dir![this.#dirHead]![this.#head] = value;
    this.#len++;
  }

  /** Removes and returns the first element, or undefined when empty. */
  popFront(): T | undefined {
    if (this.#len === 0) return undefined;
    const ring = this.#ring;
    if (ring !== undefined) {
      const v = ring[this.#head] as T;
      ring[this.#head] = undefined;
      this.#head = (this.#head + 1) & (ring.length - 1);
      this.#len--;
      return v;
    }
    const dir = this.#dir!;
    const chunk = dir[this.#dirHead]!;
    const v = chunk[this.#head] as T;
    chunk[this.#head] = undefined;
    this.#head++;
    this.#len--;
    if (this.#len === 0) {
      this.clear();
    } else if (this.#head === CHUNK) {
      dir[this.#dirHead] = undefined!;
      releaseChunk(chunk, false);
      this.#dirHead = (this.#dirHead + 1) & (dir.length - 1);
      this.#dirLen--;
      this.#head = 0;
    }
    return v;
  }

  /** Removes and returns the last element, or undefined when empty. */
  popBack(): T | undefined {
    if (this.#len === 0) return undefined;
    const ring = this.#ring;
    if (ring !== undefined) {
      const i = (this.#head + this.#len - 1) & (ring.length - 1);
      const v = ring[i] as T;
      ring[i] = undefined;
      this.#len--;
      return v;
    }
    const dir = this.#dir!;
    const g = this.#head + this.#len - 1;
    const slot = (this.#dirHead + (g >>> SHIFT)) & (dir.length - 1);
    const chunk = dir[slot]!;
    const v = chunk[g & MASK] as T;
    chunk[g & MASK] = undefined;
    this.#len--;
    if (this.#len === 0) {
      this.clear();
    } else if ((g & MASK) === 0) {
      dir[slot] = undefined!;
      releaseChunk(chunk, false);
      this.#dirLen--;
    }
    return v;
  }

  /** Inserts `value` so that it ends up at index `i` (0 ≤ i ≤ length). */
  insert(i: number, value: T): void {
    const len = this.#len;
    if (i <= 0) return this.pushFront(value);
    if (i >= len) return this.pushBack(value);
    if (i < len / 2) {
      // Move the i elements before the gap one step to the front.
      this.pushFront(this.at(0));
      for (let k = 1; k < i; k++) this.set(k, this.at(k + 1));
    } else {
      // Move the elements from i on one step to the back.
      this.pushBack(this.at(len - 1));
      for (let k = len - 1; k > i; k--) this.set(k, this.at(k - 1));
    }
    this.set(i, value);
  }

  /** Removes the element at index `i` (0 ≤ i < length; not checked). */
  removeAt(i: number): void {
    const len = this.#len;
    if (i < len / 2) {
      for (let k = i; k > 0; k--) this.set(k, this.at(k - 1));
      this.popFront();
    } else {
      for (let k = i; k < len - 1; k++) this.set(k, this.at(k + 1));
      this.popBack();
    }
  }

  /**
   * Removes the elements at `indexes` (ascending, distinct, in range) in
   * one pass, moving only the elements on the cheaper side.
   */
  removeIndexes(indexes: readonly number[]): void {
    const n = indexes.length;
    if (n === 0) return;
    if (n === 1) return this.removeAt(indexes[0]!);
    const len = this.#len;
    const lo = indexes[0]!;
    const hi = indexes[n - 1]!;
    if (len - lo <= hi + 1) {
      // Close the gaps towards the front, then drop the tail.
      let w = lo;
      let next = 0;
      for (let r = lo; r < len; r++) {
        if (next < n && indexes[next] === r) {
          next++;
          continue;
        }
        this.set(w++, this.at(r));
      }
      this.dropBack(len - w);
    } else {
      // Close the gaps towards the back, then drop the head.
      let w = hi;
      let next = n - 1;
      for (let r = hi; r >= 0; r--) {
        if (next >= 0 && indexes[next] === r) {
          next--;
          continue;
        }
        this.set(w--, this.at(r));
      }
      this.dropFront(w + 1);
    }
  }

  /** Removes the first `n` elements (all of them if `n` ≥ length). */
  dropFront(n: number): void {
    if (n <= 0) return;
    if (n >= this.#len) return this.clear();
    const ring = this.#ring;
    if (ring !== undefined) {
      const mask = ring.length - 1;
      for (let k = 0; k < n; k++) ring[(this.#head + k) & mask] = undefined;
      this.#head = (this.#head + n) & mask;
      this.#len -= n;
      return;
    }
    const dir = this.#dir!;
    const dmask = dir.length - 1;
    const g = this.#head + n;
    const drop = g >>> SHIFT;
    for (let d = 0; d < drop; d++) {
      const slot = (this.#dirHead + d) & dmask;
      releaseChunk(dir[slot]!, true);
      dir[slot] = undefined!;
    }
    this.#dirHead = (this.#dirHead + drop) & dmask;
    this.#dirLen -= drop;
    const head = g & MASK;
    dir[this.#dirHead]!.fill(undefined, 0, head);
    this.#head = head;
    this.#len -= n;
  }

  /** Removes the last `n` elements (all of them if `n` ≥ length). */
  dropBack(n: number): void {
    if (n <= 0) return;
    if (n >= this.#len) return this.clear();
    const ring = this.#ring;
    const newLen = this.#len - n;
    if (ring !== undefined) {
      const mask = ring.length - 1;
      for (let k = newLen; k < this.#len; k++) {
        ring[(this.#head + k) & mask] = undefined;
      }
      this.#len = newLen;
      return;
    }
    const dir = this.#dir!;
    const dmask = dir.length - 1;
    const lastG = this.#head + newLen - 1;
    const keep = (lastG >>> SHIFT) + 1;
    for (let d = keep; d < this.#dirLen; d++) {
      const slot = (this.#dirHead + d) & dmask;
      releaseChunk(dir[slot]!, true);
      dir[slot] = undefined!;
    }
    this.#dirLen = keep;
    dir[(this.#dirHead + keep - 1) & dmask]!.fill(
      undefined,
      (lastG & MASK) + 1,
    );
    this.#len = newLen;
  }

  /** Removes every element. */
  clear(): void {
    const dir = this.#dir;
    if (dir !== undefined) {
      for (let d = 0; d < this.#dirLen; d++) {
        releaseChunk(dir[(this.#dirHead + d) & (dir.length - 1)]!, true);
      }
      this.#dir = undefined;
      this.#dirHead = 0;
      this.#dirLen = 0;
    }
    this.#ring = new Array<T | undefined>(MIN_RING).fill(undefined);
    this.#head = 0;
    this.#len = 0;
  }

  /**
   * The `count` elements from index `start` (in range; not checked), in
   * order, or last to first when `reverse`.
   */
  slice(start: number, count: number, reverse = false): T[] {
    const out = new Array<T>(count);
    const ring = this.#ring;
    if (ring !== undefined) {
      const mask = ring.length - 1;
      const base = this.#head + start;
      if (reverse) {
        for (let k = 0; k < count; k++) {
          out[count - 1 - k] = ring[(base + k) & mask] as T;
        }
      } else {
        for (let k = 0; k < count; k++) out[k] = ring[(base + k) & mask] as T;
      }
      return out;
    }
    const dir = this.#dir!;
    const dmask = dir.length - 1;
    const g = this.#head + start;
    let c = this.#dirHead + (g >>> SHIFT);
    let chunk = dir[c & dmask]!;
    let off = g & MASK;
    for (let k = 0; k < count; k++) {
      out[reverse ? count - 1 - k : k] = chunk[off] as T;
      if (++off === CHUNK && k + 1 < count) {
        chunk = dir[++c & dmask]!;
        off = 0;
      }
    }
    return out;
  }

  /** Every element, in order. */
  toArray(): T[] {
    return this.slice(0, this.#len);
  }

  /**
   * Calls `fn` on elements from index `start`, towards the back (or the
   * front when `reverse`), until it returns true. Returns the index where
   * it stopped, or -1.
   */
  scan(
    start: number,
    reverse: boolean,
    fn: (value: T, index: number) => boolean | void,
  ): number {
    const len = this.#len;
    if (reverse) {
      for (let i = start; i >= 0; i--) if (fn(this.at(i), i) === true) return i;
      return -1;
    }
    const ring = this.#ring;
    if (ring !== undefined) {
      const mask = ring.length - 1;
      for (let i = start; i < len; i++) {
        if (fn(ring[(this.#head + i) & mask] as T, i) === true) return i;
      }
      return -1;
    }
    if (start >= len) return -1;
    const dir = this.#dir!;
    const dmask = dir.length - 1;
    const g = this.#head + start;
    let c = this.#dirHead + (g >>> SHIFT);
    let chunk = dir[c & dmask]!;
    let off = g & MASK;
    for (let i = start; i < len; i++) {
      if (fn(chunk[off] as T, i) === true) return i;
      if (++off === CHUNK && i + 1 < len) {
        chunk = dir[++c & dmask]!;
        off = 0;
      }
    }
    return -1;
  }

  /** An independent copy. */
  clone(): Deque<T> {
    return this.copyTo(new Deque<T>());
  }

  /** Makes `target` (an empty deque, or a subclass instance) an independent copy of this one. */
  copyTo<D extends Deque<T>>(target: D): D {
    target.#len = this.#len;
    target.#head = this.#head;
    if (this.#ring !== undefined) {
      target.#ring = this.#ring.slice();
      target.#dir = undefined;
      target.#dirHead = 0;
      target.#dirLen = 0;
      return target;
    }
    const dir = this.#dir!;
    const cap = dir.length;
    const copyDir = new Array<(T | undefined)[]>(cap);
    for (let d = 0; d < this.#dirLen; d++) {
      copyDir[d] = dir[(this.#dirHead + d) & (cap - 1)]!.slice();
    }
    target.#ring = undefined;
    target.#dir = copyDir;
    target.#dirHead = 0;
    target.#dirLen = this.#dirLen;
    return target;
  }

  /** Number of chunks in use (0 while the deque is a small ring). */
  get chunkCount(): number {
    return this.#dirLen;
  }

  /**
   * Slots allocated for elements and chunk pointers (memory accounting):
   * the small ring's capacity, or the chunks in use and the ring of chunks.
   */
  get allocatedSlots(): number {
    const ring = this.#ring;
    if (ring !== undefined) return ring.length;
    return this.#dirLen * CHUNK + this.#dir!.length;
  }

  #growRing(): void {
    const ring = this.#ring!;
    const cap = ring.length;
    const next = new Array<T | undefined>(cap * 2).fill(undefined);
    for (let k = 0; k < this.#len; k++) {
      next[k] = ring[(this.#head + k) & (cap - 1)];
    }
    this.#ring = next;
    this.#head = 0;
  }

  // The full small ring (CHUNK elements) becomes the first chunk.
  #toChunks(): void {
    const ring = this.#ring!;
    const chunk = newChunk<T>();
    for (let k = 0; k < this.#len; k++) {
      chunk[k] = ring[(this.#head + k) & (ring.length - 1)];
    }
    const dir = new Array<(T | undefined)[]>(4);
    dir[0] = chunk;
    this.#dir = dir;
    this.#dirHead = 0;
    this.#dirLen = 1;
    this.#ring = undefined;
    this.#head = 0;
  }

  #growDir(): void {
    const dir = this.#dir!;
    const cap = dir.length;
    const next = new Array<(T | undefined)[]>(cap * 2);
    for (let d = 0; d < this.#dirLen; d++) {
      next[d] = dir[(this.#dirHead + d) & (cap - 1)]!;
    }
    this.#dir = next;
    this.#dirHead = 0;
  }

  #addChunkBack(): void {
    if (this.#dirLen === this.#dir!.length) this.#growDir();
    const dir = this.#dir!;
    dir[(this.#dirHead + this.#dirLen) & (dir.length - 1)] = newChunk<T>();
    this.#dirLen++;
  }

  #addChunkFront(): void {
    if (this.#dirLen === this.#dir!.length) this.#growDir();
    const dir = this.#dir!;
    this.#dirHead = (this.#dirHead - 1) & (dir.length - 1);
    dir[this.#dirHead] = newChunk<T>();
    this.#dirLen++;
  }
}
