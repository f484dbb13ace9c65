/**
 * npm `redis` (node-redis v5, pinned in deno.lock) against a spawned
 * tsredis, speaking RESP2 and RESP3 (`RESP: 3` sends HELLO 3 first, so the
 * RESP3 tests wait for HELLO): strings, binary Buffers, pipelines,
 * MULTI/EXEC, error replies and a clean close.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createClient, ErrorReply, RESP_TYPES } from "npm:redis@5.9.0";
import { assert, assertEquals, assertRejects } from "../_deps.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";
import { hasCommands } from "./_support.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

type Client = ReturnType<typeof createClient>;

interface Tracked {
  client: Client;
  events: string[];
}

async function connect(server: ServerHandle, resp: 2 | 3): Promise<Tracked> {
  const client = createClient({
    socket: {
      host: "127.0.0.1",
      port: server.port,
      // A test fails instead of retrying forever.
      reconnectStrategy: false,
    },
    // Without the option node-redis speaks RESP2 and sends no HELLO.
    ...(resp === 3 ? { RESP: 3 as const } : {}),
  });
  const tracked: Tracked = { client, events: [] };
  client.on("error", (e: Error) => tracked.events.push(`error: ${e.message}`));
  client.on("reconnecting", () => tracked.events.push("reconnecting"));
  client.on("end", () => tracked.events.push("end"));
  await client.connect();
  return tracked;
}

/** Closes the client and checks it neither reconnected nor saw an error. */
async function close(t: Tracked): Promise<void> {
  // After pub/sub in RESP2, node-redis hands back QUIT's reply as a Buffer.
  if (hasCommands("quit")) assertEquals(String(await t.client.quit()), "OK");
  else await t.client.close();
  assertEquals(t.client.isOpen, false);
  assertEquals(t.events, ["end"]);
}

for (const resp of [2, 3] as const) {
  // RESP3 needs HELLO 3; every test of that protocol waits for it.
  const ignore = resp === 3 && !hasCommands("hello");
  const tag = `node-redis RESP${resp}`;

  Deno.test({
    name: `${tag} SET and GET strings, UTF-8 text and missing keys`,
    ignore,
    ...options,
    async fn() {
      await using server = await spawnServer();
      const t = await connect(server, resp);
      const redis = t.client;
      assertEquals(await redis.set("greeting", "hello"), "OK");
      assertEquals(await redis.get("greeting"), "hello");
      assertEquals(await redis.set("text", "héllo wörld ✓ 🎉"), "OK");
      assertEquals(await redis.get("text"), "héllo wörld ✓ 🎉");
      assertEquals(await redis.get("missing"), null);
      assertEquals(await redis.set("greeting", "x", { condition: "NX" }), null);
      assertEquals(await redis.ping(), "PONG");
      assertEquals(await redis.echo("echo"), "echo");
      await close(t);
    },
  });

  Deno.test({
    name: `${tag} binary Buffer keys and values round-trip`,
    ignore,
    ...options,
    async fn() {
      await using server = await spawnServer();
      const t = await connect(server, resp);
      const redis = t.client;
      const binary = redis.withTypeMapping({
        [RESP_TYPES.BLOB_STRING]: Buffer,
      });
      const key = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);
      const value = Buffer.alloc(1000);
      for (let i = 0; i < value.length; i++) value[i] = (i * 13) & 0xff;
      assertEquals(await redis.set(key, value), "OK");
      const got = await binary.get(key);
      assert(got instanceof Buffer);
      assertEquals(Buffer.compare(got, value), 0);
      await redis.set(Buffer.from([0xc3]), "one");
      await redis.set(Buffer.from([0xc4]), "two");
      assertEquals(await redis.get(Buffer.from([0xc3])), "one");
      assertEquals(await redis.get(Buffer.from([0xc4])), "two");
      await close(t);
    },
  });

  Deno.test({
    name: `${tag} pipelines: concurrent commands and execAsPipeline`,
    ignore: ignore || !hasCommands("multi", "exec"),
    ...options,
    async fn() {
      await using server = await spawnServer();
      const t = await connect(server, resp);
      const redis = t.client;
      // Commands issued together are written together (auto-pipelining).
      const sets = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => redis.set(`k${i}`, `v${i}`)),
      );
      assertEquals(sets.every((r) => r === "OK"), true);
      const gets = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => redis.get(`k${i}`)),
      );
      assertEquals(gets, Array.from({ length: 1000 }, (_, i) => `v${i}`));
      const piped = await redis.multi().set("p", "1").get("p").echo("e")
        .execAsPipeline();
      assertEquals(piped, ["OK", "1", "e"]);
      await close(t);
    },
  });

  Deno.test({
    name: `${tag} MULTI/EXEC runs a transaction`,
    ignore: ignore || !hasCommands("multi", "exec", "discard"),
    ...options,
    async fn() {
      await using server = await spawnServer();
      const t = await connect(server, resp);
      const redis = t.client;
      assertEquals(
        await redis.multi().set("a", "1").get("a").set("b", "2").exec(),
        ["OK", "1", "OK"],
      );
      // A command rejected while queueing aborts EXEC; node-redis reports
      // the queueing error.
      await assertRejects(
        () =>
          redis.multi().set("a", "x").addCommand(["SET", "only-key"]).exec(),
        /^ERR wrong number of arguments for 'set' command$/,
      );
      assertEquals(await redis.get("a"), "1");
      await close(t);
    },
  });

  Deno.test({
    name: `${tag} error replies reject and the connection stays usable`,
    ignore,
    ...options,
    async fn() {
      await using server = await spawnServer();
      const t = await connect(server, resp);
      const redis = t.client;
      const unknown = await assertRejects(
        () => redis.sendCommand(["NOSUCHCOMMAND", "x"]),
        /^ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' $/,
      );
      assert(unknown instanceof ErrorReply);
      await assertRejects(
        () => redis.sendCommand(["GET"]),
        /^ERR wrong number of arguments for 'get' command$/,
      );
      await assertRejects(
        () => redis.sendCommand(["SET", "k", "v", "bogus"]),
        /^ERR syntax error$/,
      );
      assertEquals(await redis.ping(), "PONG");
      await close(t);
    },
  });

  Deno.test({
    name: `${tag} subscriber receives published messages`,
    ignore: ignore || !hasCommands("subscribe", "publish", "unsubscribe"),
    ...options,
    async fn() {
      await using server = await spawnServer();
      const pub = await connect(server, resp);
      const sub = await connect(server, resp);
      const received: string[] = [];
      const got = new Promise<void>((resolve) => {
        sub.client.subscribe("news", (message: string) => {
          received.push(message);
          if (received.length === 2) resolve();
        });
      });
      // Wait until the subscription is in place.
      for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
        if (await pub.client.publish("news", "one") === 1) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      assertEquals(await pub.client.publish("news", "two"), 1);
      await got;
      assertEquals(received.slice(-2), ["one", "two"]);
      await sub.client.unsubscribe("news");
      await close(sub);
      await close(pub);
    },
  });
}

Deno.test({
  name: "node-redis RESP3 hash replies arrive as maps",
  ignore: !hasCommands("hello", "hset", "hgetall"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    const t = await connect(server, 3);
    const redis = t.client;
    assertEquals(await redis.hSet("h", { f1: "v1", f2: "v2" }), 2);
    const raw = await redis.withTypeMapping({ [RESP_TYPES.MAP]: Map })
      .hGetAll("h");
    assert(raw instanceof Map);
    assertEquals(
      [...raw.entries()].sort(),
      [["f1", "v1"], ["f2", "v2"]],
    );
    await close(t);
  },
});
