/**
 * Hash commands against real redis-server 7.0: replies and errors byte for
 * byte in RESP2 and RESP3, listpack/hashtable encodings and their
 * transitions, binary fields, WRONGTYPE, keyspace events and WATCH.
 *
 * Replies from a hashtable-encoded hash come in table order, which differs
 * between two hash table implementations (Redis makes no promise about it),
 * so those replies are sorted before comparison. Listpack hashes keep
 * insertion order in both and are compared as they are.
 */
import { assert, assertEquals } from "../_deps.ts";
import { differential, type Script } from "../_harness/differential.ts";
import { parseReply, type RespValue } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";

// Splits an aggregate reply into its header and its elements' raw bytes.
function split(raw: string, pos = 0): { header: string; items: string[] } {
  const nl = raw.indexOf("\r\n", pos);
  const header = raw.slice(pos, nl + 2);
  const type = raw[pos];
  if (type !== "*" && type !== "~" && type !== "%") {
    return { header, items: [] };
  }
  const count = Number(raw.slice(pos + 1, nl));
  const n = type === "%" ? count * 2 : Math.max(count, 0);
  const items: string[] = [];
  let p = nl + 2;
  for (let i = 0; i < n; i++) {
    const r = parseReply(raw, p)!;
    items.push(raw.slice(p, r.end));
    p = r.end;
  }
  return { header, items };
}

// Sorts the elements (stride 1) or field/value pairs (stride 2) of a reply.
function sortElements(raw: string, stride: 1 | 2): string {
  if (!"*~%".includes(raw[0]!)) return raw;
  const { header, items } = split(raw);
  const groups: string[] = [];
  for (let i = 0; i < items.length; i += stride) {
    groups.push(items.slice(i, i + stride).join(""));
  }
  return header + groups.sort().join("");
}

/** Unordered elements (HKEYS, HVALS, nested HRANDFIELD pairs). */
const unordered = (raw: string) => sortElements(raw, 1);
/** Unordered field/value pairs (HGETALL as a flat array or a map). */
const unorderedPairs = (raw: string) => sortElements(raw, 2);
/** An HSCAN reply whose pairs are unordered. */
function scanPairs(raw: string): string {
  if (raw[0] !== "*") return raw;
  const { header, items } = split(raw);
  return header + items[0] + sortElements(items[1]!, 2);
}
const TABLE_ORDER = "hashtable encoding: table order is unspecified";

// 129 fields: one more than hash-max-listpack-entries.
const manyFields: string[] = [];
for (let i = 0; i < 129; i++) manyFields.push(`f${i}`, `v${i}`);
const long64 = "x".repeat(64);
const long65 = "y".repeat(65);

const randfieldShapes: Script = [
  ["HSET", "one", "f", "v"],
  ["HRANDFIELD", "one"],
  ["HRANDFIELD", "one", "1"],
  ["HRANDFIELD", "one", "1", "WITHVALUES"],
  ["HRANDFIELD", "one", "-3"],
  ["HRANDFIELD", "one", "-3", "withvalues"],
  ["HRANDFIELD", "one", "5", "WITHVALUES"],
  ["HSET", "small", "a", "1", "b", "2", "c", "3"],
  ["HRANDFIELD", "small", "3"],
  ["HRANDFIELD", "small", "100", "WITHVALUES"],
  ["HRANDFIELD", "small", "0"],
  ["HRANDFIELD", "small", "0", "WITHVALUES"],
  ["HRANDFIELD", "missing"],
  ["HRANDFIELD", "missing", "3"],
  ["HRANDFIELD", "missing", "-3", "WITHVALUES"],
  ["HSET", "big", ...manyFields],
  {
    cmd: ["HRANDFIELD", "big", "1000", "WITHVALUES"],
    mask: unordered,
    why: TABLE_ORDER,
  },
];

const hgetallShapes: Script = [
  ["HSET", "h", "z", "1", "a", "2", "m", "3"],
  ["HGETALL", "h"],
  ["HKEYS", "h"],
  ["HVALS", "h"],
  ["HGETALL", "missing"],
  ["HKEYS", "missing"],
  ["HVALS", "missing"],
  ["HMGET", "h", "a", "nope", "z"],
  ["HMGET", "missing", "a", "b"],
  ["HGET", "h", "nope"],
  ["HGET", "missing", "a"],
  ["HINCRBYFLOAT", "h", "a", "0.5"],
  ["HSCAN", "h", "0"],
];

differential(import.meta.url, {
  "HSET, HMSET and HGET basics": [
    ["HSET", "h", "f1", "v1", "f2", "v2"],
    ["HSET", "h", "f1", "x", "f3", "y"],
    ["HGET", "h", "f1"],
    ["HGET", "h", "f3"],
    ["HGET", "h", "nope"],
    ["HGET", "missing", "f"],
    ["HMSET", "h", "a", "1", "b", "2"],
    ["HMSET", "new", "a", "1"],
    ["HLEN", "h"],
    ["HLEN", "new"],
    ["hset", "h", "f"],
    ["HSET", "h", "f", "v", "g"],
    ["HMSET", "h", "f", "v", "g"],
    ["HSET", "h"],
    ["HSET", "h", "f", ""],
    ["HGET", "h", "f"],
    ["HSET", "h", "", "empty field"],
    ["HGET", "h", ""],
    ["OBJECT", "ENCODING", "h"],
  ],
  "HSET with a repeated field counts it once and keeps the last value": [
    ["HSET", "h", "a", "1", "a", "2", "b", "3", "a", "4"],
    ["HGET", "h", "a"],
    ["HLEN", "h"],
    ["HGETALL", "h"],
  ],
  "HSETNX sets only missing fields": [
    ["HSETNX", "h", "f", "v"],
    ["HSETNX", "h", "f", "w"],
    ["HGET", "h", "f"],
    ["HSETNX", "h", "g", "w"],
    ["HGETALL", "h"],
    ["HSETNX", "h", "f"],
  ],
  "HDEL removes fields and deletes the emptied key": [
    ["HSET", "h", "a", "1", "b", "2", "c", "3"],
    ["HDEL", "h", "a", "a", "nope"],
    ["HDEL", "h", "nope"],
    ["HLEN", "h"],
    ["HDEL", "h", "b", "c", "d"],
    ["EXISTS", "h"],
    ["HDEL", "h", "b"],
    ["HDEL", "missing", "a"],
    ["HDEL", "h"],
  ],
  "HLEN, HEXISTS and HSTRLEN on present and missing fields": [
    ["HSET", "h", "a", "hello", "b", "", "n", "12345"],
    ["HLEN", "h"],
    ["HLEN", "missing"],
    ["HEXISTS", "h", "a"],
    ["HEXISTS", "h", "z"],
    ["HEXISTS", "missing", "a"],
    ["HSTRLEN", "h", "a"],
    ["HSTRLEN", "h", "b"],
    ["HSTRLEN", "h", "n"],
    ["HSTRLEN", "h", "z"],
    ["HSTRLEN", "missing", "a"],
    ["HINCRBY", "h", "n", "-12346"],
    ["HSTRLEN", "h", "n"],
  ],
  "HGETALL, HKEYS, HVALS, HMGET on a listpack keep insertion order":
    hgetallShapes,
  "HGETALL, HKEYS, HVALS, HMGET in RESP3": {
    protocol: 3,
    steps: hgetallShapes,
  },
  "HGETALL, HKEYS, HVALS on a hash table": [
    ["HSET", "h", ...manyFields],
    ["OBJECT", "ENCODING", "h"],
    { cmd: ["HGETALL", "h"], mask: unorderedPairs, why: TABLE_ORDER },
    { cmd: ["HKEYS", "h"], mask: unordered, why: TABLE_ORDER },
    { cmd: ["HVALS", "h"], mask: unordered, why: TABLE_ORDER },
    ["HLEN", "h"],
    ["HGET", "h", "f128"],
    ["HMGET", "h", "f0", "f200", "f100"],
  ],
  "HGETALL on a hash table in RESP3 is a map": {
    protocol: 3,
    steps: [
      ["HSET", "h", ...manyFields],
      { cmd: ["HGETALL", "h"], mask: unorderedPairs, why: TABLE_ORDER },
    ],
  },
  "HINCRBY": [
    ["HINCRBY", "h", "n", "5"],
    ["HINCRBY", "h", "n", "-7"],
    ["HINCRBY", "h", "n", "0"],
    ["HGET", "h", "n"],
    ["HINCRBY", "h", "max", "9223372036854775807"],
    ["HINCRBY", "h", "max", "1"],
    ["HINCRBY", "h", "max", "0"],
    ["HINCRBY", "h", "min", "-9223372036854775808"],
    ["HINCRBY", "h", "min", "-1"],
    ["HINCRBY", "h", "min", "9223372036854775807"],
    ["HINCRBY", "h", "n", "9223372036854775808"],
    ["HINCRBY", "h", "n", "1.5"],
    ["HINCRBY", "h", "n", "x"],
    ["HINCRBY", "h", "n", ""],
    ["HINCRBY", "h", "n", " 1"],
    ["HINCRBY", "h", "n", "+1"],
    ["HSET", "h", "s", "abc", "f", "1.5", "z", "007", "e", "", "sp", " 1"],
    ["HINCRBY", "h", "s", "1"],
    ["HINCRBY", "h", "f", "1"],
    ["HINCRBY", "h", "z", "1"],
    ["HINCRBY", "h", "e", "1"],
    ["HINCRBY", "h", "sp", "1"],
    ["HINCRBY", "missing", "f", "x"],
    ["EXISTS", "missing"],
    ["HINCRBY", "fresh", "f", "-3"],
    ["HGETALL", "fresh"],
    ["HINCRBY", "h", "n"],
  ],
  "HINCRBYFLOAT formats like Redis's long double": [
    ["HINCRBYFLOAT", "h", "f", "10.5"],
    ["HINCRBYFLOAT", "h", "f", "0.1"],
    ["HINCRBYFLOAT", "h", "f", "-10.6"],
    ["HINCRBYFLOAT", "h", "f", "-0"],
    ["HINCRBYFLOAT", "h", "g", "-0"],
    ["HINCRBYFLOAT", "h", "g", "5.0e3"],
    ["HINCRBYFLOAT", "h", "g", "1.23e-5"],
    ["HINCRBYFLOAT", "h", "g", "0x10"],
    ["HINCRBYFLOAT", "h", "i", "3"],
    ["HINCRBYFLOAT", "h", "i", "1e17"],
    ["HINCRBYFLOAT", "h", "tiny", "1e-20"],
    ["HINCRBYFLOAT", "h", "big", "1.5e300"],
    ["HSTRLEN", "h", "big"],
    ["HSET", "h", "int", "9223372036854775807", "dec", "1e3", "hex", "0x10"],
    ["HINCRBYFLOAT", "h", "int", "1"],
    ["HINCRBYFLOAT", "h", "dec", "1"],
    ["HINCRBYFLOAT", "h", "hex", "1"],
    ["HINCRBY", "h", "dec", "1"],
    ["OBJECT", "ENCODING", "h"],
    { cmd: ["HGETALL", "h"], mask: unorderedPairs, why: TABLE_ORDER },
  ],
  "HINCRBYFLOAT errors": [
    ["HINCRBYFLOAT", "h", "f", "inf"],
    ["HINCRBYFLOAT", "h", "f", "-inf"],
    ["HINCRBYFLOAT", "h", "f", "nan"],
    ["HINCRBYFLOAT", "h", "f", "abc"],
    ["HINCRBYFLOAT", "h", "f", ""],
    ["HINCRBYFLOAT", "h", "f", " 1"],
    ["HINCRBYFLOAT", "h", "f", "1 "],
    ["HINCRBYFLOAT", "h", "f", "1e5000"],
    ["EXISTS", "h"],
    ["HSET", "h", "s", "abc", "sp", " 1", "inf", "inf", "e", ""],
    ["HINCRBYFLOAT", "h", "s", "1"],
    ["HINCRBYFLOAT", "h", "sp", "1"],
    ["HINCRBYFLOAT", "h", "inf", "1"],
    ["HINCRBYFLOAT", "h", "e", "1"],
    ["HINCRBYFLOAT", "h", "m", "1e4932"],
    ["HINCRBYFLOAT", "h", "m", "1e4932"],
    ["HINCRBYFLOAT", "h", "m", "-1e4932"],
    ["HINCRBYFLOAT", "h", "m"],
  ],
  "binary fields and values": [
    ["HSET", "h", "a\r\nb", "v\x00\xff", "\xff\xfe", "\r\n", "", ""],
    ["HGET", "h", "a\r\nb"],
    ["HGET", "h", "\xff\xfe"],
    ["HSTRLEN", "h", "a\r\nb"],
    ["HGETALL", "h"],
    ["HEXISTS", "h", "\xff\xfe"],
    ["HEXISTS", "h", "\xff"],
    ["HSCAN", "h", "0", "MATCH", "\xff*"],
    ["HDEL", "h", "a\r\nb", "\xff\xfe"],
    ["HKEYS", "h"],
    ["SET", "s\xff", "v"],
    ["HGET", "s\xff", "f"],
  ],
  "encoding: listpack up to hash-max-listpack-entries and -value": [
    ["HSET", "h", "a", long64, long64, "b"],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "h", "c", long65],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "k", long65, "v"],
    ["OBJECT", "ENCODING", "k"],
    ["HSET", "n", ...manyFields.slice(0, 256)],
    ["OBJECT", "ENCODING", "n"],
    ["HSET", "n", "f0", "updated"],
    ["OBJECT", "ENCODING", "n"],
    ["HSET", "n", "f128", "v128"],
    ["OBJECT", "ENCODING", "n"],
    ["HDEL", "n", ...manyFields.filter((_, i) => i % 2 === 0 && i > 0)],
    ["OBJECT", "ENCODING", "n"],
    ["HGETALL", "n"],
  ],
  "encoding: HSETNX and HINCRBY conversions": [
    ["HSET", "h", "a", "1"],
    ["HSETNX", "h", "a", long65],
    ["OBJECT", "ENCODING", "h"],
    ["HSETNX", "h", "b", long65],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "i", "a", "1"],
    ["HINCRBY", "i", long65, "1"],
    ["OBJECT", "ENCODING", "i"],
    ["HSET", "j", "a", "1"],
    ["HINCRBYFLOAT", "j", long65, "1.5"],
    ["OBJECT", "ENCODING", "j"],
    ["HSET", "k", "a", "1"],
    ["HSETNX", "k", "b", "2"],
    ["OBJECT", "ENCODING", "k"],
  ],
  "encoding: CONFIG SET thresholds apply to later writes": [
    ["CONFIG", "SET", "hash-max-listpack-entries", "2"],
    ["HSET", "h", "a", "1", "b", "2"],
    ["OBJECT", "ENCODING", "h"],
    ["HSET", "h", "c", "3"],
    ["OBJECT", "ENCODING", "h"],
    ["CONFIG", "SET", "hash-max-listpack-entries", "0"],
    ["HSET", "z", "a", "1"],
    ["OBJECT", "ENCODING", "z"],
    ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
    ["CONFIG", "SET", "hash-max-listpack-value", "0"],
    ["HSET", "e", "", ""],
    ["OBJECT", "ENCODING", "e"],
    ["HSET", "e", "a", ""],
    ["OBJECT", "ENCODING", "e"],
    ["CONFIG", "SET", "hash-max-listpack-value", "64"],
    ["HSET", "l", "a", "1", "b", "2", "c", "3"],
    ["CONFIG", "SET", "hash-max-listpack-entries", "2"],
    ["HSETNX", "l", "a", "5"],
    ["OBJECT", "ENCODING", "l"],
    ["HINCRBY", "l", "a", "1"],
    ["OBJECT", "ENCODING", "l"],
    ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
  ],
  "HRANDFIELD shapes and deterministic cases": randfieldShapes,
  "HRANDFIELD shapes in RESP3": { protocol: 3, steps: randfieldShapes },
  "HRANDFIELD argument errors": [
    ["HSET", "h", "a", "1"],
    ["HRANDFIELD", "h", "x"],
    ["HRANDFIELD", "h", "1.5"],
    ["HRANDFIELD", "h", "1", "WITHVALUE"],
    ["HRANDFIELD", "h", "1", "WITHVALUES", "x"],
    ["HRANDFIELD", "h", "-9223372036854775808"],
    ["HRANDFIELD", "h", "9223372036854775808"],
    ["HRANDFIELD", "h", "9223372036854775807", "WITHVALUES"],
    ["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"],
    ["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"],
    ["HRANDFIELD", "missing", "4611686018427387903", "WITHVALUES"],
    ["HRANDFIELD", "missing", "-4611686018427387903", "WITHVALUES"],
    ["HRANDFIELD", "missing", "x"],
    ["SET", "s", "v"],
    ["HRANDFIELD", "s", "x"],
    ["HRANDFIELD", "s", "1", "bad"],
    ["HRANDFIELD", "s", "1"],
    ["HRANDFIELD", "s"],
  ],
  "HSCAN on a listpack returns everything with cursor 0": [
    ["HSET", "h", "a1", "1", "b2", "2", "a3", "3"],
    ["HSCAN", "h", "0"],
    ["HSCAN", "h", "123"],
    ["HSCAN", "h", "0", "COUNT", "1"],
    ["HSCAN", "h", "0", "MATCH", "a*"],
    ["HSCAN", "h", "0", "match", "*", "count", "5"],
    ["HSCAN", "h", "0", "MATCH", "nothing*"],
    ["HSCAN", "h", "0", "MATCH", "b*", "MATCH", "a?"],
    ["HSCAN", "h", "-1"],
    ["HSCAN", "h", "+5"],
    ["HSCAN", "h", ""],
    ["HSCAN", "h", "18446744073709551615"],
  ],
  "HSCAN errors": [
    ["HSET", "h", "a", "1"],
    ["HSCAN", "h", "x"],
    ["HSCAN", "h", " 1"],
    ["HSCAN", "h", "1 "],
    ["HSCAN", "h", "18446744073709551616"],
    ["HSCAN", "h", "1.0"],
    ["HSCAN", "h", "0", "COUNT", "0"],
    ["HSCAN", "h", "0", "COUNT", "-1"],
    ["HSCAN", "h", "0", "COUNT", "x"],
    ["HSCAN", "h", "0", "COUNT"],
    ["HSCAN", "h", "0", "MATCH"],
    ["HSCAN", "h", "0", "TYPE", "string"],
    ["HSCAN", "h", "0", "NOVALUES"],
    ["HSCAN", "missing", "0", "COUNT", "0"],
    ["HSCAN", "missing", "0", "BAD"],
    ["HSCAN", "missing", "x"],
    ["SET", "s", "v"],
    ["HSCAN", "s", "0", "COUNT", "0"],
    ["HSCAN", "s", "x"],
  ],
  "HSCAN on a hash table with a large COUNT returns everything": [
    ["HSET", "h", ...manyFields],
    {
      cmd: ["HSCAN", "h", "0", "COUNT", "1000"],
      mask: scanPairs,
      why: TABLE_ORDER,
    },
    {
      cmd: ["HSCAN", "h", "0", "COUNT", "1000", "MATCH", "f1?"],
      mask: scanPairs,
      why: TABLE_ORDER,
    },
  ],
  "WRONGTYPE for every hash command on a string, and for other commands on a hash":
    [
      ["SET", "s", "v"],
      ["HSET", "s", "f", "v"],
      ["HMSET", "s", "f", "v"],
      ["HSETNX", "s", "f", "v"],
      ["HGET", "s", "f"],
      ["HMGET", "s", "f"],
      ["HDEL", "s", "f"],
      ["HLEN", "s"],
      ["HEXISTS", "s", "f"],
      ["HSTRLEN", "s", "f"],
      ["HKEYS", "s"],
      ["HVALS", "s"],
      ["HGETALL", "s"],
      ["HINCRBY", "s", "f", "1"],
      ["HINCRBYFLOAT", "s", "f", "1"],
      ["HRANDFIELD", "s"],
      ["HSCAN", "s", "0"],
      ["HSET", "h", "f", "v"],
      ["GET", "h"],
      ["SADD", "h", "m"],
      ["SMEMBERS", "h"],
      ["TYPE", "h"],
      ["SET", "h", "x"],
      ["TYPE", "h"],
    ],
  "HSET arity is checked before the type": [
    ["SET", "s", "v"],
    ["HSET", "s", "f", "v", "g"],
    ["HMSET", "s", "f", "v", "g"],
  ],
  "keyspace events of hash commands": [
    { cmd: ["PSUBSCRIBE", "__keyspace@0__:*"], conn: 1 },
    ["HSET", "h", "a", "1", "b", "2"],
    ["HMSET", "h", "a", "2"],
    ["HSETNX", "h", "a", "x"],
    ["HSETNX", "h", "c", "3"],
    ["HINCRBY", "h", "n", "1"],
    ["HINCRBYFLOAT", "h", "n", "1.5"],
    ["HDEL", "h", "zz"],
    ["HDEL", "h", "a", "zz"],
    ["HDEL", "h", "b", "c", "n"],
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
  ],
  "WATCH sees hash changes, and not no-op writes": [
    ["HSET", "h", "a", "1"],
    ["WATCH", "h"],
    { cmd: ["HSETNX", "h", "a", "2"], conn: 1 },
    { cmd: ["HDEL", "h", "nope"], conn: 1 },
    ["MULTI"],
    ["HGET", "h", "a"],
    ["EXEC"],
    ["WATCH", "h"],
    { cmd: ["HINCRBY", "h", "a", "1"], conn: 1 },
    ["MULTI"],
    ["HGET", "h", "a"],
    ["EXEC"],
    ["WATCH", "h"],
    { cmd: ["HDEL", "h", "a"], conn: 1 },
    ["MULTI"],
    ["HGET", "h", "a"],
    ["EXEC"],
  ],
}, {
  // Events only go to subscribers, so the other cases see nothing of them.
  args: ["--notify-keyspace-events", "KA"],
});

Deno.test("HRANDFIELD with a count returns distinct fields of the hash", async () => {
  await using server = await spawnServer();
  const c = await server.connect();
  try {
    for (const size of [10, 300]) {
      await c.call("DEL", "h");
      const args: string[] = [];
      for (let i = 0; i < size; i++) args.push(`f${i}`, `v${i}`);
      await c.call("HSET", "h", ...args);
      for (const count of [2, 5, Math.floor(size / 2), size - 1]) {
        const fields = await c.call("HRANDFIELD", "h", count) as string[];
        assertEquals(fields.length, count);
        assertEquals(new Set(fields).size, count, "distinct");
        for (const f of fields) assert(/^f\d+$/.test(f) && +f.slice(1) < size);
        const pairs = await c.call(
          "HRANDFIELD",
          "h",
          count,
          "WITHVALUES",
        ) as string[];
        assertEquals(pairs.length, 2 * count);
        for (let i = 0; i < pairs.length; i += 2) {
          assertEquals(pairs[i + 1], `v${pairs[i]!.slice(1)}`);
        }
      }
      const repeated = await c.call("HRANDFIELD", "h", -1000) as string[];
      assertEquals(repeated.length, 1000);
      // With 1000 picks, every field of a 10-field hash shows up.
      if (size === 10) assertEquals(new Set(repeated).size, 10);
      const single = await c.call("HRANDFIELD", "h") as string;
      assert(/^f\d+$/.test(single));
    }
  } finally {
    c.close();
  }
});

Deno.test("HRANDFIELD on a listpack returns a sample in hash order", async () => {
  await using server = await spawnServer();
  const c = await server.connect();
  try {
    const args: string[] = [];
    for (let i = 0; i < 20; i++) args.push(`f${i}`, `v${i}`);
    await c.call("HSET", "h", ...args);
    for (let n = 0; n < 20; n++) {
      const fields = await c.call("HRANDFIELD", "h", 7) as string[];
      const indexes = fields.map((f) => Number(f.slice(1)));
      assertEquals(indexes, [...indexes].sort((a, b) => a - b));
    }
  } finally {
    c.close();
  }
});

Deno.test("HSCAN over a hash table reports every field that stays, with small COUNTs", async () => {
  await using server = await spawnServer();
  const c = await server.connect();
  try {
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
    await c.call("HSET", "h", ...args);
    const seen = new Map<string, string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = await c.call("HSCAN", "h", cursor) as [
        string,
        string[],
      ];
      for (let i = 0; i < items.length; i += 2) {
        seen.set(items[i]!, items[i + 1]!);
      }
      // Changes during the scan: fields added or removed may or may not
      // show up, fields present throughout must.
      if (calls === 3) {
        await c.call("HSET", "h", "new1", "x", "new2", "y");
        await c.call("HDEL", "h", "f999");
      }
      cursor = next;
      calls++;
    } while (cursor !== "0");
    assert(calls > 10, `expected many calls, got ${calls}`);
    for (let i = 0; i < 999; i++) assertEquals(seen.get(`f${i}`), `v${i}`);
  } finally {
    c.close();
  }
});

Deno.test("HGETALL in RESP3 decodes as a map of every field", async () => {
  await using server = await spawnServer();
  const c = await server.connect();
  try {
    await c.call("HELLO", "3");
    await c.call("HSET", "h", "a", "1", "b", "2");
    const reply = await c.call("HGETALL", "h") as Map<RespValue, RespValue>;
    assertEquals(reply, new Map([["a", "1"], ["b", "2"]]));
  } finally {
    c.close();
  }
});
