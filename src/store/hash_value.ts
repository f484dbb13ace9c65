/**
 * HashValue: a Redis hash, encoded the way Redis 7.0 encodes it.
 *
 * - `listpack` while the hash has at most `hash-max-listpack-entries`
 *   fields and no field or value longer than `hash-max-listpack-value`
 *   bytes: a flat array `[f0, v0, f1, v1, ...]` in insertion order, searched
 *   linearly like Redis's listpack (and as small in memory as a JS value
 *   gets). Iteration order is insertion order, as in Redis.
 * - `hashtable` otherwise: a `Dict` from field to value, with Redis-style
 *   SCAN cursors and O(1) random fields.
 *
 * The conversion is one-way, as in Redis.
 *
 * @module
 */
import { Dict } from "./structures/dict.ts";
import {
  arrayBytes,
  dictBytes,
  grownCapacity,
  stringBytes,
  VALUE_MEMORY,
  type ValueMemory,
} from "./memory.ts";
import type { CollectionValue } from "./values.ts";

// The HashValue object with its accounting state (store/memory.ts).
const HASH_OBJECT = 80 + VALUE_MEMORY;

/** The encoding thresholds hashes follow (a subset of the server's encoding limits). */
export interface HashLimits {
  /** `hash-max-listpack-entries`. */
  readonly hashMaxListpackEntries: number;
  /** `hash-max-listpack-value`. */
  readonly hashMaxListpackValue: number;
}

/** A Redis hash value. Fields and values are latin1 strings (bytes). */
export class HashValue implements CollectionValue {
  /** The Redis type name. */
  readonly type = "hash" as const;
  // Exactly one of the two is in use.
  #lp: string[] | undefined = [];
  #dict: Dict<string> | undefined;
  // Bytes of the field and value strings, and the listpack array's capacity.
  #content = 0;
  #cap = 0;
  /** Memory accounting state, kept by the keyspace (store/memory.ts). */
  mem: ValueMemory | undefined;

  /** Bytes of memory the hash uses (O(1)). */
  get bytes(): number {
    const structure = this.#lp !== undefined
      ? arrayBytes(this.#cap)
      : dictBytes(this.#dict!.slots, 3);
    return HASH_OBJECT + structure + this.#content;
  }

  /** Number of fields. */
  get size(): number {
    return this.#lp !== undefined ? this.#lp.length >> 1 : this.#dict!.size;
  }

  /** `listpack` or `hashtable`, as OBJECT ENCODING prints it. */
  encoding(): "listpack" | "hashtable" {
    return this.#lp !== undefined ? "listpack" : "hashtable";
  }

  // Index of `field` in the listpack array, or -1.
  #find(field: string): number {
    const lp = this.#lp!;
    for (let i = 0; i < lp.length; i += 2) {
      if (lp[i] === field) return i;
    }
    return -1;
  }

  /** The value of `field`, or undefined. */
  get(field: string): string | undefined {
    if (this.#lp !== undefined) {
      const i = this.#find(field);
      return i < 0 ? undefined : this.#lp[i + 1];
    }
    return this.#dict!.get(field);
  }

  /** True if `field` exists. */
  has(field: string): boolean {
    return this.#lp !== undefined
      ? this.#find(field) >= 0
      : this.#dict!.has(field);
  }

  /**
   * Sets `field` to `value` (Redis's hashTypeSet): converts to a hash table
   * first when either is too long for a listpack, and afterwards when the
   * listpack has too many fields (checked after updates too, so a lowered
   * `hash-max-listpack-entries` applies at the next write). Returns true if
   * the field was new.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.#lp !== undefined) {
      const maxLen = limits.hashMaxListpackValue;
      if (field.length > maxLen || value.length > maxLen) this.#convert();
    }
    const lp = this.#lp;
    if (lp !== undefined) {
      const i = this.#find(field);
      if (i >= 0) {
        this.#content += stringBytes(value.length) -
          stringBytes(lp[i + 1]!.length);
        lp[i + 1] = value;
      } else {
        lp.push(field, value);
        this.#cap = grownCapacity(this.#cap, lp.length);
        this.#content += stringBytes(field.length) + stringBytes(value.length);
      }
      if (lp.length >> 1 > limits.hashMaxListpackEntries) this.#convert();
      return i < 0;
    }
    const old = this.#dict!.put(field, value);
    if (old === undefined) {
      this.#content += stringBytes(field.length) + stringBytes(value.length);
      return true;
    }
    this.#content += stringBytes(value.length) - stringBytes(old.length);
    return false;
  }

  /** Removes `field`. Returns true if it existed. */
  delete(field: string): boolean {
    const lp = this.#lp;
    if (lp !== undefined) {
      const i = this.#find(field);
      if (i < 0) return false;
      this.#content -= stringBytes(lp[i]!.length) +
        stringBytes(lp[i + 1]!.length);
      lp.splice(i, 2);
      return true;
    }
    const old = this.#dict!.take(field);
    if (old === undefined) return false;
    this.#content -= stringBytes(field.length) + stringBytes(old.length);
    return true;
  }

  #convert(): void {
    const lp = this.#lp!;
    const dict = new Dict<string>(lp.length >> 1);
    for (let i = 0; i < lp.length; i += 2) dict.set(lp[i]!, lp[i + 1]!);
    this.#dict = dict;
    this.#lp = undefined;
  }

  /** Calls `fn` for each field in iteration order (do not modify the hash from `fn`). */
  forEach(fn: (field: string, value: string) => void): void {
    const lp = this.#lp;
    if (lp !== undefined) {
      for (let i = 0; i < lp.length; i += 2) fn(lp[i]!, lp[i + 1]!);
    } else {
      this.#dict!.forEach((value, field) => fn(field, value));
    }
  }

  /** `[f0, v0, f1, v1, ...]` in iteration order, as a new array. */
  entries(): string[] {
    if (this.#lp !== undefined) return this.#lp.slice();
    const out: string[] = [];
    this.#dict!.forEach((value, field) => out.push(field, value));
    return out;
  }

  /** The fields in iteration order. */
  fields(): string[] {
    const out: string[] = [];
    const lp = this.#lp;
    if (lp !== undefined) {
      for (let i = 0; i < lp.length; i += 2) out.push(lp[i]!);
    } else {
      this.#dict!.forEach((_value, field) => out.push(field));
    }
    return out;
  }

  /** The values in iteration order. */
  values(): string[] {
    const out: string[] = [];
    const lp = this.#lp;
    if (lp !== undefined) {
      for (let i = 1; i < lp.length; i += 2) out.push(lp[i]!);
    } else {
      this.#dict!.forEach((value) => out.push(value));
    }
    return out;
  }

  /** A random field (every field equally likely); the hash must not be empty. */
  randomField(rand: (n: number) => number): string {
    const lp = this.#lp;
    if (lp !== undefined) return lp[rand(lp.length >> 1) << 1]!;
    return this.#dict!.randomKey(rand)!;
  }

  /** A random `[field, value]` (every field equally likely); the hash must not be empty. */
  randomEntry(rand: (n: number) => number): [string, string] {
    const lp = this.#lp;
    if (lp !== undefined) {
      const i = rand(lp.length >> 1) << 1;
      return [lp[i]!, lp[i + 1]!];
    }
    const field = this.#dict!.randomKey(rand)!;
    return [field, this.#dict!.get(field)!];
  }

  /**
   * One HSCAN step. A hash table is walked bucket by bucket with Redis's
   * cursor guarantee; a listpack reports every field at once and returns
   * cursor 0, as Redis does for small encodings.
   */
  scan(cursor: number, fn: (field: string, value: string) => void): number {
    if (this.#lp !== undefined) {
      this.forEach(fn);
      return 0;
    }
    return this.#dict!.scan(cursor, fn);
  }

  /**
   * A hash holding the pairs of `flat` (`[f0, v0, f1, v1, ...]`, distinct
   * fields; the array is kept), listpack-encoded unless `table`, whatever
   * the limits: RDB loading decides the encoding as Redis's loader does.
   */
  static fromPairs(flat: string[], table: boolean): HashValue {
    const hash = new HashValue();
    let content = 0;
    for (let i = 0; i < flat.length; i++) {
      content += stringBytes(flat[i]!.length);
    }
    if (table) {
      const dict = new Dict<string>(flat.length >> 1);
      for (let i = 0; i < flat.length; i += 2) dict.set(flat[i]!, flat[i + 1]!);
      hash.#dict = dict;
      hash.#lp = undefined;
    } else {
      hash.#lp = flat;
      hash.#cap = flat.length;
    }
    hash.#content = content;
    return hash;
  }

  /** An independent copy with the same encoding (COPY). */
  clone(): HashValue {
    const copy = new HashValue();
    if (this.#lp === undefined) {
      const dict = new Dict<string>(this.#dict!.size);
      this.#dict!.forEach((value, field) => dict.set(field, value));
      copy.#dict = dict;
      copy.#lp = undefined;
    } else {
      copy.#lp = this.#lp.slice();
      copy.#cap = copy.#lp.length;
    }
    copy.#content = this.#content;
    return copy;
  }
}
