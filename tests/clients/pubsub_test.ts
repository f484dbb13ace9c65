/**
 * Pub/Sub through real client libraries against a spawned tsredis: npm
 * `ioredis` (RESP2: message, pmessage, smessage and Buffer events,
 * keyspace notifications, resubscribing after the server drops the
 * connection) and npm `redis` (node-redis v5, RESP2 and RESP3: listeners,
 * pattern and shard subscriptions, PUBSUB introspection, and in RESP3
 * commands on the subscribed connection itself).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { Redis } from "npm:ioredis@5.9.3";
import { createClient } from "npm:redis@5.9.0";
import { assert, assertEquals } from "../_deps.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

/** Collects events and waits until enough have arrived. */
class Events<T> {
  readonly items: T[] = [];
  #wake: (() => void) | undefined;

  push = (item: T): void => {
    this.items.push(item);
    this.#wake?.();
  };

  /** Resolves once there are `n` items; rejects after `ms`. */
  async waitFor(n: number, ms = 5000): Promise<T[]> {
    const deadline = Date.now() + ms;
    while (this.items.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Expected ${n} events, got ${JSON.stringify(this.items)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    return this.items;
  }
}

// ---------------------------------------------------------------- ioredis

function ioredis(server: ServerHandle, extra: Record<string, unknown> = {}) {
  return new Redis({
    host: "127.0.0.1",
    port: server.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...extra,
  });
}

Deno.test({
  name:
    "ioredis subscribe and psubscribe: message, pmessage and Buffer events in order, counts, unsubscribe",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const sub = ioredis(server);
    const pub = ioredis(server);
    try {
      await sub.connect();
      await pub.connect();
      const messages = new Events<[string, string]>();
      const pmessages = new Events<[string, string, string]>();
      const buffers = new Events<[Buffer, Buffer]>();
      sub.on(
        "message",
        (channel: string, message: string) => messages.push([channel, message]),
      );
      sub.on(
        "pmessage",
        (pattern: string, channel: string, message: string) =>
          pmessages.push([pattern, channel, message]),
      );
      sub.on(
        "messageBuffer",
        (channel: Buffer, message: Buffer) => buffers.push([channel, message]),
      );
      assertEquals(await sub.subscribe("a", "b"), 2);
      assertEquals(await sub.psubscribe("news.*", "a"), 4);
      assertEquals(await pub.publish("a", "1"), 2);
      assertEquals(await pub.publish("news.tech", "2"), 1);
      assertEquals(await pub.publish("b", "héllo ✓"), 1);
      assertEquals(await pub.publish("nobody", "x"), 0);
      const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);
      assertEquals(await pub.publish("b", binary), 1);
      assertEquals((await messages.waitFor(3)).slice(0, 2), [
        ["a", "1"],
        ["b", "héllo ✓"],
      ]);
      assertEquals(await pmessages.waitFor(2), [
        ["a", "a", "1"],
        ["news.*", "news.tech", "2"],
      ]);
      const got = await buffers.waitFor(3);
      assertEquals(got[2]![0].toString(), "b");
      assertEquals(Buffer.compare(got[2]![1], binary), 0);
      assertEquals(
        await pub.pubsub("NUMSUB", "a", "b", "c"),
        ["a", 1, "b", 1, "c", 0],
      );
      assertEquals(await pub.pubsub("NUMPAT"), 2);
      assertEquals(await sub.unsubscribe("a"), 3);
      assertEquals(await pub.publish("a", "only the pattern"), 1);
      // ioredis waits for one reply per name it was given, so it needs the
      // names (a bare PUNSUBSCRIBE would wait forever, with Redis as well).
      assertEquals(await sub.punsubscribe("news.*", "a"), 1);
      assertEquals(await sub.unsubscribe("b"), 0);
      // Out of subscriber mode, the connection runs commands again.
      assertEquals(await sub.set("k", "v"), "OK");
      assertEquals(await sub.get("k"), "v");
      await pmessages.waitFor(3);
      assertEquals(pmessages.items[2], ["a", "a", "only the pattern"]);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  },
});

Deno.test({
  name: "ioredis ssubscribe receives smessage events from SPUBLISH",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const sub = ioredis(server);
    const pub = ioredis(server);
    try {
      await sub.connect();
      await pub.connect();
      const smessages = new Events<[string, string]>();
      sub.on(
        "smessage",
        (channel: string, message: string) =>
          smessages.push([channel, message]),
      );
      assertEquals(await sub.ssubscribe("s1", "s2"), 2);
      assertEquals(await pub.spublish("s1", "one"), 1);
      assertEquals(await pub.spublish("s2", "two"), 1);
      assertEquals(await pub.publish("s1", "not shard"), 0);
      assertEquals(await smessages.waitFor(2), [["s1", "one"], ["s2", "two"]]);
      assertEquals(await pub.pubsub("SHARDNUMSUB", "s1"), ["s1", 1]);
      assertEquals(await sub.sunsubscribe("s1", "s2"), 0);
      assertEquals(await pub.spublish("s1", "gone"), 0);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  },
});

Deno.test({
  name: "ioredis receives keyspace notifications as pmessage events",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const sub = ioredis(server);
    const pub = ioredis(server);
    try {
      await sub.connect();
      await pub.connect();
      assertEquals(
        await pub.config("SET", "notify-keyspace-events", "KEA"),
        "OK",
      );
      const events = new Events<[string, string]>();
      sub.on(
        "pmessage",
        (_: string, channel: string, message: string) =>
          events.push([channel, message]),
      );
      await sub.psubscribe("__keyevent@0__:*", "__keyspace@0__:list");
      await pub.set("k", "v", "EX", 100);
      await pub.rpush("list", "a");
      await pub.lpop("list");
      await pub.del("k");
      assertEquals(await events.waitFor(9), [
        ["__keyevent@0__:set", "k"],
        ["__keyevent@0__:expire", "k"],
        ["__keyspace@0__:list", "rpush"],
        ["__keyevent@0__:rpush", "list"],
        ["__keyspace@0__:list", "lpop"],
        ["__keyevent@0__:lpop", "list"],
        ["__keyspace@0__:list", "del"],
        ["__keyevent@0__:del", "list"],
        ["__keyevent@0__:del", "k"],
      ]);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  },
});

Deno.test({
  name:
    "ioredis resubscribes after the server drops a subscriber (CLIENT KILL TYPE pubsub)",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const sub = ioredis(server, { retryStrategy: () => 50 });
    const pub = ioredis(server);
    try {
      await sub.connect();
      await pub.connect();
      const messages = new Events<string>();
      sub.on("message", (_: string, message: string) => messages.push(message));
      sub.on(
        "pmessage",
        (_: string, __: string, message: string) =>
          messages.push(`p:${message}`),
      );
      await sub.subscribe("a");
      await sub.psubscribe("a*");
      assertEquals(await pub.publish("a", "before"), 2);
      assertEquals(await pub.client("KILL", "TYPE", "pubsub"), 1);
      // ioredis reconnects and subscribes again on its own.
      let receivers = 0;
      for (let i = 0; i < 200 && receivers < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const [, subscribers] = await pub.pubsub("NUMSUB", "a");
        receivers = Number(subscribers) + Number(await pub.pubsub("NUMPAT"));
      }
      assertEquals(receivers, 2);
      assertEquals(await pub.publish("a", "after"), 2);
      assertEquals(await messages.waitFor(4), [
        "before",
        "p:before",
        "after",
        "p:after",
      ]);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  },
});

// ---------------------------------------------------------- node-redis v5

type NodeRedis = ReturnType<typeof createClient>;

async function nodeRedis(
  server: ServerHandle,
  resp: 2 | 3,
): Promise<NodeRedis> {
  const client = createClient({
    socket: {
      host: "127.0.0.1",
      port: server.port,
      reconnectStrategy: false,
    },
    ...(resp === 3 ? { RESP: 3 as const } : {}),
  });
  client.on("error", () => {});
  await client.connect();
  return client;
}

for (const resp of [2, 3] as const) {
  const tag = `node-redis RESP${resp}`;

  Deno.test({
    name:
      `${tag} subscribe and pSubscribe listeners get messages in order; unsubscribe stops them`,
    ...options,
    async fn() {
      await using server = await spawnServer();
      const sub = await nodeRedis(server, resp);
      const pub = await nodeRedis(server, resp);
      try {
        const got = new Events<string>();
        await sub.subscribe(
          ["a", "b"],
          (message: string, channel: string) =>
            got.push(`${channel}:${message}`),
        );
        await sub.pSubscribe(
          "news.*",
          (message: string, channel: string) =>
            got.push(`p ${channel}:${message}`),
        );
        const binary = new Events<Buffer>();
        await sub.subscribe(
          "bin",
          (message: Buffer) => binary.push(message),
          true,
        );
        assertEquals(await pub.publish("a", "1"), 1);
        assertEquals(await pub.publish("news.x", "2"), 1);
        assertEquals(await pub.publish("b", "héllo ✓"), 1);
        for (let i = 0; i < 100; i++) await pub.publish("a", `n${i}`);
        const bytes = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);
        assertEquals(await pub.publish("bin", bytes), 1);
        const items = await got.waitFor(103);
        assertEquals(items.slice(0, 3), ["a:1", "p news.x:2", "b:héllo ✓"]);
        assertEquals(
          items.slice(3),
          Array.from({ length: 100 }, (_, i) => `a:n${i}`),
        );
        const [b] = await binary.waitFor(1);
        assertEquals(Buffer.compare(b!, bytes), 0);
        assertEquals(
          { ...await pub.pubSubNumSub(["a", "b", "zz"]) },
          { a: 1, b: 1, zz: 0 },
        );
        assertEquals(await pub.pubSubNumPat(), 1);
        assertEquals(
          (await pub.pubSubChannels()).sort(),
          ["a", "b", "bin"],
        );
        assertEquals((await pub.pubSubChannels("b*")).sort(), ["b", "bin"]);
        // Names are given: node-redis 5 mishandles the bare forms' replies.
        await sub.unsubscribe("a");
        await sub.pUnsubscribe("news.*");
        assertEquals(await pub.publish("a", "gone"), 0);
        assertEquals(await pub.publish("news.x", "gone"), 0);
        assertEquals(await pub.publish("b", "still"), 1);
        await got.waitFor(104);
        assertEquals(got.items[103], "b:still");
        await sub.unsubscribe(["b", "bin"]);
        assertEquals({ ...await pub.pubSubNumSub("b") }, { b: 0 });
        // Out of pub/sub, the connection runs commands again (node-redis
        // keeps decoding RESP2 replies as Buffers after a Buffer listener).
        assertEquals(String(await sub.set("k", "v")), "OK");
        assertEquals(String(await sub.get("k")), "v");
      } finally {
        sub.destroy();
        pub.destroy();
      }
    },
  });

  Deno.test({
    name: `${tag} sSubscribe gets SPUBLISH messages`,
    ...options,
    async fn() {
      await using server = await spawnServer();
      const sub = await nodeRedis(server, resp);
      const pub = await nodeRedis(server, resp);
      try {
        const got = new Events<string>();
        await sub.sSubscribe(
          "s1",
          (message: string, channel: string) =>
            got.push(`${channel}:${message}`),
        );
        assertEquals(await pub.sPublish("s1", "one"), 1);
        assertEquals(await pub.publish("s1", "not shard"), 0);
        assertEquals(await pub.sPublish("s1", "two"), 1);
        assertEquals(await got.waitFor(2), ["s1:one", "s1:two"]);
        assertEquals(await pub.pubSubShardChannels(), ["s1"]);
        await sub.sUnsubscribe("s1");
        assertEquals(await pub.sPublish("s1", "gone"), 0);
      } finally {
        sub.destroy();
        pub.destroy();
      }
    },
  });

  Deno.test({
    name: `${tag} keyspace notifications reach a subscribe listener`,
    ...options,
    async fn() {
      await using server = await spawnServer();
      const sub = await nodeRedis(server, resp);
      const pub = await nodeRedis(server, resp);
      try {
        await pub.configSet("notify-keyspace-events", "Kgh$");
        const got = new Events<string>();
        await sub.subscribe(
          "__keyspace@0__:h",
          (event: string) => got.push(event),
        );
        await pub.hSet("h", { a: "1", b: "2" });
        await pub.hIncrBy("h", "a", 5);
        await pub.hDel("h", ["a", "b"]);
        await pub.set("h", "string now");
        assertEquals(await got.waitFor(5), [
          "hset",
          "hincrby",
          "hdel",
          "del",
          "set",
        ]);
      } finally {
        sub.destroy();
        pub.destroy();
      }
    },
  });
}

Deno.test({
  name:
    "node-redis RESP3 runs ordinary commands on a connection that is subscribed",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const client = await nodeRedis(server, 3);
    const pub = await nodeRedis(server, 3);
    try {
      const got = new Events<string>();
      await client.subscribe("ch", (message: string) => got.push(message));
      assertEquals(await client.set("k", "v"), "OK");
      assertEquals(await pub.publish("ch", "m1"), 1);
      assertEquals(await client.get("k"), "v");
      assertEquals(await client.incr("n"), 1);
      assertEquals(await pub.publish("ch", "m2"), 1);
      assertEquals(await client.ping(), "PONG");
      assertEquals(await got.waitFor(2), ["m1", "m2"]);
      assert(client.isOpen);
    } finally {
      client.destroy();
      pub.destroy();
    }
  },
});
