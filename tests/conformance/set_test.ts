/**
 * Set commands against real redis-server 7.0: replies and errors byte for
 * byte in RESP2 and RESP3, intset/hashtable encodings and their
 * transitions, binary members, WRONGTYPE, keyspace events and WATCH.
 *
 * An intset lists its members sorted, in both servers, and is compared as
 * it is. A hashtable-encoded set lists them in table order, which differs
 * between two hash table implementations (Redis makes no promise about it),
 * so those replies are sorted before comparison. Random picks are checked
 * by their properties in the tests after the differential suite.
 */
import { assert, assertEquals } from "../_deps.ts";
import { differential, type Script } from "../_harness/differential.ts";
import { parseReply } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";

// Splits an aggregate reply into its header and its elements' raw bytes.
function split(raw: string): { header: string; items: string[] } {
  const nl = raw.indexOf("\r\n");
  const header = raw.slice(0, nl + 2);
  if (raw[0] !== "*" && raw[0] !== "~") return { header, items: [] };
  const count = Math.max(Number(raw.slice(1, nl)), 0);
  const items: string[] = [];
  let p = nl + 2;
  for (let i = 0; i < count; i++) {
    const r = parseReply(raw, p)!;
    items.push(raw.slice(p, r.end));
    p = r.end;
  }
  return { header, items };
}

/** Unordered elements of an array or set reply. */
function unordered(raw: string): string {
  if (raw[0] !== "*" && raw[0] !== "~") return raw;
  const { header, items } = split(raw);
  return header + items.sort().join("");
}

/** An SSCAN reply whose members are unordered. */
function scanUnordered(raw: string): string {
  if (raw[0] !== "*") return raw;
  const { header, items } = split(raw);
  return header + items[0] + unordered(items[1]!);
}

const TABLE_ORDER = "hashtable encoding: table order is unspecified";

function sorted(cmd: (string | number)[]) {
  return { cmd, mask: unordered, why: TABLE_ORDER };
}

const ints = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(String(i));
  return out;
};

const shapes: Script = [
  ["SADD", "s", "3", "1", "2"],
  ["SMEMBERS", "s"],
  ["SMEMBERS", "missing"],
  ["SISMEMBER", "s", "1"],
  ["SMISMEMBER", "s", "1", "9"],
  ["SMISMEMBER", "missing", "1"],
  ["SINTER", "s", "s"],
  ["SINTER", "s", "missing"],
  ["SUNION", "s", "missing"],
  ["SDIFF", "s", "missing"],
  ["SDIFF", "missing", "s"],
  ["SRANDMEMBER", "s", "10"],
  ["SRANDMEMBER", "s", "0"],
  ["SRANDMEMBER", "missing", "5"],
  ["SRANDMEMBER", "missing"],
  ["SADD", "one", "x"],
  ["SRANDMEMBER", "one", "-3"],
  ["SRANDMEMBER", "one", "1"],
  ["SPOP", "missing"],
  ["SPOP", "missing", "2"],
  ["SPOP", "s", "0"],
  ["SPOP", "s", "10"],
  ["SPOP", "one", "1"],
  ["SSCAN", "missing", "0"],
  ["SADD", "t", "5"],
  ["SSCAN", "t", "0"],
  ["SINTERCARD", "1", "t"],
];

differential(import.meta.url, {
  "SADD, SCARD, SISMEMBER, SMISMEMBER basics": [
    ["SADD", "s", "a", "b", "a"],
    ["SADD", "s", "b"],
    ["SADD", "s", "c", "b"],
    ["SCARD", "s"],
    ["SCARD", "missing"],
    ["SISMEMBER", "s", "a"],
    ["SISMEMBER", "s", "z"],
    ["SISMEMBER", "missing", "a"],
    ["SMISMEMBER", "s", "a", "z", "c", "a"],
    ["SMISMEMBER", "missing", "a", "b"],
    ["SADD", "s"],
    ["SMISMEMBER", "s"],
    ["SADD", "e", ""],
    ["SISMEMBER", "e", ""],
    ["SMEMBERS", "e"],
  ],
  "SMEMBERS of an intset is sorted numerically": [
    ["SADD", "s", "10", "-5", "3", "0", "-100", "2", "10"],
    ["SMEMBERS", "s"],
    ["OBJECT", "ENCODING", "s"],
    ["SADD", "b", "9223372036854775807", "-9223372036854775808", "1"],
    ["SMEMBERS", "b"],
    ["OBJECT", "ENCODING", "b"],
    ["SISMEMBER", "b", "9223372036854775807"],
    ["SISMEMBER", "b", "01"],
    ["SISMEMBER", "b", "+1"],
    ["SISMEMBER", "b", "1.0"],
  ],
  "members that are not canonical integers make a hash table": [
    ["SADD", "a", "007"],
    ["OBJECT", "ENCODING", "a"],
    ["SADD", "b", "-0"],
    ["OBJECT", "ENCODING", "b"],
    ["SADD", "c", "+1"],
    ["OBJECT", "ENCODING", "c"],
    ["SADD", "d", "9223372036854775808"],
    ["OBJECT", "ENCODING", "d"],
    ["SADD", "e", "1.5"],
    ["OBJECT", "ENCODING", "e"],
    ["SADD", "f", " 1"],
    ["OBJECT", "ENCODING", "f"],
    ["SADD", "g", ""],
    ["OBJECT", "ENCODING", "g"],
    ["SADD", "h", "1", "01"],
    ["OBJECT", "ENCODING", "h"],
    sorted(["SMEMBERS", "h"]),
    ["SISMEMBER", "h", "1"],
    ["SISMEMBER", "h", "01"],
  ],
  "encoding: intset to hashtable, one way": [
    ["SADD", "s", "1", "2", "3"],
    ["OBJECT", "ENCODING", "s"],
    ["SADD", "s", "a"],
    ["OBJECT", "ENCODING", "s"],
    ["SREM", "s", "a"],
    ["OBJECT", "ENCODING", "s"],
    sorted(["SMEMBERS", "s"]),
    ["SADD", "big", ...ints(1, 512)],
    ["OBJECT", "ENCODING", "big"],
    ["SADD", "big", "512"],
    ["OBJECT", "ENCODING", "big"],
    ["SADD", "big", "513"],
    ["OBJECT", "ENCODING", "big"],
    ["SCARD", "big"],
    ["SREM", "big", ...ints(2, 513)],
    ["OBJECT", "ENCODING", "big"],
    ["SMEMBERS", "big"],
  ],
  "encoding: CONFIG SET set-max-intset-entries applies to later writes": [
    ["CONFIG", "SET", "set-max-intset-entries", "2"],
    ["SADD", "s", "1", "2"],
    ["OBJECT", "ENCODING", "s"],
    ["SADD", "s", "3"],
    ["OBJECT", "ENCODING", "s"],
    ["CONFIG", "SET", "set-max-intset-entries", "0"],
    ["SADD", "z", "1"],
    ["OBJECT", "ENCODING", "z"],
    ["CONFIG", "SET", "set-max-intset-entries", "4"],
    ["SADD", "p", "1", "2", "3", "4", "5", "6"],
    ["OBJECT", "ENCODING", "p"],
    // Most of the set goes: Redis rebuilds what stays as a new set, which
    // is an intset again.
    {
      cmd: ["SPOP", "p", "5"],
      mask: (raw) => raw.slice(0, raw.indexOf("\r\n")),
      why: "random picks: only the number of members popped is deterministic",
    },
    ["OBJECT", "ENCODING", "p"],
    ["SCARD", "p"],
    ["SADD", "q", "1", "2", "3"],
    ["CONFIG", "SET", "set-max-intset-entries", "2"],
    ["SADD", "q", "1"],
    ["OBJECT", "ENCODING", "q"],
    ["CONFIG", "SET", "set-max-intset-entries", "512"],
  ],
  "SREM removes members and deletes the emptied key": [
    ["SADD", "s", "a", "b", "c", "1"],
    ["SREM", "s", "a", "a", "nope"],
    ["SREM", "s", "nope"],
    ["SCARD", "s"],
    ["SREM", "s", "b", "c", "1", "z"],
    ["EXISTS", "s"],
    ["SREM", "missing", "a"],
    ["SADD", "i", "1", "2"],
    ["SREM", "i", "2", "x", "01"],
    ["SMEMBERS", "i"],
    ["SREM", "s"],
  ],
  "SMOVE": [
    ["SADD", "a", "1", "2", "3"],
    ["SMOVE", "a", "b", "1"],
    ["SMEMBERS", "a"],
    ["SMEMBERS", "b"],
    ["OBJECT", "ENCODING", "b"],
    ["SMOVE", "a", "c", "9"],
    ["EXISTS", "c"],
    ["SMOVE", "a", "a", "2"],
    ["SMOVE", "a", "a", "9"],
    ["SADD", "b", "2"],
    ["SMOVE", "a", "b", "2"],
    ["SMEMBERS", "b"],
    ["SADD", "a", "x"],
    ["SMOVE", "a", "n", "x"],
    ["OBJECT", "ENCODING", "n"],
    ["SMOVE", "a", "b", "3"],
    ["EXISTS", "a"],
    ["SMEMBERS", "b"],
    ["SMOVE", "missing", "b", "1"],
    ["SET", "str", "v"],
    ["SMOVE", "missing", "str", "1"],
    ["SMOVE", "b", "str", "1"],
    ["SMOVE", "b", "str", "nope"],
    ["SMOVE", "str", "b", "1"],
    ["SMEMBERS", "b"],
    ["SMOVE", "b", "c"],
  ],
  "SINTER, SINTERSTORE and SINTERCARD": [
    ["SADD", "a", "1", "2", "3", "4", "5"],
    ["SADD", "b", "5", "4", "3", "9"],
    ["SADD", "c", "3", "4", "x"],
    ["SINTER", "a", "b"],
    sorted(["SINTER", "a", "b", "c"]),
    ["SINTER", "a", "missing"],
    ["SINTER", "a"],
    sorted(["SINTER", "c", "c"]),
    ["SINTERCARD", "2", "a", "b"],
    ["SINTERCARD", "3", "a", "b", "c"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "2"],
    ["SINTERCARD", "2", "a", "b", "limit", "0"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "100"],
    ["SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "3"],
    ["SINTERCARD", "2", "a", "missing"],
    ["SINTERSTORE", "d", "a", "b"],
    ["SMEMBERS", "d"],
    ["OBJECT", "ENCODING", "d"],
    ["SINTERSTORE", "d", "a", "c"],
    ["SMEMBERS", "d"],
    ["SINTERSTORE", "d", "a", "missing"],
    ["EXISTS", "d"],
    ["SINTERSTORE", "d", "a", "missing"],
    ["SET", "str", "v"],
    ["EXPIRE", "str", "100"],
    ["SINTERSTORE", "str", "a", "b"],
    ["TYPE", "str"],
    ["TTL", "str"],
    ["SINTERSTORE", "a", "a", "c"],
    ["SMEMBERS", "a"],
  ],
  "SINTER iterates the smallest set, the first one on ties": [
    ["SADD", "a", ...ints(1, 10)],
    ["SADD", "c", ...ints(2, 10), "x"],
    ["SINTER", "a", "c"],
    sorted(["SINTER", "c", "a"]),
    ["SINTERSTORE", "d", "c", "a"],
    ["OBJECT", "ENCODING", "d"],
    ["SMEMBERS", "d"],
  ],
  "SINTERCARD argument errors": [
    ["SADD", "a", "1"],
    ["SINTERCARD", "0", "a"],
    ["SINTERCARD", "-1", "a"],
    ["SINTERCARD", "x", "a"],
    ["SINTERCARD", "3", "a", "b"],
    ["SINTERCARD", "1", "a", "LIMIT"],
    ["SINTERCARD", "1", "a", "LIMIT", "-1"],
    ["SINTERCARD", "1", "a", "LIMIT", "x"],
    ["SINTERCARD", "1", "a", "FOO", "1"],
    ["SINTERCARD", "1", "a", "b"],
    ["SINTERCARD", "2", "a"],
    ["SINTERCARD", "9223372036854775808", "a"],
    ["SET", "str", "v"],
    ["SINTERCARD", "1", "str", "LIMIT", "-1"],
    ["SINTERCARD", "2", "missing", "str"],
    ["SINTERCARD", "1"],
  ],
  "SUNION, SDIFF and their STORE forms": [
    ["SADD", "a", "1", "2", "3"],
    ["SADD", "b", "3", "4"],
    ["SADD", "c", "x", "1"],
    ["SUNION", "a", "b"],
    ["SUNION", "a", "missing", "b"],
    sorted(["SUNION", "a", "c"]),
    ["SDIFF", "a", "b"],
    ["SDIFF", "a", "b", "c"],
    ["SDIFF", "a", "a"],
    ["SDIFF", "c", "a"],
    ["SDIFF", "missing", "a"],
    ["SDIFF", "a", "missing"],
    ["SUNIONSTORE", "u", "a", "b"],
    ["SMEMBERS", "u"],
    ["OBJECT", "ENCODING", "u"],
    ["SUNIONSTORE", "u", "a", "c"],
    ["OBJECT", "ENCODING", "u"],
    ["SDIFFSTORE", "d", "a", "b"],
    ["SMEMBERS", "d"],
    ["OBJECT", "ENCODING", "d"],
    ["SDIFFSTORE", "d", "a", "a"],
    ["EXISTS", "d"],
    ["SDIFFSTORE", "d", "a", "a"],
    ["SUNIONSTORE", "u", "missing"],
    ["EXISTS", "u"],
    ["SUNIONSTORE", "a", "a", "b"],
    ["SMEMBERS", "a"],
  ],
  "SDIFF keeps Redis's result encoding for both of its algorithms": [
    // Four sets with a large first one: Redis adds the whole first set and
    // then removes, so the removed "a" leaves a hash table behind.
    ["SADD", "s0", "1", "2", "3", "a"],
    ["SADD", "s1", "a"],
    ["SADD", "s2", "x"],
    ["SADD", "s3", "y"],
    ["SDIFFSTORE", "d", "s0", "s1", "s2", "s3"],
    ["OBJECT", "ENCODING", "d"],
    sorted(["SMEMBERS", "d"]),
    sorted(["SDIFF", "s0", "s1", "s2", "s3"]),
    // Two sets: Redis adds only the survivors, so the result is an intset.
    ["SDIFFSTORE", "e", "s0", "s1"],
    ["OBJECT", "ENCODING", "e"],
    ["SMEMBERS", "e"],
    ["SDIFF", "s0", "s1"],
  ],
  "SPOP": [
    ["SADD", "s", "only"],
    ["SPOP", "s"],
    ["EXISTS", "s"],
    ["SPOP", "s"],
    ["SADD", "i", "3", "1", "2"],
    ["SPOP", "i", "3"],
    ["EXISTS", "i"],
    ["SADD", "i", "3", "1", "2"],
    ["SPOP", "i", "100"],
    ["SADD", "h", "b", "a", "c"],
    sorted(["SPOP", "h", "5"]),
    ["EXISTS", "h"],
    ["SADD", "j", "1", "2"],
    ["SPOP", "j", "0"],
    ["SCARD", "j"],
    ["SPOP", "missing", "3"],
    ["SPOP", "j", "-1"],
    ["SPOP", "j", "x"],
    ["SPOP", "j", "1.5"],
    ["SPOP", "j", "99999999999999999999"],
    ["SPOP", "j", "1", "2"],
    ["SPOP", "missing", "-1"],
    ["SPOP", "j", "9223372036854775807"],
    ["EXISTS", "j"],
  ],
  "SRANDMEMBER": [
    ["SADD", "s", "3", "1", "2"],
    ["SRANDMEMBER", "s", "3"],
    ["SRANDMEMBER", "s", "1000"],
    ["SRANDMEMBER", "s", "0"],
    ["SRANDMEMBER", "s", "9223372036854775807"],
    ["SADD", "one", "m"],
    ["SRANDMEMBER", "one"],
    ["SRANDMEMBER", "one", "-4"],
    ["SRANDMEMBER", "one", "1"],
    ["SRANDMEMBER", "missing"],
    ["SRANDMEMBER", "missing", "5"],
    ["SRANDMEMBER", "missing", "-5"],
    ["SRANDMEMBER", "s", "x"],
    ["SRANDMEMBER", "s", "-9223372036854775808"],
    ["SRANDMEMBER", "s", "9223372036854775808"],
    ["SRANDMEMBER", "s", "1", "2"],
    ["SRANDMEMBER", "missing", "x"],
    ["SADD", "h", "a", "b", "c"],
    sorted(["SRANDMEMBER", "h", "3"]),
    ["SCARD", "s"],
  ],
  "reply shapes in RESP2": shapes,
  "reply shapes in RESP3": { protocol: 3, steps: shapes },
  "SSCAN on an intset returns everything with cursor 0": [
    ["SADD", "s", "30", "10", "20", "11"],
    ["SSCAN", "s", "0"],
    ["SSCAN", "s", "77"],
    ["SSCAN", "s", "0", "COUNT", "1"],
    ["SSCAN", "s", "0", "MATCH", "1*"],
    ["SSCAN", "s", "0", "match", "*", "count", "2"],
    ["SSCAN", "s", "0", "MATCH", "x*"],
    ["SSCAN", "s", "-1"],
    ["SSCAN", "s", ""],
  ],
  "SSCAN errors": [
    ["SADD", "s", "1"],
    ["SSCAN", "s", "x"],
    ["SSCAN", "s", " 1"],
    ["SSCAN", "s", "18446744073709551616"],
    ["SSCAN", "s", "0x1"],
    ["SSCAN", "s", "5\x00x"],
    ["SSCAN", "s", "\x00"],
    ["SSCAN", "s", "0", "COUNT", "0"],
    ["SSCAN", "s", "0", "COUNT", "x"],
    ["SSCAN", "s", "0", "COUNT"],
    ["SSCAN", "s", "0", "MATCH"],
    ["SSCAN", "s", "0", "TYPE", "set"],
    ["SSCAN", "missing", "0", "COUNT", "0"],
    ["SSCAN", "missing", "x"],
    ["SET", "str", "v"],
    ["SSCAN", "str", "0", "COUNT", "0"],
  ],
  "SSCAN on a hash table with a large COUNT returns everything": [
    ["SADD", "s", "m", ...ints(1, 200)],
    {
      cmd: ["SSCAN", "s", "0", "COUNT", "1000"],
      mask: scanUnordered,
      why: TABLE_ORDER,
    },
    {
      cmd: ["SSCAN", "s", "0", "COUNT", "1000", "MATCH", "1?"],
      mask: scanUnordered,
      why: TABLE_ORDER,
    },
  ],
  "binary members": [
    ["SADD", "s", "a\r\nb", "\x00\xff", "\xff", ""],
    ["SISMEMBER", "s", "\x00\xff"],
    ["SISMEMBER", "s", "\x00"],
    ["SCARD", "s"],
    sorted(["SMEMBERS", "s"]),
    ["SREM", "s", "a\r\nb"],
    ["SADD", "t", "\xff", "x"],
    ["SINTER", "s", "t"],
    ["SSCAN", "t", "0", "COUNT", "100", "MATCH", "\xff"],
    ["SMOVE", "s", "t\r\n", "\x00\xff"],
    ["SMEMBERS", "t\r\n"],
  ],
  "WRONGTYPE for every set command on a string, and for other commands on a set":
    [
      ["SET", "str", "v"],
      ["SADD", "ok", "1"],
      ["SADD", "str", "a"],
      ["SREM", "str", "a"],
      ["SMEMBERS", "str"],
      ["SISMEMBER", "str", "a"],
      ["SMISMEMBER", "str", "a"],
      ["SCARD", "str"],
      ["SPOP", "str"],
      ["SPOP", "str", "1"],
      ["SRANDMEMBER", "str"],
      ["SRANDMEMBER", "str", "1"],
      ["SMOVE", "str", "ok", "a"],
      ["SINTER", "ok", "str"],
      ["SINTER", "missing", "str"],
      ["SINTERCARD", "2", "ok", "str"],
      ["SINTERSTORE", "d", "ok", "str"],
      ["SUNION", "ok", "str"],
      ["SUNIONSTORE", "d", "ok", "str"],
      ["SDIFF", "ok", "str"],
      ["SDIFF", "missing", "str"],
      ["SDIFFSTORE", "d", "ok", "str"],
      ["SSCAN", "str", "0"],
      ["GET", "ok"],
      ["HGET", "ok", "f"],
      ["HSET", "ok", "f", "v"],
      ["TYPE", "ok"],
      ["EXISTS", "d"],
    ],
  "keyspace events of set commands": [
    { cmd: ["PSUBSCRIBE", "__keyspace@0__:*"], conn: 1 },
    ["SADD", "s", "a", "b", "c"],
    ["SADD", "s", "a"],
    ["SREM", "s", "a", "zz"],
    ["SREM", "s", "zz"],
    ["SMOVE", "s", "t", "b"],
    ["SMOVE", "s", "t", "c"],
    ["SADD", "t", "1", "2", "3"],
    ["SINTERSTORE", "i", "t", "t"],
    ["SUNIONSTORE", "u", "t"],
    ["SDIFFSTORE", "d", "t", "u"],
    ["SINTERSTORE", "i", "t", "missing"],
    ["SADD", "p", "x"],
    ["SPOP", "p"],
    ["SADD", "p", "x", "y"],
    sorted(["SPOP", "p", "2"]),
    ["SPOP", "p", "0"],
    ["SPOP", "missing", "1"],
    ["SREM", "t", "b", "c", "1", "2", "3"],
    // 19 events: sadd, srem, srem+sadd, srem+del+sadd, sadd, sinterstore,
    // sunionstore, del (empty SINTERSTORE), sadd, spop+del, sadd, spop+del,
    // srem+del. No-op writes and the empty SDIFFSTORE of a missing key
    // send nothing.
    ...Array.from({ length: 19 }, () => ({ readOnly: true, conn: 1 })),
  ],
  "WATCH sees set changes, and not no-op writes": [
    ["SADD", "s", "a"],
    ["WATCH", "s"],
    { cmd: ["SADD", "s", "a"], conn: 1 },
    { cmd: ["SREM", "s", "nope"], conn: 1 },
    { cmd: ["SMOVE", "s", "t", "nope"], conn: 1 },
    ["MULTI"],
    ["SCARD", "s"],
    ["EXEC"],
    ["WATCH", "s"],
    { cmd: ["SADD", "s", "b"], conn: 1 },
    ["MULTI"],
    ["SCARD", "s"],
    ["EXEC"],
    ["WATCH", "t"],
    { cmd: ["SMOVE", "s", "t", "a"], conn: 1 },
    ["MULTI"],
    ["SCARD", "t"],
    ["EXEC"],
    ["WATCH", "d"],
    { cmd: ["SUNIONSTORE", "d", "s", "t"], conn: 1 },
    ["MULTI"],
    ["SCARD", "d"],
    ["EXEC"],
  ],
}, {
  // Events only go to subscribers, so the other cases see nothing of them.
  args: ["--notify-keyspace-events", "KA"],
});

Deno.test("SRANDMEMBER and SPOP with a count return distinct members of the set", async () => {
  await using server = await spawnServer();
  const c = await server.connect();
  try {
    for (const kind of ["int", "str"]) {
      for (const size of [10, 600]) {
        const members: string[] = [];
        for (let i = 0; i < size; i++) {
          members.push(kind === "int" ? String(i) : `m${i}`);
        }
        const all = new Set(members);
        await c.call("DEL", "s");
        await c.call("SADD", "s", ...members);
        for (const count of [2, 5, Math.floor(size / 2), size - 1]) {
          const got = await c.call("SRANDMEMBER", "s", count) as string[];
          assertEquals(got.length, count);
          assertEquals(new Set(got).size, count, "distinct");
          for (const m of got) assert(all.has(m), m);
        }
        const repeated = await c.call("SRANDMEMBER", "s", -500) as string[];
        assertEquals(repeated.length, 500);
        for (const m of repeated) assert(all.has(m), m);
        if (size === 10) assertEquals(new Set(repeated).size, 10);
        assert(all.has(await c.call("SRANDMEMBER", "s") as string));
        // SPOP both ways: a few members, then most of the rest.
        let left = size;
        for (const count of [3, left - 3 - 1]) {
          const popped = await c.call("SPOP", "s", count) as string[];
          assertEquals(popped.length, count);
          assertEquals(new Set(popped).size, count, "distinct");
          for (const m of popped) {
            assert(all.delete(m), `${m} popped twice or not a member`);
          }
          left -= count;
          assertEquals(await c.call("SCARD", "s"), left);
          const rest = await c.call("SMEMBERS", "s") as string[];
          assertEquals(rest.sort(), [...all].sort());
        }
        const last = await c.call("SPOP", "s") as string;
        assert(all.has(last));
        assertEquals(await c.call("EXISTS", "s"), 0);
      }
    }
  } finally {
    c.close();
  }
});

Deno.test("SSCAN over a hash table reports every member that stays, with small COUNTs", async () => {
  await using server = await spawnServer();
  const c = await server.connect();
  try {
    const members: string[] = [];
    for (let i = 0; i < 1000; i++) members.push(`m${i}`);
    await c.call("SADD", "s", ...members);
    const seen = new Set<string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = await c.call("SSCAN", "s", cursor, "COUNT", 7) as [
        string,
        string[],
      ];
      for (const m of items) seen.add(m);
      // Members added or removed during the scan may or may not show up;
      // members present throughout must. Growing forces a resize.
      if (calls === 5) {
        const more: string[] = [];
        for (let i = 0; i < 2000; i++) more.push(`new${i}`);
        await c.call("SADD", "s", ...more);
        await c.call("SREM", "s", "m999");
      }
      cursor = next;
      calls++;
    } while (cursor !== "0");
    assert(calls > 10, `expected many calls, got ${calls}`);
    for (let i = 0; i < 999; i++) assert(seen.has(`m${i}`), `m${i}`);
  } finally {
    c.close();
  }
});
