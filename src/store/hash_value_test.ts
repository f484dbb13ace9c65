import { assert, assertEquals } from "../../tests/_deps.ts";
import { HashValue } from "./hash_value.ts";

const limits = { hashMaxListpackEntries: 128, hashMaxListpackValue: 64 };

Deno.test("HashValue keeps a listpack in insertion order", () => {
  const h = new HashValue();
  assert(h.set("b", "1", limits));
  assert(h.set("a", "2", limits));
  assert(!h.set("b", "3", limits));
  assertEquals(h.encoding(), "listpack");
  assertEquals(h.entries(), ["b", "3", "a", "2"]);
  assertEquals(h.fields(), ["b", "a"]);
  assertEquals(h.values(), ["3", "2"]);
  assertEquals(h.get("a"), "2");
  assertEquals(h.get("c"), undefined);
  assert(h.delete("b"));
  assert(!h.delete("b"));
  h.set("b", "4", limits);
  assertEquals(h.entries(), ["a", "2", "b", "4"]);
  assertEquals(h.size, 2);
});

Deno.test("HashValue converts when a field or value is too long", () => {
  const long = "x".repeat(65);
  const h1 = new HashValue();
  h1.set("a", "x".repeat(64), limits);
  assertEquals(h1.encoding(), "listpack");
  h1.set("b", long, limits);
  assertEquals(h1.encoding(), "hashtable");
  const h2 = new HashValue();
  h2.set(long, "1", limits);
  assertEquals(h2.encoding(), "hashtable");
  assertEquals(h2.get(long), "1");
});

Deno.test("HashValue converts past hash-max-listpack-entries, one way", () => {
  const small = { hashMaxListpackEntries: 2, hashMaxListpackValue: 64 };
  const h = new HashValue();
  h.set("a", "1", small);
  h.set("b", "2", small);
  assertEquals(h.encoding(), "listpack");
  h.set("b", "3", small);
  assertEquals(h.encoding(), "listpack");
  h.set("c", "4", small);
  assertEquals(h.encoding(), "hashtable");
  h.delete("c");
  h.delete("b");
  assertEquals(h.encoding(), "hashtable");
  assertEquals(h.entries(), ["a", "1"]);
});

Deno.test("HashValue.randomEntry and randomField return pairs from the hash", () => {
  let x = 1;
  const rand = (k: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor((x / 2147483648) * k);
  };
  for (const big of [false, true]) {
    const h = new HashValue();
    const lim = big ? { ...limits, hashMaxListpackEntries: 0 } : limits;
    for (const f of ["a", "b", "c"]) h.set(f, f.toUpperCase(), lim);
    assertEquals(h.encoding(), big ? "hashtable" : "listpack");
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const [f, v] = h.randomEntry(rand);
      assertEquals(v, f.toUpperCase());
      seen.add(h.randomField(rand));
    }
    assertEquals([...seen].sort(), ["a", "b", "c"]);
  }
});

Deno.test("HashValue.scan returns a listpack at once and walks a hash table", () => {
  const h = new HashValue();
  h.set("f", "v", limits);
  const got: string[] = [];
  assertEquals(h.scan(77, (f, v) => got.push(f, v)), 0);
  assertEquals(got, ["f", "v"]);
  const big = new HashValue();
  for (let i = 0; i < 500; i++) big.set(`f${i}`, `v${i}`, limits);
  const seen = new Map<string, string>();
  let cursor = 0;
  do {
    cursor = big.scan(cursor, (f, v) => seen.set(f, v));
  } while (cursor !== 0);
  assertEquals(seen.size, 500);
  assertEquals(seen.get("f7"), "v7");
});

Deno.test("HashValue.clone is independent and keeps the encoding", () => {
  for (const entries of [1, 200]) {
    const h = new HashValue();
    for (let i = 0; i < entries; i++) h.set(`f${i}`, "v", limits);
    const copy = h.clone();
    assertEquals(copy.encoding(), h.encoding());
    copy.set("new", "1", limits);
    assertEquals(h.size, entries);
    assertEquals(copy.size, entries + 1);
    assertEquals(copy.get("f0"), "v");
  }
});

Deno.test("HashValue converts at an update when the entry limit was lowered", () => {
  const h = new HashValue();
  for (const f of ["a", "b", "c"]) h.set(f, "1", limits);
  const lowered = { ...limits, hashMaxListpackEntries: 2 };
  assertEquals(h.encoding(), "listpack");
  assertEquals(h.set("a", "2", lowered), false);
  assertEquals(h.encoding(), "hashtable");
  assertEquals(h.get("a"), "2");
});

Deno.test("HashValue.fromPairs keeps the encoding it is given, whatever the limits", () => {
  const long = "v".repeat(100);
  const lp = HashValue.fromPairs(["f", long, "g", "1"], false);
  assertEquals([lp.encoding(), lp.entries(), lp.size], ["listpack", [
    "f",
    long,
    "g",
    "1",
  ], 2]);
  const copy = new HashValue();
  copy.set("f", long, {
    hashMaxListpackEntries: 128,
    hashMaxListpackValue: 1000,
  });
  copy.set("g", "1", limits);
  assertEquals(lp.bytes, copy.clone().bytes);
  const table = HashValue.fromPairs(["a", "1", "b", "2"], true);
  assertEquals([table.encoding(), table.get("b"), table.size], [
    "hashtable",
    "2",
    2,
  ]);
  // Later writes apply the limits to what they write, as Redis does.
  lp.set("h", "2", limits);
  assertEquals(lp.encoding(), "listpack");
  lp.set("i", long, limits);
  assertEquals(lp.encoding(), "hashtable");
});
