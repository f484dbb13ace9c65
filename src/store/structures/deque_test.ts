import { assertEquals } from "../../../tests/_deps.ts";
import { CHUNK, Deque } from "./deque.ts";

// A deterministic generator so failures reproduce.
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function check(d: Deque<string>, model: string[], what: string): void {
  assertEquals(d.length, model.length, `${what}: length`);
  assertEquals(d.toArray(), model, `${what}: contents`);
  for (let i = 0; i < model.length; i += 1 + (model.length >> 4)) {
    assertEquals(d.at(i), model[i], `${what}: at(${i})`);
  }
}

Deno.test("Deque pushes and pops at both ends in order", () => {
  const d = new Deque<string>();
  d.pushBack("b");
  d.pushFront("a");
  d.pushBack("c");
  assertEquals(d.toArray(), ["a", "b", "c"]);
  assertEquals(d.first(), "a");
  assertEquals(d.last(), "c");
  assertEquals(d.popFront(), "a");
  assertEquals(d.popBack(), "c");
  assertEquals(d.popBack(), "b");
  assertEquals(d.popBack(), undefined);
  assertEquals(d.popFront(), undefined);
  assertEquals(d.length, 0);
});

Deno.test("Deque grows past one chunk from either end and back", () => {
  const n = CHUNK * 5 + 3;
  const d = new Deque<string>();
  const model: string[] = [];
  for (let i = 0; i < n; i++) {
    d.pushFront(`f${i}`);
    model.unshift(`f${i}`);
    d.pushBack(`b${i}`);
    model.push(`b${i}`);
  }
  check(d, model, "after growth");
  assertEquals(d.chunkCount > 1, true);
  for (let i = 0; i < n; i++) {
    assertEquals(d.popBack(), model.pop());
    assertEquals(d.popFront(), model.shift());
  }
  check(d, model, "after draining");
  assertEquals(d.chunkCount, 0);
});

Deno.test("Deque slice returns ranges in order and reversed", () => {
  const items = Array.from({ length: CHUNK * 3 }, (_, i) => String(i));
  const d = new Deque(items);
  d.pushFront("x");
  items.unshift("x");
  assertEquals(d.slice(0, 0), []);
  assertEquals(d.slice(5, 10), items.slice(5, 15));
  assertEquals(d.slice(CHUNK - 3, 10), items.slice(CHUNK - 3, CHUNK + 7));
  assertEquals(
    d.slice(CHUNK - 3, 10, true),
    items.slice(CHUNK - 3, CHUNK + 7).reverse(),
  );
  assertEquals(d.slice(0, items.length), items);
});

Deno.test("Deque scan stops where the callback says, in both directions", () => {
  const items = Array.from({ length: CHUNK * 2 + 5 }, (_, i) => String(i % 7));
  const d = new Deque(items);
  assertEquals(d.scan(0, false, (v) => v === "3"), 3);
  assertEquals(d.scan(4, false, (v) => v === "3"), 10);
  assertEquals(d.scan(items.length - 1, true, (v) => v === "3"), 255);
  assertEquals(d.scan(0, false, (v) => v === "nope"), -1);
  const seen: number[] = [];
  d.scan(CHUNK - 2, false, (_v, i) => {
    seen.push(i);
    return seen.length === 4;
  });
  assertEquals(seen, [CHUNK - 2, CHUNK - 1, CHUNK, CHUNK + 1]);
});

Deno.test("Deque clone is independent", () => {
  for (const n of [3, CHUNK * 3]) {
    const items = Array.from({ length: n }, (_, i) => String(i));
    const d = new Deque(items);
    const c = d.clone();
    d.set(0, "changed");
    d.pushBack("more");
    assertEquals(c.toArray(), items);
    c.pushFront("front");
    assertEquals(c.length, n + 1);
    assertEquals(d.at(0), "changed");
  }
});

Deno.test("Deque matches an array model under random operations", () => {
  for (const seed of [1, 2, 3, 42]) {
    const r = rng(seed);
    const d = new Deque<string>();
    const model: string[] = [];
    let counter = 0;
    let maxChunks = 0;
    for (let step = 0; step < 20000; step++) {
      maxChunks = Math.max(maxChunks, d.chunkCount);
      const op = r(100);
      const len = model.length;
      if (op < 30) {
        const v = String(counter++);
        d.pushBack(v);
        model.push(v);
      } else if (op < 55) {
        const v = String(counter++);
        d.pushFront(v);
        model.unshift(v);
      } else if (op < 68) {
        assertEquals(d.popFront(), model.shift());
      } else if (op < 80) {
        assertEquals(d.popBack(), model.pop());
      } else if (op < 85) {
        const i = r(len + 1);
        const v = String(counter++);
        d.insert(i, v);
        model.splice(i, 0, v);
      } else if (op < 89 && len > 0) {
        const i = r(len);
        d.removeAt(i);
        model.splice(i, 1);
      } else if (op < 92 && len > 0) {
        const i = r(len);
        const v = String(counter++);
        d.set(i, v);
        model[i] = v;
      } else if (op < 94) {
        const n = r(len + 2);
        d.dropFront(n);
        model.splice(0, n);
      } else if (op < 96) {
        const n = r(len + 2);
        d.dropBack(n);
        model.splice(Math.max(0, len - n), n);
      } else if (op < 99 && len > 0) {
        const picks = new Set<number>();
        const k = 1 + r(Math.min(len, 8));
        for (let j = 0; j < k; j++) picks.add(r(len));
        const sorted = [...picks].sort((a, b) => a - b);
        d.removeIndexes(sorted);
        for (let j = sorted.length - 1; j >= 0; j--) {
          model.splice(sorted[j]!, 1);
        }
      } else {
        // Bulk growth so the chunked layout gets exercised.
        for (let j = 0; j < 300; j++) {
          const v = String(counter++);
          if (j & 1) {
            d.pushFront(v);
            model.unshift(v);
          } else {
            d.pushBack(v);
            model.push(v);
          }
        }
      }
      if (step % 97 === 0) check(d, model, `seed ${seed} step ${step}`);
    }
    check(d, model, `seed ${seed} end`);
    assertEquals(maxChunks > 3, true, "the chunked layout was exercised");
  }
});

Deno.test("Deque removeIndexes removes near either end cheaply and correctly", () => {
  const n = CHUNK * 4;
  const items = Array.from({ length: n }, (_, i) => String(i));
  const d = new Deque(items);
  d.removeIndexes([0, 2, 5]);
  d.removeIndexes([d.length - 1, d.length - 3].sort((a, b) => a - b));
  const model = items.filter((_, i) => ![0, 2, 5, n - 1, n - 3].includes(i));
  assertEquals(d.toArray(), model);
});
