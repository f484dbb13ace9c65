/**
 * Client-side caching with real client libraries against a spawned
 * server: node-redis's `clientSideCache` (RESP3, CLIENT TRACKING ON sent by
 * the library, invalidation pushes evict its cache) and a plain RESP2
 * setup with ioredis (one connection subscribed to `__redis__:invalidate`,
 * another tracking with REDIRECT to it).
 *
 * `TSREDIS_TARGET=redis-server` runs the same tests against Redis.
 *
 * @module
 */
import { createClient } from "npm:redis@5.9.0";
import { Redis } from "npm:ioredis@5.9.3";
import { assert, assertEquals } from "../_deps.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function nodeRedis(server: ServerHandle, cache: boolean) {
  return createClient({
    socket: {
      host: "127.0.0.1",
      port: server.port,
      reconnectStrategy: false,
    },
    RESP: 3,
    ...(cache ? { clientSideCache: { ttl: 0, maxEntries: 0 } } : {}),
  });
}

function ioredis(server: ServerHandle): Redis {
  return new Redis({
    host: "127.0.0.1",
    port: server.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
}

// Polls `check` until it holds (messages arrive asynchronously).
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test({
  name:
    "node-redis clientSideCache serves repeated GETs from its cache until another client's write invalidates the key",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const cached = nodeRedis(server, true);
    const writer = nodeRedis(server, false);
    cached.on("error", () => {});
    writer.on("error", () => {});
    await cached.connect();
    await writer.connect();
    try {
      const csc = cached.clientSideCache!;
      const invalidated: (string | null)[] = [];
      csc.on("invalidate", (key: unknown) => {
        invalidated.push(key === null ? null : String(key));
      });
      await writer.set("user:1", "alice");
      assertEquals(await cached.get("user:1"), "alice");
      assertEquals(await cached.get("user:1"), "alice");
      assertEquals(await cached.get("user:1"), "alice");
      let stats = csc.stats();
      assertEquals(stats.missCount, 1);
      assertEquals(stats.hitCount, 2);
      // The server tracks the key for this connection.
      const info = await server.connect();
      try {
        const fields = String(await info.call("INFO", "stats"));
        assert(fields.includes("tracking_total_keys:1"), fields);
      } finally {
        info.close();
      }
      await writer.set("user:1", "bob");
      await eventually(
        () => invalidated.includes("user:1"),
        "invalidation of user:1",
      );
      assertEquals(await cached.get("user:1"), "bob");
      stats = csc.stats();
      assertEquals(stats.missCount, 2);
      // FLUSHALL clears the whole cache (a null invalidation).
      assertEquals(await cached.get("user:1"), "bob");
      await writer.flushAll();
      await eventually(() => invalidated.includes(null), "null invalidation");
      assertEquals(await cached.get("user:1"), null);
      assertEquals(csc.stats().missCount, 3);
    } finally {
      await cached.close();
      await writer.close();
    }
  },
});

Deno.test({
  name:
    "node-redis clientSideCache: a key the cached client writes itself is read fresh afterwards",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const cached = nodeRedis(server, true);
    cached.on("error", () => {});
    await cached.connect();
    try {
      await cached.set("counter", "1");
      assertEquals(await cached.get("counter"), "1");
      assertEquals(await cached.get("counter"), "1");
      await cached.incr("counter");
      // The invalidation follows INCR's reply on the same connection.
      await eventually(
        () => cached.clientSideCache!.stats().hitCount === 1,
        "one hit",
      );
      assertEquals(await cached.get("counter"), "2");
      await cached.hSet("h", "f", "v");
      assertEquals(await cached.hGetAll("h"), { f: "v" });
      assertEquals(await cached.hGetAll("h"), { f: "v" });
      await cached.hSet("h", "g", "w");
      assertEquals(await cached.hGetAll("h"), { f: "v", g: "w" });
    } finally {
      await cached.close();
    }
  },
});

Deno.test({
  name:
    "ioredis in RESP2: CLIENT TRACKING REDIRECT sends invalidations to a connection subscribed to __redis__:invalidate",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const subscriber = ioredis(server);
    const tracker = ioredis(server);
    const writer = ioredis(server);
    await Promise.all([
      subscriber.connect(),
      tracker.connect(),
      writer.connect(),
    ]);
    try {
      const id = Number(await subscriber.client("ID"));
      const messages: unknown[] = [];
      subscriber.on("message", (channel: string, message: unknown) => {
        messages.push([channel, message]);
      });
      await subscriber.subscribe("__redis__:invalidate");
      assertEquals(
        await tracker.call("CLIENT", "TRACKING", "ON", "REDIRECT", String(id)),
        "OK",
      );
      assertEquals(await tracker.call("CLIENT", "GETREDIR"), id);
      await writer.set("product:7", "old");
      assertEquals(await tracker.get("product:7"), "old");
      await writer.set("product:7", "new");
      await eventually(() => messages.length === 1, "one message");
      // ioredis hands the array of keys over as its text.
      assertEquals(messages[0], ["__redis__:invalidate", "product:7"]);
      // Read again to track again; a flush invalidates everything (null).
      assertEquals(await tracker.get("product:7"), "new");
      await writer.flushdb();
      await eventually(() => messages.length === 2, "two messages");
      // The null of a flush reaches ioredis's listener as "".
      assertEquals(messages[1], ["__redis__:invalidate", ""]);
      // BCAST with a prefix, through the same redirect.
      await tracker.call("CLIENT", "TRACKING", "OFF");
      await tracker.call(
        "CLIENT",
        "TRACKING",
        "ON",
        "REDIRECT",
        String(id),
        "BCAST",
        "PREFIX",
        "product:",
      );
      await writer.mset("product:2", "a", "product:1", "b", "other", "c");
      await eventually(() => messages.length === 3, "three messages");
      assertEquals(messages[2], [
        "__redis__:invalidate",
        "product:1,product:2",
      ]);
    } finally {
      subscriber.disconnect();
      tracker.disconnect();
      writer.disconnect();
    }
  },
});
