/**
 * Dict: an open-addressing hash table keyed by latin1 strings.
 *
 * A JavaScript `Map` cannot give what Redis promises: SCAN cursors that
 * survive inserts, deletes and resizes without state on the server, O(1)
 * random entries (RANDOMKEY, SPOP, eviction and expiry sampling), and more
 * than 2^24 entries. This table can, and costs about as little memory.
 *
 * Layout: parallel arrays of keys, values and 30-bit hashes, linear
 * probing, backward-shift deletion (no tombstones). Every entry belongs to
 * a home bucket `hash & mask`; SCAN walks home buckets in Redis's
 * reverse-binary order, so a resize never makes it miss an entry that was
 * present for the whole scan.
 *
 * @module
 */

const MIN_SIZE = 4;
const HASH_MASK = 0x3fffffff;

// A per-process seed so crafted keys cannot force collisions.
const SEED = (Math.random() * 0x7fffffff) | 0;

/**
 * An array of `n` empty slots that holds any value as it is. Filling a new
 * array with `undefined` makes V8 convert its elements, allocating all `n`
 * slots a second time: for the keyspace's 2M-slot tables that was 64 MB of
 * garbage per resize, most of the resident memory a large load left behind.
 * Storing one string instead turns the holes into generic elements in place.
 */
export function emptySlots<T>(n: number): (T | undefined)[] {
  const a = new Array<T | undefined>(n);
  (a as unknown[])[0] = "";
  a[0] = undefined;
  return a;
}

/** A 30-bit hash of a latin1 string. */
export function hashKey(key: string): number {
  let h = SEED ^ key.length;
  const len = key.length;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    h = Math.imul(
      h ^ (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8)),
      0x5bd1e995,
    );
    h ^= h >>> 15;
  }
  if (i < len) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & HASH_MASK;
}

/** A hash table from latin1 strings to values of type V. */
export class Dict<V> {
  #keys: (string | undefined)[];
  #values: (V | undefined)[];
  // Hashes and meta data fit in 32 bits. The keyspace table (the dict with
  // meta data) keeps them in Int32Arrays, 4 bytes a slot instead of 8: 16 MB
  // per million keys. Small collection dicts keep plain arrays, since a
  // typed array's fixed overhead would outweigh the saving.
  #hashes: Int32Array | number[];
  // Optional per-entry small integer (the keyspace keeps LRU/LFU data here).
  #meta: Int32Array | undefined;
  #mask: number;
  #size = 0;

  /**
   * `capacity` is a hint for the number of entries expected; `withMeta`
   * adds a small integer per entry (see `metaAt`).
   */
  constructor(capacity = 0, withMeta = false) {
    let slots = MIN_SIZE;
    while (slots * 0.75 < capacity) slots *= 2;
    this.#keys = emptySlots(slots);
    this.#values = emptySlots(slots);
    this.#hashes = withMeta ? new Int32Array(slots) : new Array(slots).fill(0);
    if (withMeta) this.#meta = new Int32Array(slots);
    this.#mask = slots - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** Number of slots (the `table size` of DEBUG HTSTATS). */
  get slots(): number {
    return this.#mask + 1;
  }

  // The slot holding `key` (whose hash is `h`), or `~slot` of the free
  // slot that ends its probe sequence: the one loop every lookup runs.
  #slot(key: string, h: number): number {
    const keys = this.#keys;
    const hashes = this.#hashes;
    const mask = this.#mask;
    let i = h & mask;
    for (;;) {
      const k = keys[i];
      if (k === undefined) return ~i;
      if (hashes[i] === h && k === key) return i;
      i = (i + 1) & mask;
    }
  }

  #find(key: string, h: number): number {
    const i = this.#slot(key, h);
    return i < 0 ? -1 : i;
  }

  #probeHash = 0;

  /**
   * One probe for `key`: its slot if present, else `~slot` of the free slot
   * where it would go (a negative number). Pass that to `insertAtFree`
   * before any other change to the dict, so a new key costs one probe.
   */
  probe(key: string): number {
    const h = hashKey(key);
    this.#probeHash = h;
    return this.#slot(key, h);
  }

  /**
   * Inserts `key` (just probed, absent) at the free slot `probe` reported
   * (as `~slot`). Returns the key's slot, which a resize may have moved.
   */
  insertAtFree(missing: number, key: string, value: V): number {
    const h = this.#probeHash;
    const slots = this.#mask + 1;
    this.#insertAt(~missing, key, value, h);
    return slots === this.#mask + 1 ? ~missing : this.#find(key, h);
  }

  /** The slot holding `key`, or -1; valid until the next insert or delete. */
  indexOf(key: string): number {
    return this.#find(key, hashKey(key));
  }

  /** The value in slot `i` (from `indexOf`). */
  valueAt(i: number): V {
    return this.#values[i] as V;
  }

  /** The key in slot `i` (from `indexOf`): the string the table holds. */
  keyAt(i: number): string {
    return this.#keys[i]!;
  }

  /** Replaces the value in slot `i` (from `indexOf`). */
  setValueAt(i: number, value: V): void {
    this.#values[i] = value;
  }

  /** The per-entry integer in slot `i`; 0 when the dict has no meta data. */
  metaAt(i: number): number {
    return this.#meta === undefined ? 0 : this.#meta[i]!;
  }

  /** Sets the per-entry integer in slot `i`. */
  setMetaAt(i: number, meta: number): void {
    if (this.#meta !== undefined) this.#meta[i] = meta;
  }

  /** The value for `key`, or undefined. */
  get(key: string): V | undefined {
    const i = this.#find(key, hashKey(key));
    return i < 0 ? undefined : this.#values[i];
  }

  /** True if `key` is present. */
  has(key: string): boolean {
    return this.#find(key, hashKey(key)) >= 0;
  }

  /** Sets `key` to `value`; returns true if the key was new. */
  set(key: string, value: V): boolean {
    const i = this.probe(key);
    if (i >= 0) {
      this.#values[i] = value;
      return false;
    }
    this.#insertAt(~i, key, value, this.#probeHash);
    return true;
  }

  // Fills the empty slot `i` that ended the probe for `key`.
  #insertAt(i: number, key: string, value: V, h: number): void {
    this.#keys[i] = key;
    this.#values[i] = value;
    this.#hashes[i] = h;
    if (this.#meta !== undefined) this.#meta[i] = 0;
    this.#size++;
    const slots = this.#mask + 1;
    if (this.#size * 4 > slots * 3) this.#resize(slots * 2);
  }

  /**
   * Sets `key` to `value`; returns the value it replaces, or undefined if
   * the key was new.
   */
  put(key: string, value: V): V | undefined {
    const i = this.probe(key);
    if (i >= 0) {
      const old = this.#values[i];
      this.#values[i] = value;
      return old;
    }
    this.#insertAt(~i, key, value, this.#probeHash);
    return undefined;
  }

  /** Removes `key`; returns true if it was present. */
  delete(key: string): boolean {
    const i = this.#find(key, hashKey(key));
    if (i < 0) return false;
    this.deleteAt(i);
    return true;
  }

  /** Removes `key` and returns its value, or undefined if it was not present. */
  take(key: string): V | undefined {
    const i = this.#find(key, hashKey(key));
    if (i < 0) return undefined;
    const value = this.#values[i];
    this.deleteAt(i);
    return value;
  }

  /** Removes the entry in slot `i` (from `indexOf`). */
  deleteAt(i: number): void {
    this.#removeAt(i);
    const slots = this.#mask + 1;
    if (slots > MIN_SIZE && this.#size * 10 < slots) {
      let target = MIN_SIZE;
      while (target * 0.75 < this.#size * 2) target *= 2;
      this.#resize(target);
    }
  }

  /** Removes every entry. */
  clear(): void {
    this.#keys = emptySlots(MIN_SIZE);
    this.#values = emptySlots(MIN_SIZE);
    this.#hashes = this.#newColumn(MIN_SIZE);
    if (this.#meta !== undefined) this.#meta = new Int32Array(MIN_SIZE);
    this.#mask = MIN_SIZE - 1;
    this.#size = 0;
  }

  // Backward-shift deletion keeps every probe chain unbroken.
  #removeAt(i: number): void {
    const keys = this.#keys;
    const values = this.#values;
    const hashes = this.#hashes;
    const meta = this.#meta;
    const mask = this.#mask;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j];
      if (k === undefined) break;
      const home = hashes[j]! & mask;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      const between = hole <= j
        ? home > hole && home <= j
        : home > hole || home <= j;
      if (!between) {
        keys[hole] = k;
        values[hole] = values[j];
        hashes[hole] = hashes[j]!;
        if (meta !== undefined) meta[hole] = meta[j]!;
        hole = j;
      }
    }
    keys[hole] = undefined;
    values[hole] = undefined;
    hashes[hole] = 0;
    this.#size--;
  }

  #newColumn(slots: number): Int32Array | number[] {
    return this.#meta !== undefined
      ? new Int32Array(slots)
      : new Array(slots).fill(0);
  }

  #resize(slots: number): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const oldHashes = this.#hashes;
    const oldMeta = this.#meta;
    const meta = oldMeta === undefined ? undefined : new Int32Array(slots);
    const keys = emptySlots<string>(slots);
    const values = emptySlots<V>(slots);
    const hashes = this.#newColumn(slots);
    const mask = slots - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k === undefined) continue;
      const h = oldHashes[j]!;
      let i = h & mask;
      while (keys[i] !== undefined) i = (i + 1) & mask;
      keys[i] = k;
      values[i] = oldValues[j];
      hashes[i] = h;
      if (meta !== undefined) meta[i] = oldMeta![j]!;
    }
    this.#meta = meta;
    this.#keys = keys;
    this.#values = values;
    this.#hashes = hashes;
    this.#mask = mask;
  }

  /** Iterates over keys (do not modify the dict while iterating). */
  *keys(): IterableIterator<string> {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== undefined) yield k;
    }
  }

  /** Iterates over `[key, value]` pairs (do not modify the dict while iterating). */
  *entries(): IterableIterator<[string, V]> {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== undefined) yield [k, this.#values[i] as V];
    }
  }

  /** Calls `fn` for each entry (do not modify the dict from `fn`). */
  forEach(fn: (value: V, key: string) => void): void {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== undefined) fn(this.#values[i] as V, k);
    }
  }

  /**
   * A random key, or undefined when empty. Like Redis's dictGetRandomKey it
   * is not perfectly uniform, but every key can come out.
   */
  randomKey(rand: (n: number) => number): string | undefined {
    if (this.#size === 0) return undefined;
    const keys = this.#keys;
    const mask = this.#mask;
    // A sparse table after many deletes shrinks, so this loop stays short.
    for (;;) {
      const i = rand(mask + 1);
      const k = keys[i];
      if (k !== undefined) return k;
    }
  }

  /**
   * Up to `count` keys from a random region of the table (Redis's
   * dictGetSomeKeys), for sampling: cheap, possibly with fewer keys.
   */
  sampleKeys(count: number, rand: (n: number) => number): string[] {
    const out: string[] = [];
    if (this.#size === 0) return out;
    const keys = this.#keys;
    const mask = this.#mask;
    let i = rand(mask + 1);
    const limit = Math.min(mask + 1, count * 10);
    for (let steps = 0; steps < limit && out.length < count; steps++) {
      const k = keys[i];
      if (k !== undefined) out.push(k);
      i = (i + 1) & mask;
    }
    return out;
  }

  /**
   * One step of a stateless scan: calls `fn` for every entry whose home
   * bucket is the one `cursor` names, and returns the next cursor (0 when
   * done). Redis's guarantee holds: an entry present from the first call to
   * the last is reported at least once.
   */
  scan(cursor: number, fn: (key: string, value: V) => void): number {
    if (this.#size === 0) return 0;
    const mask = this.#mask;
    const keys = this.#keys;
    const hashes = this.#hashes;
    const bucket = cursor & mask;
    // Entries homed at `bucket` sit in the run of occupied slots from it.
    for (let i = bucket;; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === undefined) break;
      if ((hashes[i]! & mask) === bucket) fn(k, this.#values[i] as V);
      if (((i + 1) & mask) === bucket) break;
    }
    // Increment the reversed cursor over the bits of the mask.
    let v = cursor | ~mask;
    v = reverseBits(v);
    v = (v + 1) | 0;
    v = reverseBits(v);
    return v >>> 0 === 0 ? 0 : v >>> 0;
  }
}

function reverseBits(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) | 0;
}
