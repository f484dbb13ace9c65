/**
 * npm `ioredis` (pinned in deno.lock) against a spawned tsredis: strings,
 * binary Buffers, pipelines, MULTI/EXEC, error replies, and a clean QUIT.
 *
 * ioredis's ready check sends INFO after connecting; while tsredis lacks
 * INFO the other tests switch the check off, and the ready-check test is
 * ignored. Likewise the QUIT test waits for QUIT.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { Redis } from "npm:ioredis@5.9.3";
import { assert, assertEquals, assertRejects } from "../_deps.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";
import { hasCommands } from "./_support.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

/** Counts what a client went through, to check it never reconnected. */
interface Tracked {
  client: Redis;
  events: string[];
}

function connect(server: ServerHandle, extra: Record<string, unknown> = {}) {
  const client = new Redis({
    host: "127.0.0.1",
    port: server.port,
    lazyConnect: true,
    enableReadyCheck: hasCommands("info"),
    // A test fails instead of retrying forever.
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...extra,
  });
  const tracked: Tracked = { client, events: [] };
  for (const event of ["reconnecting", "error", "end"]) {
    client.on(event, (e?: unknown) => {
      tracked.events.push(
        event === "error" ? `error: ${(e as Error).message}` : event,
      );
    });
  }
  return tracked;
}

/**
 * QUIT (or, while tsredis lacks QUIT, a plain disconnect), then check the
 * client ended without a reconnect or an error event.
 */
async function quit(t: Tracked): Promise<void> {
  if (hasCommands("quit")) assertEquals(await t.client.quit(), "OK");
  else t.client.disconnect(false);
  for (
    const deadline = Date.now() + 10000;
    t.client.status !== "end" && Date.now() < deadline;
  ) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assertEquals(t.client.status, "end");
  assertEquals(t.events, ["end"]);
}

Deno.test({
  name: "ioredis SET and GET strings, UTF-8 text and missing keys",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server);
    await t.client.connect();
    const redis = t.client;
    assertEquals(await redis.set("greeting", "hello"), "OK");
    assertEquals(await redis.get("greeting"), "hello");
    assertEquals(await redis.set("text", "héllo wörld ✓ 🎉"), "OK");
    assertEquals(await redis.get("text"), "héllo wörld ✓ 🎉");
    assertEquals(await redis.get("missing"), null);
    assertEquals(await redis.set("n", 42), "OK");
    assertEquals(await redis.get("n"), "42");
    assertEquals(await redis.set("greeting", "again", "NX"), null);
    assertEquals(await redis.set("fresh", "x", "XX"), null);
    assertEquals(await redis.echo("echo"), "echo");
    assertEquals(await redis.ping(), "PONG");
    await quit(t);
  },
});

Deno.test({
  name: "ioredis binary Buffer keys and values round-trip",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server);
    await t.client.connect();
    const redis = t.client;
    const key = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0x41]);
    const value = Buffer.alloc(256 * 3);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 0xff;
    assertEquals(await redis.set(key, value), "OK");
    const got = await redis.getBuffer(key);
    assert(got !== null);
    assertEquals(Buffer.compare(got, value), 0);
    // Invalid UTF-8 must not collapse: two different keys stay different.
    await redis.set(Buffer.from([0xc3]), "one");
    await redis.set(Buffer.from([0xc4]), "two");
    assertEquals(await redis.get(Buffer.from([0xc3])), "one");
    assertEquals(await redis.get(Buffer.from([0xc4])), "two");
    // A 5 MB binary value.
    const big = Buffer.alloc(5 * 1024 * 1024, 0xab);
    big[123] = 0;
    await redis.set("big", big);
    const bigBack = await redis.getBuffer("big");
    assert(bigBack !== null);
    assertEquals(Buffer.compare(bigBack, big), 0);
    await quit(t);
  },
});

Deno.test({
  name: "ioredis pipeline returns [error, result] for every command in order",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server);
    await t.client.connect();
    const redis = t.client;
    const pipeline = redis.pipeline();
    for (let i = 0; i < 1000; i++) pipeline.set(`key:${i}`, `value:${i}`);
    for (let i = 0; i < 1000; i++) pipeline.get(`key:${i}`);
    pipeline.call("nosuchcommand", "x");
    pipeline.echo("last");
    const results = await pipeline.exec();
    assert(results !== null);
    assertEquals(results.length, 2002);
    for (let i = 0; i < 1000; i++) {
      assertEquals(results[i], [null, "OK"]);
      assertEquals(results[1000 + i], [null, `value:${i}`]);
    }
    const [err] = results[2000]!;
    assert(err instanceof Error);
    assertEquals(
      err.message,
      "ERR unknown command 'nosuchcommand', with args beginning with: 'x' ",
    );
    assertEquals(results[2001], [null, "last"]);
    // Commands issued without awaiting are pipelined on the socket too.
    const many = await Promise.all(
      Array.from({ length: 500 }, (_, i) => redis.echo(`e${i}`)),
    );
    assertEquals(many, Array.from({ length: 500 }, (_, i) => `e${i}`));
    await quit(t);
  },
});

Deno.test({
  name: "ioredis MULTI/EXEC runs a transaction",
  ignore: !hasCommands("multi", "exec", "discard"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server);
    await t.client.connect();
    const redis = t.client;
    const results = await redis.multi().set("a", "1").get("a").set("b", "2")
      .exec();
    assertEquals(results, [[null, "OK"], [null, "1"], [null, "OK"]]);
    // A command rejected while queueing aborts EXEC.
    await assertRejects(
      () => redis.multi().set("a", "x").call("set", "only-key").exec(),
      /EXECABORT/,
    );
    assertEquals(await redis.get("a"), "1");
    await quit(t);
  },
});

Deno.test({
  name:
    "ioredis error replies reject with ReplyError and the connection stays usable",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server);
    await t.client.connect();
    const redis = t.client;
    const unknown = await assertRejects(
      () => redis.call("nosuchcommand"),
      /^ERR unknown command 'nosuchcommand', with args beginning with: $/,
    );
    assertEquals((unknown as Error).name, "ReplyError");
    await assertRejects(
      () => redis.call("get"),
      /^ERR wrong number of arguments for 'get' command$/,
    );
    await assertRejects(
      () => redis.call("set", "k", "v", "bogus"),
      /^ERR syntax error$/,
    );
    assertEquals(await redis.ping(), "PONG");
    await quit(t);
  },
});

Deno.test({
  name: "ioredis QUIT replies OK and ends the connection without reconnecting",
  ignore: !hasCommands("quit"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server, { retryStrategy: () => 10 });
    await t.client.connect();
    assertEquals(await t.client.set("k", "v"), "OK");
    await quit(t);
  },
});

Deno.test({
  name: "ioredis connects with its default INFO ready check",
  ignore: !hasCommands("info"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = connect(server, { enableReadyCheck: true });
    await t.client.connect();
    assertEquals(t.client.status, "ready");
    assertEquals(await t.client.ping(), "PONG");
    await quit(t);
  },
});

Deno.test({
  name: "ioredis subscriber receives published messages",
  ignore: !hasCommands("subscribe", "publish", "unsubscribe"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    const sub = connect(server);
    const pub = connect(server);
    await sub.client.connect();
    await pub.client.connect();
    const received: [string, string][] = [];
    const got = new Promise<void>((resolve) => {
      sub.client.on("message", (channel: string, message: string) => {
        received.push([channel, message]);
        if (received.length === 2) resolve();
      });
    });
    assertEquals(await sub.client.subscribe("news"), 1);
    assertEquals(await pub.client.publish("news", "one"), 1);
    assertEquals(await pub.client.publish("news", "two"), 1);
    await got;
    assertEquals(received, [["news", "one"], ["news", "two"]]);
    await sub.client.unsubscribe("news");
    await quit(sub);
    await quit(pub);
  },
});
