/**
 * Connection group against real redis-server 7.0: PING, ECHO, HELLO, AUTH
 * (with and without requirepass), CLIENT, QUIT, RESET; and, separately,
 * the Redis 7.2 subcommands tsredis adds (CLIENT SETINFO, CLIENT
 * NO-TOUCH), which real 7.0 does not have.
 *
 * Masks and why:
 * - Client ids, addresses, file descriptors, ages and buffer sizes differ
 *   between any two servers (`clientLine` keeps the field names and the
 *   values that describe the connection's state: name, flags, db,
 *   subscriptions, multi, cmd, user, resp).
 * - HELLO's `id` is the client id.
 *
 * @module
 */
import { assertEquals, assertMatch } from "../_deps.ts";
import { differential, masks } from "../_harness/differential.ts";
import { startInProcess } from "../_harness/in_process.ts";
import { encodeCommand, RespError } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { ManualClock } from "../../src/util/clock.ts";

const VARIABLE_FIELDS =
  /\b(id|addr|laddr|fd|age|idle|qbuf|qbuf-free|argv-mem|multi-mem|rbs|rbp|tot-mem)=\S*/g;

// CLIENT INFO/LIST: the length header and the per-server values go.
function clientLine(raw: string): string {
  return raw.slice(raw.indexOf("\r\n") + 2).replace(VARIABLE_FIELDS, "$1=*");
}

const helloId = masks.replace(/\$2\r\nid\r\n:\d+\r\n/, "$2\r\nid\r\n:<id>\r\n");
const WHY_CLIENT = "ids, addresses, ages and buffer sizes differ per server";

differential(import.meta.url, {
  "PING and ECHO": [
    ["PING"],
    ["PING", "hi"],
    ["PING", "a", "b"],
    ["ECHO"],
    ["ECHO", ""],
    ["echo", "a", "b"],
  ],
  "PING in RESP3 and while subscribed": {
    protocol: 3,
    steps: [["PING"], ["PING", "x"]],
  },
  "PING while subscribed in RESP2": [
    ["SUBSCRIBE", "ch"],
    ["PING"],
    ["PING", "x"],
    ["RESET"],
    ["PING"],
  ],
  "HELLO": [
    { cmd: ["HELLO"], mask: helloId, why: "client id" },
    { cmd: ["HELLO", "2"], mask: helloId, why: "client id" },
    ["HELLO", "4"],
    ["HELLO", "1"],
    ["HELLO", "abc"],
    ["HELLO", "-1"],
    ["HELLO", "3", "auth"],
    ["HELLO", "3", "auth", "default"],
    ["HELLO", "3", "setname"],
    ["HELLO", "2", "foo"],
    ["HELLO", "2", "setname", "a b"],
    ["HELLO", "2", "auth", "nosuchuser", "x"],
    {
      cmd: ["HELLO", "2", "auth", "default", "anything", "setname", "me"],
      mask: helloId,
      why: "client id",
    },
    ["CLIENT", "GETNAME"],
    {
      cmd: ["HELLO", "2", "setname", "a", "setname", "b"],
      mask: helloId,
      why: "client id",
    },
    ["CLIENT", "GETNAME"],
  ],
  "HELLO 3 switches the protocol": [
    { cmd: ["HELLO", "3"], mask: helloId, why: "client id" },
    ["CONFIG", "GET", "maxclients"],
    { cmd: ["HELLO"], mask: helloId, why: "client id" },
    { cmd: ["HELLO", "2"], mask: helloId, why: "client id" },
    ["CONFIG", "GET", "maxclients"],
  ],
  "AUTH without requirepass": [
    ["AUTH", "x"],
    ["AUTH", "default", "x"],
    ["AUTH", "nosuchuser", "x"],
    ["AUTH", "a", "b", "c"],
    ["AUTH"],
  ],
  "AUTH, HELLO and RESET with requirepass": [
    ["CONFIG", "SET", "requirepass", "secret"],
    ["PING"],
    ["RESET"],
    ["PING"],
    ["ECHO"],
    ["NOSUCHCOMMAND"],
    ["CLIENT", "ID"],
    ["AUTH", "wrong"],
    ["AUTH", "default", "wrong"],
    ["AUTH", "other", "secret"],
    ["HELLO", "3"],
    ["HELLO"],
    ["HELLO", "2", "auth", "default", "wrong"],
    ["PING"],
    {
      cmd: ["HELLO", "2", "auth", "default", "secret"],
      mask: helloId,
      why: "client id",
    },
    ["PING"],
    ["RESET"],
    ["PING"],
    ["AUTH", "secret"],
    ["PING"],
    ["RESET"],
    ["AUTH", "default", "secret"],
    ["CONFIG", "SET", "requirepass", ""],
    ["RESET"],
    ["PING"],
  ],
  "CLIENT ID, GETNAME and SETNAME": [
    { cmd: ["CLIENT", "ID"], mask: masks.integers, why: "client id" },
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", "conn-1"],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", "a b"],
    ["CLIENT", "SETNAME", "a\nb"],
    ["CLIENT", "SETNAME", "\xc3\xa9"],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME", ""],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "SETNAME"],
    ["CLIENT", "SETNAME", "a", "b"],
    ["CLIENT", "GETNAME", "x"],
    ["CLIENT", "ID", "x"],
  ],
  "CLIENT INFO fields": [
    { cmd: ["CLIENT", "INFO"], mask: clientLine, why: WHY_CLIENT },
    ["CLIENT", "SETNAME", "named"],
    ["SELECT", "3"],
    { cmd: ["CLIENT", "INFO"], mask: clientLine, why: WHY_CLIENT },
    ["SELECT", "0"],
    ["CLIENT", "NO-EVICT", "on"],
    { cmd: ["CLIENT", "INFO"], mask: clientLine, why: WHY_CLIENT },
    ["CLIENT", "NO-EVICT", "off"],
    ["CLIENT", "INFO", "x"],
  ],
  "CLIENT INFO in RESP3 is a verbatim string": {
    protocol: 3,
    steps: [{ cmd: ["CLIENT", "INFO"], mask: clientLine, why: WHY_CLIENT }],
  },
  "CLIENT INFO while subscribed": {
    protocol: 3,
    steps: [
      { cmd: ["SUBSCRIBE", "a", "b"], readFor: 200 },
      ["PSUBSCRIBE", "p*"],
      { cmd: ["CLIENT", "INFO"], mask: clientLine, why: WHY_CLIENT },
    ],
  },
  "CLIENT LIST errors and filters": [
    ["CLIENT", "LIST", "TYPE", "foo"],
    ["CLIENT", "LIST", "ID", "abc"],
    ["CLIENT", "LIST", "ID", "1", "TYPE", "normal"],
    ["CLIENT", "LIST", "TYPE", "normal", "ID", "1"],
    ["CLIENT", "LIST", "TYPE", "normal", "TYPE", "pubsub"],
    ["CLIENT", "LIST", "foo"],
    ["CLIENT", "LIST", "ID"],
    ["CLIENT", "LIST", "TYPE"],
    ["CLIENT", "LIST", "ID", "999999", "999998"],
    ["CLIENT", "LIST", "ID", "0", "-1"],
    ["CLIENT", "LIST", "TYPE", "master"],
    ["CLIENT", "LIST", "TYPE", "replica"],
    ["CLIENT", "LIST", "TYPE", "SLAVE"],
  ],
  "CLIENT KILL errors": [
    ["CLIENT", "KILL", "1.2.3.4:5"],
    ["CLIENT", "KILL", "foo"],
    ["CLIENT", "KILL", "ID", "abc"],
    ["CLIENT", "KILL", "ID", "0"],
    ["CLIENT", "KILL", "ID", "-5"],
    ["CLIENT", "KILL", "ID", "999999"],
    ["CLIENT", "KILL", "ADDR", "1.2.3.4:5"],
    ["CLIENT", "KILL", "LADDR", "1.2.3.4:5"],
    ["CLIENT", "KILL", "TYPE", "foo"],
    ["CLIENT", "KILL", "TYPE", "master"],
    ["CLIENT", "KILL", "ID", "999999", "SKIPME", "maybe"],
    ["CLIENT", "KILL", "USER", "nobody"],
    ["CLIENT", "KILL", "USER", "default", "ID", "999999"],
    ["CLIENT", "KILL", "MAXAGE", "5"],
    ["CLIENT", "KILL", "ID", "999999", "foo"],
    ["CLIENT", "KILL"],
  ],
  "CLIENT UNBLOCK, NO-EVICT, HELP and unknown subcommands": [
    ["CLIENT", "UNBLOCK", "999999"],
    ["CLIENT", "UNBLOCK", "999999", "TIMEOUT"],
    ["CLIENT", "UNBLOCK", "999999", "error"],
    ["CLIENT", "UNBLOCK", "abc"],
    ["CLIENT", "UNBLOCK", "abc", "foo"],
    ["CLIENT", "UNBLOCK", "1", "foo"],
    ["CLIENT", "UNBLOCK", "1", "2", "3"],
    ["CLIENT", "NO-EVICT", "maybe"],
    ["CLIENT", "NO-EVICT", "ON"],
    ["CLIENT", "NO-EVICT"],
    ["CLIENT", "HELP"],
    ["CLIENT", "HELP", "x"],
    ["CLIENT", "nosuch"],
    ["CLIENT"],
  ],
  "CLIENT UNBLOCK of a blocked client": [
    { cmd: ["CLIENT", "ID"], mask: masks.integers, why: "client id" },
    ["MULTI"],
    ["CLIENT", "UNBLOCK", "999999"],
    ["EXEC"],
  ],
  "QUIT replies OK and closes": [
    ["SET", "k", "v"],
    { cmd: ["QUIT"], readFor: 300 },
  ],
  "QUIT inside MULTI runs at once": [
    ["MULTI"],
    { cmd: ["QUIT", "extra", "args"], readFor: 300 },
  ],
  "RESET clears the connection state": [
    ["SELECT", "2"],
    ["CLIENT", "SETNAME", "before"],
    ["MULTI"],
    ["SET", "a", "1"],
    ["RESET"],
    ["EXEC"],
    ["CLIENT", "GETNAME"],
    { cmd: ["CLIENT", "INFO"], mask: clientLine, why: WHY_CLIENT },
    ["RESET", "x"],
  ],
  "RESET returns to RESP2": {
    protocol: 3,
    steps: [
      ["CONFIG", "GET", "maxclients"],
      ["RESET"],
      ["CONFIG", "GET", "maxclients"],
    ],
  },
});

Deno.test({
  name:
    "CLIENT SETINFO and CLIENT NO-TOUCH (Redis 7.2 subcommands; real 7.0 replies unknown subcommand)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const c = await server.connect();
    try {
      assertEquals(
        await c.call("CLIENT", "SETINFO", "LIB-NAME", "redis-py"),
        "OK",
      );
      assertEquals(await c.call("CLIENT", "SETINFO", "lib-ver", "5.0.1"), "OK");
      assertEquals(
        await c.call("CLIENT", "SETINFO", "lib-name", "a b"),
        new RespError(
          "ERR lib-name cannot contain spaces, newlines or special characters.",
        ),
      );
      assertEquals(
        await c.call("CLIENT", "SETINFO", "LIB-VER", "1\n"),
        new RespError(
          "ERR LIB-VER cannot contain spaces, newlines or special characters.",
        ),
      );
      assertEquals(
        await c.call("CLIENT", "SETINFO", "foo", "x"),
        new RespError("ERR Unrecognized option 'foo'"),
      );
      assertEquals(
        await c.call("CLIENT", "SETINFO", "lib-name"),
        new RespError(
          "ERR wrong number of arguments for 'client|setinfo' command",
        ),
      );
      assertEquals(await c.call("CLIENT", "NO-TOUCH", "on"), "OK");
      assertEquals(
        String(await c.call("CLIENT", "INFO")).includes(" flags=T "),
        true,
      );
      assertEquals(
        await c.call("CLIENT", "NO-TOUCH", "maybe"),
        new RespError("ERR syntax error"),
      );
      assertEquals(await c.call("CLIENT", "NO-TOUCH", "OFF"), "OK");
    } finally {
      c.close();
    }
  },
});

// Behaviour with several connections, which the differential runner cannot
// script (the ids and addresses to name are only known at run time).

Deno.test({
  name: "CLIENT UNBLOCK releases a BLPOP with its timeout reply or an error",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const a = await server.connect();
    const b = await server.connect();
    try {
      const id = Number(await b.call("CLIENT", "ID"));
      await b.sendRaw(encodeCommand(["BLPOP", "nokey", "0"]));
      await waitFor(async () =>
        String(await a.call("CLIENT", "LIST", "ID", id)).includes("flags=b")
      );
      assertEquals(await a.call("CLIENT", "UNBLOCK", id), 1);
      assertEquals(await b.readRaw(), "*-1\r\n");
      assertEquals(await a.call("CLIENT", "UNBLOCK", id), 0);
      await b.sendRaw(encodeCommand(["BLPOP", "nokey", "0"]));
      await waitFor(async () =>
        String(await a.call("CLIENT", "LIST", "ID", id)).includes("flags=b")
      );
      assertEquals(await a.call("CLIENT", "UNBLOCK", id, "ERROR"), 1);
      assertEquals(
        await b.readRaw(),
        "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n",
      );
      assertEquals(await b.call("PING"), "PONG");
    } finally {
      a.close();
      b.close();
    }
  },
});

Deno.test({
  name: "CLIENT KILL by ID, ADDR, TYPE and USER closes other connections",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const a = await server.connect();
    const b = await server.connect();
    const c = await server.connect();
    const d = await server.connect();
    try {
      const idB = Number(await b.call("CLIENT", "ID"));
      assertEquals(await a.call("CLIENT", "KILL", "ID", idB), 1);
      assertEquals(await b.isClosedByServer(), true);
      const info = String(await c.call("CLIENT", "INFO"));
      const addr = /addr=(\S+)/.exec(info)![1]!;
      assertEquals(await a.call("CLIENT", "KILL", addr), "OK");
      assertEquals(await c.isClosedByServer(), true);
      await d.call("SUBSCRIBE", "ch");
      assertEquals(await a.call("CLIENT", "KILL", "TYPE", "pubsub"), 1);
      assertEquals(await d.isClosedByServer(), true);
      // SKIPME defaults to yes: the caller survives killing every client.
      assertEquals(await a.call("CLIENT", "KILL", "USER", "default"), 0);
      assertEquals(await a.call("PING"), "PONG");
    } finally {
      for (const x of [a, b, c, d]) x.close();
    }
  },
});

Deno.test({
  name: "CLIENT KILL of the caller replies before closing the connection",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const a = await server.connect();
    const b = await server.connect();
    try {
      const id = Number(await a.call("CLIENT", "ID"));
      await a.sendRaw(
        encodeCommand(["CLIENT", "KILL", "ID", id, "SKIPME", "no"]) +
          encodeCommand(["PING"]),
      );
      assertEquals(await a.readFor(300), ":1\r\n<EOF>");
      const addr = /addr=(\S+)/.exec(
        String(await b.call("CLIENT", "INFO")),
      )![1]!;
      await b.sendRaw(encodeCommand(["CLIENT", "KILL", addr]));
      assertEquals(await b.readFor(300), "+OK\r\n<EOF>");
    } finally {
      a.close();
      b.close();
    }
  },
});

Deno.test({
  name: "CLIENT LIST shows every connection, filtered by TYPE and ID",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const a = await server.connect();
    const b = await server.connect();
    try {
      await a.call("CLIENT", "SETNAME", "alpha");
      await b.call("CLIENT", "SETNAME", "beta");
      await b.call("SUBSCRIBE", "x");
      const all = String(await a.call("CLIENT", "LIST"));
      assertEquals(all.split("\n").filter((l) => l !== "").length, 2);
      assertMatch(all, /name=alpha .* cmd=client\|list /);
      assertMatch(all, /name=beta .*flags=P .* sub=1 /);
      const pubsub = String(await a.call("CLIENT", "LIST", "TYPE", "pubsub"));
      assertMatch(pubsub, /^id=\d+ .*name=beta /);
      assertEquals(pubsub.split("\n").length, 2);
      const normal = String(await a.call("CLIENT", "LIST", "TYPE", "normal"));
      assertMatch(normal, /name=alpha/);
      const id = Number(await a.call("CLIENT", "ID"));
      const one = String(await a.call("CLIENT", "LIST", "ID", id, id, 99999));
      assertEquals(one.split("\n").filter((l) => l !== "").length, 2);
      assertEquals(await a.call("CLIENT", "LIST", "TYPE", "replica"), "");
    } finally {
      a.close();
      b.close();
    }
  },
});

Deno.test({
  name:
    "CLIENT NO-TOUCH: reads leave the LRU clock alone, TOUCH still updates it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const clock = new ManualClock(1_700_000_000_000);
    await using server = startInProcess([], { clock });
    const c = await server.connect();
    try {
      await c.call("SET", "k", "v");
      clock.advance(10_000);
      server.state.refreshLruClock();
      assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 10);
      assertEquals(await c.call("CLIENT", "NO-TOUCH", "on"), "OK");
      assertEquals(await c.call("GET", "k"), "v");
      assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 10);
      assertEquals(await c.call("TOUCH", "k"), 1);
      assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
      clock.advance(5_000);
      server.state.refreshLruClock();
      assertEquals(await c.call("CLIENT", "NO-TOUCH", "off"), "OK");
      assertEquals(await c.call("GET", "k"), "v");
      assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name: "QUIT and RESET are allowed while subscribed; RESET unsubscribes",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const a = await server.connect();
    const b = await server.connect();
    try {
      await a.call("SUBSCRIBE", "ch");
      assertEquals(await b.call("PUBLISH", "ch", "m"), 1);
      await a.read();
      assertEquals(await a.call("RESET"), "RESET");
      assertEquals(await b.call("PUBLISH", "ch", "m"), 0);
      await a.call("SUBSCRIBE", "ch");
      await a.sendRaw(encodeCommand(["QUIT"]));
      assertEquals(await a.readFor(300), "+OK\r\n<EOF>");
    } finally {
      a.close();
      b.close();
    }
  },
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  // A deadline, not a count of short pauses: a busy machine may need long.
  for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not met");
}
