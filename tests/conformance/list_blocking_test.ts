/**
 * Blocking list commands with several clients: wake-up order, timeouts,
 * MULTI/EXEC, disconnects, CLIENT UNBLOCK, BLMOVE chains, and what gets
 * propagated. Each scenario runs against tsredis and, when installed,
 * against the reference redis-server with the same expectations.
 */
import { assert, assertEquals } from "../_deps.ts";
import { recordPropagation, startInProcess } from "../_harness/in_process.ts";
import { RespError, type RespValue } from "../_harness/resp_client.ts";
import {
  registerScenarios,
  repliesWithin,
  type Scenario,
  untilBlocked,
  untilGone,
} from "../_harness/scenarios.ts";

const scenarios: Record<string, Scenario> = {
  "BLPOP waits until another client pushes, then gets the element": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    assertEquals(await repliesWithin(a, 150), false);
    assertEquals(await b.call("RPUSH", "k", "x", "y"), 2);
    assertEquals(await a.read(), ["k", "x"]);
    assertEquals(await b.call("LRANGE", "k", 0, -1), ["y"]);
  },

  "blocked clients are served in the order they blocked, one element each":
    async (connect) => {
      const clients = [await connect(), await connect(), await connect()];
      for (const c of clients) {
        await c.sendRaw("*3\r\n$5\r\nBRPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
        await untilBlocked(c);
      }
      const pusher = await connect();
      assertEquals(await pusher.call("RPUSH", "k", "1", "2"), 2);
      assertEquals(await clients[0]!.read(), ["k", "2"]);
      assertEquals(await clients[1]!.read(), ["k", "1"]);
      assertEquals(await repliesWithin(clients[2]!, 100), false);
      assertEquals(await pusher.call("LPUSH", "k", "3"), 1);
      assertEquals(await clients[2]!.read(), ["k", "3"]);
      assertEquals(await pusher.call("EXISTS", "k"), 0);
    },

  "a client blocked on several keys is served from the first key pushed":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await a.sendRaw(
        "*5\r\n$5\r\nBLPOP\r\n$2\r\nk1\r\n$2\r\nk2\r\n$2\r\nk3\r\n$1\r\n0\r\n",
      );
      await untilBlocked(a);
      assertEquals(await b.call("RPUSH", "k3", "c"), 1);
      assertEquals(await a.read(), ["k3", "c"]);
    },

  "a fractional timeout replies with a null array after about that long":
    async (connect) => {
      const a = await connect();
      const start = Date.now();
      assertEquals(await a.call("BLPOP", "k", "0.25"), null);
      const elapsed = Date.now() - start;
      assert(elapsed >= 240, `returned after ${elapsed} ms`);
      assert(elapsed < 1500, `returned after ${elapsed} ms`);
      const raw = await a.callRaw("BLMOVE", "k", "d", "LEFT", "LEFT", "0.05");
      assertEquals(raw, "*-1\r\n");
    },

  "a timeout of 0 waits forever and a long timeout does not fire early": async (
    connect,
  ) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    // 40 days: more than setTimeout's 2^31-1 ms limit.
    await b.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nj\r\n$7\r\n3456000\r\n");
    assertEquals(await repliesWithin(a, 300), false);
    assertEquals(await repliesWithin(b, 10), false);
    await c.call("RPUSH", "k", "x");
    await c.call("RPUSH", "j", "y");
    assertEquals(await a.read(), ["k", "x"]);
    assertEquals(await b.read(), ["j", "y"]);
  },

  "a push inside MULTI wakes blocked clients only after EXEC": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await untilBlocked(a);
    await b.call("MULTI");
    await b.call("RPUSH", "k", "x");
    assertEquals(await repliesWithin(a, 100), false);
    await b.call("LLEN", "k");
    // The transaction sees its own push: the blocked client gets nothing yet.
    assertEquals(await b.call("EXEC"), [1, 1]);
    assertEquals(await a.read(), ["k", "x"]);
  },

  "a client that disconnects while blocked is forgotten": async (connect) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await untilBlocked(a);
    await b.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await untilBlocked(b);
    const gone = untilGone(a);
    a.close();
    await gone;
    assertEquals(await c.call("RPUSH", "k", "x"), 1);
    assertEquals(await b.read(), ["k", "x"]);
    assertEquals(await c.call("EXISTS", "k"), 0);
  },

  "blocking never stalls other clients": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await untilBlocked(a);
    const start = Date.now();
    for (let i = 0; i < 50; i++) {
      assertEquals(await b.call("SET", "s", String(i)), "OK");
    }
    assertEquals(await b.call("GET", "s"), "49");
    assert(Date.now() - start < 1000);
    await b.call("LPUSH", "k", "done");
    assertEquals(await a.read(), ["k", "done"]);
  },

  "commands pipelined after a blocking one wait for it": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await a.sendRaw(
      "*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n",
    );
    assertEquals(await repliesWithin(a, 100), false);
    await b.call("RPUSH", "k", "x");
    assertEquals(await a.read(), ["k", "x"]);
    assertEquals(await a.read(), "after");
  },

  "BLMOVE chains move an element through several blocked clients": async (
    connect,
  ) => {
    const [a, b, c, d] = [
      await connect(),
      await connect(),
      await connect(),
      await connect(),
    ];
    await a.sendRaw(
      "*6\r\n$6\r\nBLMOVE\r\n$2\r\nq1\r\n$2\r\nq2\r\n$5\r\nRIGHT\r\n$4\r\nLEFT\r\n$1\r\n0\r\n",
    );
    await untilBlocked(a);
    await b.sendRaw(
      "*4\r\n$10\r\nBRPOPLPUSH\r\n$2\r\nq2\r\n$2\r\nq3\r\n$1\r\n0\r\n",
    );
    await untilBlocked(b);
    await c.sendRaw("*3\r\n$5\r\nBLPOP\r\n$2\r\nq3\r\n$1\r\n0\r\n");
    await untilBlocked(c);
    assertEquals(await d.call("LPUSH", "q1", "job"), 1);
    assertEquals(await a.read(), "job");
    assertEquals(await b.read(), "job");
    assertEquals(await c.read(), ["q3", "job"]);
    assertEquals(await d.call("EXISTS", "q1", "q2", "q3"), 0);
  },

  "BLMPOP served after blocking gets up to COUNT elements": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await a.sendRaw(
      "*7\r\n$6\r\nBLMPOP\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\nk\r\n$5\r\nRIGHT\r\n$5\r\nCOUNT\r\n$1\r\n2\r\n",
    );
    await untilBlocked(a);
    await b.call("RPUSH", "k", "1", "2", "3");
    assertEquals(await a.read(), ["k", ["3", "2"]]);
    assertEquals(await b.call("LRANGE", "k", 0, -1), ["1"]);
  },

  "CLIENT UNBLOCK releases a blocked client with a timeout or an error": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    const id = await a.call("CLIENT", "ID");
    if (id instanceof RespError) return; // CLIENT is not there yet
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await untilBlocked(a);
    assertEquals(await b.call("CLIENT", "UNBLOCK", id as number), 1);
    assertEquals(await a.readRaw(), "*-1\r\n");
    await a.sendRaw(
      "*6\r\n$6\r\nBLMOVE\r\n$1\r\nk\r\n$1\r\nd\r\n$4\r\nLEFT\r\n$4\r\nLEFT\r\n$1\r\n0\r\n",
    );
    await untilBlocked(a);
    assertEquals(await b.call("CLIENT", "UNBLOCK", id as number), 1);
    assertEquals(await a.readRaw(), "*-1\r\n");
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    await untilBlocked(a);
    assertEquals(
      await b.call("CLIENT", "UNBLOCK", id as number, "ERROR"),
      1,
    );
    const r: RespValue = await a.read();
    assertEquals(
      (r as RespError).message,
      "UNBLOCKED client unblocked via CLIENT UNBLOCK",
    );
    assertEquals(await b.call("CLIENT", "UNBLOCK", id as number), 0);
  },
};

registerScenarios("list blocking scenarios", scenarios);

Deno.test("blocking list commands propagate what Redis 7.0 propagates", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const a = await server.connect();
  const b = await server.connect();
  try {
    for (
      const argv of [
        ["RPUSH", "k", "a", "b", "c"],
        ["BLPOP", "k", "0"],
        ["BRPOP", "k", "0"],
        ["BLMPOP", "0", "1", "k", "LEFT", "COUNT", "5"],
        ["RPUSH", "k", "a", "b", "c", "d"],
        ["LMPOP", "1", "k", "right", "count", "2"],
        ["BLMOVE", "k", "d", "Left", "Right", "0"],
        ["BRPOPLPUSH", "k", "d", "0"],
        ["LTRIM", "d", "0", "-1"],
        ["LREM", "d", "0", "nope"],
        ["LINSERT", "d", "BEFORE", "nope", "x"],
        ["LPOP", "d", "0"],
        ["LPOP", "nokey"],
        ["LSET", "d", "0", "z"],
        ["LPOS", "d", "z"],
      ]
    ) await a.call(...argv);
    const served: [string[], string[]][] = [
      [["BLPOP", "x", "0"], ["RPUSH", "x", "1"]],
      [["BLMOVE", "y", "d", "LEFT", "RIGHT", "0"], ["RPUSH", "y", "1"]],
      [["BRPOPLPUSH", "z", "d", "0"], ["RPUSH", "z", "1"]],
      [["BLMPOP", "0", "1", "w", "RIGHT", "COUNT", "3"], [
        "RPUSH",
        "w",
        "1",
        "2",
      ]],
    ];
    for (const [blocking, push] of served) {
      await b.sendRaw(
        `*${blocking.length}\r\n` +
          blocking.map((x) => `$${x.length}\r\n${x}\r\n`).join(""),
      );
      await untilBlocked(b);
      await a.call(...push);
      await b.read();
    }
  } finally {
    a.close();
    b.close();
  }
  // Recorded from redis-server 7.0.15's AOF for the same commands.
  assertEquals(propagated, [
    "RPUSH k a b c",
    "LPOP k",
    "RPOP k",
    "LPOP k 1",
    "RPUSH k a b c d",
    "RPOP k 2",
    "LMOVE k d Left Right",
    "RPOPLPUSH k d",
    "LSET d 0 z",
    "RPUSH x 1",
    "LPOP x",
    "RPUSH y 1",
    "LMOVE y d left right",
    "RPUSH z 1",
    "RPOPLPUSH z d",
    "RPUSH w 1 2",
    "RPOP w 2",
  ]);
});
