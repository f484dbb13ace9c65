/**
 * Regression tests for what the fuzzers found, each reduced to the few
 * commands that showed it (the raw reproducers stay in tests/fuzz/corpus/).
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...opts,
  name:
    "BGSAVE killed by FLUSHALL while its temp file opens, then SAVE and a new BGSAVE: the new one succeeds",
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const c = await server.connect();
    try {
      await c.call("SET", "k", "v");
      for (let round = 0; round < 5; round++) {
        // One read: the first BGSAVE is killed before its file is open.
        const replies = await c.pipeline([
          ["BGSAVE"],
          ["FLUSHALL"],
          ["SET", "k", "v"],
          ["BGSAVE"],
        ]);
        assertEquals(replies.slice(0, 3), [
          "Background saving started",
          "OK",
          "OK",
        ]);
        for (let i = 0; i < 100; i++) {
          const info = String(await c.call("INFO", "persistence"));
          if (info.includes("rdb_bgsave_in_progress:0")) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const info = String(await c.call("INFO", "persistence"));
        assertEquals(/rdb_last_bgsave_status:(\w+)/.exec(info)?.[1], "ok");
        assertEquals(await c.call("PING"), "PONG");
      }
    } finally {
      c.close();
    }
  },
});
