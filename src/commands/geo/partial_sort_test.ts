import { assertEquals } from "../../../tests/_deps.ts";
import { partialSort } from "./partial_sort.ts";

function byValue(a: { v: number }, b: { v: number }): number {
  return a.v > b.v ? 1 : a.v === b.v ? 0 : -1;
}

Deno.test("partialSort puts the smallest values first", () => {
  let seed = 42;
  for (let round = 0; round < 200; round++) {
    const n = 1 + (round % 120);
    const items = Array.from({ length: n }, (_, i) => {
      seed = (seed * 16807) % 2147483647;
      return { v: seed % 50, i };
    });
    const k = 1 + (seed % n);
    const sorted = [...items].sort(byValue).map((x) => x.v);
    partialSort(items, { compare: byValue, count: k });
    assertEquals(items.slice(0, k).map((x) => x.v), sorted.slice(0, k));
  }
});

Deno.test("partialSort leaves ties where Redis's pqsort leaves them", () => {
  // Seven equal distances with COUNT 2: Redis answers the 4th then the 2nd.
  const items = Array.from({ length: 7 }, (_, i) => ({ v: 0, i }));
  partialSort(items, { compare: byValue, count: 2 });
  assertEquals(items.map((x) => x.i), [3, 1, 2, 0, 4, 5, 6]);
});
