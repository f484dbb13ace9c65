/**
 * ZSetTree: the ordered half of a sorted set, a B+tree with counted
 * children (an order-statistic tree).
 *
 * Entries are ordered by score, then by member bytes (members are latin1
 * strings, so JavaScript's string order is memcmp order); -0 and 0 are the
 * same score. Leaves hold up to `LEAF_MAX` entries in two parallel arrays
 * (scores unboxed in a double array, members beside them) and are linked
 * both ways for range walks. Inner nodes hold, for each child, its entry
 * count and its first entry, so that search, rank, select by rank, insert
 * and delete are all O(log n) with a handful of cache lines per level,
 * where a skip list chases a pointer per step.
 *
 * Score ranges are answered as rank ranges. Lexicographic ranges are
 * searched as if members were sorted, which they are when all scores are
 * equal (the case Redis documents); over members of different scores the
 * answer of a search is as arbitrary as Redis's, whose skip list gives one
 * that depends on its random node levels. The `linear` variants walk from
 * the ends as Redis does on a listpack, and match it exactly.
 *
 * @module
 */

/** Most entries in a leaf. */
const LEAF_MAX = 64;
/** A leaf with fewer entries is merged with or refilled from a sibling. */
const LEAF_MIN = 16;
/** Most children of an inner node. */
const INNER_MAX = 64;
/** An inner node with fewer children is merged or refilled. */
const INNER_MIN = 16;
/** Capacity of a new set's first leaf. */
const LEAF_INITIAL = 4;
/** Deep enough for any tree: each level below the root multiplies by 16. */
const MAX_HEIGHT = 24;

// Capacity after `cap` when a leaf is full. Arrays hold one more entry than
// LEAF_MAX: an insert may overflow a leaf for the moment before it splits.
function grownCapacity(cap: number): number {
  return cap >= LEAF_MAX / 2 ? LEAF_MAX + 1 : cap * 2;
}

// A double array that stays unboxed whatever it stores (HOLEY_DOUBLE).
function doubleArray(n: number): number[] {
  return new Array<number>(n).fill(0.5);
}

function stringArray(n: number): string[] {
  return new Array<string>(n).fill("");
}

/** A leaf: entries `0..n-1` of the parallel arrays. */
class Leaf {
  n = 0;
  scores: number[];
  members: string[];
  prev: Leaf | null = null;
  next: Leaf | null = null;

  constructor(capacity: number) {
    this.scores = doubleArray(capacity);
    this.members = stringArray(capacity);
  }
}

/**
 * An inner node: `n` children, with the entry count of each and its first
 * entry (score and member), which is also the first entry of this node.
 */
class Inner {
  n = 0;
  scores: number[] = doubleArray(INNER_MAX + 1);
  members: string[] = stringArray(INNER_MAX + 1);
  counts: number[] = new Array<number>(INNER_MAX + 1).fill(0);
  children: (Leaf | Inner)[] = new Array<Leaf | Inner>(INNER_MAX + 1);
}

type TreeNode = Leaf | Inner;

// The path of the last descent in any tree (operations never interleave):
// the inner node at each level (1 is the leaves' parent) and the index of
// the child taken in it.
const PATH_NODE: Inner[] = new Array<Inner>(MAX_HEIGHT + 1);
const PATH_INDEX: number[] = new Array<number>(MAX_HEIGHT + 1).fill(0);

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

// The first index in `leaf` whose entry is not before (score, member).
function lowerBound(leaf: Leaf, score: number, member: string): number {
  const s = leaf.scores;
  const m = leaf.members;
  let lo = 0;
  let hi = leaf.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = s[mid]!;
    if (v < score || (v === score && m[mid]! < member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The child of `node` whose range holds (score, member): the last child
// whose first entry is not after it, or the first child.
function childFor(node: Inner, score: number, member: string): number {
  const s = node.scores;
  const m = node.members;
  let lo = 1;
  let hi = node.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = s[mid]!;
    if (v < score || (v === score && m[mid]! <= member)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// The first index in `from..n-1` whose score is at least `v` (above `v`
// when `after`), or n.
function scoreBound(
  s: number[],
  from: number,
  n: number,
  v: number,
  after: boolean,
): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = s[mid]!;
    if (x < v || (after && x === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The first index in `from..n-1` whose member is at or above the range's
// lower end (`gte`), or, with `gte` false, above its upper end; n if none.
// Members are assumed sorted; otherwise this is one binary search's answer.
function lexBound(
  m: string[],
  from: number,
  n: number,
  r: LexRange,
  gte: boolean,
): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const before = gte ? !lexGteMin(m[mid]!, r) : lexLteMax(m[mid]!, r);
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A position in a `ZSetTree` that walks in either direction; it is valid
 * until the tree changes.
 */
export class ZCursor {
  #leaf: Leaf | null;
  #index: number;

  /** @internal Use `ZSetTree.cursor`. */
  constructor(leaf: Leaf | null, index: number) {
    this.#leaf = leaf;
    this.#index = index;
  }

  /** False once the cursor walked off either end (or started outside). */
  get valid(): boolean {
    return this.#leaf !== null;
  }

  /** The member at the cursor (the cursor must be valid). */
  get member(): string {
    return this.#leaf!.members[this.#index]!;
  }

  /** The score at the cursor (the cursor must be valid). */
  get score(): number {
    return this.#leaf!.scores[this.#index]!;
  }

  /** Moves to the next entry. */
  next(): void {
    const leaf = this.#leaf!;
    if (++this.#index >= leaf.n) {
      this.#leaf = leaf.next;
      this.#index = 0;
    }
  }

  /** Moves to the previous entry. */
  prev(): void {
    if (--this.#index < 0) {
      const leaf = this.#leaf!.prev;
      this.#leaf = leaf;
      this.#index = leaf === null ? 0 : leaf.n - 1;
    }
  }
}

/** A B+tree of (score, member) entries with O(log n) ranks. */
export class ZSetTree {
  #root: TreeNode;
  /** Inner levels above the leaves (0: the root is a leaf). */
  #height = 0;
  #size = 0;
  #head: Leaf;
  #tail: Leaf;
  #leaves = 1;
  #leafSlots: number;
  #inners = 0;
  // Set by `deleteAt`: the score of the entry it removed.
  #removedScore = 0;

  /** An empty tree. */
  constructor() {
    const leaf = new Leaf(LEAF_INITIAL);
    this.#root = leaf;
    this.#head = leaf;
    this.#tail = leaf;
    this.#leafSlots = LEAF_INITIAL;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** Number of leaves (memory accounting). */
  get leafCount(): number {
    return this.#leaves;
  }

  /** Entries the leaves have room for, together (memory accounting). */
  get leafSlots(): number {
    return this.#leafSlots;
  }

  /** Number of inner nodes (memory accounting). */
  get innerCount(): number {
    return this.#inners;
  }

  /** The lowest score (the tree must not be empty). */
  get firstScore(): number {
    return this.#head.scores[0]!;
  }

  /** The member with the lowest rank (the tree must not be empty). */
  get firstMember(): string {
    return this.#head.members[0]!;
  }

  /** The highest score (the tree must not be empty). */
  get lastScore(): number {
    const t = this.#tail;
    return t.scores[t.n - 1]!;
  }

  /** The member with the highest rank (the tree must not be empty). */
  get lastMember(): string {
    const t = this.#tail;
    return t.members[t.n - 1]!;
  }

  /** The score `deleteAt` removed last. */
  get removedScore(): number {
    return this.#removedScore;
  }

  /** Inserts (score, member), known to be absent. */
  insert(score: number, member: string): void {
    let node = this.#root;
    for (let level = this.#height; level > 0; level--) {
      const inner = node as Inner;
      const j = childFor(inner, score, member);
      PATH_NODE[level] = inner;
      PATH_INDEX[level] = j;
      inner.counts[j]!++;
      node = inner.children[j]!;
    }
    const leaf = node as Leaf;
    const pos = lowerBound(leaf, score, member);
    const n = leaf.n;
    if (n === leaf.scores.length) this.#grow(leaf);
    const s = leaf.scores;
    const m = leaf.members;
    for (let i = n; i > pos; i--) {
      s[i] = s[i - 1]!;
      m[i] = m[i - 1]!;
    }
    s[pos] = score;
    m[pos] = member;
    leaf.n = n + 1;
    this.#size++;
    if (pos === 0) this.#fixFirst(leaf, 1);
    if (n + 1 > LEAF_MAX) this.#splitLeaf(leaf, pos);
  }

  #grow(leaf: Leaf): void {
    const cap = grownCapacity(leaf.scores.length);
    const s = doubleArray(cap);
    const m = stringArray(cap);
    for (let i = 0; i < leaf.n; i++) {
      s[i] = leaf.scores[i]!;
      m[i] = leaf.members[i]!;
    }
    this.#leafSlots += cap - leaf.scores.length;
    leaf.scores = s;
    leaf.members = m;
  }

  // `node` (at `level - 1`) has a new first entry: copy it into the parent,
  // and on up while the node is its parent's first child.
  #fixFirst(node: TreeNode, level: number): void {
    const score = node.scores[0]!;
    const member = node.members[0]!;
    for (; level <= this.#height; level++) {
      const p = PATH_NODE[level]!;
      const j = PATH_INDEX[level]!;
      p.scores[j] = score;
      p.members[j] = member;
      if (j !== 0) return;
    }
  }

  // Splits a leaf that overflowed when an entry went in at `pos`.
  #splitLeaf(leaf: Leaf, pos: number): void {
    const n = leaf.n;
    // Appending at either end of the whole tree (ascending or descending
    // inserts) leaves the old leaf full rather than half full.
    let keep = n >>> 1;
    if (pos === n - 1 && leaf.next === null) keep = n - 1;
    else if (pos === 0 && leaf.prev === null) keep = 1;
    const right = new Leaf(LEAF_MAX + 1);
    const s = leaf.scores;
    const m = leaf.members;
    const rs = right.scores;
    const rm = right.members;
    for (let i = keep; i < n; i++) {
      rs[i - keep] = s[i]!;
      rm[i - keep] = m[i]!;
      m[i] = "";
    }
    right.n = n - keep;
    leaf.n = keep;
    right.next = leaf.next;
    if (right.next !== null) right.next.prev = right;
    else this.#tail = right;
    right.prev = leaf;
    leaf.next = right;
    this.#leaves++;
    this.#leafSlots += LEAF_MAX + 1;
    this.#addChild(1, leaf, right, keep, n - keep);
  }

  // Puts `right` after `left` (the node the path took at `level - 1`) in
  // their parent, with their entry counts; splits the parent if it
  // overflows; grows a new root above the old one.
  #addChild(
    level: number,
    left: TreeNode,
    right: TreeNode,
    leftCount: number,
    rightCount: number,
  ): void {
    if (level > this.#height) {
      const root = new Inner();
      root.n = 2;
      root.children[0] = left;
      root.children[1] = right;
      root.counts[0] = leftCount;
      root.counts[1] = rightCount;
      root.scores[0] = left.scores[0]!;
      root.members[0] = left.members[0]!;
      root.scores[1] = right.scores[0]!;
      root.members[1] = right.members[0]!;
      this.#root = root;
      this.#height = level;
      this.#inners++;
      return;
    }
    const p = PATH_NODE[level]!;
    const j = PATH_INDEX[level]!;
    const c = p.children;
    const counts = p.counts;
    const s = p.scores;
    const m = p.members;
    for (let i = p.n; i > j + 1; i--) {
      c[i] = c[i - 1]!;
      counts[i] = counts[i - 1]!;
      s[i] = s[i - 1]!;
      m[i] = m[i - 1]!;
    }
    c[j + 1] = right;
    counts[j] = leftCount;
    counts[j + 1] = rightCount;
    s[j + 1] = right.scores[0]!;
    m[j + 1] = right.members[0]!;
    p.n++;
    if (p.n > INNER_MAX) this.#splitInner(p, level);
  }

  #splitInner(node: Inner, level: number): void {
    const n = node.n;
    const keep = n >>> 1;
    const right = new Inner();
    let rightCount = 0;
    let leftCount = 0;
    for (let i = 0; i < keep; i++) leftCount += node.counts[i]!;
    for (let i = keep; i < n; i++) {
      const k = i - keep;
      right.children[k] = node.children[i]!;
      right.counts[k] = node.counts[i]!;
      right.scores[k] = node.scores[i]!;
      right.members[k] = node.members[i]!;
      rightCount += node.counts[i]!;
      node.members[i] = "";
    }
    node.children.fill(undefined as unknown as TreeNode, keep, n);
    right.n = n - keep;
    node.n = keep;
    this.#inners++;
    this.#addChild(level + 1, node, right, leftCount, rightCount);
  }

  /** Removes (score, member). Returns true if it was there. */
  delete(score: number, member: string): boolean {
    let node = this.#root;
    const height = this.#height;
    for (let level = height; level > 0; level--) {
      const inner = node as Inner;
      const j = childFor(inner, score, member);
      PATH_NODE[level] = inner;
      PATH_INDEX[level] = j;
      node = inner.children[j]!;
    }
    const leaf = node as Leaf;
    const pos = lowerBound(leaf, score, member);
    if (
      pos >= leaf.n || leaf.scores[pos] !== score ||
      leaf.members[pos] !== member
    ) {
      return false;
    }
    for (let level = 1; level <= height; level++) {
      PATH_NODE[level]!.counts[PATH_INDEX[level]!]!--;
    }
    this.#removeFromLeaf(leaf, pos);
    return true;
  }

  /**
   * Removes the entry of 0-based `rank` (which must exist) and returns its
   * member; `removedScore` then holds its score.
   */
  deleteAt(rank: number): string {
    const leaf = this.#descendToRank(rank, true);
    const pos = this.#found;
    const member = leaf.members[pos]!;
    this.#removedScore = leaf.scores[pos]!;
    this.#removeFromLeaf(leaf, pos);
    return member;
  }

  // Index in the leaf found by the last `#descendToRank`.
  #found = 0;

  // The leaf holding 0-based `rank` (valid), recording the path; with
  // `taking`, one less entry is counted on the way down.
  #descendToRank(rank: number, taking: boolean): Leaf {
    let node = this.#root;
    for (let level = this.#height; level > 0; level--) {
      const inner = node as Inner;
      const counts = inner.counts;
      let j = 0;
      while (rank >= counts[j]!) rank -= counts[j++]!;
      PATH_NODE[level] = inner;
      PATH_INDEX[level] = j;
      if (taking) counts[j]!--;
      node = inner.children[j]!;
    }
    this.#found = rank;
    return node as Leaf;
  }

  #removeFromLeaf(leaf: Leaf, pos: number): void {
    const n = leaf.n - 1;
    const s = leaf.scores;
    const m = leaf.members;
    for (let i = pos; i < n; i++) {
      s[i] = s[i + 1]!;
      m[i] = m[i + 1]!;
    }
    m[n] = "";
    leaf.n = n;
    this.#size--;
    if (this.#height === 0) {
      // An emptied set gives its memory back, as a new one would have.
      if (n === 0 && s.length !== LEAF_INITIAL) this.#reset();
      return;
    }
    if (pos === 0 && n !== 0) this.#fixFirst(leaf, 1);
    if (n < LEAF_MIN) this.#rebalanceLeaf();
  }

  #reset(): void {
    const leaf = new Leaf(LEAF_INITIAL);
    this.#root = leaf;
    this.#head = leaf;
    this.#tail = leaf;
    this.#height = 0;
    this.#leaves = 1;
    this.#leafSlots = LEAF_INITIAL;
    this.#inners = 0;
  }

  // The path's leaf is below LEAF_MIN: merge it with a sibling under the
  // same parent, or even out their entries.
  #rebalanceLeaf(): void {
    const p = PATH_NODE[1]!;
    const j = PATH_INDEX[1]!;
    const li = j > 0 ? j - 1 : 0;
    const left = p.children[li] as Leaf;
    const right = p.children[li + 1] as Leaf;
    const leftWasEmpty = left.n === 0;
    const total = left.n + right.n;
    if (total <= LEAF_MAX) {
      while (left.scores.length < total) this.#grow(left);
      const s = left.scores;
      const m = left.members;
      for (let i = 0, k = left.n; i < right.n; i++, k++) {
        s[k] = right.scores[i]!;
        m[k] = right.members[i]!;
      }
      left.n = total;
      left.next = right.next;
      if (right.next !== null) right.next.prev = left;
      else this.#tail = left;
      this.#leaves--;
      this.#leafSlots -= right.scores.length;
      p.counts[li] = total;
      if (leftWasEmpty) this.#fixSep(p, li, 1);
      this.#removeChild(p, li + 1, 1);
      return;
    }
    const want = total >>> 1;
    const ls = left.scores;
    const lm = left.members;
    const rs = right.scores;
    const rm = right.members;
    if (left.n < want) {
      // Move the first `k` entries of `right` to the end of `left`.
      const k = want - left.n;
      while (left.scores.length < want) this.#grow(left);
      const s = left.scores;
      const m = left.members;
      for (let i = 0; i < k; i++) {
        s[left.n + i] = rs[i]!;
        m[left.n + i] = rm[i]!;
      }
      const rn = right.n - k;
      for (let i = 0; i < rn; i++) {
        rs[i] = rs[i + k]!;
        rm[i] = rm[i + k]!;
      }
      for (let i = rn; i < right.n; i++) rm[i] = "";
      left.n = want;
      right.n = rn;
    } else {
      // Move the last `k` entries of `left` to the front of `right`.
      const k = left.n - want;
      while (right.scores.length < right.n + k) this.#grow(right);
      const s = right.scores;
      const m = right.members;
      for (let i = right.n - 1; i >= 0; i--) {
        s[i + k] = s[i]!;
        m[i + k] = m[i]!;
      }
      for (let i = 0; i < k; i++) {
        s[i] = ls[want + i]!;
        m[i] = lm[want + i]!;
        lm[want + i] = "";
      }
      left.n = want;
      right.n += k;
    }
    p.counts[li] = left.n;
    p.counts[li + 1] = right.n;
    this.#fixSep(p, li + 1, 1);
    if (leftWasEmpty) this.#fixSep(p, li, 1);
  }

  // Copies the first entry of child `i` of `p` (the path's node at `level`)
  // into `p`, and on up if `i` is 0.
  #fixSep(p: Inner, i: number, level: number): void {
    const child = p.children[i]!;
    p.scores[i] = child.scores[0]!;
    p.members[i] = child.members[0]!;
    if (i === 0) this.#fixFirst(p, level + 1);
  }

  // Removes child `i` of `p` (the path's node at `level`), then keeps `p`
  // at least INNER_MIN children, or drops a root left with one child.
  #removeChild(p: Inner, i: number, level: number): void {
    const n = p.n - 1;
    const c = p.children;
    const counts = p.counts;
    const s = p.scores;
    const m = p.members;
    for (let k = i; k < n; k++) {
      c[k] = c[k + 1]!;
      counts[k] = counts[k + 1]!;
      s[k] = s[k + 1]!;
      m[k] = m[k + 1]!;
    }
    c[n] = undefined as unknown as TreeNode;
    m[n] = "";
    p.n = n;
    if (i === 0) this.#fixFirst(p, level + 1);
    if (level === this.#height) {
      if (n === 1) {
        this.#root = c[0]!;
        c[0] = undefined as unknown as TreeNode;
        this.#height--;
        this.#inners--;
      }
      return;
    }
    if (n < INNER_MIN) this.#rebalanceInner(level);
  }

  // Like #rebalanceLeaf, one level up: the path's node at `level` is below
  // INNER_MIN.
  #rebalanceInner(level: number): void {
    const q = PATH_NODE[level + 1]!;
    const j = PATH_INDEX[level + 1]!;
    const li = j > 0 ? j - 1 : 0;
    const left = q.children[li] as Inner;
    const right = q.children[li + 1] as Inner;
    const total = left.n + right.n;
    if (total <= INNER_MAX) {
      for (let i = 0, k = left.n; i < right.n; i++, k++) {
        left.children[k] = right.children[i]!;
        left.counts[k] = right.counts[i]!;
        left.scores[k] = right.scores[i]!;
        left.members[k] = right.members[i]!;
      }
      left.n = total;
      q.counts[li] = q.counts[li]! + q.counts[li + 1]!;
      this.#inners--;
      this.#removeChild(q, li + 1, level + 1);
      return;
    }
    const want = total >>> 1;
    let moved = 0;
    if (left.n < want) {
      const k = want - left.n;
      for (let i = 0; i < k; i++) {
        left.children[left.n + i] = right.children[i]!;
        left.counts[left.n + i] = right.counts[i]!;
        left.scores[left.n + i] = right.scores[i]!;
        left.members[left.n + i] = right.members[i]!;
        moved += right.counts[i]!;
      }
      const rn = right.n - k;
      for (let i = 0; i < rn; i++) {
        right.children[i] = right.children[i + k]!;
        right.counts[i] = right.counts[i + k]!;
        right.scores[i] = right.scores[i + k]!;
        right.members[i] = right.members[i + k]!;
      }
      for (let i = rn; i < right.n; i++) {
        right.children[i] = undefined as unknown as TreeNode;
        right.members[i] = "";
      }
      left.n = want;
      right.n = rn;
      q.counts[li] = q.counts[li]! + moved;
      q.counts[li + 1] = q.counts[li + 1]! - moved;
    } else {
      const k = left.n - want;
      for (let i = right.n - 1; i >= 0; i--) {
        right.children[i + k] = right.children[i]!;
        right.counts[i + k] = right.counts[i]!;
        right.scores[i + k] = right.scores[i]!;
        right.members[i + k] = right.members[i]!;
      }
      for (let i = 0; i < k; i++) {
        right.children[i] = left.children[want + i]!;
        right.counts[i] = left.counts[want + i]!;
        right.scores[i] = left.scores[want + i]!;
        right.members[i] = left.members[want + i]!;
        moved += left.counts[want + i]!;
        left.children[want + i] = undefined as unknown as TreeNode;
        left.members[want + i] = "";
      }
      left.n = want;
      right.n += k;
      q.counts[li] = q.counts[li]! - moved;
      q.counts[li + 1] = q.counts[li + 1]! + moved;
    }
    this.#fixSep(q, li + 1, level + 1);
  }

  /**
   * Changes the score of (score, member), which must be present, to
   * `newScore`: in place when it stays between its neighbours' scores (as
   * Redis's zslUpdateScore), otherwise by removing and inserting again.
   */
  update(score: number, member: string, newScore: number): void {
    let node = this.#root;
    const height = this.#height;
    for (let level = height; level > 0; level--) {
      const inner = node as Inner;
      const j = childFor(inner, score, member);
      PATH_NODE[level] = inner;
      PATH_INDEX[level] = j;
      node = inner.children[j]!;
    }
    const leaf = node as Leaf;
    const pos = lowerBound(leaf, score, member);
    const s = leaf.scores;
    const prev = leaf.prev;
    const next = leaf.next;
    const before = pos > 0
      ? s[pos - 1]!
      : prev === null
      ? -Infinity
      : prev.scores[prev.n - 1]!;
    const after = pos + 1 < leaf.n
      ? s[pos + 1]!
      : next === null
      ? Infinity
      : next.scores[0]!;
    if (
      (before < newScore || (pos === 0 && prev === null)) &&
      (after > newScore || (pos + 1 === leaf.n && next === null))
    ) {
      s[pos] = newScore;
      if (pos === 0) this.#fixFirst(leaf, 1);
      return;
    }
    // Within this leaf's other entries (small changes, ZINCRBY): move it
    // along the leaf. It cannot end up first.
    const n = leaf.n;
    if (n >= 3) {
      const lo = pos === 0 ? s[1]! : s[0]!;
      const hi = pos === n - 1 ? s[n - 2]! : s[n - 1]!;
      if (newScore > lo && newScore < hi) {
        const m = leaf.members;
        // Counts the entry itself when it stays before the new position.
        const t = lowerBound(leaf, newScore, member);
        if (t > pos) {
          for (let i = pos; i < t - 1; i++) {
            s[i] = s[i + 1]!;
            m[i] = m[i + 1]!;
          }
          s[t - 1] = newScore;
          m[t - 1] = member;
        } else {
          for (let i = pos; i > t; i--) {
            s[i] = s[i - 1]!;
            m[i] = m[i - 1]!;
          }
          s[t] = newScore;
          m[t] = member;
        }
        if (pos === 0) this.#fixFirst(leaf, 1);
        return;
      }
    }
    for (let level = 1; level <= height; level++) {
      PATH_NODE[level]!.counts[PATH_INDEX[level]!]!--;
    }
    this.#removeFromLeaf(leaf, pos);
    this.insert(newScore, member);
  }

  /**
   * Removes `count` entries from 0-based rank `start` on (all of which
   * must exist), calling `removed` for each in order. Many are removed by
   * rebuilding the tree from the entries that stay, in O(n).
   */
  deleteRange(
    start: number,
    count: number,
    removed: (member: string, score: number) => void,
  ): void {
    if (count * 4 < this.#size) {
      for (let k = 0; k < count; k++) {
        const member = this.deleteAt(start);
        removed(member, this.#removedScore);
      }
      return;
    }
    const end = start + count;
    let leaf: Leaf | null = this.#head;
    this.#reset();
    this.#size = 0;
    let rank = 0;
    for (; leaf !== null; leaf = leaf.next) {
      const s = leaf.scores;
      const m = leaf.members;
      for (let i = 0; i < leaf.n; i++, rank++) {
        if (rank >= start && rank < end) removed(m[i]!, s[i]!);
        else this.insert(s[i]!, m[i]!);
      }
    }
  }

  /** The 0-based rank of (score, member), or -1 when absent. */
  rank(score: number, member: string): number {
    let node = this.#root;
    let rank = 0;
    for (let level = this.#height; level > 0; level--) {
      const inner = node as Inner;
      const j = childFor(inner, score, member);
      const counts = inner.counts;
      for (let i = 0; i < j; i++) rank += counts[i]!;
      node = inner.children[j]!;
    }
    const leaf = node as Leaf;
    const pos = lowerBound(leaf, score, member);
    if (
      pos < leaf.n && leaf.scores[pos] === score &&
      leaf.members[pos] === member
    ) {
      return rank + pos;
    }
    return -1;
  }

  /**
   * The number of entries with a score below `v`, or with `after`, at or
   * below `v`: the rank where scores from `v` (or above `v`) start.
   */
  scoreRank(v: number, after: boolean): number {
    let node = this.#root;
    let rank = 0;
    for (let level = this.#height; level > 0; level--) {
      const inner = node as Inner;
      // The last child whose first score is below `v` (at most `v`).
      const j = scoreBound(inner.scores, 1, inner.n, v, after) - 1;
      const counts = inner.counts;
      for (let i = 0; i < j; i++) rank += counts[i]!;
      node = inner.children[j]!;
    }
    const leaf = node as Leaf;
    return rank + scoreBound(leaf.scores, 0, leaf.n, v, after);
  }

  /** The rank of the first entry with a score in `r` (`size` if none). */
  rangeStart(r: ScoreRange): number {
    return this.scoreRank(r.min, r.minex);
  }

  /** The rank after the last entry with a score in `r`. */
  rangeEnd(r: ScoreRange): number {
    return this.scoreRank(r.max, !r.maxex);
  }

  #lexPossible(r: LexRange): boolean {
    return !lexRangeEmpty(r) && this.#size !== 0 &&
      lexGteMin(this.lastMember, r) && lexLteMax(this.firstMember, r);
  }

  /**
   * The rank of the first entry in lexicographic range `r`, or -1.
   * `linear` walks from the lowest entry, as Redis does on a listpack;
   * otherwise a search finds it, which differs only when members of
   * different scores are out of lexicographic order.
   */
  lexFirst(r: LexRange, linear: boolean): number {
    if (!this.#lexPossible(r)) return -1;
    let rank: number;
    let member: string;
    if (linear) {
      rank = 0;
      let leaf: Leaf | null = this.#head;
      let i = 0;
      for (;;) {
        if (leaf === null) return -1;
        if (i === leaf.n) {
          leaf = leaf.next;
          i = 0;
          continue;
        }
        if (lexGteMin(leaf.members[i]!, r)) break;
        i++;
        rank++;
      }
      member = leaf.members[i]!;
    } else {
      const leaf = this.#lexLeaf(r, true);
      rank = this.#found;
      const i = lexBound(leaf.members, 0, leaf.n, r, true);
      rank += i;
      if (rank >= this.#size) return -1;
      member = i < leaf.n ? leaf.members[i]! : leaf.next!.members[0]!;
    }
    return lexLteMax(member, r) ? rank : -1;
  }

  /** The rank of the last entry in lexicographic range `r`, or -1 (see `lexFirst`). */
  lexLast(r: LexRange, linear: boolean): number {
    if (!this.#lexPossible(r)) return -1;
    let rank: number;
    let member: string;
    if (linear) {
      rank = this.#size - 1;
      let leaf: Leaf | null = this.#tail;
      let i = leaf.n - 1;
      for (;;) {
        if (leaf === null) return -1;
        if (i < 0) {
          leaf = leaf.prev;
          if (leaf !== null) i = leaf.n - 1;
          continue;
        }
        if (lexLteMax(leaf.members[i]!, r)) break;
        i--;
        rank--;
      }
      member = leaf.members[i]!;
    } else {
      const leaf = this.#lexLeaf(r, false);
      rank = this.#found;
      const i = lexBound(leaf.members, 0, leaf.n, r, false) - 1;
      if (i < 0) return -1;
      rank += i;
      member = leaf.members[i]!;
    }
    return lexGteMin(member, r) ? rank : -1;
  }

  // Descends to the leaf where `lexBound(..., gte)` falls, comparing
  // against each child's first member; `#found` gets the rank of the
  // leaf's first entry.
  #lexLeaf(r: LexRange, gte: boolean): Leaf {
    let node = this.#root;
    let rank = 0;
    for (let level = this.#height; level > 0; level--) {
      const inner = node as Inner;
      const j = lexBound(inner.members, 1, inner.n, r, gte) - 1;
      const counts = inner.counts;
      for (let i = 0; i < j; i++) rank += counts[i]!;
      node = inner.children[j]!;
    }
    this.#found = rank;
    return node as Leaf;
  }

  /** A cursor at 0-based `rank`; not valid when `rank` is out of range. */
  cursor(rank: number): ZCursor {
    if (rank < 0 || rank >= this.#size) return new ZCursor(null, 0);
    if (rank === 0) return new ZCursor(this.#head, 0);
    const leaf = this.#descendToRank(rank, false);
    return new ZCursor(leaf, this.#found);
  }

  /** The member at 0-based `rank` (which must exist). */
  memberAt(rank: number): string {
    const leaf = this.#descendToRank(rank, false);
    return leaf.members[this.#found]!;
  }

  /** The score at 0-based `rank` (which must exist). */
  scoreAt(rank: number): number {
    const leaf = this.#descendToRank(rank, false);
    return leaf.scores[this.#found]!;
  }

  /** Calls `fn` for each entry in order (do not change the tree from `fn`). */
  forEach(fn: (member: string, score: number) => void): void {
    for (let leaf: Leaf | null = this.#head; leaf !== null; leaf = leaf.next) {
      const s = leaf.scores;
      const m = leaf.members;
      for (let i = 0; i < leaf.n; i++) fn(m[i]!, s[i]!);
    }
  }

  /** Calls `fn` for each entry from the highest rank down. */
  forEachReverse(fn: (member: string, score: number) => void): void {
    for (let leaf: Leaf | null = this.#tail; leaf !== null; leaf = leaf.prev) {
      const s = leaf.scores;
      const m = leaf.members;
      for (let i = leaf.n - 1; i >= 0; i--) fn(m[i]!, s[i]!);
    }
  }

  /** Replaces every score of -0 by 0 (the order does not change). */
  positiveZeros(): void {
    this.#positiveZeros(this.#root, this.#height);
  }

  #positiveZeros(node: TreeNode, level: number): void {
    const s = node.scores;
    for (let i = 0; i < node.n; i++) if (s[i] === 0) s[i] = 0;
    if (level === 0) return;
    const c = (node as Inner).children;
    for (let i = 0; i < node.n; i++) this.#positiveZeros(c[i]!, level - 1);
  }

  /**
   * Checks every invariant (tests): order, counts, first entries, links,
   * fill. Throws a RangeError naming the first one broken.
   */
  validate(): void {
    const fail = (what: string): never => {
      throw new RangeError(`ZSetTree invariant broken: ${what}`);
    };
    let leaves = 0;
    let slots = 0;
    let inners = 0;
    let prevLeaf: Leaf | null = null;
    let prevScore = -Infinity;
    let prevMember: string | undefined;
    const walk = (node: TreeNode, level: number, isRoot: boolean): number => {
      if (level === 0) {
        const leaf = node as Leaf;
        leaves++;
        slots += leaf.scores.length;
        if (leaf.prev !== prevLeaf) fail("leaf back link");
        if (prevLeaf !== null && prevLeaf.next !== leaf) fail("leaf link");
        prevLeaf = leaf;
        // Appends at either end split a leaf unevenly: only the first and
        // last leaves may be short.
        const edge = leaf === this.#head || leaf === this.#tail;
        if (!edge && leaf.n < LEAF_MIN) fail("leaf underfull");
        if (!isRoot && leaf.n === 0) fail("empty leaf");
        if (leaf.n > LEAF_MAX) fail("leaf overfull");
        for (let i = 0; i < leaf.n; i++) {
          const s = leaf.scores[i]!;
          const m = leaf.members[i]!;
          if (
            prevMember !== undefined &&
            !(prevScore < s || (prevScore === s && prevMember < m))
          ) {
            fail(`order at ${m}`);
          }
          prevScore = s;
          prevMember = m;
        }
        return leaf.n;
      }
      const inner = node as Inner;
      inners++;
      if (!isRoot && inner.n < INNER_MIN) fail("inner underfull");
      if (isRoot && inner.n < 2) fail("root with one child");
      if (inner.n > INNER_MAX) fail("inner overfull");
      let total = 0;
      for (let i = 0; i < inner.n; i++) {
        const child = inner.children[i]!;
        const count = walk(child, level - 1, false);
        if (inner.counts[i] !== count) fail("count");
        if (
          !Object.is(inner.scores[i], child.scores[0]) ||
          inner.members[i] !== child.members[0]
        ) {
          fail("first entry copy");
        }
        total += count;
      }
      return total;
    };
    const total = walk(this.#root, this.#height, true);
    if (total !== this.#size) fail("size");
    if (prevLeaf !== this.#tail) fail("tail");
    if (leaves !== this.#leaves || slots !== this.#leafSlots) fail("leaves");
    if (inners !== this.#inners) fail("inner count");
  }
}
