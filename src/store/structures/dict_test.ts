/**
 * Dict: model-based and property tests. The SCAN tests check Redis's
 * guarantee (a key present for the whole iteration is returned at least
 * once) while the table grows, shrinks and loses other keys between steps.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import { Dict } from "./dict.ts";

// Seeded randomness so a failure can be replayed.
function mulberry32(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function keyName(i: number): string {
  // Binary-looking keys too: every byte value must hash and compare right.
  return i % 3 === 0 ? `k${i}` : String.fromCharCode(i & 0xff, i >> 8, 0x80);
}

function assertSameAsModel(dict: Dict<number>, model: Map<string, number>) {
  assertEquals(dict.size, model.size);
  for (const [k, v] of model) assertEquals(dict.get(k), v, `get ${k}`);
  assertEquals([...dict.keys()].sort(), [...model.keys()].sort());
}

// One full scan, calling `between` after every step (it may change the dict).
function fullScan(dict: Dict<number>, between: () => void = () => {}) {
  const seen: string[] = [];
  let cursor = 0;
  let steps = 0;
  do {
    cursor = dict.scan(cursor, (k) => {
      seen.push(k);
    });
    between();
    if (++steps > 1_000_000) throw new Error("scan does not terminate");
  } while (cursor !== 0);
  return seen;
}

Deno.test("Dict matches a Map under random inserts, updates and deletes", () => {
  for (const seed of [1, 2, 3]) {
    const rand = mulberry32(seed);
    const dict = new Dict<number>();
    const model = new Map<string, number>();
    for (let op = 0; op < 20000; op++) {
      const key = keyName(rand(2000));
      const r = rand(10);
      if (r < 6) {
        assertEquals(dict.set(key, op), !model.has(key));
        model.set(key, op);
      } else {
        assertEquals(dict.delete(key), model.delete(key));
      }
      assertEquals(dict.has(key), model.has(key));
      if (op % 1000 === 0) assertSameAsModel(dict, model);
    }
    assertSameAsModel(dict, model);
  }
});

Deno.test("Dict backward-shift deletion keeps every other key reachable", () => {
  // Fill a small table well past several resizes, then delete in random
  // order: after each delete every remaining key must still be found.
  const rand = mulberry32(7);
  const dict = new Dict<number>();
  const keys: string[] = [];
  for (let i = 0; i < 300; i++) {
    keys.push(keyName(i));
    dict.set(keyName(i), i);
  }
  while (keys.length > 0) {
    const [key] = keys.splice(rand(keys.length), 1);
    assertEquals(dict.delete(key!), true);
    assertEquals(dict.has(key!), false);
    for (const k of keys) assertEquals(dict.has(k), true, k);
  }
  assertEquals(dict.size, 0);
  assertEquals(dict.slots, 4);
});

Deno.test("Dict grows and shrinks its table with the number of entries", () => {
  const dict = new Dict<number>();
  for (let i = 0; i < 1000; i++) dict.set(keyName(i), i);
  assertEquals(dict.slots >= 1000 / 0.75, true);
  const big = dict.slots;
  for (let i = 0; i < 990; i++) dict.delete(keyName(i));
  assertEquals(dict.slots < big, true);
  assertEquals(dict.size, 10);
  for (let i = 990; i < 1000; i++) assertEquals(dict.get(keyName(i)), i);
});

Deno.test("Dict per-entry meta survives resizes and backward shifts", () => {
  const rand = mulberry32(11);
  const dict = new Dict<number>(0, true);
  const model = new Map<string, number>();
  for (let op = 0; op < 5000; op++) {
    const key = keyName(rand(500));
    if (rand(3) === 0) {
      dict.delete(key);
      model.delete(key);
    } else {
      dict.set(key, 0);
      const meta = rand(1 << 24);
      dict.setMetaAt(dict.indexOf(key), meta);
      model.set(key, meta);
    }
  }
  for (const [k, meta] of model) {
    assertEquals(dict.metaAt(dict.indexOf(k)), meta, k);
  }
});

Deno.test("Dict.scan without changes returns every key exactly once", () => {
  for (const n of [0, 1, 3, 4, 5, 100, 1000]) {
    const dict = new Dict<number>();
    for (let i = 0; i < n; i++) dict.set(keyName(i), i);
    const seen = fullScan(dict);
    assertEquals(seen.length, n);
    assertEquals(new Set(seen).size, n);
  }
});

Deno.test("Dict.scan returns every key present throughout while the table grows", () => {
  for (const seed of [1, 2, 3, 4]) {
    const rand = mulberry32(seed);
    const dict = new Dict<number>();
    const stable: string[] = [];
    for (let i = 0; i < 50; i++) {
      stable.push(`stable${i}`);
      dict.set(`stable${i}`, i);
    }
    let next = 0;
    const seen = new Set(fullScan(dict, () => {
      // Several doublings happen during the iteration (bounded, or the
      // iteration would chase an ever larger table, in Redis too).
      if (next > 2000) return;
      for (let j = rand(40); j > 0; j--) dict.set(`new${next++}`, 0);
    }));
    for (const k of stable) assertEquals(seen.has(k), true, k);
    assertEquals(next > 500, true);
  }
});

Deno.test("Dict.scan returns every key present throughout while the table shrinks", () => {
  for (const seed of [1, 2, 3, 4]) {
    const rand = mulberry32(seed);
    const dict = new Dict<number>();
    const stable: string[] = [];
    for (let i = 0; i < 300; i++) {
      stable.push(`stable${i}`);
      dict.set(`stable${i}`, i);
    }
    const doomed: string[] = [];
    for (let i = 0; i < 4000; i++) {
      doomed.push(`doomed${i}`);
      dict.set(`doomed${i}`, i);
    }
    const slotsBefore = dict.slots;
    const seen = new Set(fullScan(dict, () => {
      for (let j = 1 + rand(400); j > 0 && doomed.length > 0; j--) {
        dict.delete(doomed.splice(rand(doomed.length), 1)[0]!);
      }
    }));
    for (const k of stable) assertEquals(seen.has(k), true, k);
    assertEquals(dict.slots < slotsBefore, true);
  }
});

Deno.test("Dict.scan returns every key present throughout under random churn", () => {
  for (const seed of [5, 6, 7, 8, 9]) {
    const rand = mulberry32(seed);
    const dict = new Dict<number>();
    const stable = new Set<string>();
    for (let i = 0; i < 100; i++) {
      stable.add(`stable${i}`);
      dict.set(`stable${i}`, i);
    }
    const churn: string[] = [];
    let next = 0;
    const seen = new Set(fullScan(dict, () => {
      // Bursts of growth and of shrinking, so resizes go both ways.
      if (next > 3000) return;
      const grow = rand(2) === 0;
      for (let j = rand(100); j > 0; j--) {
        if (grow) {
          const k = `churn${next++}`;
          churn.push(k);
          dict.set(k, 0);
        } else if (churn.length > 0) {
          dict.delete(churn.splice(rand(churn.length), 1)[0]!);
        }
      }
    }));
    for (const k of stable) assertEquals(seen.has(k), true, k);
  }
});

Deno.test("Dict.scan ignores cursor bits above the table size", () => {
  const dict = new Dict<number>();
  for (let i = 0; i < 3; i++) dict.set(keyName(i), i);
  // A 4-slot table: only the low 2 bits name a bucket.
  const a: string[] = [];
  const b: string[] = [];
  const na = dict.scan(1, (k) => a.push(k));
  const nb = dict.scan(1 | (0xabcd << 2), (k) => b.push(k));
  assertEquals(a, b);
  assertEquals(na, nb);
  assertEquals(new Dict<number>().scan(12345, () => {}), 0);
});

Deno.test("Dict.randomKey returns only present keys, and every key in time", () => {
  const rand = mulberry32(3);
  const dict = new Dict<number>();
  assertEquals(dict.randomKey(rand), undefined);
  for (let i = 0; i < 200; i++) dict.set(keyName(i), i);
  for (let i = 0; i < 150; i++) dict.delete(keyName(i));
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const k = dict.randomKey(rand)!;
    assertEquals(dict.has(k), true);
    seen.add(k);
  }
  assertEquals(seen.size, 50);
});

Deno.test("Dict.sampleKeys returns up to count distinct present keys and covers the table", () => {
  const rand = mulberry32(4);
  const dict = new Dict<number>();
  assertEquals(dict.sampleKeys(5, rand), []);
  for (let i = 0; i < 300; i++) dict.set(keyName(i), i);
  const seen = new Set<string>();
  for (let round = 0; round < 500; round++) {
    const sample = dict.sampleKeys(20, rand);
    assertEquals(sample.length <= 20, true);
    assertEquals(sample.length > 0, true);
    assertEquals(new Set(sample).size, sample.length);
    for (const k of sample) {
      assertEquals(dict.has(k), true);
      seen.add(k);
    }
  }
  assertEquals(seen.size, 300);
  // Asking for more than there is gives each key once.
  const small = new Dict<number>();
  small.set("a", 1);
  small.set("b", 2);
  assertEquals(small.sampleKeys(10, rand).sort(), ["a", "b"]);
});

Deno.test("Dict.clear empties the table and it stays usable", () => {
  const dict = new Dict<number>(0, true);
  for (let i = 0; i < 100; i++) dict.set(keyName(i), i);
  dict.clear();
  assertEquals(dict.size, 0);
  assertEquals(dict.has(keyName(1)), false);
  dict.set("x", 1);
  assertEquals(dict.get("x"), 1);
  assertEquals(fullScan(dict), ["x"]);
});
