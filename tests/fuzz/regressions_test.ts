/**
 * Regression tests for what the fuzzers found, each reduced to the few
 * commands that showed it (the raw reproducers stay in tests/fuzz/corpus/).
 *
 * @module
 */
import { assertEquals, assertMatch } from "../_deps.ts";
import type { RespError } from "../_harness/resp_client.ts";
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

Deno.test({
  ...opts,
  name:
    "cmsgpack.unpack of more values or deeper nesting than the Lua stack holds is an error, and scripts still run after (it broke the Lua VM: memory access out of bounds)",
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const c = await server.connect();
    try {
      const many = await c.call(
        "EVAL_RO",
        "return cmsgpack.unpack(ARGV[1])",
        0,
        "y".repeat(22323),
      ) as RespError;
      assertMatch(
        many.message,
        /^ERR user_script:1: stack overflow \(too many return values at once;/,
      );
      // Nested maps: lua-cmsgpack checks only arrays, and a deep enough
      // map overflows Redis's stack; tsredis refuses it.
      const maps = await c.call(
        "EVAL",
        "return type(cmsgpack.unpack(ARGV[1]))",
        0,
        "\x81\x01".repeat(5000) + "\x01",
      ) as RespError;
      assertMatch(
        maps.message,
        /^ERR user_script:1: stack overflow \(in function mp_decode_to_lua_hash\)/,
      );
      assertEquals(
        await c.call("SCRIPT", "LOAD", "return 1"),
        "e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
      );
      assertEquals(await c.call("EVAL", "return 2", 0), 2);
    } finally {
      c.close();
    }
  },
});
