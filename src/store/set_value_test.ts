import { assert, assertEquals } from "../../tests/_deps.ts";
import { compareIntText, isIntsetMember, SetValue } from "./set_value.ts";

const limits = { setMaxIntsetEntries: 512 };

function seq(n: number): () => (k: number) => number {
  // A deterministic pseudo-random source for the tests.
  let x = n;
  return () => (k: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor((x / 2147483648) * k);
  };
}

Deno.test("isIntsetMember accepts exactly what string2ll accepts", () => {
  for (
    const s of [
      "0",
      "1",
      "-1",
      "42",
      "9223372036854775807",
      "-9223372036854775808",
    ]
  ) {
    assert(isIntsetMember(s), s);
  }
  for (
    const s of [
      "",
      "-",
      "-0",
      "007",
      "+1",
      " 1",
      "1 ",
      "1.0",
      "9223372036854775808",
      "-9223372036854775809",
      "99999999999999999999",
      "a",
    ]
  ) {
    assert(!isIntsetMember(s), s);
  }
});

Deno.test("compareIntText orders integer texts numerically", () => {
  const values = [
    "-9223372036854775808",
    "-100",
    "-99",
    "-1",
    "0",
    "1",
    "9",
    "10",
    "9223372036854775807",
  ];
  const shuffled = [...values].reverse();
  shuffled.sort(compareIntText);
  assertEquals(shuffled, values);
  assertEquals(compareIntText("5", "5"), 0);
});

Deno.test("SetValue starts as an intset and keeps members sorted", () => {
  const s = SetValue.forMember("3");
  for (const m of ["3", "-2", "10", "1", "3"]) s.add(m, limits);
  assertEquals(s.encoding(), "intset");
  assertEquals(s.members(), ["-2", "1", "3", "10"]);
  assertEquals(s.size, 4);
  assert(s.has("10"));
  assert(!s.has("010"));
  assert(!s.has("x"));
  assert(s.delete("1"));
  assert(!s.delete("1"));
  assertEquals(s.members(), ["-2", "3", "10"]);
});

Deno.test("SetValue converts to a hash table for a non-integer member", () => {
  const s = SetValue.forMember("1");
  s.add("1", limits);
  assert(s.add("a", limits));
  assertEquals(s.encoding(), "hashtable");
  assertEquals(s.members().sort(), ["1", "a"]);
  // One-way: removing the non-integer keeps the hash table.
  s.delete("a");
  assertEquals(s.encoding(), "hashtable");
});

Deno.test("SetValue converts past set-max-intset-entries", () => {
  const s = new SetValue();
  const small = { setMaxIntsetEntries: 3 };
  for (const m of ["1", "2", "3"]) s.add(m, small);
  assertEquals(s.encoding(), "intset");
  s.add("3", small);
  assertEquals(s.encoding(), "intset");
  s.add("4", small);
  assertEquals(s.encoding(), "hashtable");
  assertEquals(s.size, 4);
  const zero = new SetValue();
  zero.add("1", { setMaxIntsetEntries: 0 });
  assertEquals(zero.encoding(), "hashtable");
});

Deno.test("SetValue.forMember picks the encoding from the first member", () => {
  assertEquals(SetValue.forMember("12").encoding(), "intset");
  assertEquals(SetValue.forMember("x").encoding(), "hashtable");
  assertEquals(SetValue.forMember("012").encoding(), "hashtable");
});

Deno.test("SetValue.random returns members, each of them eventually", () => {
  const rand = seq(7)();
  for (const first of ["1", "a"]) {
    const s = SetValue.forMember(first);
    const members = first === "1" ? ["1", "2", "3", "4"] : ["a", "b", "c"];
    for (const m of members) s.add(m, limits);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(s.random(rand));
    assertEquals([...seen].sort(), members);
  }
});

Deno.test("SetValue.scan reports an intset at once and walks a hash table", () => {
  const ints = SetValue.forMember("1");
  for (let i = 0; i < 5; i++) ints.add(String(i), limits);
  const got: string[] = [];
  assertEquals(ints.scan(123, (m) => got.push(m)), 0);
  assertEquals(got, ["0", "1", "2", "3", "4"]);

  const table = SetValue.forMember("m");
  for (let i = 0; i < 1000; i++) table.add(`m${i}`, limits);
  const seen = new Set<string>();
  let cursor = 0;
  do {
    cursor = table.scan(cursor, (m) => seen.add(m));
  } while (cursor !== 0);
  assertEquals(seen.size, 1000);
});

Deno.test("SetValue.clone is independent and keeps the encoding", () => {
  for (const first of ["1", "a"]) {
    const s = SetValue.forMember(first);
    s.add(first, limits);
    s.add("2", limits);
    const copy = s.clone();
    assertEquals(copy.encoding(), s.encoding());
    copy.add("3", limits);
    assertEquals(s.size, 2);
    assertEquals(copy.size, 3);
    assertEquals(copy.members().sort(), [...s.members(), "3"].sort());
  }
});

Deno.test("SetValue.every stops at the first false", () => {
  for (const first of ["1", "a"]) {
    const s = SetValue.forMember(first);
    for (const m of [first, "2", "3", "4"]) s.add(m, limits);
    let calls = 0;
    assertEquals(s.every(() => ++calls < 2), false);
    assertEquals(calls, 2);
    assertEquals(s.every(() => true), true);
  }
});
