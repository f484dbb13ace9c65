/**
 * Blocking sorted set commands (BZPOPMIN, BZPOPMAX, BZMPOP) with several
 * clients: wake-up order, the key served, timeouts, MULTI/EXEC, keys made
 * by other commands (ZUNIONSTORE, GEOADD), keys of another type,
 * disconnects, CLIENT UNBLOCK, and what gets propagated. Each scenario runs
 * against tsredis and, when installed, against the reference redis-server
 * with the same expectations.
 */
import { assert, assertEquals } from "../_deps.ts";
import { recordPropagation, startInProcess } from "../_harness/in_process.ts";
import { RespError, type RespValue } from "../_harness/resp_client.ts";
import {
  block,
  registerScenarios,
  repliesWithin,
  type Scenario,
  untilGone,
} from "../_harness/scenarios.ts";

const scenarios: Record<string, Scenario> = {
  "BZPOPMIN waits until another client adds, then gets key, member and score":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await block(a, "BZPOPMIN", "k", "0");
      assertEquals(await repliesWithin(a, 100), false);
      assertEquals(await b.call("ZADD", "k", "2", "y", "1.5", "x"), 2);
      assertEquals(
        await a.readRaw(),
        "*3\r\n$1\r\nk\r\n$1\r\nx\r\n$3\r\n1.5\r\n",
      );
      assertEquals(await b.call("ZRANGE", "k", "0", "-1"), ["y"]);
    },

  "blocked clients are served in the order they blocked, one member each":
    async (connect) => {
      const clients = [await connect(), await connect(), await connect()];
      for (const c of clients) await block(c, "BZPOPMAX", "k", "0");
      const writer = await connect();
      assertEquals(await writer.call("ZADD", "k", "1", "a", "2", "b"), 2);
      assertEquals(await clients[0]!.read(), ["k", "b", "2"]);
      assertEquals(await clients[1]!.read(), ["k", "a", "1"]);
      assertEquals(await repliesWithin(clients[2]!, 100), false);
      assertEquals(await writer.call("ZADD", "k", "3", "c"), 1);
      assertEquals(await clients[2]!.read(), ["k", "c", "3"]);
      assertEquals(await writer.call("EXISTS", "k"), 0);
    },

  "a client blocked on several keys is served from the key that got members":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await block(a, "BZPOPMIN", "k1", "k2", "k3", "0");
      assertEquals(await b.call("ZADD", "k3", "7", "c"), 1);
      assertEquals(await a.read(), ["k3", "c", "7"]);
    },

  "the key that became ready first is served, not the first key named": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await block(a, "BZPOPMIN", "k1", "k2", "0");
    await b.call("MULTI");
    await b.call("ZADD", "k2", "1", "from-k2");
    await b.call("ZADD", "k1", "1", "from-k1");
    assertEquals(await b.call("EXEC"), [1, 1]);
    assertEquals(await a.read(), ["k2", "from-k2", "1"]);
    assertEquals(await b.call("ZCARD", "k1"), 1);
  },

  "BZMPOP with COUNT gets up to COUNT members when served": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await block(a, "BZMPOP", "0", "2", "x", "k", "MAX", "COUNT", "2");
    assertEquals(await b.call("ZADD", "k", "1", "a", "2", "b", "3", "c"), 3);
    assertEquals(
      await a.readRaw(),
      "*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
    assertEquals(await b.call("ZRANGE", "k", "0", "-1"), ["a"]);
  },

  "a RESP3 client gets RESP3 shapes when served": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await a.call("HELLO", "3");
    await block(a, "BZMPOP", "0", "1", "k", "MIN");
    await b.call("ZADD", "k", "2.5", "m");
    assertEquals(
      await a.readRaw(),
      "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\nm\r\n,2.5\r\n",
    );
    await block(a, "BZPOPMAX", "k", "0");
    await b.call("ZADD", "k", "1", "n");
    assertEquals(await a.readRaw(), "*3\r\n$1\r\nk\r\n$1\r\nn\r\n,1\r\n");
    assertEquals(await a.callRaw("BZPOPMIN", "k", "0.01"), "_\r\n");
  },

  "timeouts reply a null array after about that long": async (connect) => {
    const a = await connect();
    const start = Date.now();
    assertEquals(await a.callRaw("BZPOPMIN", "k", "0.25"), "*-1\r\n");
    const elapsed = Date.now() - start;
    assert(elapsed >= 240, `returned after ${elapsed} ms`);
    assert(elapsed < 1500, `returned after ${elapsed} ms`);
    assertEquals(
      await a.callRaw("BZMPOP", "0.05", "1", "k", "MIN"),
      "*-1\r\n",
    );
  },

  "members added and removed inside one transaction leave the client blocked":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await block(a, "BZPOPMIN", "k", "0");
      await b.call("MULTI");
      await b.call("ZADD", "k", "1", "a");
      await b.call("ZREM", "k", "a");
      assertEquals(await b.call("EXEC"), [1, 1]);
      assertEquals(await repliesWithin(a, 100), false);
      await b.call("ZADD", "k", "2", "b");
      assertEquals(await a.read(), ["k", "b", "2"]);
    },

  "a transaction serves the client once, with what is left at EXEC": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await block(a, "BZPOPMAX", "k", "0");
    await b.call("MULTI");
    await b.call("ZADD", "k", "1", "a", "2", "b");
    await b.call("ZPOPMAX", "k");
    assertEquals(await b.call("EXEC"), [2, ["b", "2"]]);
    assertEquals(await a.read(), ["k", "a", "1"]);
  },

  "a list at the key does not wake a sorted set waiter": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await block(a, "BZPOPMIN", "k", "0");
    assertEquals(await b.call("RPUSH", "k", "x"), 1);
    assertEquals(await repliesWithin(a, 100), false);
    assertEquals(await b.call("DEL", "k"), 1);
    assertEquals(await b.call("ZADD", "k", "1", "a"), 1);
    assertEquals(await a.read(), ["k", "a", "1"]);
  },

  "ZUNIONSTORE, ZRANGESTORE and GEOADD creating the key wake the client":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await b.call("ZADD", "src", "1", "a", "2", "b");
      await block(a, "BZPOPMIN", "u", "0");
      assertEquals(await b.call("ZUNIONSTORE", "u", "1", "src"), 2);
      assertEquals(await a.read(), ["u", "a", "1"]);
      await block(a, "BZPOPMAX", "r", "0");
      assertEquals(await b.call("ZRANGESTORE", "r", "src", "0", "0"), 1);
      assertEquals(await a.read(), ["r", "a", "1"]);
      await block(a, "BZPOPMIN", "g", "0");
      assertEquals(await b.call("GEOADD", "g", "0", "0", "origin"), 1);
      const r = await a.read() as string[];
      assertEquals(r.slice(0, 2), ["g", "origin"]);
    },

  "a client that disconnects while blocked takes nothing": async (connect) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await block(a, "BZPOPMIN", "k", "0");
    await block(b, "BZPOPMIN", "k", "0");
    const gone = untilGone(a);
    a.close();
    await gone;
    assertEquals(await c.call("ZADD", "k", "1", "x"), 1);
    assertEquals(await b.read(), ["k", "x", "1"]);
  },

  "CLIENT UNBLOCK replies the timeout reply or an UNBLOCKED error": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    const id = await a.call("CLIENT", "ID");
    await block(a, "BZPOPMIN", "k", "0");
    assertEquals(await b.call("CLIENT", "UNBLOCK", id as number), 1);
    assertEquals(await a.readRaw(), "*-1\r\n");
    await block(a, "BZMPOP", "0", "1", "k", "MIN");
    assertEquals(
      await b.call("CLIENT", "UNBLOCK", id as number, "ERROR"),
      1,
    );
    const r: RespValue = await a.read();
    assertEquals(
      (r as RespError).message,
      "UNBLOCKED client unblocked via CLIENT UNBLOCK",
    );
  },
};

registerScenarios("sorted set blocking scenarios", scenarios);

Deno.test("sorted set and geo writes propagate what Redis 7.0 propagates", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const a = await server.connect();
  const b = await server.connect();
  try {
    for (
      const argv of [
        ["ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d"],
        ["ZADD", "k", "NX", "1", "a"],
        ["ZADD", "missing", "XX", "1", "a"],
        ["ZINCRBY", "k", "1.5", "a"],
        ["ZPOPMIN", "k"],
        ["ZMPOP", "2", "nokey", "k", "MAX", "COUNT", "10"],
        ["ZADD", "k", "1", "a", "2", "b", "3", "c"],
        ["BZPOPMIN", "k", "0"],
        ["BZMPOP", "0", "1", "k", "max", "count", "5"],
        ["ZREM", "k", "nope"],
        ["ZREMRANGEBYSCORE", "nokey", "0", "1"],
        ["GEOADD", "g", "ch", "13.361389", "38.115556", "Palermo"],
        ["GEOADD", "g", "NX", "13.361389", "38.115556", "Palermo"],
        [
          "GEOSEARCHSTORE",
          "d",
          "g",
          "FROMMEMBER",
          "Palermo",
          "BYRADIUS",
          "1",
          "km",
        ],
        ["ZUNIONSTORE", "u", "1", "g"],
      ]
    ) await a.call(...argv);
    const served: [string[], string[]][] = [
      [["BZPOPMAX", "x", "0"], ["ZADD", "x", "1", "m"]],
      [["BZMPOP", "0", "1", "y", "MIN", "COUNT", "3"], [
        "ZADD",
        "y",
        "1",
        "m",
        "2",
        "n",
      ]],
    ];
    for (const [blocking, push] of served) {
      await block(b, ...blocking);
      await a.call(...push);
      await b.read();
    }
  } finally {
    a.close();
    b.close();
  }
  // Recorded from redis-server 7.0.15's AOF for the same commands.
  assertEquals(propagated, [
    "ZADD k 1 a 2 b 3 c 4 d",
    "ZINCRBY k 1.5 a",
    "ZPOPMIN k",
    "ZPOPMAX k 3",
    "ZADD k 1 a 2 b 3 c",
    "ZPOPMIN k",
    "ZPOPMAX k 2",
    "zadd g ch 3479099956230698 Palermo",
    "GEOSEARCHSTORE d g FROMMEMBER Palermo BYRADIUS 1 km",
    "ZUNIONSTORE u 1 g",
    "ZADD x 1 m",
    "ZPOPMAX x",
    "ZADD y 1 m 2 n",
    "ZPOPMIN y 2",
  ]);
});
