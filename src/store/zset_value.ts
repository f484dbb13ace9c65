/**
 * ZSetValue: a Redis sorted set, with the encoding Redis 7.0 would report.
 *
 * The members live in a skip list (order, ranks, ranges) plus a `Dict`
 * from member to node (O(1) scores, SCAN cursors, random members) whatever
 * the encoding. The encoding is bookkeeping that follows Redis exactly:
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
  scoreLteMax,
  type ScoreRange,
  SkipList,
  type SkipNode,
} from "./structures/skiplist.ts";
import {
  dictBytes,
  FIXED_ARRAY_HEADER,
  JS_ARRAY,
  SLOT,
  stringBytes,
  VALUE_MEMORY,
  type ValueMemory,
} from "./memory.ts";
import type { CollectionValue } from "./values.ts";

// An empty sorted set: the ZSetValue and SkipList objects, the skip list's
// head node and scratch arrays, with its accounting state (store/memory.ts).
const ZSET_OBJECT = 1560 + VALUE_MEMORY;
// A skip list node without its member string and level arrays: the object
// and its boxed score.
const NODE_OBJECT = 80;

// Bytes of one skip list node (store/memory.ts).
function nodeBytes(node: SkipNode): number {
  return NODE_OBJECT + stringBytes(node.member.length) +
    2 * (JS_ARRAY + FIXED_ARRAY_HEADER + SLOT * node.next.length);
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
  readonly list: SkipList = new SkipList();
  #dict: Dict<SkipNode> = new Dict();
  #listpack: boolean;
  /** The member's score after the last successful `add` (ZADD INCR, ZINCRBY). */
  newScore = 0;
  // Bytes of the nodes and their members.
  #content = 0;
  /** Memory accounting state, kept by the keyspace (store/memory.ts). */
  mem: ValueMemory | undefined;

  /** Bytes of memory the set uses (O(1)). */
  get bytes(): number {
    return ZSET_OBJECT + this.#content + dictBytes(this.#dict.slots, 3);
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
    return this.list.length;
  }

  /** True while the set is listpack-encoded. */
  get isListpack(): boolean {
    return this.#listpack;
  }

  /** What OBJECT ENCODING reports. */
  encoding(): "listpack" | "skiplist" {
    return this.#listpack ? "listpack" : "skiplist";
  }

  /** The score of `member`, or undefined. */
  score(member: string): number | undefined {
    return this.#dict.get(member)?.score;
  }

  /** The node of `member`, or undefined. */
  node(member: string): SkipNode | undefined {
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
    const node = this.#dict.get(member);
    if (node !== undefined) {
      if (flags & ZADD_NX) return ZADD_OUT_NOP;
      const current = node.score;
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
        this.#setScore(node, score);
        return ZADD_OUT_UPDATED;
      }
      return 0;
    }
    if (flags & ZADD_XX) return ZADD_OUT_NOP;
    this.insert(score, member, limits);
    this.newScore = score;
    return ZADD_OUT_ADDED;
  }

  /** Inserts a member known to be absent, converting the encoding if needed. */
  insert(score: number, member: string, limits: ZSetLimits): SkipNode {
    if (
      this.#listpack &&
      (this.list.length + 1 > limits.zsetMaxListpackEntries ||
        member.length > limits.zsetMaxListpackValue)
    ) {
      this.#listpack = false;
    }
    const node = this.list.insert(this.#stored(score), member);
    this.#dict.set(member, node);
    this.#content += nodeBytes(node);
    return node;
  }

  // A listpack stores integral scores as integers, so -0 comes back as 0.
  #stored(score: number): number {
    return this.#listpack && score === 0 ? 0 : score;
  }

  #setScore(node: SkipNode, score: number): void {
    const moved = this.list.updateScore(node, this.#stored(score));
    if (moved !== node) {
      this.#dict.set(moved.member, moved);
      this.#content += nodeBytes(moved) - nodeBytes(node);
    }
  }

  /** Removes `member`. Returns true if it was there. */
  delete(member: string): boolean {
    const node = this.#dict.get(member);
    if (node === undefined) return false;
    this.#dict.delete(member);
    this.list.delete(node.score, member);
    this.#content -= nodeBytes(node);
    return true;
  }

  /** The 0-based rank of `member` (from the top when `reverse`), or -1. */
  rank(member: string, reverse: boolean): number {
    const node = this.#dict.get(member);
    if (node === undefined) return -1;
    const rank = this.list.rank(node.score, member);
    return reverse ? this.list.length - rank : rank - 1;
  }

  #forget = (node: SkipNode): void => {
    this.#dict.delete(node.member);
    this.#content -= nodeBytes(node);
  };

  /** Removes members with scores in `r`. Returns how many. */
  deleteRangeByScore(r: ScoreRange): number {
    const first = this.list.firstInRange(r);
    if (first === null) return 0;
    return this.list.deleteFrom(
      first,
      (n) => scoreLteMax(n.score, r),
      this.#forget,
    );
  }

  /** Removes members in lexicographic range `r`. Returns how many. */
  deleteRangeByLex(r: LexRange): number {
    const first = this.list.firstInLexRange(r, this.#listpack);
    if (first === null) return 0;
    return this.list.deleteFrom(
      first,
      (n) => lexLteMax(n.member, r),
      this.#forget,
    );
  }

  /** Removes the members of 0-based ranks `start..end` (valid, inclusive). */
  deleteRangeByRank(start: number, end: number): number {
    return this.list.deleteRankRange(start + 1, end + 1, this.#forget);
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded, for sets a command built from
   * scratch: back to `listpack` when within both limits.
   */
  convertToListpackIfNeeded(maxMemberLength: number, limits: ZSetLimits): void {
    if (
      !this.#listpack && this.list.length <= limits.zsetMaxListpackEntries &&
      maxMemberLength <= limits.zsetMaxListpackValue
    ) {
      this.#listpack = true;
      this.list.forEach((n) => {
        if (n.score === 0) n.score = 0;
      });
    }
  }

  /** One step of a SCAN over the member table (see `Dict.scan`). */
  scan(cursor: number, fn: (member: string, score: number) => void): number {
    return this.#dict.scan(cursor, (member, node) => fn(member, node.score));
  }

  /** A random member's node (the set must not be empty). */
  random(rand: (n: number) => number): SkipNode {
    return this.#dict.get(this.#dict.randomKey(rand)!)!;
  }

  /** An independent copy with the same encoding (COPY). */
  clone(): ZSetValue {
    const copy = new ZSetValue(this.#listpack);
    // Inserting from the highest down keeps every insert at the head.
    for (let n = this.list.tail; n !== null; n = n.backward) {
      const node = copy.list.insert(n.score, n.member);
      copy.#dict.set(n.member, node);
      copy.#content += nodeBytes(node);
    }
    return copy;
  }
}
