/**
 * SetValue: a Redis set, encoded the way Redis 7.0 encodes it.
 *
 * - `intset` while every member is a 64-bit integer in canonical form and
 *   there are at most `set-max-intset-entries` of them: a sorted array of
 *   the members' decimal texts, kept in numeric order (so SMEMBERS and SSCAN
 *   list them sorted, as Redis does). Texts rather than numbers keep the
 *   full int64 range exact, and replies need no formatting.
 * - `hashtable` otherwise: a `Dict`, which gives Redis-style SCAN cursors
 *   and O(1) random members.
 *
 * Redis 7.0 has no listpack sets, and a set never goes back from
 * `hashtable` to `intset` (only a new set can start as an intset).
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

// The SetValue object with its accounting state (store/memory.ts).
const SET_OBJECT = 80 + VALUE_MEMORY;

/** The encoding threshold sets follow (a subset of the server's encoding limits). */
export interface SetLimits {
  /** `set-max-intset-entries`. */
  readonly setMaxIntsetEntries: number;
}

// Redis caps the intset size at 2^30 entries whatever the configuration says.
const INTSET_HARD_LIMIT = 1 << 30;

/**
 * True when latin1 string `s` is a signed 64-bit integer written the way
 * Redis's `string2ll` accepts it (no sign `+`, no leading zeros, no "-0"),
 * which is exactly when Redis stores it in an intset.
 */
export function isIntsetMember(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > 20) return false;
  let i = 0;
  const negative = s.charCodeAt(0) === 45; // '-'
  if (negative) {
    if (len === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return len === 1; // "0" only
  if (first < 49 || first > 57) return false;
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const digits = negative ? len - 1 : len;
  if (digits < 19) return true;
  if (digits > 19) return false;
  const body = negative ? s.slice(1) : s;
  return body <= (negative ? "9223372036854775808" : "9223372036854775807");
}

/** Numeric order of two canonical integer texts (see `isIntsetMember`). */
export function compareIntText(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  let r: number;
  if (a.length !== b.length) r = a.length < b.length ? -1 : 1;
  else r = a < b ? -1 : a > b ? 1 : 0;
  return an ? -r : r;
}

/** A Redis set value. */
export class SetValue implements CollectionValue {
  /** The Redis type name. */
  readonly type = "set" as const;
  // Exactly one of the two is in use.
  #ints: string[] | undefined;
  #dict: Dict<null> | undefined;
  // Bytes of the member strings, and the intset array's capacity.
  #content = 0;
  #cap = 0;
  /** Memory accounting state, kept by the keyspace (store/memory.ts). */
  mem: ValueMemory | undefined;

  /** Bytes of memory the set uses (O(1)). */
  get bytes(): number {
    const structure = this.#ints !== undefined
      ? arrayBytes(this.#cap)
      : dictBytes(this.#dict!.slots, 3);
    return SET_OBJECT + structure + this.#content;
  }

  /** An empty set: an intset, or a hash table when `intset` is false. */
  constructor(intset = true) {
    if (intset) this.#ints = [];
    else this.#dict = new Dict();
  }

  /**
   * An empty set encoded for a first member `member` (Redis's
   * setTypeCreate): an intset when it is an integer, else a hash table.
   */
  static forMember(member: string): SetValue {
    return new SetValue(isIntsetMember(member));
  }

  /** Number of members. */
  get size(): number {
    return this.#ints !== undefined ? this.#ints.length : this.#dict!.size;
  }

  /** `intset` or `hashtable`, as OBJECT ENCODING prints it. */
  encoding(): "intset" | "hashtable" {
    return this.#ints !== undefined ? "intset" : "hashtable";
  }

  // Position of `member` in the intset, or -(insertion point) - 1.
  #search(member: string): number {
    const ints = this.#ints!;
    let lo = 0;
    let hi = ints.length - 1;
    // Fast paths at both ends, like Redis's intsetSearch.
    if (hi >= 0) {
      if (compareIntText(member, ints[hi]!) > 0) return -(hi + 1) - 1;
      if (compareIntText(member, ints[0]!) < 0) return -1;
    }
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareIntText(ints[mid]!, member);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /** True if `member` is in the set. */
  has(member: string): boolean {
    if (this.#ints !== undefined) {
      return isIntsetMember(member) && this.#search(member) >= 0;
    }
    return this.#dict!.has(member);
  }

  /**
   * Adds `member` (Redis's setTypeAdd), converting to a hash table when a
   * member is not an integer or the intset grows past the limit. Returns
   * true if the member was new.
   */
  add(member: string, limits: SetLimits): boolean {
    const ints = this.#ints;
    if (ints !== undefined) {
      if (isIntsetMember(member)) {
        const i = this.#search(member);
        if (i >= 0) return false;
        const at = -i - 1;
        if (at === ints.length) ints.push(member);
        else ints.splice(at, 0, member);
        this.#cap = grownCapacity(this.#cap, ints.length);
        this.#content += stringBytes(member.length);
        const max = Math.min(limits.setMaxIntsetEntries, INTSET_HARD_LIMIT);
        if (ints.length > max) this.#convert();
        return true;
      }
      this.#convert();
    }
    if (!this.#dict!.set(member, null)) return false;
    this.#content += stringBytes(member.length);
    return true;
  }

  /** Removes `member`. Returns true if it was there. */
  delete(member: string): boolean {
    const ints = this.#ints;
    if (ints !== undefined) {
      if (!isIntsetMember(member)) return false;
      const i = this.#search(member);
      if (i < 0) return false;
      if (i === ints.length - 1) ints.pop();
      else ints.splice(i, 1);
      this.#content -= stringBytes(member.length);
      return true;
    }
    if (!this.#dict!.delete(member)) return false;
    this.#content -= stringBytes(member.length);
    return true;
  }

  #convert(): void {
    const ints = this.#ints!;
    const dict = new Dict<null>(ints.length);
    for (let i = 0; i < ints.length; i++) dict.set(ints[i]!, null);
    this.#dict = dict;
    this.#ints = undefined;
  }

  /**
   * The members in iteration order (sorted for an intset, table order for a
   * hash table), as a new array.
   */
  members(): string[] {
    if (this.#ints !== undefined) return this.#ints.slice();
    return Array.from(this.#dict!.keys());
  }

  /** Calls `fn` for each member in iteration order (do not modify the set from `fn`). */
  forEach(fn: (member: string) => void): void {
    if (this.#ints !== undefined) {
      const ints = this.#ints;
      for (let i = 0; i < ints.length; i++) fn(ints[i]!);
    } else {
      for (const m of this.#dict!.keys()) fn(m);
    }
  }

  /**
   * Calls `fn` for each member in iteration order until it returns false;
   * returns false if it did (do not modify the set from `fn`).
   */
  every(fn: (member: string) => boolean): boolean {
    if (this.#ints !== undefined) {
      const ints = this.#ints;
      for (let i = 0; i < ints.length; i++) if (!fn(ints[i]!)) return false;
    } else {
      for (const m of this.#dict!.keys()) if (!fn(m)) return false;
    }
    return true;
  }

  /** A random member (every member equally likely); the set must not be empty. */
  random(rand: (n: number) => number): string {
    if (this.#ints !== undefined) return this.#ints[rand(this.#ints.length)]!;
    return this.#dict!.randomKey(rand)!;
  }

  /**
   * One SSCAN step. A hash table is walked bucket by bucket with Redis's
   * cursor guarantee; an intset reports every member at once and returns
   * cursor 0, as Redis does for small encodings.
   */
  scan(cursor: number, fn: (member: string) => void): number {
    if (this.#ints !== undefined) {
      this.forEach(fn);
      return 0;
    }
    return this.#dict!.scan(cursor, fn);
  }

  /** An independent copy with the same encoding (COPY). */
  clone(): SetValue {
    const copy = new SetValue(this.#ints !== undefined);
    if (this.#ints !== undefined) {
      copy.#ints = this.#ints.slice();
      copy.#cap = copy.#ints.length;
    } else {
      const dict = new Dict<null>(this.#dict!.size);
      for (const m of this.#dict!.keys()) dict.set(m, null);
      copy.#dict = dict;
    }
    copy.#content = this.#content;
    return copy;
  }
}
