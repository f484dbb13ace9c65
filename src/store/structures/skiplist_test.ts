import { assertEquals } from "../../../tests/_deps.ts";
import {
  LEX_MAX,
  LEX_MIN,
  type LexRange,
  type ScoreRange,
  SkipList,
  type SkipNode,
} from "./skiplist.ts";

function members(list: SkipList): string[] {
  const out: string[] = [];
  list.forEach((n) => out.push(n.member));
  return out;
}

function backwards(list: SkipList): string[] {
  const out: string[] = [];
  for (let n = list.tail; n !== null; n = n.backward) out.push(n.member);
  return out;
}

function range(
  min: number,
  max: number,
  minex = false,
  maxex = false,
): ScoreRange {
  return { min, max, minex, maxex };
}

function lex(
  min: LexRange["min"],
  max: LexRange["max"],
  minex = false,
  maxex = false,
): LexRange {
  return { min, max, minex, maxex };
}

Deno.test("SkipList orders by score, then by member bytes", () => {
  const list = new SkipList();
  list.insert(2, "b");
  list.insert(1, "z");
  list.insert(2, "a");
  list.insert(2, "\xff");
  list.insert(2, "a\x00");
  list.insert(-Infinity, "m");
  assertEquals(members(list), ["m", "z", "a", "a\x00", "b", "\xff"]);
  assertEquals(backwards(list), ["\xff", "b", "a\x00", "a", "z", "m"]);
  assertEquals(list.length, 6);
});

Deno.test("SkipList rank and byRank agree over many random inserts and deletes", () => {
  const list = new SkipList();
  const model = new Map<string, number>();
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let step = 0; step < 4000; step++) {
    const member = `m${rand(500)}`;
    const existing = model.get(member);
    if (existing !== undefined && rand(3) === 0) {
      assertEquals(list.delete(existing, member), true);
      model.delete(member);
    } else if (existing === undefined) {
      const score = rand(50);
      list.insert(score, member);
      model.set(member, score);
    }
  }
  const sorted = [...model.entries()].sort((a, b) =>
    a[1] - b[1] || (a[0] < b[0] ? -1 : 1)
  );
  assertEquals(members(list), sorted.map((e) => e[0]));
  assertEquals(list.length, sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const [m, s] = sorted[i]!;
    assertEquals(list.rank(s, m), i + 1);
    assertEquals(list.byRank(i + 1)!.member, m);
  }
  assertEquals(list.rank(1, "absent"), 0);
  assertEquals(list.byRank(0), null);
  assertEquals(list.byRank(sorted.length + 1), null);
});

Deno.test("SkipList updateScore keeps order whether it moves the node or not", () => {
  const list = new SkipList();
  const nodes = new Map<string, SkipNode>();
  for (const [s, m] of [[1, "a"], [2, "b"], [3, "c"], [4, "d"]] as const) {
    nodes.set(m, list.insert(s, m));
  }
  list.updateScore(nodes.get("b")!, 2.5);
  assertEquals(members(list), ["a", "b", "c", "d"]);
  list.updateScore(nodes.get("a")!, 10);
  assertEquals(members(list), ["b", "c", "d", "a"]);
  assertEquals(backwards(list), ["a", "d", "c", "b"]);
  assertEquals(list.rank(10, "a"), 4);
});

Deno.test("SkipList score ranges honour exclusive bounds and infinities", () => {
  const list = new SkipList();
  for (let i = 1; i <= 5; i++) list.insert(i, `m${i}`);
  list.insert(Infinity, "inf");
  assertEquals(list.firstInRange(range(2, 4))!.member, "m2");
  assertEquals(list.lastInRange(range(2, 4))!.member, "m4");
  assertEquals(list.firstInRange(range(2, 4, true, true))!.member, "m3");
  assertEquals(list.lastInRange(range(2, 4, true, true))!.member, "m3");
  assertEquals(list.firstInRange(range(3, 3, true)), null);
  assertEquals(list.firstInRange(range(4, 3)), null);
  assertEquals(list.firstInRange(range(5.5, 6)), null);
  assertEquals(list.lastInRange(range(-Infinity, 0.5)), null);
  assertEquals(list.lastInRange(range(Infinity, Infinity))!.member, "inf");
  assertEquals(list.firstInRange(range(-Infinity, Infinity))!.member, "m1");
});

Deno.test("SkipList lex ranges follow Redis's bounds", () => {
  const list = new SkipList();
  for (const m of ["a", "b", "c", "d", "e"]) list.insert(0, m);
  assertEquals(list.firstInLexRange(lex(LEX_MIN, LEX_MAX))!.member, "a");
  assertEquals(list.lastInLexRange(lex(LEX_MIN, LEX_MAX))!.member, "e");
  assertEquals(list.firstInLexRange(lex("b", "d", true))!.member, "c");
  assertEquals(list.lastInLexRange(lex("b", "d", false, true))!.member, "c");
  assertEquals(list.firstInLexRange(lex("bb", "c"))!.member, "c");
  assertEquals(list.firstInLexRange(lex("c", "c", true)), null);
  assertEquals(list.firstInLexRange(lex(LEX_MAX, LEX_MAX)), null);
  assertEquals(list.firstInLexRange(lex(LEX_MIN, LEX_MIN, true, true)), null);
  assertEquals(list.firstInLexRange(lex("d", "b")), null);
  assertEquals(list.firstInLexRange(lex("b", "d"), true)!.member, "b");
  assertEquals(list.lastInLexRange(lex("b", "d"), true)!.member, "d");
});

Deno.test("SkipList deleteFrom and deleteRankRange remove runs and fix links", () => {
  const list = new SkipList();
  for (let i = 1; i <= 100; i++) {
    list.insert(i, `m${String(i).padStart(3, "0")}`);
  }
  const gone: string[] = [];
  const n = list.deleteFrom(
    list.firstInRange(range(10, 20))!,
    (x) => x.score <= 20,
    (x) => gone.push(x.member),
  );
  assertEquals(n, 11);
  assertEquals(gone[0], "m010");
  assertEquals(list.length, 89);
  assertEquals(list.deleteRankRange(1, 5, () => {}), 5);
  assertEquals(list.first!.member, "m006");
  assertEquals(list.deleteRankRange(80, 84, () => {}), 5);
  assertEquals(list.tail!.member, "m095");
  assertEquals(list.length, 79);
  for (let i = 1; i <= list.length; i++) {
    const node = list.byRank(i)!;
    assertEquals(list.rank(node.score, node.member), i);
  }
  assertEquals(backwards(list).length, 79);
});
