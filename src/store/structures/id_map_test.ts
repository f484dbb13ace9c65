import { assertEquals } from "../../../tests/_deps.ts";
import { IdMap } from "./id_map.ts";
import { StreamId } from "./stream_id.ts";

function id(n: number): StreamId {
  return StreamId.of(Math.floor(n / 3), n % 3);
}

Deno.test("IdMap keeps keys ordered through random inserts and deletes", () => {
  const map = new IdMap<number>();
  const ref = new Map<number, number>();
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 20000; i++) {
    const k = rnd(3000);
    if (rnd(3) === 0) {
      assertEquals(map.delete(id(k)), ref.delete(k));
    } else {
      assertEquals(map.set(id(k), i), !ref.has(k));
      ref.set(k, i);
    }
  }
  const keys = [...ref.keys()].sort((a, b) => a - b);
  assertEquals(map.size, keys.length);
  assertEquals(
    map.entriesFrom(undefined).map(([k, v]) => [String(k), v]),
    keys.map((k) => [String(id(k)), ref.get(k)]),
  );
  assertEquals(map.firstKey()?.toString(), String(id(keys[0]!)));
  assertEquals(map.lastKey()?.toString(), String(id(keys[keys.length - 1]!)));
  for (const k of [0, 1, 1500, 2999]) assertEquals(map.get(id(k)), ref.get(k));
});

Deno.test("IdMap entriesFrom starts at the first key not below the start", () => {
  const map = new IdMap<string>();
  for (let i = 0; i < 1000; i += 2) map.set(id(i), `v${i}`);
  assertEquals(map.entriesFrom(id(501), 3).map(([, v]) => v), [
    "v502",
    "v504",
    "v506",
  ]);
  assertEquals(map.entriesFrom(id(998)).map(([, v]) => v), ["v998"]);
  assertEquals(map.entriesFrom(id(999)), []);
  let seen = 0;
  map.forEachFrom(id(0), () => ++seen < 5);
  assertEquals(seen, 5);
});

Deno.test("IdMap empties chunks and appends in order", () => {
  const map = new IdMap<number>();
  for (let i = 0; i < 300; i++) map.set(id(i), i);
  for (let i = 0; i < 300; i++) assertEquals(map.delete(id(i)), true);
  assertEquals(map.size, 0);
  assertEquals(map.firstKey(), undefined);
  assertEquals(map.delete(id(1)), false);
  map.set(id(5), 5);
  assertEquals(map.values(), [5]);
});
