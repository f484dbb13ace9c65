/**
 * MEMORY MALLOC-STATS and MEMORY PURGE answer as a Redis 7.0 built without
 * jemalloc (MALLOC=libc) answers. The reference redis-server here is built
 * with jemalloc and prints jemalloc's statistics instead, so this is a
 * behaviour test against tsredis only.
 */
import { assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

Deno.test({
  name:
    "MEMORY MALLOC-STATS says the allocator has no stats and MEMORY PURGE replies OK, in RESP2 and RESP3",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const client = await server.connect();
    try {
      const text = "Stats not supported for the current allocator";
      assertEquals(
        await client.callRaw("MEMORY", "MALLOC-STATS"),
        `$${text.length}\r\n${text}\r\n`,
      );
      assertEquals(await client.callRaw("MEMORY", "PURGE"), "+OK\r\n");
      await client.call("HELLO", "3");
      // A plain bulk string in RESP3 too (Redis's addReplyBulkCString).
      assertEquals(
        await client.callRaw("MEMORY", "MALLOC-STATS"),
        `$${text.length}\r\n${text}\r\n`,
      );
      assertEquals(
        await client.callRaw("MEMORY", "MALLOC-STATS", "x"),
        "-ERR wrong number of arguments for 'memory|malloc-stats' command\r\n",
      );
      assertEquals(await client.callRaw("MEMORY", "PURGE"), "+OK\r\n");
    } finally {
      client.close();
    }
  },
});
