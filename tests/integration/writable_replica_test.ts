/**
 * A writable replica (`replica-read-only no`) expires the keys its own
 * clients gave a TTL, as Redis 7.0 does (its master never heard of them),
 * and leaves the keys of its master's stream to the master. Runs against
 * tsredis and, when installed, real redis-server.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { waitFor } from "../_harness/dataset.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Target = "tsredis" | "redis-server";
const TARGETS: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function expiredKeys(
  c: { call(...a: string[]): Promise<unknown> },
): Promise<number> {
  const text = String(await c.call("INFO", "stats"));
  return Number(/expired_keys:(\d+)/.exec(text)![1]);
}

for (const target of TARGETS) {
  Deno.test(
    `${target}: a writable replica expires the keys its own clients gave a TTL, not its master's`,
    opts,
    async () => {
      await using master = await spawnServer({
        target,
        args: ["--save", "", "--repl-diskless-sync-delay", "0"],
      });
      await using replica = await spawnServer({
        target,
        args: [
          "--save",
          "",
          "--replica-read-only",
          "no",
          "--replicaof",
          "127.0.0.1",
          String(master.port),
        ],
      });
      const m = await master.connect();
      const r = await replica.connect();
      assertEquals(await m.call("SET", "synced", "1"), "OK");
      await waitFor(
        "the replica to sync",
        async () => (await r.call("EXISTS", "synced")) === 1,
      );
      assertEquals(await m.call("DEL", "synced"), 1);
      // The master's own expiry stays off: only the replica can delete.
      assertEquals(await m.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"), "OK");
      await m.call("SET", "from-master", "1", "PX", "600");
      // DBSIZE counts it even once its time has passed on the replica.
      await waitFor(
        "the master's key",
        async () => (await r.call("DBSIZE")) === 1,
      );
      assertEquals(await r.call("SET", "own", "1", "PX", "200"), "OK");
      assertEquals(await r.call("SET", "own-expire", "1"), "OK");
      assertEquals(await r.call("PEXPIRE", "own-expire", "200"), 1);
      assertEquals(await r.call("SELECT", "2"), "OK");
      assertEquals(await r.call("SET", "own-db2", "1", "PX", "200"), "OK");
      assertEquals(await r.call("SET", "lasting", "1", "EX", "1000"), "OK");
      assertEquals(await r.call("SELECT", "0"), "OK");
      assertEquals(await r.call("SET", "persisted", "1", "PX", "200"), "OK");
      assertEquals(await r.call("PERSIST", "persisted"), 1);
      await sleep(700);
      // Past their time, the replica's own keys go without being read.
      await waitFor(
        "the replica to delete its own keys",
        async () => (await r.call("DBSIZE")) === 2,
      );
      assertEquals(await expiredKeys(r), 3);
      // The master's key is kept (hidden from reads) until the master says.
      assertEquals(await r.call("GET", "from-master"), null);
      assertEquals(await r.call("GET", "persisted"), "1");
      assertEquals(await r.call("SELECT", "2"), "OK");
      assertEquals(await r.call("DBSIZE"), 1);
      assertEquals(await r.call("GET", "lasting"), "1");
      // When the master expires its key, the DEL reaches the replica.
      assertEquals(await m.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"), "OK");
      assertEquals(await r.call("SELECT", "0"), "OK");
      await waitFor(
        "the master's DEL",
        async () => (await r.call("DBSIZE")) === 1,
      );
      m.close();
      r.close();
    },
  );
}
