import { assertEquals } from "../../../tests/_deps.ts";
import { lpIntSize, lpStringSize, StreamEntries } from "./stream_entries.ts";
import { MAX_ID, MIN_ID, StreamId } from "./stream_id.ts";

const LIMITS = { maxBytes: 4096, maxEntries: 100 };

function id(ms: number, seq = 0): StreamId {
  return StreamId.of(ms, seq);
}

function fill(n: number, limits = LIMITS): StreamEntries {
  const s = new StreamEntries();
  for (let i = 1; i <= n; i++) s.append(id(i), ["f", `v${i}`], 0, limits);
  return s;
}

function ids(s: StreamEntries, start = MIN_ID, end = MAX_ID, rev = false) {
  const out: string[] = [];
  const c = s.cursor(start, end, rev);
  while (c.next()) out.push(String(c.id()));
  return out;
}

Deno.test("lpIntSize and lpStringSize follow listpack encodings", () => {
  assertEquals(
    [0, 127, 128, -4096, 4096, 32768, 8388608, 2147483648].map(lpIntSize),
    [2, 2, 3, 3, 4, 5, 6, 10],
  );
  assertEquals(lpStringSize("12"), 2); // stored as an integer
  assertEquals(lpStringSize("012"), 5); // not a canonical integer
  assertEquals(lpStringSize("x".repeat(63)), 65);
  assertEquals(lpStringSize("x".repeat(64)), 67);
  assertEquals(lpStringSize("x".repeat(200)), 204);
  assertEquals(lpStringSize("x".repeat(4096)), 4103);
});

Deno.test("StreamEntries closes a node at stream-node-max-entries", () => {
  const s = fill(250);
  assertEquals(s.nodeStats().map(([live]) => live), [100, 100, 50]);
  assertEquals(s.length, 250);
});

Deno.test("StreamEntries nodes grow past their first capacity, with or without an entry limit", () => {
  // No entry limit: one node takes all 1000 entries (under the byte limit).
  const unlimited = fill(1000, { maxBytes: 1 << 20, maxEntries: 0 });
  assertEquals(unlimited.nodeStats().map(([live]) => live), [1000]);
  const all = ids(unlimited);
  assertEquals(all.length, 1000);
  assertEquals([all[0], all[7], all[8], all[999]], [
    "1-0",
    "8-0",
    "9-0",
    "1000-0",
  ]);
  assertEquals(unlimited.get(id(513)), ["f", "v513"]);
  // The limit lowered and raised while nodes fill (CONFIG SET).
  const s = new StreamEntries();
  for (let i = 1; i <= 300; i++) {
    const maxEntries = i <= 150 ? 100 : i <= 200 ? 5 : 120;
    s.append(id(i), ["f", `v${i}`], 0, { maxBytes: 1 << 20, maxEntries });
  }
  // The last node of 5 was open when the limit went up: it keeps filling.
  assertEquals(
    s.nodeStats().map(([live]) => live),
    [100, 50, ...Array(9).fill(5), 105],
  );
  assertEquals(ids(s).length, 300);
  assertEquals(s.get(id(300)), ["f", "v300"]);
});

Deno.test("StreamEntries closes a node when its bytes plus the new entry reach stream-node-max-bytes", () => {
  // Recorded from redis-server 7.0.15 with stream-node-max-bytes 100.
  const s = new StreamEntries();
  const limits = { maxBytes: 100, maxEntries: 100 };
  for (let i = 1; i <= 20; i++) {
    s.append(id(i), ["field", "x".repeat(i)], 0, limits);
  }
  assertEquals(s.nodeStats().map(([live]) => live), [6, 4, 3, 3, 2, 2]);
  assertEquals(s.nodeStats()[0]![2], 103);
});

Deno.test("StreamEntries counts the listpack bytes of a first entry", () => {
  const s = new StreamEntries();
  s.append(id(1), ["field", "x"], 0, LIMITS);
  assertEquals(s.nodeStats(), [[1, 0, 33]]);
  s.append(id(2), ["other", "1", "b", "2"], 0, LIMITS);
  // flags, ms delta, seq delta, count, fields and values, lp-count: 2+2+2+2+7+2+3+2+2
  assertEquals(s.nodeStats(), [[2, 0, 33 + 24]]);
});

Deno.test("StreamEntries cursor walks ranges both ways and skips deleted entries", () => {
  const s = fill(250);
  assertEquals(ids(s, id(99), id(102)), ["99-0", "100-0", "101-0", "102-0"]);
  assertEquals(ids(s, id(99), id(102), true), [
    "102-0",
    "101-0",
    "100-0",
    "99-0",
  ]);
  s.delete(id(100));
  s.delete(id(101));
  assertEquals(ids(s, id(99), id(102)), ["99-0", "102-0"]);
  assertEquals(ids(s, id(99), id(102), true), ["102-0", "99-0"]);
  assertEquals(ids(s, id(250, 1), MAX_ID), []);
  assertEquals(ids(s, MIN_ID, id(0, 5), true), []);
  assertEquals(ids(s, id(249), MAX_ID, true), ["250-0", "249-0"]);
  assertEquals(ids(s, MIN_ID, id(2)), ["1-0", "2-0"]);
});

Deno.test("StreamEntries removes a node with its last live entry", () => {
  const s = fill(120);
  for (let i = 1; i <= 99; i++) assertEquals(s.delete(id(i)), true);
  assertEquals(s.nodeCount, 2);
  assertEquals(s.nodeStats()[0]!.slice(0, 2), [1, 99]);
  assertEquals(s.delete(id(100)), true);
  assertEquals(s.nodeCount, 1);
  assertEquals(s.delete(id(100)), false);
  assertEquals(s.has(id(100)), false);
  assertEquals(s.get(id(101)), ["f", "v101"]);
  assertEquals(s.edgeId(true, true)?.toString(), "101-0");
});

Deno.test("StreamEntries trims whole nodes with ~ and marks entries otherwise", () => {
  const s = fill(250);
  const approx = { strategy: "maxlen" as const, approx: true, limit: 10000 };
  assertEquals(s.trim({ ...approx, maxlen: 199 }), 0);
  assertEquals(s.trim({ ...approx, maxlen: 150 }), 100);
  assertEquals(s.trim({ ...approx, maxlen: 0, limit: 60 }), 0);
  assertEquals(
    s.trim({ strategy: "maxlen", maxlen: 140, approx: false, limit: 0 }),
    10,
  );
  assertEquals(s.nodeStats().map(([live, deleted]) => [live, deleted]), [
    [90, 10],
    [50, 0],
  ]);
  assertEquals(
    s.trim({ strategy: "minid", minid: id(205), approx: false, limit: 0 }),
    94,
  );
  assertEquals(ids(s).slice(0, 2), ["205-0", "206-0"]);
  // The tombstone at the start of a node still counts as its first ID.
  assertEquals(s.edgeId(true, false)?.toString(), "201-0");
  assertEquals(s.edgeId(true, true)?.toString(), "205-0");
});

Deno.test("StreamEntries counts radix tree nodes like Redis's rax", () => {
  const s = new StreamEntries();
  assertEquals(s.radixTreeNodes(), 1);
  const one = { maxBytes: 4096, maxEntries: 1 };
  s.append(id(1), ["f", "v"], 0, one);
  assertEquals(s.radixTreeNodes(), 2);
  s.append(id(7), ["f", "v"], 0, one);
  assertEquals(s.radixTreeNodes(), 6);
  s.append(id(11), ["f", "v"], 0, one);
  assertEquals(s.radixTreeNodes(), 8);
});

Deno.test("StreamEntries clone is independent", () => {
  const s = fill(5);
  const c = s.clone();
  s.delete(id(1));
  s.append(id(6), ["f", "v"], 0, LIMITS);
  assertEquals(ids(c), ["1-0", "2-0", "3-0", "4-0", "5-0"]);
  assertEquals(c.length, 5);
});
