/**
 * SkipList: the ordered half of a sorted set, as Redis's zskiplist.
 *
 * Nodes are ordered by score, then by member bytes (members are latin1
 * strings, so JavaScript's string order is memcmp order). Every forward
 * link carries a span (how many nodes it jumps over), which gives ranks in
 * O(log n). Level 0 has backward links for reverse iteration.
 *
 * Score and lexicographic ranges follow Redis's semantics exactly, including
 * the lexicographic search over nodes of mixed scores (whose answer depends
 * on the path taken, as it does in Redis).
 *
 * @module
 */

const MAX_LEVEL = 32;
// Probability of each further level: 1/4, as in Redis.
const P_NUMERATOR = 0x3fff;

/** One element of the list. */
export class SkipNode {
  /** The member (latin1 string). */
  readonly member: string;
  /** The score. */
  score: number;
  /** Previous node on level 0 (null for the first node). */
  backward: SkipNode | null = null;
  /** Next node on each level. */
  readonly next: (SkipNode | null)[];
  /** Number of level-0 steps each forward link covers. */
  readonly span: number[];

  /** A node with `level` levels. */
  constructor(level: number, score: number, member: string) {
    this.score = score;
    this.member = member;
    this.next = new Array(level).fill(null);
    this.span = new Array(level).fill(0);
  }
}

/** A score interval (ZRANGEBYSCORE and friends). */
export interface ScoreRange {
  min: number;
  max: number;
  /** True when `min` itself is excluded (`(` prefix). */
  minex: boolean;
  /** True when `max` itself is excluded. */
  maxex: boolean;
}

/** The lexicographic bound `-` (before every string). */
export const LEX_MIN: unique symbol = Symbol("-");
/** The lexicographic bound `+` (after every string). */
export const LEX_MAX: unique symbol = Symbol("+");

/** A lexicographic bound: a member, or one of the infinite ends. */
export type LexItem = string | typeof LEX_MIN | typeof LEX_MAX;

/** A lexicographic interval (ZRANGEBYLEX and friends). */
export interface LexRange {
  min: LexItem;
  max: LexItem;
  minex: boolean;
  maxex: boolean;
}

/** True when `v` is at or above the range's lower end. */
export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

/** True when `v` is at or below the range's upper end. */
export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** True when no score can be in `r` (Redis checks this before searching). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Redis's sdscmplex: compares bounds, the infinite ends included. */
export function compareLex(a: LexItem, b: LexItem): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when member `v` is at or above the range's lower end. */
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = compareLex(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}

/** True when member `v` is at or below the range's upper end. */
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = compareLex(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** True when no member can be in `r`. */
export function lexRangeEmpty(r: LexRange): boolean {
  const c = compareLex(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

function randomLevel(): number {
  let level = 1;
  while (
    level < MAX_LEVEL && ((Math.random() * 0x10000) & 0xffff) < P_NUMERATOR
  ) {
    level++;
  }
  return level;
}

// True when (score, member) sorts before node `x`.
function before(x: SkipNode, score: number, member: string): boolean {
  return x.score < score || (x.score === score && x.member < member);
}

/** A skip list of (score, member) nodes. */
export class SkipList {
  /** Sentinel head; its `next[0]` is the first node. */
  readonly head: SkipNode = new SkipNode(MAX_LEVEL, 0, "");
  /** The last node, or null when empty. */
  tail: SkipNode | null = null;
  /** Number of nodes. */
  length = 0;
  #level = 1;
  // Scratch arrays reused by every update.
  readonly #update: SkipNode[] = new Array(MAX_LEVEL);
  readonly #rank: number[] = new Array(MAX_LEVEL).fill(0);

  /** The first node, or null. */
  get first(): SkipNode | null {
    return this.head.next[0]!;
  }

  /** Inserts a member known to be absent. Returns its node. */
  insert(score: number, member: string): SkipNode {
    const update = this.#update;
    const rank = this.#rank;
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      rank[i] = i === this.#level - 1 ? 0 : rank[i + 1]!;
      let n = x.next[i]!;
      while (n !== null && before(n, score, member)) {
        rank[i]! += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.#level) {
      for (let i = this.#level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.#level = level;
    }
    const node = new SkipNode(level, score, member);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (rank[0]! - rank[i]!);
      u.span[i] = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.#level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.head ? null : update[0]!;
    const after = node.next[0]!;
    if (after !== null) after.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  // Fills #update with the rightmost node before (score, member) on each level.
  #findUpdate(score: number, member: string): SkipNode | null {
    const update = this.#update;
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && before(n, score, member)) {
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const n = x.next[0]!;
    return n !== null && n.score === score && n.member === member ? n : null;
  }

  #unlink(node: SkipNode): void {
    const update = this.#update;
    for (let i = 0; i < this.#level; i++) {
      const u = update[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const after = node.next[0]!;
    if (after !== null) after.backward = node.backward;
    else this.tail = node.backward;
    while (this.#level > 1 && this.head.next[this.#level - 1] === null) {
      this.#level--;
    }
    this.length--;
  }

  /** Removes the node of (score, member). Returns true if it was there. */
  delete(score: number, member: string): boolean {
    const node = this.#findUpdate(score, member);
    if (node === null) return false;
    this.#unlink(node);
    return true;
  }

  /**
   * Moves `node` to `score`: in place when its neighbours stay in order,
   * otherwise by removing and inserting again. Returns the node that now
   * holds the member.
   */
  updateScore(node: SkipNode, score: number): SkipNode {
    const prev = node.backward;
    const after = node.next[0]!;
    if (
      (prev === null || prev.score < score) &&
      (after === null || after.score > score)
    ) {
      node.score = score;
      return node;
    }
    this.#findUpdate(node.score, node.member);
    this.#unlink(node);
    return this.insert(score, node.member);
  }

  /** The 1-based rank of (score, member), or 0 when absent. */
  rank(score: number, member: string): number {
    let x = this.head;
    let rank = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (
        n !== null &&
        (n.score < score || (n.score === score && n.member <= member))
      ) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (x !== this.head && x.member === member && x.score === score) {
        return rank;
      }
    }
    return 0;
  }

  /** The node at 1-based `rank`, or null when out of range. */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let x = this.head;
    let traversed = 0;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** The first node with a score in `r`, or null. */
  firstInRange(r: ScoreRange): SkipNode | null {
    if (scoreRangeEmpty(r)) return null;
    const tail = this.tail;
    if (tail === null || !scoreGteMin(tail.score, r)) return null;
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && !scoreGteMin(n.score, r)) {
        x = n;
        n = x.next[i]!;
      }
    }
    const n = x.next[0]!;
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** The last node with a score in `r`, or null. */
  lastInRange(r: ScoreRange): SkipNode | null {
    if (scoreRangeEmpty(r)) return null;
    const first = this.first;
    if (first === null || !scoreLteMax(first.score, r)) return null;
    let x = this.head;
    for (let i = this.#level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && scoreLteMax(n.score, r)) {
        x = n;
        n = x.next[i]!;
      }
    }
    return x !== this.head && scoreGteMin(x.score, r) ? x : null;
  }

  #lexPossible(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const tail = this.tail;
    const first = this.first;
    return tail !== null && lexGteMin(tail.member, r) && first !== null &&
      lexLteMax(first.member, r);
  }

  /**
   * The first node in lexicographic range `r`, or null. `linear` walks
   * level 0 from the start, as Redis does on a listpack; otherwise the
   * search descends the levels, as it does on a skip list (the two differ
   * only when the nodes have different scores).
   */
  firstInLexRange(r: LexRange, linear = false): SkipNode | null {
    if (!this.#lexPossible(r)) return null;
    let n: SkipNode | null;
    if (linear) {
      n = this.first;
      while (n !== null && !lexGteMin(n.member, r)) n = n.next[0]!;
    } else {
      let x = this.head;
      for (let i = this.#level - 1; i >= 0; i--) {
        let m = x.next[i]!;
        while (m !== null && !lexGteMin(m.member, r)) {
          x = m;
          m = x.next[i]!;
        }
      }
      n = x.next[0]!;
    }
    return n !== null && lexLteMax(n.member, r) ? n : null;
  }

  /** The last node in lexicographic range `r`, or null (see `firstInLexRange`). */
  lastInLexRange(r: LexRange, linear = false): SkipNode | null {
    if (!this.#lexPossible(r)) return null;
    let n: SkipNode | null;
    if (linear) {
      n = this.tail;
      while (n !== null && !lexLteMax(n.member, r)) n = n.backward;
    } else {
      let x = this.head;
      for (let i = this.#level - 1; i >= 0; i--) {
        let m = x.next[i]!;
        while (m !== null && lexLteMax(m.member, r)) {
          x = m;
          m = x.next[i]!;
        }
      }
      n = x === this.head ? null : x;
    }
    return n !== null && lexGteMin(n.member, r) ? n : null;
  }

  /**
   * Removes the nodes from `start` onwards while `inRange` says they are
   * in range, calling `removed` for each. Returns how many were removed.
   */
  deleteFrom(
    start: SkipNode,
    inRange: (node: SkipNode) => boolean,
    removed: (node: SkipNode) => void,
  ): number {
    let n: SkipNode | null = start;
    let count = 0;
    // Once the path to `start` is known, it also leads to each following
    // node: unlinking a node makes its predecessors point past it.
    this.#findUpdate(start.score, start.member);
    while (n !== null && inRange(n)) {
      const following: SkipNode | null = n.next[0]!;
      this.#unlink(n);
      removed(n);
      count++;
      n = following;
    }
    return count;
  }

  /** Removes the nodes of 1-based ranks `start..end`, calling `removed` for each. */
  deleteRankRange(
    start: number,
    end: number,
    removed: (node: SkipNode) => void,
  ): number {
    const first = this.byRank(start);
    if (first === null) return 0;
    let left = end - start + 1;
    return this.deleteFrom(first, () => left-- > 0, removed);
  }

  /** Calls `fn` for each node in order. */
  forEach(fn: (node: SkipNode) => void): void {
    for (let n = this.first; n !== null; n = n.next[0]!) fn(n);
  }
}
