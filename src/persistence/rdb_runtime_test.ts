import { assert, assertEquals, assertThrows } from "../../tests/_deps.ts";
import { startInProcess } from "../../tests/_harness/in_process.ts";
import { ManualClock } from "../util/clock.ts";
import { rdbWriteOptions } from "./codec.ts";
import { RdbFormatError } from "./rdb/reader.ts";
import { type KeyMeta, RdbWriter } from "./rdb/writer.ts";
import { loadRdbImage, rdbImage, runToEnd, savePoints } from "./rdb_runtime.ts";
import type { ServerState } from "../state.ts";

type Item =
  | ["key", string, string, KeyMeta?]
  | ["db", number]
  | ["resize", number, number];

function image(state: ServerState, items: Item[]): Uint8Array {
  const w = new RdbWriter(rdbWriteOptions(state));
  w.header();
  w.aux("redis-ver", "7.0.15");
  for (const item of items) {
    if (item[0] === "db") w.selectDb(item[1]);
    else if (item[0] === "resize") w.resizeDb(item[1], item[2]);
    else w.key(item[1], item[2], item[3]);
  }
  w.end();
  return w.take();
}

Deno.test("loadRdbImage drops keys already expired and counts them; an AOF preamble keeps them", async () => {
  const clock = new ManualClock(1_800_000_000_000);
  await using server = startInProcess([], { clock });
  const state = server.state;
  const now = clock.now();
  const bytes = image(state, [
    ["db", 0],
    ["key", "live", "1", { expireAt: now + 1000 }],
    ["key", "gone", "2", { expireAt: now - 1 }],
    ["key", "plain", "3"],
    ["db", 2],
    ["key", "other", "4"],
  ]);
  const result = runToEnd(loadRdbImage(state, bytes));
  assertEquals(result.keysLoaded, 3);
  assertEquals(result.keysExpired, 1);
  assertEquals(result.offset, bytes.length);
  assertEquals(state.db(0).getExpire("live"), now + 1000);
  assertEquals(state.db(0).peek("gone"), undefined);
  assertEquals(state.db(2).peek("other"), "4");
  state.keyspace.flushAll();
  state.loading = true;
  const kept = runToEnd(loadRdbImage(state, bytes, { keepExpired: true }));
  state.loading = false;
  assertEquals(kept.keysLoaded, 4);
  assertEquals(state.db(0).dict.has("gone"), true);
});

Deno.test("loadRdbImage refuses a duplicate key, and replaces it with merge", async () => {
  await using server = startInProcess([]);
  const state = server.state;
  const bytes = image(state, [["db", 0], ["key", "a", "1"], ["key", "a", "2"]]);
  const e = assertThrows(
    () => runToEnd(loadRdbImage(state, bytes)),
    RdbFormatError,
  ) as RdbFormatError;
  assertEquals(e.message, "RDB has duplicated key 'a' in DB 0");
  assert(e.offset > 9);
  state.keyspace.flushAll();
  state.db(0).set("a", "old");
  state.db(0).set("b", "kept");
  runToEnd(loadRdbImage(state, bytes, { merge: true }));
  assertEquals(state.db(0).peek("a"), "2");
  assertEquals(state.db(0).peek("b"), "kept");
});

Deno.test("loadRdbImage refuses a database the server does not have", async () => {
  await using server = startInProcess(["--databases", "4"]);
  const bytes = image(server.state, [["db", 4], ["key", "a", "1"]]);
  assertThrows(
    () => runToEnd(loadRdbImage(server.state, bytes)),
    /configured to handle more than 4 databases/,
  );
});

Deno.test("loadRdbImage sizes an empty database from RESIZEDB, up to what the file could hold", async () => {
  await using server = startInProcess([]);
  const state = server.state;
  const items: Item[] = [["db", 0], ["resize", 3000, 0]];
  for (let i = 0; i < 1000; i++) items.push(["key", `k${i}`, "v"]);
  const bytes = image(state, items);
  runToEnd(loadRdbImage(state, bytes));
  // 1000 keys alone grow the table to 2048 slots; the hint (capped at a
  // third of the file's bytes) sized it for more at once.
  const slots = state.db(0).dict.slots;
  assert(slots >= 4096 && slots * 0.75 >= Math.floor(bytes.length / 3) - 100);
  assertEquals(state.db(0).size, 1000);
  // A damaged hint (four billion keys) in a small file: the table stays small.
  state.keyspace.flushAll();
  const damaged: Item[] = [["db", 0], ["resize", 4_294_967_064, 4_294_967_064]];
  for (let i = 0; i < 10; i++) damaged.push(["key", `k${i}`, "v"]);
  runToEnd(loadRdbImage(state, image(state, damaged)));
  assertEquals(state.db(0).size, 10);
  assert(state.db(0).dict.slots <= 256);
});

Deno.test("loadRdbImage gives keys the IDLE or FREQ the file holds, per the eviction policy", async () => {
  const clock = new ManualClock(1_800_000_000_000);
  await using server = startInProcess(["--maxmemory-policy", "allkeys-lru"], {
    clock,
  });
  const state = server.state;
  runToEnd(
    loadRdbImage(
      state,
      image(state, [["db", 0], ["key", "idle", "v", { idle: 100 }]]),
    ),
  );
  const lru = state.db(0).accessMeta("idle");
  assertEquals(Math.floor(clock.now() / 1000) % (1 << 24) - lru, 100);
  await using lfuServer = startInProcess([
    "--maxmemory-policy",
    "allkeys-lfu",
  ]);
  const lfuState = lfuServer.state;
  runToEnd(
    loadRdbImage(
      lfuState,
      image(lfuState, [["db", 0], ["key", "hot", "v", { freq: 42 }]]),
    ),
  );
  assertEquals(lfuState.db(0).accessMeta("hot") & 0xff, 42);
});

Deno.test("rdbImage writes IDLE under an LRU policy and nothing under noeviction", async () => {
  await using server = startInProcess(["--maxmemory-policy", "allkeys-lru"]);
  const state = server.state;
  state.db(0).set("k", "v");
  // IDLE (0xf8) 0 s, then the key: type 0, length 1, "k", length 1, "v".
  const record = [0xf8, 0, 0, 1, 0x6b, 1, 0x76];
  assert(contains(rdbImage(state).toBytes(), record));
  state.config.set("maxmemory-policy", "noeviction");
  assertEquals(contains(rdbImage(state).toBytes(), record), false);
  assert(contains(rdbImage(state).toBytes(), record.slice(1)));
});

function contains(bytes: Uint8Array, seq: number[]): boolean {
  outer: for (let i = 0; i + seq.length <= bytes.length; i++) {
    for (let j = 0; j < seq.length; j++) {
      if (bytes[i + j] !== seq[j]) continue outer;
    }
    return true;
  }
  return false;
}

Deno.test("savePoints reads the save directive as pairs", async () => {
  await using server = startInProcess(["--save", "3600 1 300 100"]);
  assertEquals(savePoints(server.state), [[3600, 1], [300, 100]]);
  server.state.config.set("save", "");
  assertEquals(savePoints(server.state), []);
});
