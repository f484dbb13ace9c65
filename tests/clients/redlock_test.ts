/**
 * npm `redlock` (5.0.0-beta.2, over npm `ioredis`, pinned in deno.lock)
 * against a spawned tsredis: its Lua scripts (EVALSHA, then EVAL after
 * NOSCRIPT) take, extend and release locks, and a held lock keeps a second
 * locker out until it is released or expires.
 *
 * @module
 */
import { Redis } from "npm:ioredis@5.9.3";
import Redlock from "npm:redlock@5.0.0-beta.2";
import { assert, assertEquals, assertRejects } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "redlock takes, extends and releases locks on tsredis",
  options,
  async () => {
    await using server = await spawnServer();
    const client = new Redis({
      host: "127.0.0.1",
      port: server.port,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      // deno-lint-ignore no-explicit-any
      const redlock = new (Redlock as any)([client], {
        retryCount: 3,
        retryDelay: 50,
        retryJitter: 10,
        automaticExtensionThreshold: 100,
      });
      const lock = await redlock.acquire(["orders:1", "orders:2"], 2000);
      assertEquals(typeof lock.value, "string");
      assertEquals(await client.get("orders:1"), lock.value);
      const pttl = await client.pttl("orders:2");
      assert(pttl > 1000 && pttl <= 2000, `pttl ${pttl}`);

      // A second locker cannot take what is held.
      await assertRejects(() => redlock.acquire(["orders:2"], 1000));

      const extended = await lock.extend(5000);
      assert(await client.pttl("orders:1") > 3000);
      await extended.release();
      assertEquals(await client.exists("orders:1", "orders:2"), 0);

      // Released: the resource can be locked again.
      const again = await redlock.acquire(["orders:2"], 1000);
      await again.release();

      // A lock that expired can no longer be released by its old holder.
      const short = await redlock.acquire(["short"], 100);
      await new Promise((r) => setTimeout(r, 250));
      await client.set("short", "someone-else");
      await assertRejects(() => short.release());
      assertEquals(await client.get("short"), "someone-else");

      // using() runs a routine under the lock and releases it afterwards.
      const value = await redlock.using(["job"], 1000, async () => {
        assert(await client.exists("job") === 1);
        return 42;
      });
      assertEquals(value, 42);
      assertEquals(await client.exists("job"), 0);
    } finally {
      client.disconnect();
    }
  },
);
