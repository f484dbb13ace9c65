import { assertEquals } from "../../../tests/_deps.ts";
import {
  LEX_MAX,
  LEX_MIN,
  lexGteMin,
  type LexItem,
  lexLteMax,
  type LexRange,
  lexRangeEmpty,
  type ScoreRange,
  ZSetTree,
} from "./zset_tree.ts";

type Entry = [number, string];

function rng(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function before(a: Entry, b: Entry): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The simple model: entries in a sorted array. */
class Model {
  readonly entries: Entry[] = [];

  indexOf(score: number, member: string): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.entries[mid]!, [score, member])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(score: number, member: string): void {
    this.entries.splice(this.indexOf(score, member), 0, [score, member]);
  }

  delete(score: number, member: string): void {
    const i = this.indexOf(score, member);
    assertEquals(this.entries[i]![1], member);
    this.entries.splice(i, 1);
  }

  scoreRank(v: number, after: boolean): number {
    return this.entries.filter(([s]) => s < v || (after && s === v)).length;
  }
}

function contents(tree: ZSetTree): Entry[] {
  const out: Entry[] = [];
  tree.forEach((m, s) => out.push([s, m]));
  return out;
}

function walk(tree: ZSetTree, rank: number, forward: boolean, n: number) {
  const out: Entry[] = [];
  const c = tree.cursor(rank);
  for (let i = 0; i < n && c.valid; i++) {
    out.push([c.score, c.member]);
    if (forward) c.next();
    else c.prev();
  }
  return out;
}

Deno.test("ZSetTree orders by score, then by member bytes", () => {
  const tree = new ZSetTree();
  tree.insert(2, "b");
  tree.insert(1, "z");
  tree.insert(2, "a");
  tree.insert(2, "\xff");
  tree.insert(2, "a\x00");
  tree.insert(-Infinity, "m");
  tree.insert(-0, "n");
  tree.insert(0, "c");
  assertEquals(contents(tree).map((e) => e[1]), [
    "m",
    "c",
    "n",
    "z",
    "a",
    "a\x00",
    "b",
    "\xff",
  ]);
  const back: string[] = [];
  tree.forEachReverse((m) => back.push(m));
  assertEquals(back, ["\xff", "b", "a\x00", "a", "z", "n", "c", "m"]);
  assertEquals(tree.size, 8);
  assertEquals(Object.is(tree.scoreAt(2), -0), true);
  assertEquals([tree.firstMember, tree.lastMember], ["m", "\xff"]);
  assertEquals([tree.firstScore, tree.lastScore], [-Infinity, 2]);
  tree.validate();
});

Deno.test("ZSetTree matches a sorted array over random inserts, deletes, updates and pops", () => {
  for (const seed of [1, 2, 3]) {
    const rand = rng(seed);
    const tree = new ZSetTree();
    const model = new Model();
    const scores = new Map<string, number>();
    let maxInners = 0;
    // Phases: grow to thousands (several levels), churn, then shrink to
    // nothing (merges, redistributions, the root collapsing).
    const steps = 30_000;
    for (let step = 0; step < steps; step++) {
      const phase = step < 12_000 ? 0 : step < 20_000 ? 1 : 2;
      const member = `m${rand(6000)}`;
      const old = scores.get(member);
      const op = rand(10);
      const score = rand(4) === 0 ? rand(50) : rand(100_000) / 7;
      if (old === undefined && (phase === 0 || (phase === 1 && op < 5))) {
        tree.insert(score, member);
        model.insert(score, member);
        scores.set(member, score);
      } else if (old !== undefined && op < 3 && phase < 2) {
        tree.update(old, member, score);
        model.delete(old, member);
        model.insert(score, member);
        scores.set(member, score);
      } else if (old !== undefined && op < 6) {
        assertEquals(tree.delete(old, member), true);
        model.delete(old, member);
        scores.delete(member);
      } else if (tree.size !== 0 && (op < 8 || phase === 2)) {
        const rank = op === 6 ? 0 : op === 7 ? tree.size - 1 : rand(tree.size);
        const [s, m] = model.entries[rank]!;
        assertEquals(tree.deleteAt(rank), m);
        assertEquals(tree.removedScore, s);
        model.entries.splice(rank, 1);
        scores.delete(m);
      } else if (old !== score) {
        assertEquals(tree.delete(score, member), false);
      }
      assertEquals(tree.size, model.entries.length);
      maxInners = Math.max(maxInners, tree.innerCount);
      if (step % 500 === 0 || tree.size < 70) {
        tree.validate();
        assertEquals(contents(tree), model.entries);
      }
      if (step % 97 === 0 && tree.size !== 0) {
        const e = model.entries;
        const r = rand(e.length);
        assertEquals(tree.rank(e[r]![0], e[r]![1]), r);
        assertEquals(tree.rank(e[r]![0], e[r]![1] + "x"), -1);
        assertEquals(tree.memberAt(r), e[r]![1]);
        assertEquals(tree.scoreAt(r), e[r]![0]);
        assertEquals(walk(tree, r, true, 150), e.slice(r, r + 150));
        assertEquals(
          walk(tree, r, false, 150),
          e.slice(Math.max(0, r - 149), r + 1).reverse(),
        );
        const v = rand(3) === 0 ? e[rand(e.length)]![0] : rand(100_000) / 7;
        assertEquals(tree.scoreRank(v, false), model.scoreRank(v, false));
        assertEquals(tree.scoreRank(v, true), model.scoreRank(v, true));
        assertEquals([tree.firstMember, tree.lastMember], [
          e[0]![1],
          e[e.length - 1]![1],
        ]);
      }
    }
    // The tree was three levels deep at its largest.
    assertEquals(maxInners > 1, true);
    assertEquals(tree.size, 0);
    tree.validate();
    assertEquals(tree.cursor(0).valid, false);
    assertEquals([tree.leafCount, tree.leafSlots, tree.innerCount], [1, 4, 0]);
  }
});

Deno.test("ZSetTree ascending, descending and front-popping workloads keep leaves full and valid", () => {
  const up = new ZSetTree();
  for (let i = 0; i < 20_000; i++) up.insert(i, "m");
  up.validate();
  // Appends leave full leaves: about 20000 / 64 of them.
  assertEquals(up.leafCount <= 20_000 / 64 + 2, true);
  const down = new ZSetTree();
  for (let i = 20_000; i > 0; i--) down.insert(i, "m");
  down.validate();
  assertEquals(down.leafCount <= 20_000 / 64 + 2, true);
  // A queue: pop the lowest, push a higher one.
  for (let i = 0; i < 50_000; i++) {
    assertEquals(up.deleteAt(0), "m");
    assertEquals(up.removedScore, i);
    up.insert(20_000 + i, "m");
    if (i % 5000 === 0) up.validate();
  }
  for (let i = 0; i < 20_000; i++) down.deleteAt(down.size - 1);
  down.validate();
  assertEquals(down.size, 0);
});

Deno.test("ZSetTree update moves an entry or changes it in place", () => {
  const tree = new ZSetTree();
  for (let i = 0; i < 1000; i++) tree.insert(i, `m${i}`);
  tree.update(500, "m500", 500.5);
  assertEquals(tree.rank(500.5, "m500"), 500);
  tree.update(0, "m0", 2000);
  assertEquals(tree.rank(2000, "m0"), 999);
  assertEquals(tree.firstMember, "m1");
  tree.update(1, "m1", -5);
  assertEquals([tree.firstMember, tree.firstScore], ["m1", -5]);
  tree.update(999, "m999", 999);
  tree.update(2000, "m0", 998.5);
  assertEquals(tree.rank(998.5, "m0"), 998);
  // Equal scores on either side: moves by member order.
  tree.update(3, "m3", 2);
  assertEquals(tree.memberAt(1), "m2");
  assertEquals(tree.memberAt(2), "m3");
  tree.validate();
});

Deno.test("ZSetTree score ranges honour exclusive bounds and infinities", () => {
  const tree = new ZSetTree();
  for (let i = 1; i <= 5; i++) tree.insert(i, `m${i}`);
  tree.insert(Infinity, "inf");
  tree.insert(-Infinity, "-inf");
  const range = (
    min: number,
    max: number,
    minex = false,
    maxex = false,
  ): [number, number] => {
    const r: ScoreRange = { min, max, minex, maxex };
    return [tree.rangeStart(r), tree.rangeEnd(r)];
  };
  assertEquals(range(2, 4), [2, 5]);
  assertEquals(range(2, 4, true, true), [3, 4]);
  assertEquals(range(3, 3, true), [4, 4]);
  assertEquals(range(5.5, 6), [6, 6]);
  assertEquals(range(-Infinity, Infinity), [0, 7]);
  assertEquals(range(-Infinity, Infinity, true, true), [1, 6]);
  assertEquals(range(Infinity, Infinity), [6, 7]);
});

function lex(
  min: LexItem,
  max: LexItem,
  minex = false,
  maxex = false,
): LexRange {
  return { min, max, minex, maxex };
}

// What Redis does on a listpack: nothing if the range is empty or the ends
// are out of it (zzlIsInLexRange); else the first entry at or above min, if
// it is at or below max (and the mirror image for the last).
function possible(e: Entry[], r: LexRange): boolean {
  return !lexRangeEmpty(r) && e.length !== 0 &&
    lexGteMin(e[e.length - 1]![1], r) && lexLteMax(e[0]![1], r);
}

function linearFirst(e: Entry[], r: LexRange): number {
  if (!possible(e, r)) return -1;
  const i = e.findIndex(([, m]) => lexGteMin(m, r));
  return i >= 0 && lexLteMax(e[i]![1], r) ? i : -1;
}

function linearLast(e: Entry[], r: LexRange): number {
  if (!possible(e, r)) return -1;
  let i = e.length - 1;
  while (i >= 0 && !lexLteMax(e[i]![1], r)) i--;
  return i >= 0 && lexGteMin(e[i]![1], r) ? i : -1;
}

Deno.test("ZSetTree lex ranges follow Redis's bounds", () => {
  const tree = new ZSetTree();
  for (const m of ["a", "b", "c", "d", "e"]) tree.insert(0, m);
  for (const linear of [false, true]) {
    assertEquals(tree.lexFirst(lex(LEX_MIN, LEX_MAX), linear), 0);
    assertEquals(tree.lexLast(lex(LEX_MIN, LEX_MAX), linear), 4);
    assertEquals(tree.lexFirst(lex("b", "d", true), linear), 2);
    assertEquals(tree.lexLast(lex("b", "d", false, true), linear), 2);
    assertEquals(tree.lexFirst(lex("bb", "c"), linear), 2);
    assertEquals(tree.lexFirst(lex("c", "c", true), linear), -1);
    assertEquals(tree.lexFirst(lex(LEX_MAX, LEX_MAX), linear), -1);
    assertEquals(tree.lexFirst(lex(LEX_MIN, LEX_MIN, true, true), linear), -1);
    assertEquals(tree.lexFirst(lex("d", "b"), linear), -1);
    assertEquals(tree.lexFirst(lex("f", LEX_MAX), linear), -1);
    assertEquals(tree.lexLast(lex(LEX_MIN, "\x00"), linear), -1);
  }
});

Deno.test("ZSetTree lex searches over equal scores agree with a linear walk on large trees", () => {
  const rand = rng(9);
  const tree = new ZSetTree();
  const model = new Model();
  const seen = new Set<string>();
  while (tree.size < 8000) {
    const m = String(rand(1_000_000));
    if (seen.has(m)) continue;
    seen.add(m);
    tree.insert(0, m);
    model.insert(0, m);
  }
  const bound = (): LexItem => {
    const k = rand(20);
    return k === 0 ? LEX_MIN : k === 1 ? LEX_MAX : String(rand(1_100_000));
  };
  for (let i = 0; i < 2000; i++) {
    const r = lex(bound(), bound(), rand(2) === 0, rand(2) === 0);
    const first = linearFirst(model.entries, r);
    const last = linearLast(model.entries, r);
    assertEquals(tree.lexFirst(r, false), first);
    assertEquals(tree.lexLast(r, false), last);
    assertEquals(tree.lexFirst(r, true), first);
    assertEquals(tree.lexLast(r, true), last);
  }
});

Deno.test("ZSetTree linear lex searches walk mixed scores as a listpack does", () => {
  const rand = rng(11);
  const tree = new ZSetTree();
  const model = new Model();
  const members = ["a", "b", "c", "d", "e", "aa", "ab", "", "\x00", "\xff"];
  for (const m of members) {
    const s = rand(4);
    tree.insert(s, m);
    model.insert(s, m);
  }
  const items: LexItem[] = [LEX_MIN, LEX_MAX, ...members, "b\x00", "zz"];
  for (const min of items) {
    for (const max of items) {
      for (const ex of [0, 1, 2, 3]) {
        const r = lex(min, max, (ex & 1) !== 0, (ex & 2) !== 0);
        assertEquals(tree.lexFirst(r, true), linearFirst(model.entries, r));
        assertEquals(tree.lexLast(r, true), linearLast(model.entries, r));
      }
    }
  }
});

Deno.test("ZSetTree positiveZeros turns -0 into 0 everywhere", () => {
  const tree = new ZSetTree();
  for (let i = 0; i < 3000; i++) tree.insert(-0, `m${String(i).padStart(4)}`);
  tree.positiveZeros();
  tree.validate();
  let negative = 0;
  tree.forEach((_, s) => {
    if (Object.is(s, -0)) negative++;
  });
  assertEquals(negative, 0);
});

Deno.test("ZSetTree deleteRange removes a few one by one and many by rebuilding", () => {
  const rand = rng(5);
  for (const size of [10, 300, 5000]) {
    for (let round = 0; round < 20; round++) {
      const tree = new ZSetTree();
      const model = new Model();
      for (let i = 0; i < size; i++) {
        const s = rand(size);
        tree.insert(s, `m${i}`);
        model.insert(s, `m${i}`);
      }
      const start = rand(size);
      const count = rand(2) === 0 ? rand(size - start) + 1 : 1 + rand(3);
      const n = Math.min(count, size - start);
      const removed: Entry[] = [];
      tree.deleteRange(start, n, (m, s) => removed.push([s, m]));
      assertEquals(removed, model.entries.splice(start, n));
      tree.validate();
      assertEquals(contents(tree), model.entries);
    }
  }
});

Deno.test("ZSetTree update moves entries within a leaf and across leaves", () => {
  const rand = rng(6);
  const tree = new ZSetTree();
  const model = new Model();
  const scores: number[] = [];
  for (let i = 0; i < 3000; i++) {
    scores.push(rand(1000));
    tree.insert(scores[i]!, `m${i}`);
    model.insert(scores[i]!, `m${i}`);
  }
  for (let step = 0; step < 20_000; step++) {
    const i = rand(3000);
    // Mostly small steps (within a leaf), sometimes far.
    const next = rand(5) === 0 ? rand(1000) : scores[i]! + rand(9) - 4;
    tree.update(scores[i]!, `m${i}`, next);
    model.delete(scores[i]!, `m${i}`);
    model.insert(next, `m${i}`);
    scores[i] = next;
    if (step % 1000 === 0) {
      tree.validate();
      assertEquals(contents(tree), model.entries);
    }
  }
  tree.validate();
  assertEquals(contents(tree), model.entries);
});
