/**
 * Client-side caching (CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO)
 * against real redis-server 7.0: the invalidation messages, byte for
 * byte and in order with the replies, for writes, expiry, eviction,
 * flushes, MULTI and scripts, in default, BCAST, OPTIN/OPTOUT and NOLOOP
 * modes.
 *
 * Cases that need client ids (REDIRECT) are scenarios run against both
 * servers with the same expectations, at the end.
 */
import { assertEquals } from "../_deps.ts";
import { differential, masks, type Step } from "../_harness/differential.ts";
import {
  encodeCommand,
  type RespClient,
  RespPush,
  type RespValue,
  RespVerbatim,
} from "../_harness/resp_client.ts";
import { registerScenarios, sleep } from "../_harness/scenarios.ts";

// A message that arrived on a connection before the reply of `cmd` (sent
// on the same connection): both are read.
function withPush(cmd: (string | number)[], conn = 0): Step {
  return { cmd, conn, replies: 2 };
}

// Keeps the lines of an INFO reply that start with `prefix`.
function infoLines(prefix: string): (raw: string) => string {
  return (raw) =>
    raw.split("\r\n").filter((l) => l.startsWith(prefix)).join("\n");
}

// Keeps the `flags=` and `redir=` fields of a CLIENT LIST/INFO reply.
function flagsAndRedir(raw: string): string {
  return [...raw.matchAll(/ (flags=\S*)|( redir=-?\d+)/g)].map((m) => m[0])
    .join("");
}

differential(import.meta.url, {
  "CLIENT TRACKING argument errors": [
    ["CLIENT", "TRACKING"],
    ["CLIENT", "TRACKING", "maybe"],
    ["CLIENT", "TRACKING", "maybe", "foo"],
    ["CLIENT", "TRACKING", "on", "foo"],
    ["CLIENT", "TRACKING", "on", "prefix"],
    ["CLIENT", "TRACKING", "on", "redirect"],
    ["CLIENT", "TRACKING", "on", "redirect", "abc"],
    ["CLIENT", "TRACKING", "on", "redirect", "0"],
    ["CLIENT", "TRACKING", "on", "redirect", "-1"],
    ["CLIENT", "TRACKING", "on", "redirect", "99999"],
    ["CLIENT", "TRACKING", "on", "prefix", "a"],
    ["CLIENT", "TRACKING", "on", "bcast", "optin"],
    ["CLIENT", "TRACKING", "on", "bcast", "optout"],
    ["CLIENT", "TRACKING", "on", "optin", "optout"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "c", "prefix", "cd"],
    ["CLIENT", "TRACKING", "off", "bcast", "noloop"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKINGINFO", "x"],
    ["CLIENT", "GETREDIR", "x"],
  ],
  "CLIENT TRACKING mode switches and prefix overlaps": [
    ["CLIENT", "TRACKING", "on", "optin"],
    ["CLIENT", "TRACKING", "on", "optout"],
    ["CLIENT", "TRACKING", "on", "bcast"],
    ["CLIENT", "TRACKING", "on", "optin", "noloop"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "off"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "a", "prefix", "b"],
    ["CLIENT", "TRACKING", "on"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "ab"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "c"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "c"],
    ["CLIENT", "TRACKING", "on", "bcast"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "on", "bcast", "prefix", "d"],
    ["CLIENT", "GETREDIR"],
    ["CLIENT", "TRACKING", "off"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "GETREDIR"],
  ],
  "CLIENT TRACKING with overlapping given prefixes past the first replies an error and OK":
    [
      {
        cmd: [
          "CLIENT",
          "TRACKING",
          "on",
          "bcast",
          "prefix",
          "x",
          "prefix",
          "a",
          "prefix",
          "ab",
        ],
        replies: 2,
      },
      ["CLIENT", "TRACKINGINFO"],
      ["INFO", "errorstats"],
    ],
  "CLIENT CACHING errors and TRACKINGINFO caching flags": [
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "CACHING", "maybe"],
    ["CLIENT", "CACHING", "yes", "x"],
    ["CLIENT", "TRACKING", "on"],
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "CACHING", "no"],
    ["CLIENT", "CACHING", "maybe"],
    ["CLIENT", "TRACKING", "on", "optin"],
    ["CLIENT", "CACHING", "no"],
    ["CLIENT", "CACHING", "yes"],
    ["CLIENT", "TRACKINGINFO"],
    { cmd: ["CLIENT", "ID"], mask: masks.integers, why: "client ids differ" },
    ["CLIENT", "TRACKINGINFO"],
    ["PING"],
    ["CLIENT", "TRACKINGINFO"],
    ["CLIENT", "TRACKING", "off"],
    ["CLIENT", "TRACKING", "on", "optout"],
    ["CLIENT", "CACHING", "no"],
    ["CLIENT", "TRACKINGINFO"],
  ],
  "CLIENT TRACKING in RESP3: a read key is invalidated once, after the reply of the write":
    {
      protocol: 3,
      steps: [
        ["CLIENT", "TRACKING", "on"],
        ["GET", "k"],
        withPush(["SET", "k", "v"]),
        ["SET", "k", "v2"],
        ["GET", "k"],
        { cmd: ["SET", "k", "v3"], conn: 1 },
        { readOnly: true },
        { cmd: ["SET", "k", "v4"], conn: 1 },
        ["PING"],
        ["MGET", "a", "b", "k"],
        { cmd: ["MSET", "a", "1", "b", "2"], conn: 1 },
        { cmd: ["PING"], replies: 3 },
        { cmd: ["SET", "k", "x"], conn: 1 },
        { cmd: ["PING"], replies: 2 },
      ],
    },
  "CLIENT TRACKING: every kind of change invalidates (expire, in-place edits, rename, other databases)":
    {
      protocol: 3,
      steps: [
        ["CLIENT", "TRACKING", "on"],
        { cmd: ["RPUSH", "l", "a"], conn: 1 },
        ["LRANGE", "l", "0", "-1"],
        { cmd: ["RPUSH", "l", "b"], conn: 1 },
        { readOnly: true },
        ["GET", "l"],
        { cmd: ["SET", "l", "1"], conn: 1 },
        { readOnly: true },
        ["TTL", "l"],
        { cmd: ["EXPIRE", "l", "100"], conn: 1 },
        { readOnly: true },
        ["EXISTS", "m1", "l"],
        { cmd: ["MSET", "m1", "1"], conn: 1 },
        { readOnly: true },
        ["EXISTS", "m1", "m2"],
        { cmd: ["RENAME", "m1", "m2"], conn: 1 },
        { readOnly: true },
        { readOnly: true },
        { cmd: ["SELECT", "1"], conn: 1 },
        { cmd: ["SET", "l", "other db"], conn: 1 },
        { readOnly: true },
        ["HGET", "h", "f"],
        { cmd: ["SWAPDB", "0", "1"], conn: 1 },
        { cmd: ["HSET", "h", "f", "v"], conn: 1 },
        { readOnly: true },
        ["PING"],
      ],
    },
  "CLIENT TRACKING: a write that fails or changes nothing invalidates nothing":
    {
      protocol: 3,
      steps: [
        ["CLIENT", "TRACKING", "on"],
        { cmd: ["LPUSH", "l", "a"], conn: 1 },
        ["GET", "l"],
        ["GET", "s"],
        { cmd: ["INCR", "l"], conn: 1 },
        { cmd: ["SET", "s", "x", "XX"], conn: 1 },
        { cmd: ["DEL", "s"], conn: 1 },
        ["PING"],
        { cmd: ["SET", "l", "x"], conn: 1 },
        { readOnly: true },
      ],
    },
  "CLIENT TRACKING: keys read inside MULTI, invalidations after EXEC's reply": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on"],
      ["MULTI"],
      ["GET", "m1"],
      ["GET", "m2"],
      ["SET", "m2", "1"],
      ["SET", "m1", "1"],
      { cmd: ["EXEC"], replies: 3 },
      ["MULTI"],
      ["GET", "m3"],
      ["CLIENT", "CACHING", "yes"],
      ["EXEC"],
      { cmd: ["SET", "m3", "1"], conn: 1 },
      { readOnly: true },
    ],
  },
  "CLIENT TRACKING: FLUSHDB and FLUSHALL send null to every tracking client": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on"],
      ["GET", "f"],
      withPush(["FLUSHDB"]),
      ["GET", "f"],
      { cmd: ["FLUSHALL"], conn: 1 },
      { readOnly: true },
      { cmd: ["FLUSHDB"], conn: 1 },
      { readOnly: true },
      ["MULTI"],
      ["FLUSHALL"],
      ["GET", "f"],
      ["SET", "f", "1"],
      { cmd: ["EXEC"], replies: 3 },
      { cmd: ["CLIENT", "TRACKING", "on", "bcast"], conn: 2 },
      { cmd: ["FLUSHALL", "ASYNC"], conn: 1 },
      { readOnly: true },
      { readOnly: true, conn: 2 },
      ["PING"],
    ],
  },
  "CLIENT TRACKING: scripts track the keys EVAL declares and their writes invalidate":
    {
      protocol: 3,
      steps: [
        ["CLIENT", "TRACKING", "on"],
        ["EVAL", "return redis.call('get','x')", "1", "y"],
        { cmd: ["SET", "x", "1"], conn: 1 },
        { cmd: ["SET", "y", "1"], conn: 1 },
        { readOnly: true },
        ["EVAL_RO", "return 1", "1", "z"],
        { cmd: ["SET", "z", "1"], conn: 1 },
        ["EVAL_RO", "return redis.call('get','x2')", "1", "y2"],
        { cmd: ["SET", "y2", "1"], conn: 1 },
        { readOnly: true },
        ["GET", "w"],
        withPush(["EVAL", "return redis.call('set','w','1')", "0"]),
        ["GET", "w"],
        { cmd: ["EVAL", "return redis.call('set','w','2')", "0"], conn: 1 },
        { readOnly: true },
        ["PING"],
      ],
    },
  "CLIENT TRACKING NOLOOP: no message about keys the client changed itself": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on", "noloop"],
      ["GET", "n"],
      ["SET", "n", "1"],
      ["GET", "n"],
      { cmd: ["SET", "n", "2"], conn: 1 },
      { readOnly: true },
      ["GET", "n"],
      ["EVAL", "return redis.call('set','n','3')", "0"],
      ["PING"],
    ],
  },
  "CLIENT TRACKING OPTIN and OPTOUT track keys after CLIENT CACHING": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on", "optin"],
      ["GET", "o1"],
      ["CLIENT", "CACHING", "yes"],
      ["GET", "o2"],
      ["GET", "o3"],
      ["CLIENT", "CACHING", "yes"],
      { cmd: ["CLIENT", "ID"], mask: masks.integers, why: "client ids differ" },
      ["GET", "o4"],
      { cmd: ["MSET", "o1", "1", "o2", "2", "o3", "3", "o4", "4"], conn: 1 },
      { readOnly: true },
      { readOnly: true },
      ["CLIENT", "TRACKING", "off"],
      ["CLIENT", "TRACKING", "on", "optout"],
      ["CLIENT", "CACHING", "no"],
      ["GET", "p1"],
      ["GET", "p2"],
      { cmd: ["MSET", "p1", "1", "p2", "2"], conn: 1 },
      { readOnly: true },
      ["PING"],
    ],
  },
  "CLIENT TRACKING BCAST: one message per prefix, keys in byte order, after the reply":
    {
      protocol: 3,
      steps: [
        ["CLIENT", "TRACKING", "on", "bcast", "prefix", "a", "prefix", "b"],
        ["CLIENT", "TRACKING", "on", "bcast"],
        { cmd: ["SET", "a1", "x"], conn: 1 },
        { readOnly: true },
        { readOnly: true },
        { cmd: ["MSET", "b1", "x", "c2", "y", "a2", "z", "a0", "w"], conn: 1 },
        { readOnly: true },
        { readOnly: true },
        { readOnly: true },
        { cmd: ["SET", "a3", "1"], replies: 3 },
        { cmd: ["GET", "a3"] },
        { cmd: ["CLIENT", "TRACKING", "off"] },
        { cmd: ["CLIENT", "TRACKING", "on", "bcast", "noloop", "prefix", "x"] },
        ["SET", "x1", "1"],
        {
          cmd: ["EVAL", "redis.call('set','x2','1') return 1", "0"],
          replies: 2,
        },
        { cmd: ["MSET", "x3", "1", "x4", "1"], conn: 1 },
        { readOnly: true },
        ["MULTI"],
        ["SET", "x5", "1"],
        ["SET", "y5", "1"],
        ["EXEC"],
        ["PING"],
        {
          cmd: ["INFO", "stats"],
          mask: infoLines("tracking"),
          why: "only the tracking fields",
        },
      ],
    },
  "CLIENT TRACKING: lazy expiry invalidates (not for NOLOOP clients, after the reply for the reader)":
    {
      protocol: 3,
      steps: [
        { cmd: ["DEBUG", "SET-ACTIVE-EXPIRE", "0"], conn: 1 },
        ["CLIENT", "TRACKING", "on", "noloop"],
        ["SET", "n", "1", "PX", "150"],
        ["GET", "n"],
        { cmd: ["PING"], sleep: 250 },
        ["GET", "n"],
        ["CLIENT", "TRACKING", "on"],
        { cmd: ["SET", "n", "1", "PX", "150"], conn: 1 },
        ["GET", "n"],
        { cmd: ["PING"], sleep: 250 },
        { cmd: ["GET", "n"], replies: 2 },
        { cmd: ["SET", "e", "1", "PX", "150"], conn: 1 },
        ["GET", "e"],
        { cmd: ["GET", "e"], conn: 1, sleep: 250 },
        { readOnly: true },
        { cmd: ["DEBUG", "SET-ACTIVE-EXPIRE", "1"], conn: 1 },
      ],
    },
  "CLIENT TRACKING: active expiry invalidates on its own": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on"],
      { cmd: ["SET", "e", "1", "PX", "50"], conn: 1 },
      ["GET", "e"],
      { readOnly: true },
      ["EXISTS", "e"],
    ],
  },
  "CLIENT TRACKING: eviction invalidates": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on"],
      { cmd: ["SET", "big", "1"], conn: 1 },
      ["GET", "big"],
      {
        cmd: ["CONFIG", "SET", "maxmemory-policy", "allkeys-random"],
        conn: 1,
      },
      { cmd: ["CONFIG", "SET", "maxmemory", "1"], conn: 1 },
      { readOnly: true },
      { cmd: ["CONFIG", "SET", "maxmemory", "0"], conn: 1 },
      { cmd: ["CONFIG", "SET", "maxmemory-policy", "noeviction"], conn: 1 },
      ["EXISTS", "big"],
    ],
  },
  "CLIENT TRACKING: tracking-table-max-keys drops keys and tells their clients before the next command":
    {
      protocol: 3,
      steps: [
        ["CLIENT", "TRACKING", "on"],
        { cmd: ["CONFIG", "SET", "tracking-table-max-keys", "1"], conn: 1 },
        ["GET", "a"],
        {
          cmd: ["INFO", "stats"],
          mask: infoLines("tracking_total_keys"),
          why: "only the table size",
        },
        ["GET", "b"],
        {
          cmd: ["PING"],
          replies: 2,
          mask: masks.replace(/\$1\r\n[ab]\r\n/, "$1\r\n<a or b>\r\n"),
          why: "Redis drops a random key; tsredis the oldest",
        },
        ["PING"],
        {
          cmd: ["INFO", "stats"],
          mask: infoLines("tracking_total_keys"),
          why: "only the table size",
        },
        { cmd: ["CONFIG", "SET", "tracking-table-max-keys", "0"], conn: 1 },
      ],
    },
  "CLIENT TRACKING in RESP2 without REDIRECT sends nothing": [
    ["CLIENT", "TRACKING", "on"],
    ["GET", "k"],
    ["SET", "k", "1"],
    { cmd: ["SET", "k", "2"], conn: 1 },
    ["PING"],
    ["CLIENT", "TRACKINGINFO"],
  ],
  "CLIENT TRACKING: pushes go out under CLIENT REPLY OFF": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on"],
      ["GET", "r"],
      { cmd: ["CLIENT", "REPLY", "OFF"], noReply: true },
      { cmd: ["SET", "r", "1"], conn: 1 },
      { readOnly: true },
      ["CLIENT", "REPLY", "ON"],
    ],
  },
  "CLIENT TRACKING: RESET turns tracking off": {
    protocol: 3,
    steps: [
      ["CLIENT", "TRACKING", "on", "bcast", "prefix", "r"],
      ["RESET"],
      ["CLIENT", "TRACKINGINFO"],
      { cmd: ["SET", "r1", "1"], conn: 1 },
      ["PING"],
      {
        cmd: ["INFO", "clients"],
        mask: infoLines("tracking"),
        why: "only the tracking field",
      },
    ],
  },
  "INFO tracking fields and CLIENT LIST flags": {
    protocol: 3,
    steps: [
      {
        cmd: ["INFO", "everything"],
        mask: infoLines("tracking"),
        why: "only the tracking fields",
      },
      ["CLIENT", "TRACKING", "on"],
      ["MGET", "a", "b", "c"],
      { cmd: ["CLIENT", "TRACKING", "on"], conn: 1 },
      { cmd: ["GET", "a"], conn: 1 },
      {
        cmd: [
          "CLIENT",
          "TRACKING",
          "on",
          "bcast",
          "prefix",
          "p",
          "prefix",
          "q",
        ],
        conn: 2,
      },
      {
        cmd: ["INFO", "everything"],
        mask: infoLines("tracking"),
        why: "only the tracking fields",
      },
      {
        cmd: ["CLIENT", "INFO"],
        mask: flagsAndRedir,
        why: "only flags and redir",
      },
      {
        cmd: ["CLIENT", "INFO"],
        conn: 2,
        mask: flagsAndRedir,
        why: "only flags and redir",
      },
      { cmd: ["CLIENT", "TRACKING", "off"], conn: 1 },
      { cmd: ["CLIENT", "TRACKING", "off"], conn: 2 },
      {
        cmd: ["INFO", "everything"],
        mask: infoLines("tracking"),
        why: "only the tracking fields",
      },
      { cmd: ["SET", "a", "1"], conn: 3 },
      { readOnly: true },
      {
        cmd: ["INFO", "everything"],
        mask: infoLines("tracking"),
        why: "only the tracking fields",
      },
      {
        cmd: ["CLIENT", "INFO"],
        conn: 1,
        mask: flagsAndRedir,
        why: "only flags and redir",
      },
    ],
  },
}, { args: ["--enable-debug-command", "yes"] });

// The raw bytes that arrive on `client` within `ms`.
async function received(client: RespClient, ms = 100): Promise<string> {
  return await client.readFor(ms);
}

// The text of a bulk or verbatim string reply.
function text(v: RespValue): string {
  return v instanceof RespVerbatim ? v.text : String(v);
}

async function idOf(client: RespClient): Promise<number> {
  return Number(await client.call("CLIENT", "ID"));
}

registerScenarios("CLIENT TRACKING REDIRECT", {
  "RESP2: messages on __redis__:invalidate, flushes as null, nothing to unsubscribed clients":
    async (connect) => {
      const sub = await connect();
      const tracker = await connect();
      const writer = await connect();
      const id = await idOf(sub);
      await sub.call("SUBSCRIBE", "__redis__:invalidate");
      assertEquals(
        await tracker.call("CLIENT", "TRACKING", "on", "redirect", id),
        "OK",
      );
      assertEquals(await tracker.call("CLIENT", "GETREDIR"), id);
      await tracker.call("GET", "k");
      await writer.call("SET", "k", "1");
      assertEquals(
        await received(sub),
        "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n",
      );
      // The tracker's own write: the message goes to the redirect target.
      await tracker.call("GET", "k");
      assertEquals(await tracker.call("SET", "k", "2"), "OK");
      assertEquals(
        await received(sub),
        "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n",
      );
      await writer.call("FLUSHALL");
      assertEquals(
        await received(sub),
        "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n",
      );
      // A RESP2 target that is not subscribed gets nothing.
      await sub.call("UNSUBSCRIBE");
      await tracker.call("GET", "k");
      await writer.call("SET", "k", "3");
      assertEquals(await received(sub), "");
      assertEquals(await tracker.call("CLIENT", "TRACKINGINFO"), [
        "flags",
        ["on"],
        "redirect",
        id,
        "prefixes",
        [],
      ]);
    },
  "RESP3 target gets pushes; a broken redirect is flagged and reported to RESP3 clients":
    async (connect) => {
      const target = await connect();
      const tracker = await connect();
      const writer = await connect();
      await target.call("HELLO", "3");
      const id = await idOf(target);
      await tracker.call("HELLO", "3");
      await tracker.call("CLIENT", "TRACKING", "on", "redirect", id);
      await tracker.call("GET", "k");
      await writer.call("SET", "k", "1");
      const push = await target.read();
      assertEquals(push instanceof RespPush ? push.items : push, [
        "invalidate",
        ["k"],
      ]);
      assertEquals(
        /redir=(\d+)/.exec(text(await tracker.call("CLIENT", "INFO")))?.[1],
        String(id),
      );
      target.close();
      await sleep(100);
      await tracker.call("GET", "k");
      await writer.call("SET", "k", "2");
      assertEquals(
        await received(tracker),
        `>2\r\n$21\r\ntracking-redir-broken\r\n:${id}\r\n`,
      );
      const info = await tracker.call("CLIENT", "TRACKINGINFO");
      assertEquals(
        info,
        new Map<unknown, unknown>([
          ["flags", new Set(["on", "broken_redirect"])],
          ["redirect", id],
          ["prefixes", []],
        ]),
      );
      const line = text(await tracker.call("CLIENT", "INFO"));
      assertEquals(/flags=(\S+)/.exec(line)?.[1], "tR");
      // RESP2 with a broken redirect: flagged, nothing sent.
      await tracker.call("HELLO", "2");
      await tracker.call("GET", "k");
      await writer.call("SET", "k", "3");
      assertEquals(await received(tracker), "");
      await tracker.sendRaw(encodeCommand(["PING"]));
      assertEquals(await tracker.read(), "PONG");
    },
  "BCAST with REDIRECT to a RESP2 subscriber": async (connect) => {
    const sub = await connect();
    const tracker = await connect();
    const writer = await connect();
    const id = await idOf(sub);
    await sub.call("PSUBSCRIBE", "nothing*");
    await tracker.call(
      "CLIENT",
      "TRACKING",
      "on",
      "bcast",
      "redirect",
      id,
      "prefix",
      "user:",
    );
    await writer.call("MSET", "user:2", "a", "user:1", "b", "other", "c");
    assertEquals(
      await received(sub),
      "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n",
    );
  },
});
