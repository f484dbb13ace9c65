/**
 * ZSetValue: a Redis sorted set, with the encoding Redis 7.0 would report.
 *
 * The members live in a B+tree with counted children (order, ranks,
 * ranges; `structures/zset_tree.ts`) plus a `Dict` from member to score
 * (O(1) scores, SCAN cursors, random members) whatever the encoding. The
 * encoding is bookkeeping that follows Redis exactly:
 *
 * - `listpack` while there are at most `zset-max-listpack-entries` members
 *   of at most `zset-max-listpack-value` bytes each;
 * - `skiplist` once an insert would break either limit. A set never goes
 *   back, except that the commands which build a new set (ZUNIONSTORE and
 *   friends, GEOSEARCHSTORE) convert their result when it is small enough.
 *
 * Where Redis's answer depends on the encoding (lexicographic searches over
 * members of different scores, SCAN), callers ask `isListpack`.
 *
 * @module
 */
import { Dict } from "./structures/dict.ts";
import {
  lexLteMax,
  type LexRange,
  type ScoreRange,
  scoreRangeEmpty,
  ZSetTree,
} from "./structures/zset_tree.ts";
import {
  dictBytes,
  FIXED_ARRAY_HEADER,
  HEAP_NUMBER,
  JS_ARRAY,
  SLOT,
  stringBytes,
  VALUE_MEMORY,
  type ValueMemory,
} from "./memory.ts";
import type { CollectionValue } from "./values.ts";

// An empty sorted set without its tree's nodes: the ZSetValue and ZSetTree
// objects (three of their fields hold boxed numbers), with its accounting
// state (store/memory.ts).
const ZSET_OBJECT = 240 + VALUE_MEMORY;
// A tree leaf without its slots: the object and its two arrays.
const LEAF_OBJECT = 64 + 2 * (JS_ARRAY + FIXED_ARRAY_HEADER);
// An inner node: the object and its four arrays of 65 slots.
const INNER_OBJECT = 64 + 4 * (JS_ARRAY + FIXED_ARRAY_HEADER + 65 * SLOT);

// Bytes of a member beyond the tree's slots: its string, and the boxed
// number the dict keeps for a score that is not a small integer.
function memberBytes(member: string, score: number): number {
  return stringBytes(member.length) + scoreBytes(score);
}

function scoreBytes(score: number): number {
  return score === (score | 0) && (score !== 0 || 1 / score > 0)
    ? 0
    : HEAP_NUMBER;
}

/** The encoding thresholds sorted sets follow (a subset of the server's limits). */
export interface ZSetLimits {
  /** `zset-max-listpack-entries`. */
  readonly zsetMaxListpackEntries: number;
  /** `zset-max-listpack-value`. */
  readonly zsetMaxListpackValue: number;
}

/** `add` flag: only add new members. */
export const ZADD_NX = 1;
/** `add` flag: only update existing members. */
export const ZADD_XX = 2;
/** `add` flag: only update when the new score is greater. */
export const ZADD_GT = 4;
/** `add` flag: only update when the new score is less. */
export const ZADD_LT = 8;
/** `add` flag: add the score to the current one (0 for a new member). */
export const ZADD_INCR = 16;

/** `add` outcome: the resulting score would be NaN; nothing changed. */
export const ZADD_OUT_NAN = 1;
/** `add` outcome: the member was added. */
export const ZADD_OUT_ADDED = 2;
/** `add` outcome: the member's score changed. */
export const ZADD_OUT_UPDATED = 4;
/** `add` outcome: nothing was done because of NX/XX/GT/LT. */
export const ZADD_OUT_NOP = 8;

/** A sorted set. */
export class ZSetValue implements CollectionValue {
  readonly type = "zset" as const;
  /** Members in order. Read only: change the set through its methods. */
  readonly tree: ZSetTree = new ZSetTree();
  #dict: Dict<number> = new Dict();
  #listpack: boolean;
  /** The member's score after the last successful `add` (ZADD INCR, ZINCRBY). */
  newScore = 0;
  /** The score of the member `pop` removed last. */
  poppedScore = 0;
  // Bytes of the members (see memberBytes).
  #content = 0;
  /** Memory accounting state, kept by the keyspace (store/memory.ts). */
  mem: ValueMemory | undefined;

  /** Bytes of memory the set uses (O(1)). */
  get bytes(): number {
    const t = this.tree;
    return ZSET_OBJECT + this.#content + dictBytes(this.#dict.slots, 3) +
      t.leafCount * LEAF_OBJECT + 2 * SLOT * t.leafSlots +
      t.innerCount * INNER_OBJECT;
  }

  /** An empty set, `listpack`-encoded unless `listpack` is false. */
  constructor(listpack = true) {
    this.#listpack = listpack;
  }

  /**
   * The empty set ZADD creates: `skiplist` when listpacks are disabled or
   * the first member given is already too long (Redis looks at that one
   * only).
   */
  static forFirstMember(length: number, limits: ZSetLimits): ZSetValue {
    return new ZSetValue(
      limits.zsetMaxListpackEntries !== 0 &&
        length <= limits.zsetMaxListpackValue,
    );
  }

  /** Number of members. */
  get size(): number {
    return this.tree.size;
  }

  /** True while the set is listpack-encoded. */
  get isListpack(): boolean {
    return this.#listpack;
  }

  /** Turns a listpack set into a skiplist for good (zsetConvert, as SORT does). */
  toSkiplist(): void {
    this.#listpack = false;
  }

  /** What OBJECT ENCODING reports. */
  encoding(): "listpack" | "skiplist" {
    return this.#listpack ? "listpack" : "skiplist";
  }

  /** The score of `member`, or undefined. */
  score(member: string): number | undefined {
    return this.#dict.get(member);
  }

  /**
   * Redis's zsetAdd: adds `member` or updates its score according to
   * `flags` (ZADD_NX, ...). Returns ZADD_OUT_* flags; `newScore` holds the
   * resulting score unless nothing happened. A new member that would break
   * the listpack limits converts the set to `skiplist` first.
   */
  add(
    score: number,
    member: string,
    flags: number,
    limits: ZSetLimits,
  ): number {
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const dict = this.#dict;
    const i = dict.probe(member);
    if (i >= 0) {
      if (flags & ZADD_NX) return ZADD_OUT_NOP;
      const current = dict.valueAt(i);
      if (flags & ZADD_INCR) {
        score += current;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if (
        ((flags & ZADD_LT) && score >= current) ||
        ((flags & ZADD_GT) && score <= current)
      ) {
        return ZADD_OUT_NOP;
      }
      this.newScore = score;
      // -0 and 0 are the same score: no update, the stored sign stays.
      if (score !== current) {
        const stored = this.#stored(score);
        dict.setValueAt(i, stored);
        // The tree keeps the string the dict holds.
        this.tree.update(current, dict.keyAt(i), stored);
        this.#content += scoreBytes(stored) - scoreBytes(current);
        return ZADD_OUT_UPDATED;
      }
      return 0;
    }
    if (flags & ZADD_XX) return ZADD_OUT_NOP;
    this.#insertAt(i, score, member, limits);
    this.newScore = score;
    return ZADD_OUT_ADDED;
  }

  /** Inserts a member known to be absent, converting the encoding if needed. */
  insert(score: number, member: string, limits: ZSetLimits): void {
    this.#insertAt(this.#dict.probe(member), score, member, limits);
  }

  // Inserts an absent member whose free dict slot `probe` reported.
  #insertAt(
    missing: number,
    score: number,
    member: string,
    limits: ZSetLimits,
  ): void {
    if (
      this.#listpack &&
      (this.tree.size + 1 > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue)
    ) {
      this.#listpack = false;
    }
    const stored = this.#stored(score);
    this.tree.insert(stored, member);
    // Nothing touched the dict since the probe.
    this.#dict.insertAtFree(missing, member, stored);
    this.#content += memberBytes(member, stored);
  }

  // A listpack stores integral scores as integers, so -0 comes back as 0.
  #stored(score: number): number {
    return this.#listpack && score === 0 ? 0 : score;
  }

  /** Removes `member`. Returns true if it was there. */
  delete(member: string): boolean {
    const dict = this.#dict;
    const i = dict.indexOf(member);
    if (i < 0) return false;
    const score = dict.valueAt(i);
    // The string the set holds: the tree compares it by identity.
    const held = dict.keyAt(i);
    dict.deleteAt(i);
    this.tree.delete(score, held);
    this.#content -= memberBytes(held, score);
    return true;
  }

  /**
   * Removes and returns the member with the lowest score, or with `max`
   * the highest (the set must not be empty); `poppedScore` holds its score.
   */
  pop(max: boolean): string {
    const tree = this.tree;
    const member = tree.deleteAt(max ? tree.size - 1 : 0);
    const score = tree.removedScore;
    this.#dict.delete(member);
    this.#content -= memberBytes(member, score);
    this.poppedScore = score;
    return member;
  }

  /** The 0-based rank of `member` (from the top when `reverse`), or -1. */
  rank(member: string, reverse: boolean): number {
    const dict = this.#dict;
    const i = dict.indexOf(member);
    if (i < 0) return -1;
    const rank = this.tree.rank(dict.valueAt(i), dict.keyAt(i));
    return reverse ? this.tree.size - 1 - rank : rank;
  }

  // Removes `count` members from 0-based rank `start` on.
  #deleteRanks(start: number, count: number): number {
    const dict = this.#dict;
    let freed = 0;
    this.tree.deleteRange(start, count, (member, score) => {
      dict.delete(member);
      freed += memberBytes(member, score);
    });
    this.#content -= freed;
    return count;
  }

  /** Removes members with scores in `r`. Returns how many. */
  deleteRangeByScore(r: ScoreRange): number {
    if (scoreRangeEmpty(r)) return 0;
    const start = this.tree.rangeStart(r);
    const end = this.tree.rangeEnd(r);
    return start < end ? this.#deleteRanks(start, end - start) : 0;
  }

  /** Removes members in lexicographic range `r`. Returns how many. */
  deleteRangeByLex(r: LexRange): number {
    const first = this.tree.lexFirst(r, this.#listpack);
    if (first < 0) return 0;
    let count = 0;
    for (const c = this.tree.cursor(first); c.valid; c.next()) {
      if (!lexLteMax(c.member, r)) break;
      count++;
    }
    return this.#deleteRanks(first, count);
  }

  /** Removes the members of 0-based ranks `start..end` (valid, inclusive). */
  deleteRangeByRank(start: number, end: number): number {
    return this.#deleteRanks(start, end - start + 1);
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded, for sets a command built from
   * scratch: back to `listpack` when within both limits.
   */
  convertToListpackIfNeeded(maxMemberLength: number, limits: ZSetLimits): void {
    if (
      !this.#listpack && this.tree.size <= limits.zsetMaxListpackEntries &&
      maxMemberLength <= limits.zsetMaxListpackValue
    ) {
      this.#listpack = true;
      this.tree.forEach((member, score) => {
        if (score === 0 && 1 / score < 0) {
          this.#dict.set(member, 0);
          this.#content -= HEAP_NUMBER;
        }
      });
      this.tree.positiveZeros();
    }
  }

  /** One step of a SCAN over the member table (see `Dict.scan`). */
  scan(cursor: number, fn: (member: string, score: number) => void): number {
    return this.#dict.scan(cursor, fn);
  }

  /** A random member (the set must not be empty). */
  random(rand: (n: number) => number): string {
    return this.#dict.randomKey(rand)!;
  }

  /** An independent copy with the same encoding (COPY). */
  clone(): ZSetValue {
    const copy = new ZSetValue(this.#listpack);
    // Inserting in order appends to the last leaf, which stays full.
    this.tree.forEach((member, score) => {
      copy.tree.insert(score, member);
      copy.#dict.set(member, score);
    });
    copy.#content = this.#content;
    return copy;
  }
}
