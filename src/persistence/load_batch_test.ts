import { assertEquals, assertThrows } from "../../tests/_deps.ts";
import { startInProcess } from "../../tests/_harness/in_process.ts";
import { LoadBatch } from "./load_batch.ts";
import { RdbFormatError } from "./rdb/reader.ts";

Deno.test("LoadBatch inserts keys in file order across full batches, with expiry and access data", async () => {
  await using server = startInProcess(["--maxmemory-policy", "allkeys-lru"]);
  const db = server.state.db(0);
  const batch = new LoadBatch(false, 8);
  for (let i = 0; i < 30; i++) {
    batch.push(db, `k${i}`, `v${i}`, i % 3 === 0 ? 4e12 + i : undefined, i, i);
    // A full batch of 8 inserts all but its newest quarter.
    assertEquals(db.size, i < 8 ? 0 : 6 * Math.floor((i - 2) / 6));
  }
  batch.flush(db);
  assertEquals(db.size, 30);
  for (let i = 0; i < 30; i++) {
    assertEquals(db.peek(`k${i}`), `v${i}`);
    assertEquals(db.getExpire(`k${i}`), i % 3 === 0 ? 4e12 + i : -1);
    assertEquals(db.accessMeta(`k${i}`), i);
  }
});

Deno.test("LoadBatch refuses a duplicate with its offset; merging keeps the last one read", async () => {
  await using server = startInProcess([]);
  const db = server.state.db(0);
  const strict = new LoadBatch(false, 4);
  for (let i = 0; i < 6; i++) strict.push(db, `k${i}`, "v", undefined, -1, i);
  strict.push(db, "k1", "again", undefined, -1, 99);
  const e = assertThrows(
    () => strict.flush(db),
    RdbFormatError,
  ) as RdbFormatError;
  assertEquals(e.message, "RDB has duplicated key 'k1' in DB 0");
  assertEquals(e.offset, 99);
  server.state.keyspace.flushAll();
  db.set("k1", "old");
  const merge = new LoadBatch(true, 4);
  for (let i = 0; i < 9; i++) merge.push(db, "k1", `v${i}`, undefined, -1, i);
  merge.flush(db);
  assertEquals(db.size, 1);
  assertEquals(db.peek("k1"), "v8");
});
