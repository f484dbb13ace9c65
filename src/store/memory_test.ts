/**
 * Memory accounting: the size model against V8's real heap growth (the
 * calibration runs in a child process started with `--expose-gc`), the
 * keyspace totals against a from-scratch count after random changes, and
 * each collection's running size against the strings it holds.
 *
 * Run this file directly (`deno run --v8-flags=--expose-gc
 * src/store/memory_test.ts`) to print the calibration table.
 */
import { Buffer } from "node:buffer";
import { assert, assertEquals } from "../../tests/_deps.ts";
import type { StoreHooks } from "./database.ts";
import { HashValue } from "./hash_value.ts";
import { Keyspace } from "./keyspace.ts";
import { ListValue } from "./list_value.ts";
import {
  dictBytes,
  HEAP_NUMBER,
  keyspaceBytes,
  stringBytes,
  valueBytes,
} from "./memory.ts";
import { SetValue } from "./set_value.ts";
import { appendString } from "./strings.ts";
import { createConsumer, StreamValue } from "./stream_value.ts";
import { StreamId } from "./structures/stream_id.ts";
import type { RedisValue } from "./values.ts";
import { ZSetValue } from "./zset_value.ts";

function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor((x / 2147483648) * n);
  };
}

function hooks(): StoreHooks {
  const rand = rng(7);
  return {
    clock: { now: () => 1_700_000_000_000 },
    random: { int: rand, float: () => rand(1 << 30) / (1 << 30) },
    stats: { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 },
    keyExpired() {},
    keyModified() {},
    keyReady() {},
    keepExpired: false,
    accessPolicy: "lru",
    lruClock: () => 0,
    lfuInit: () => 5,
    lfuTouch: (m) => m,
  };
}

const hashLimits = { hashMaxListpackEntries: 128, hashMaxListpackValue: 64 };
const setLimits = { setMaxIntsetEntries: 512 };
const zsetLimits = { zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 };
const nodeLimits = { maxBytes: 4096, maxEntries: 100 };

// ---------------------------------------------------------------------------
// Calibration: model against measured heap growth.

interface Calibration {
  name: string;
  model: number;
  measured: number;
}

/** Loads each kind of data into a fresh keyspace and measures the heap. */
function calibrate(): Calibration[] {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const heap = () => {
    gc();
    gc();
    const m = Deno.memoryUsage();
    return m.heapUsed + m.external;
  };
  // Fresh flat strings, as the protocol decoder makes them.
  const scratch = Buffer.alloc(1 << 16);
  const view = scratch as unknown as {
    latin1Slice(a: number, b: number): string;
  };
  let counter = 0;
  const text = (len: number) => {
    scratch.fill(97, 0, len);
    scratch.write((counter++).toString(36), 0, "latin1");
    return view.latin1Slice(0, len);
  };
  const out: Calibration[] = [];
  const run = (name: string, fill: (ks: Keyspace) => void) => {
    const before = heap();
    const ks = new Keyspace(16, hooks());
    fill(ks);
    const measured = heap() - before;
    out.push({ name, model: keyspaceBytes(ks), measured });
  };
  for (const len of [5, 40, 300, 3000]) {
    const n = Math.min(50_000, Math.floor(4_000_000 / (len + 80)));
    run(`${n} strings of ${len} bytes`, (ks) => {
      for (let i = 0; i < n; i++) ks.db(0).set(text(16), text(len));
    });
  }
  run("30000 strings with a TTL", (ks) => {
    const db = ks.db(0);
    for (let i = 0; i < 30_000; i++) {
      const key = text(16);
      db.set(key, text(20));
      db.setExpire(key, 1_800_000_000_000 + i);
    }
  });
  run("20000 strings edited in place", (ks) => {
    for (let i = 0; i < 20_000; i++) {
      ks.db(0).set(text(16), appendString(text(50), text(50)));
    }
  });
  // Each collection type, small and large, filled the way commands do:
  // looked up for writing, then changed.
  const collection = <T extends RedisValue>(
    name: string,
    count: number,
    size: number,
    make: () => T,
    add: (v: T, i: number) => void,
  ) =>
    run(`${count} ${name} of ${size}`, (ks) => {
      const db = ks.db(0);
      for (let c = 0; c < count; c++) {
        const key = text(16);
        const v = make();
        db.add(key, v);
        for (let i = 0; i < size; i++) {
          db.lookupWrite(key);
          add(v, i);
        }
      }
    });
  // Totals of a few MB each, well above the heap's own jitter.
  for (const [size, count] of [[5, 5000], [1000, 100]] as const) {
    collection(
      "hashes",
      count,
      size,
      () => new HashValue(),
      (h) => h.set(text(10), text(20), hashLimits),
    );
    collection(
      "sets",
      count,
      size,
      () => new SetValue(false),
      (s) => s.add(text(12), setLimits),
    );
    collection(
      "intsets",
      count,
      Math.min(size, 500),
      () => new SetValue(true),
      (s) => s.add(String(1_000_000 + counter++), setLimits),
    );
    collection(
      "lists",
      count,
      size,
      () => new ListValue(),
      (l) => l.pushBack(text(20)),
    );
    collection(
      "sorted sets",
      count,
      size,
      () => new ZSetValue(),
      (z, i) => z.add(i * 1.5, text(12), 0, zsetLimits),
    );
  }
  let ms = 1_700_000_000_000;
  const nextId = () => {
    ms++;
    return new StreamId(Math.floor(ms / 2 ** 32), ms % 2 ** 32, 0, 0);
  };
  for (const [size, count] of [[3, 3000], [20_000, 1]] as const) {
    collection(
      "streams",
      count,
      size,
      () => new StreamValue(),
      (s) =>
        s.append(nextId(), ["f1", text(10), "f2", text(20)], 0, nodeLimits),
    );
  }
  run("10 streams of 1000 with a consumer group reading all", (ks) => {
    for (let c = 0; c < 10; c++) {
      const s = new StreamValue();
      const key = text(16);
      ks.db(0).add(key, s);
      const g = s.createGroup("group", nextId(), 0n)!;
      const consumer = createConsumer(g, `consumer-${c}`, 0)!;
      for (let i = 0; i < 1000; i++) {
        ks.db(0).lookupWrite(key);
        const id = nextId();
        s.append(id, ["f1", text(10), "f2", text(20)], 0, nodeLimits);
        const nack = { id, deliveryTime: ms, deliveryCount: 1, consumer };
        g.pel.set(id, nack);
        consumer.pel.set(id, nack);
      }
    }
  });
  return out;
}

if (import.meta.main) {
  for (const c of calibrate()) {
    console.log(
      c.name.padEnd(52),
      String(c.model).padStart(10),
      String(c.measured).padStart(10),
      (c.model / c.measured).toFixed(3),
    );
  }
}

const canRun = Deno.permissions.querySync?.({ name: "run" }).state ===
  "granted";

Deno.test({
  name:
    "memory model is within 15% of measured heap growth for strings and every collection type",
  ignore: !canRun,
  async fn() {
    let results: Calibration[];
    if (typeof (globalThis as { gc?: unknown }).gc === "function") {
      results = calibrate();
    } else {
      // A child process with a collector we can call.
      const file = new URL(import.meta.url).pathname;
      const child = await new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          "--v8-flags=--expose-gc",
          `const m = await import(${JSON.stringify("file://" + file)});` +
          "console.log(JSON.stringify(m.calibrateForTest()));",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(child.stderr);
      assert(child.success, stderr);
      const lines = new TextDecoder().decode(child.stdout).trim().split("\n");
      results = JSON.parse(lines[lines.length - 1]!);
    }
    const off = results.filter((c) =>
      Math.abs(c.model / c.measured - 1) > 0.15
    );
    assertEquals(off, [], JSON.stringify(results, null, 1));
  },
});

/** The calibration, for the child process of the test above. */
export function calibrateForTest(): Calibration[] {
  return calibrate();
}

// ---------------------------------------------------------------------------
// Keyspace totals: the running count against a count from scratch.

function recount(ks: Keyspace): number {
  let total = 0;
  for (const db of ks.dbs) {
    for (const [key, value] of db.dict.entries()) {
      total += stringBytes(key.length) + valueBytes(value);
    }
    total += dictBytes(db.dict.slots, 4) + dictBytes(db.expires.slots, 3) +
      HEAP_NUMBER * db.expires.size;
  }
  return total;
}

Deno.test("keyspaceBytes matches a recount after random writes, renames, moves, swaps and flushes", () => {
  const rand = rng(42);
  const ks = new Keyspace(4, hooks());
  const word = (n: number) => "x".repeat(1 + rand(n)) + rand(1000);
  const keys = Array.from({ length: 60 }, (_, i) => `key:${i}`);
  for (let step = 0; step < 20_000; step++) {
    const db = ks.db(rand(4));
    const key = keys[rand(keys.length)]!;
    const op = rand(14);
    const v = db.lookupWrite(key);
    if (op === 0) db.set(key, word(60));
    else if (op === 1) db.set(key, appendString(word(10), word(80)), true);
    else if (op === 2 && v !== undefined) db.delete(key);
    else if (op === 3 && v !== undefined) {
      // RENAME stores under the new name before it deletes the old one.
      const other = keys[rand(keys.length)]!;
      if (other !== key) {
        db.delete(other);
        db.add(other, v);
        db.delete(key);
      }
    } else if (op === 4 && v !== undefined) {
      // MOVE.
      const dst = ks.db(rand(4));
      if (dst !== db && !dst.has(key)) {
        dst.add(key, v);
        db.delete(key);
      }
    } else if (op === 5 && rand(200) === 0) ks.swap(rand(4), rand(4));
    else if (op === 6 && rand(500) === 0) ks.flush(db);
    else if (op === 7 && v !== undefined) db.setExpire(key, 2e12 + rand(1e6));
    else if (op === 8 && v !== undefined) db.persist(key);
    else if (op === 9) {
      const h = v instanceof HashValue ? v : new HashValue();
      if (v !== h) db.set(key, h);
      for (let i = rand(20); i >= 0; i--) {
        if (rand(3) === 0) h.delete(`f${rand(150)}`);
        else h.set(`f${rand(150)}`, word(90), hashLimits);
      }
      if (h.size === 0) db.delete(key);
    } else if (op === 10) {
      const l = v instanceof ListValue ? v : new ListValue();
      if (v !== l) db.set(key, l);
      for (let i = rand(20); i >= 0; i--) {
        if (rand(3) === 0) l.popFront();
        else l.pushBack(word(40));
      }
      if (l.length === 0) db.delete(key);
    } else if (op === 11) {
      const s = v instanceof SetValue ? v : new SetValue();
      if (v !== s) db.set(key, s);
      for (let i = rand(20); i >= 0; i--) {
        const m = rand(2) === 0 ? String(rand(600)) : `m${rand(600)}`;
        if (rand(3) === 0) s.delete(m);
        else s.add(m, setLimits);
      }
      if (s.size === 0) db.delete(key);
    } else if (op === 12) {
      const z = v instanceof ZSetValue ? v : new ZSetValue();
      if (v !== z) db.set(key, z);
      for (let i = rand(20); i >= 0; i--) {
        if (rand(3) === 0) z.delete(`m${rand(200)}`);
        else z.add(rand(100), `m${rand(200)}`, 0, zsetLimits);
      }
      if (z.size === 0) db.delete(key);
    } else if (op === 13 && v !== undefined && rand(2) === 0) {
      db.replace(key, new SetValue());
      (db.peek(key) as SetValue).add("a", setLimits);
    }
    if (step % 1000 === 0) assertEquals(keyspaceBytes(ks), recount(ks));
  }
  assertEquals(keyspaceBytes(ks), recount(ks));
  ks.flushAll();
  assertEquals(keyspaceBytes(ks), recount(ks));
});

Deno.test("Database.setExpire shares the main table's key string", () => {
  const ks = new Keyspace(1, hooks());
  const db = ks.db(0);
  db.set("key:1", "v");
  const other = ["key:", "1"].join("");
  db.setExpire(other, 2e12);
  let stored = "";
  db.expires.forEach((_v, k) => (stored = k));
  assert(stored === [...db.dict.keys()][0]);
});

// ---------------------------------------------------------------------------
// Running sizes: the same changes with strings of other sizes change a
// collection's size by exactly the difference of the strings' sizes.

function contentOf(strings: Iterable<string>): number {
  let n = 0;
  for (const s of strings) n += stringBytes(s.length);
  return n;
}

Deno.test("HashValue.bytes follows field and value sizes through sets, updates, deletes and conversion", () => {
  const rand = rng(1);
  const a = new HashValue();
  const b = new HashValue();
  for (let i = 0; i < 3000; i++) {
    const f = rand(300);
    const long = rand(40);
    const limits = i > 1500
      ? hashLimits
      : { ...hashLimits, hashMaxListpackEntries: 1000 };
    if (rand(3) === 0) {
      assertEquals(a.delete(`field:${f}`), b.delete(`f${f}`.padEnd(9)));
    } else {
      a.set(`field:${f}`, "v".repeat(long), limits);
      b.set(`f${f}`.padEnd(9), "w", limits);
    }
    assertEquals(a.encoding(), b.encoding());
    assertEquals(
      a.bytes - b.bytes,
      contentOf(a.entries()) - contentOf(b.entries()),
    );
  }
});

Deno.test("SetValue.bytes follows member sizes in both encodings", () => {
  const rand = rng(2);
  const a = new SetValue();
  const b = new SetValue();
  for (let i = 0; i < 3000; i++) {
    const m = rand(400);
    const intsOnly = i < 1500;
    const ma = intsOnly ? String(m * 1_000_003) : `member:${m}`;
    const mb = intsOnly ? String(m + 1000) : `m${m + 1000}`;
    if (rand(3) === 0) assertEquals(a.delete(ma), b.delete(mb));
    else assertEquals(a.add(ma, setLimits), b.add(mb, setLimits));
    assertEquals(a.encoding(), b.encoding());
    assertEquals(
      a.bytes - b.bytes,
      contentOf(a.members()) - contentOf(b.members()),
    );
  }
});

Deno.test("ListValue.bytes follows element sizes through every deque operation", () => {
  const rand = rng(3);
  const a = new ListValue();
  const b = new ListValue();
  const both = (fn: (l: ListValue, long: boolean) => void) => {
    fn(a, true);
    fn(b, false);
  };
  for (let i = 0; i < 4000; i++) {
    const len = a.length;
    const n = rand(40) + 2;
    const op = rand(11);
    const idx = len === 0 ? 0 : rand(len);
    if (op <= 2) both((l, long) => l.pushBack(long ? "x".repeat(n) : "y"));
    else if (op === 3) {
      both((l, long) => l.pushFront(long ? "x".repeat(n) : "y"));
    } else if (op === 4) both((l) => l.popFront());
    else if (op === 5) both((l) => l.popBack());
    else if (op === 6 && len > 0) {
      both((l, long) => l.set(idx, long ? "z".repeat(n) : "z"));
    } else if (op === 7) {
      both((l, long) => l.insert(idx, long ? "i".repeat(n) : "i"));
    } else if (op === 8 && len > 0) both((l) => l.removeAt(idx));
    else if (op === 9) {
      const picks = [...new Set(Array.from({ length: 5 }, () => rand(len)))]
        .filter((x) => x < len).sort((p, q) => p - q);
      both((l) => l.removeIndexes(picks));
    } else if (op === 10) {
      const k = rand(10);
      const front = rand(2) === 0;
      both((l) => (front ? l.dropFront(k) : l.dropBack(k)));
    }
    assertEquals(a.length, b.length);
    assertEquals(
      a.bytes - b.bytes,
      contentOf(a.toArray()) - contentOf(b.toArray()),
    );
  }
  a.dropBack(a.length);
  assertEquals(a.bytes, new ListValue().bytes);
  assertEquals(a.clone().bytes, a.bytes);
});

Deno.test("ZSetValue.bytes returns to the empty set's after every member goes, whichever way", () => {
  const rand = rng(4);
  const z = new ZSetValue();
  const empty = new ZSetValue().bytes;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 500; i++) {
      z.add(
        rand(1000),
        `member:${rand(700)}`.repeat(1 + rand(3)),
        0,
        zsetLimits,
      );
      if (rand(4) === 0) {
        z.add(rand(1000), `member:${rand(700)}`, 0, zsetLimits);
      }
    }
    assert(z.bytes > empty);
    assertEquals(z.clone().size, z.size);
    z.deleteRangeByScore({ min: 0, max: 200, minex: false, maxex: false });
    z.deleteRangeByRank(0, Math.floor(z.size / 3));
    for (const m of [...Array(700).keys()]) z.delete(`member:${m}`);
    z.deleteRangeByRank(0, z.size - 1);
    assertEquals(z.size, 0);
    assertEquals(z.bytes, empty);
  }
});

Deno.test("StreamValue.bytes returns to the empty stream's after trimming and deleting everything", () => {
  const s = new StreamValue();
  const empty = s.bytes;
  let ms = 1;
  const ids: StreamId[] = [];
  for (let i = 0; i < 1000; i++) {
    const id = new StreamId(0, ms++, 0, 0);
    ids.push(id);
    s.append(
      id,
      ["a", "x".repeat(i % 50), ...(i % 3 ? [] : ["b", "yy"])],
      0,
      nodeLimits,
    );
  }
  assert(s.bytes > empty);
  // A copy holds the same strings in arrays without spare room.
  assert(s.entries.clone().heapBytes <= s.entries.heapBytes);
  s.deleteIds(ids.filter((_, i) => i % 7 === 0));
  s.trim({ strategy: "maxlen", maxlen: 500, approx: false, limit: 0 });
  s.trim({ strategy: "maxlen", maxlen: 0, approx: true, limit: 0 });
  s.deleteIds(ids);
  assertEquals(s.length, 0);
  assertEquals(s.bytes, empty);
});
