import { assertEquals } from "../../tests/_deps.ts";
import {
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  ZADD_XX,
  ZSetValue,
} from "./zset_value.ts";

const LIMITS = { zsetMaxListpackEntries: 3, zsetMaxListpackValue: 8 };

function contents(z: ZSetValue): [string, number][] {
  const out: [string, number][] = [];
  z.tree.forEach((m, s) => out.push([m, s]));
  return out;
}

Deno.test("ZSetValue add honours NX, XX, GT, LT and INCR like zsetAdd", () => {
  const z = new ZSetValue();
  assertEquals(z.add(1, "a", 0, LIMITS), ZADD_OUT_ADDED);
  assertEquals(z.add(2, "a", ZADD_NX, LIMITS), ZADD_OUT_NOP);
  assertEquals(z.add(2, "b", ZADD_XX, LIMITS), ZADD_OUT_NOP);
  assertEquals(z.add(0, "a", ZADD_GT, LIMITS), ZADD_OUT_NOP);
  assertEquals(z.add(5, "a", ZADD_GT, LIMITS), ZADD_OUT_UPDATED);
  assertEquals(z.add(6, "a", ZADD_LT, LIMITS), ZADD_OUT_NOP);
  assertEquals(z.add(5, "a", 0, LIMITS), 0);
  assertEquals(z.add(2.5, "a", ZADD_INCR, LIMITS), ZADD_OUT_UPDATED);
  assertEquals(z.newScore, 7.5);
  assertEquals(z.add(Infinity, "i", 0, LIMITS), ZADD_OUT_ADDED);
  assertEquals(z.add(-Infinity, "i", ZADD_INCR, LIMITS), ZADD_OUT_NAN);
  assertEquals(z.score("i"), Infinity);
  assertEquals(contents(z), [["a", 7.5], ["i", Infinity]]);
});

Deno.test("ZSetValue converts to skiplist past either listpack limit, never back", () => {
  const z = new ZSetValue();
  z.add(1, "a", 0, LIMITS);
  z.add(2, "b", 0, LIMITS);
  z.add(3, "c", 0, LIMITS);
  assertEquals(z.encoding(), "listpack");
  z.add(4, "d", 0, LIMITS);
  assertEquals(z.encoding(), "skiplist");
  z.delete("d");
  z.delete("c");
  assertEquals(z.encoding(), "skiplist");
  const long = new ZSetValue();
  long.add(1, "123456789", 0, LIMITS);
  assertEquals(long.encoding(), "skiplist");
  assertEquals(
    ZSetValue.forFirstMember(9, LIMITS).encoding(),
    "skiplist",
  );
  assertEquals(
    ZSetValue.forFirstMember(1, { ...LIMITS, zsetMaxListpackEntries: 0 })
      .encoding(),
    "skiplist",
  );
});

Deno.test("ZSetValue stores -0 as 0 only while listpack-encoded", () => {
  const lp = new ZSetValue(true);
  lp.add(-0, "a", 0, LIMITS);
  assertEquals(Object.is(lp.score("a"), 0), true);
  const sl = new ZSetValue(false);
  sl.add(-0, "a", 0, LIMITS);
  assertEquals(Object.is(sl.score("a"), -0), true);
  sl.convertToListpackIfNeeded(1, LIMITS);
  assertEquals(sl.encoding(), "listpack");
  assertEquals(Object.is(sl.score("a"), 0), true);
});

Deno.test("ZSetValue rank, range deletes and clone", () => {
  const z = new ZSetValue(false);
  for (let i = 0; i < 10; i++) z.add(i, `m${i}`, 0, LIMITS);
  assertEquals(z.rank("m3", false), 3);
  assertEquals(z.rank("m3", true), 6);
  assertEquals(z.rank("nope", false), -1);
  assertEquals(
    z.deleteRangeByScore({ min: 2, max: 4, minex: true, maxex: false }),
    2,
  );
  assertEquals(z.deleteRangeByRank(0, 1), 2);
  assertEquals(z.score("m0"), undefined);
  const copy = z.clone();
  assertEquals(contents(copy), contents(z));
  assertEquals(copy.encoding(), "skiplist");
  copy.delete("m9");
  assertEquals(z.score("m9"), 9);
});

Deno.test("ZSetValue scan visits every member once over a full iteration", () => {
  const z = new ZSetValue(false);
  for (let i = 0; i < 200; i++) z.add(i, `m${i}`, 0, LIMITS);
  const seen = new Set<string>();
  let cursor = 0;
  do {
    cursor = z.scan(cursor, (m) => seen.add(m));
  } while (cursor !== 0);
  assertEquals(seen.size, 200);
});
