/**
 * Blocking XREAD and XREADGROUP with several clients: wake-ups, `$`
 * resolved when the client blocked, consumer groups sharing new entries,
 * timeouts, groups and keys that go away, MULTI; then what stream commands
 * propagate, and the idle and delivery times they keep (with a manual
 * clock). The scenarios run against tsredis and, when installed, against
 * the reference redis-server with the same expectations.
 */
import { assertEquals } from "../_deps.ts";
import { recordPropagation, startInProcess } from "../_harness/in_process.ts";
import { RespError } from "../_harness/resp_client.ts";
import {
  block,
  registerScenarios,
  repliesWithin,
  type Scenario,
} from "../_harness/scenarios.ts";
import { ManualClock } from "../../src/util/clock.ts";

function err(text: string): RespError {
  return new RespError(text);
}

const XRG = ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s"];

const scenarios: Record<string, Scenario> = {
  "XREAD BLOCK waits for XADD and gets only the new entry": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await b.call("XADD", "s", "1", "f", "old");
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    assertEquals(await repliesWithin(a, 100), false);
    assertEquals(await b.call("XADD", "s", "2", "f", "new"), "2-0");
    assertEquals(await a.read(), [["s", [["2-0", ["f", "new"]]]]]);
  },

  "$ is the last ID when the client blocked, not when it is served": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await b.call("XADD", "s", "5", "f", "v");
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await b.call("MULTI");
    await b.call("XADD", "s", "6", "f", "a");
    await b.call("XADD", "s", "7", "f", "b");
    await b.call("EXEC");
    assertEquals(await a.read(), [["s", [["6-0", ["f", "a"]], [
      "7-0",
      ["f", "b"],
    ]]]]);
  },

  "every XREAD client blocked on the key gets the entry": async (connect) => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await block(b, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "0");
    await c.call("XADD", "s", "1", "x", "1");
    assertEquals(await a.read(), [["s", [["1-0", ["x", "1"]]]]]);
    assertEquals(await b.read(), [["s", [["1-0", ["x", "1"]]]]]);
  },

  "a client blocked on several streams is served from the stream that got data":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$");
      await b.call("MULTI");
      await b.call("XADD", "s2", "1", "f", "v");
      await b.call("XADD", "s1", "1", "f", "v");
      await b.call("EXEC");
      assertEquals(await a.read(), [["s2", [["1-0", ["f", "v"]]]]]);
    },

  "XREAD BLOCK times out with a null array": async (connect) => {
    const a = await connect();
    await a.call("XADD", "s", "1", "f", "v");
    assertEquals(
      await a.call("XREAD", "BLOCK", "50", "STREAMS", "s", "missing", "$", "$"),
      null,
    );
    assertEquals(
      await a.callRaw("XREAD", "BLOCK", "50", "STREAMS", "s", "$"),
      "*-1\r\n",
    );
  },

  "a blocked XREAD stays blocked when the stream is deleted or replaced":
    async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await b.call("XADD", "s", "1", "f", "v");
      await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await b.call("DEL", "s");
      await b.call("SET", "s", "string");
      assertEquals(await repliesWithin(a, 100), false);
      await b.call("DEL", "s");
      await b.call("XADD", "s", "2", "f", "v");
      assertEquals(await a.read(), [["s", [["2-0", ["f", "v"]]]]]);
    },

  "XADD then XDEL in one transaction serves an empty entry list": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await b.call("XADD", "s", "1", "f", "v");
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await b.call("MULTI");
    await b.call("XADD", "s", "2", "f", "v");
    await b.call("XDEL", "s", "2");
    await b.call("EXEC");
    assertEquals(await a.read(), [["s", []]]);
  },

  "XSETID alone does not wake a blocked XREAD": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await b.call("XADD", "s", "1", "f", "v");
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await b.call("XSETID", "s", "9");
    assertEquals(await repliesWithin(a, 100), false);
    await b.call("XADD", "s", "10", "f", "v");
    assertEquals(await a.read(), [["s", [["10-0", ["f", "v"]]]]]);
  },

  "a blocked XREAD without COUNT gets at most 1000 entries": async (
    connect,
  ) => {
    const [a, b] = [await connect(), await connect()];
    await b.call("XADD", "s", "1", "f", "v");
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "1");
    const multi: (string | number)[][] = [["MULTI"]];
    for (let i = 2; i <= 1101; i++) multi.push(["XADD", "s", i, "f", "v"]);
    multi.push(["EXEC"]);
    await b.pipeline(multi);
    const reply = await a.read() as [string, unknown[]][];
    assertEquals(reply[0]![1].length, 1000);
  },

  "two consumers of a group share new entries one by one": async (connect) => {
    const [a, b, p] = [await connect(), await connect(), await connect()];
    await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await block(a, ...XRG.slice(0, 3), "alice", ...XRG.slice(4), ">");
    await block(b, ...XRG.slice(0, 3), "bob", ...XRG.slice(4), ">");
    await p.call("XADD", "s", "1", "f", "one");
    assertEquals(await a.read(), [["s", [["1-0", ["f", "one"]]]]]);
    assertEquals(await repliesWithin(b, 100), false);
    await p.call("XADD", "s", "2", "f", "two");
    assertEquals(await b.read(), [["s", [["2-0", ["f", "two"]]]]]);
    assertEquals(await p.call("XPENDING", "s", "g"), [2, "1-0", "2-0", [[
      "alice",
      "1",
    ], ["bob", "1"]]]);
  },

  "a blocked consumer is created only when it is served": async (connect) => {
    const [a, p] = [await connect(), await connect()];
    await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await block(a, ...XRG, ">");
    assertEquals(await p.call("XINFO", "CONSUMERS", "s", "g"), []);
    await p.call("XADD", "s", "1", "f", "v");
    await a.read();
    assertEquals(
      ((await p.call("XINFO", "CONSUMERS", "s", "g")) as unknown[]).length,
      1,
    );
    assertEquals(
      await a.call(
        "XREADGROUP",
        "GROUP",
        "g",
        "late",
        "BLOCK",
        "30",
        "STREAMS",
        "s",
        ">",
      ),
      null,
    );
    assertEquals(
      ((await p.call("XINFO", "CONSUMERS", "s", "g")) as unknown[]).length,
      1,
    );
  },

  "XREADGROUP NOACK served from blocking leaves nothing pending": async (
    connect,
  ) => {
    const [a, p] = [await connect(), await connect()];
    await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await block(
      a,
      "XREADGROUP",
      "GROUP",
      "g",
      "c",
      "NOACK",
      "BLOCK",
      "0",
      "STREAMS",
      "s",
      ">",
    );
    await p.call("XADD", "s", "1", "f", "v");
    assertEquals(await a.read(), [["s", [["1-0", ["f", "v"]]]]]);
    assertEquals(await p.call("XPENDING", "s", "g"), [0, null, null, null]);
  },

  "XGROUP DESTROY answers blocked readers with NOGROUP": async (connect) => {
    const [a, p] = [await connect(), await connect()];
    await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await block(a, ...XRG, ">");
    assertEquals(await p.call("XGROUP", "DESTROY", "s", "g"), 1);
    assertEquals(
      await a.read(),
      err(
        "NOGROUP the consumer group this client was blocked on no longer exists",
      ),
    );
  },

  "a stream that goes away unblocks XREADGROUP with UNBLOCKED": async (
    connect,
  ) => {
    const [a, p] = [await connect(), await connect()];
    for (const gone of [["DEL", "s"], ["SET", "s", "x"], ["FLUSHALL"]]) {
      await p.call("DEL", "s");
      await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await block(a, ...XRG, ">");
      await p.call(...gone);
      assertEquals(
        await a.read(),
        err("UNBLOCKED the stream key no longer exists"),
      );
    }
  },

  "a stream replaced in a transaction by one without the group answers NOGROUP":
    async (connect) => {
      const [a, p] = [await connect(), await connect()];
      await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await block(a, ...XRG, ">");
      await p.call("MULTI");
      await p.call("DEL", "s");
      await p.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await p.call("EXEC");
      assertEquals(await repliesWithin(a, 100), false);
      await p.call("MULTI");
      await p.call("DEL", "s");
      await p.call("XADD", "s", "1", "f", "v");
      await p.call("EXEC");
      assertEquals(
        await a.read(),
        err(
          "NOGROUP the consumer group this client was blocked on no longer exists",
        ),
      );
    },

  "XGROUP SETID back does not wake a blocked consumer": async (connect) => {
    const [a, p] = [await connect(), await connect()];
    await p.call("XADD", "s", "1", "f", "v");
    await p.call("XGROUP", "CREATE", "s", "g", "$");
    await block(a, ...XRG, ">");
    await p.call("XGROUP", "SETID", "s", "g", "0");
    assertEquals(await repliesWithin(a, 100), false);
    await p.call("XADD", "s", "2", "f", "v");
    assertEquals(await a.read(), [["s", [["1-0", ["f", "v"]], [
      "2-0",
      ["f", "v"],
    ]]]]);
  },

  "XREAD BLOCK inside MULTI does not block": async (connect) => {
    const a = await connect();
    await a.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await a.call("MULTI");
    await a.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await a.call("XREADGROUP", ...XRG.slice(1), ">");
    assertEquals(await a.call("EXEC"), [null, null]);
  },

  "blocked XREAD in RESP3 gets a map": async (connect) => {
    const [a, b] = [await connect(), await connect()];
    await a.call("HELLO", "3");
    await block(a, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await b.call("XADD", "s", "1", "f", "v");
    assertEquals(
      await a.readRaw(),
      "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
    );
    assertEquals(
      await a.callRaw("XREAD", "BLOCK", "20", "STREAMS", "s", "$"),
      "_\r\n",
    );
  },
};

registerScenarios("stream blocking scenarios", scenarios);

Deno.test("stream commands propagate what Redis 7.0 propagates", async () => {
  const clock = new ManualClock(1_000_000);
  await using server = startInProcess([], { clock });
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const a = await server.connect();
  const b = await server.connect();
  try {
    for (
      const argv of [
        ["XADD", "s", "1", "a", "1"],
        ["XADD", "s", "2-*", "b", "2"],
        ["XADD", "s", "MAXLEN", "~", "10", "3", "c", "3"],
        ["XADD", "s", "NOMKSTREAM", "5", "e", "5"],
        ["XADD", "missing", "NOMKSTREAM", "5", "e", "5"],
        ["XTRIM", "s", "MAXLEN", "10"],
        ["XTRIM", "s", "MINID", "~", "2"],
        ["XDEL", "s", "99"],
        ["XDEL", "s", "1"],
        ["XSETID", "s", "10", "ENTRIESADDED", "20", "MAXDELETEDID", "1"],
        ["XGROUP", "CREATE", "s", "g", "0"],
        ["XGROUP", "CREATE", "s", "g", "0"],
        ["XGROUP", "CREATECONSUMER", "s", "g", "c"],
        ["XGROUP", "CREATECONSUMER", "s", "g", "c"],
        [
          "XREADGROUP",
          "GROUP",
          "g",
          "alice",
          "COUNT",
          "2",
          "STREAMS",
          "s",
          ">",
        ],
        ["XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">"],
        ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        ["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"],
        ["XCLAIM", "s", "g", "bob", "0", "2", "3", "JUSTID"],
        ["XCLAIM", "s", "g", "bob", "0", "2", "RETRYCOUNT", "5", "IDLE", "10"],
        ["XCLAIM", "s", "g", "dave", "0", "9", "LASTID", "11"],
        ["XCLAIM", "s", "g", "dave", "0", "9"],
        ["XACK", "s", "g", "2-0", "9"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "0", "JUSTID"],
        ["XDEL", "s", "3"],
        ["XAUTOCLAIM", "s", "g", "erin", "0", "0"],
        ["XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "3"],
        ["XGROUP", "DELCONSUMER", "s", "g", "alice"],
        ["XGROUP", "DELCONSUMER", "s", "g", "nobody"],
        ["XGROUP", "DESTROY", "s", "g"],
        ["XGROUP", "DESTROY", "s", "g"],
        ["XREAD", "STREAMS", "s", "0"],
        ["XADD", "t", "*", "f", "v"],
        ["XADD", "t", "*", "f", "v"],
        ["XGROUP", "CREATE", "t", "g", "$"],
      ]
    ) await a.call(...argv);
    // A blocked consumer served by an XADD: the XCLAIM comes after the XADD.
    await block(
      b,
      "XREADGROUP",
      "GROUP",
      "g",
      "c",
      "BLOCK",
      "0",
      "STREAMS",
      "t",
      ">",
    );
    clock.advance(5);
    await a.call("XADD", "t", "1000001-0", "f", "v");
    await b.read();
    await block(
      b,
      ...["XREADGROUP", "GROUP", "g", "d", "NOACK", "BLOCK", "0"],
      ...["STREAMS", "t", ">"],
    );
    await a.call("XADD", "t", "1000002-0", "f", "v");
    await b.read();
  } finally {
    a.close();
    b.close();
  }
  // Recorded from redis-server 7.0.15's AOF for the same commands, with
  // times from the manual clock.
  assertEquals(propagated, [
    "XADD s 1 a 1",
    "XADD s 2-0 b 2",
    "XADD s MAXLEN = 3 3 c 3",
    "XADD s NOMKSTREAM 5 e 5",
    "XDEL s 1",
    "XSETID s 10 ENTRIESADDED 20 MAXDELETEDID 1",
    "XGROUP CREATE s g 0",
    "XGROUP CREATECONSUMER s g c",
    "MULTI",
    "XCLAIM s g alice 0 2-0 TIME 1000000 RETRYCOUNT 1 FORCE JUSTID LASTID 2-0",
    "XCLAIM s g alice 0 3-0 TIME 1000000 RETRYCOUNT 1 FORCE JUSTID LASTID 3-0",
    "EXEC",
    "MULTI",
    "XGROUP CREATECONSUMER s g bob",
    "XGROUP SETID s g 5-0 ENTRIESREAD 20",
    "EXEC",
    "MULTI",
    "XCLAIM s g bob 0 2 TIME 1000000 RETRYCOUNT 2 FORCE JUSTID LASTID 5-0",
    "XCLAIM s g bob 0 3 TIME 1000000 RETRYCOUNT 2 FORCE JUSTID LASTID 5-0",
    "EXEC",
    "XCLAIM s g bob 0 2 TIME 999990 RETRYCOUNT 5 FORCE JUSTID LASTID 5-0",
    "XGROUP SETID s g 11-0 ENTRIESREAD 20",
    "XACK s g 2-0 9",
    "XCLAIM s g erin 0 3-0 TIME 1000000 RETRYCOUNT 2 FORCE JUSTID LASTID 11-0",
    "XDEL s 3",
    "XCLAIM s g erin 0 3-0 TIME 1000000 RETRYCOUNT 2 FORCE JUSTID LASTID 11-0",
    "XGROUP SETID s g $ ENTRIESREAD 3",
    "XGROUP DELCONSUMER s g alice",
    "XGROUP DESTROY s g",
    "XADD t 1000000-0 f v",
    "XADD t 1000000-1 f v",
    "XGROUP CREATE t g $",
    "XADD t 1000001-0 f v",
    "XCLAIM t g c 0 1000001-0 TIME 1000005 RETRYCOUNT 1 FORCE JUSTID LASTID 1000001-0",
    "XADD t 1000002-0 f v",
    "MULTI",
    "XGROUP CREATECONSUMER t g d",
    "XGROUP SETID t g 1000002-0 ENTRIESREAD 4",
    "EXEC",
  ]);
});

Deno.test("idle and delivery times follow the server clock", async () => {
  const clock = new ManualClock(5_000_000);
  await using server = startInProcess([], { clock });
  const a = await server.connect();
  try {
    await a.call("XADD", "s", "1", "f", "v");
    await a.call("XADD", "s", "2", "f", "v");
    await a.call("XGROUP", "CREATE", "s", "g", "0");
    await a.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
    clock.advance(1500);
    assertEquals(await a.call("XPENDING", "s", "g", "-", "+", "10"), [
      ["1-0", "alice", 1500, 1],
      ["2-0", "alice", 1500, 1],
    ]);
    assertEquals(await a.call("XINFO", "CONSUMERS", "s", "g"), [[
      "name",
      "alice",
      "pending",
      2,
      "idle",
      1500,
    ]]);
    assertEquals(
      await a.call("XPENDING", "s", "g", "IDLE", "1501", "-", "+", "10"),
      [],
    );
    assertEquals(
      await a.call("XCLAIM", "s", "g", "bob", "2000", "1", "2", "JUSTID"),
      [],
    );
    assertEquals(
      await a.call("XCLAIM", "s", "g", "bob", "1000", "1", "IDLE", "300"),
      [["1-0", ["f", "v"]]],
    );
    clock.advance(100);
    assertEquals(await a.call("XPENDING", "s", "g", "-", "+", "1"), [[
      "1-0",
      "bob",
      400,
      2,
    ]]);
    // A TIME in the future is taken as now.
    await a.call("XCLAIM", "s", "g", "bob", "0", "2", "TIME", "9999999999");
    assertEquals(await a.call("XPENDING", "s", "g", "2", "2", "1"), [[
      "2-0",
      "bob",
      0,
      2,
    ]]);
    assertEquals(
      await a.call("XAUTOCLAIM", "s", "g", "carol", "300", "0", "JUSTID"),
      ["0-0", ["1-0"], []],
    );
    const full = await a.call("XINFO", "STREAM", "s", "FULL");
    const groups = (full as unknown[])[17] as unknown[][];
    assertEquals(groups[0]!.slice(10, 12), ["pending", [
      ["1-0", "carol", 5_001_600, 2],
      ["2-0", "bob", 5_001_600, 2],
    ]]);
  } finally {
    a.close();
  }
});
