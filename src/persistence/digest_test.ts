/**
 * digestValue and digestDataset against digests recorded from real Redis
 * 7.0.15 (DEBUG DIGEST-VALUE and DEBUG DIGEST over the same values), so
 * these tests need no server. tests/conformance/digest_test.ts compares
 * both commands with redis-server over every type and encoding.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { Config } from "../config.ts";
import { ServerState } from "../state.ts";
import { HashValue } from "../store/hash_value.ts";
import { ListValue } from "../store/list_value.ts";
import { SetValue } from "../store/set_value.ts";
import { StreamValue } from "../store/stream_value.ts";
import { StreamId } from "../store/structures/stream_id.ts";
import type { RedisValue } from "../store/values.ts";
import { ZSetValue } from "../store/zset_value.ts";
import { digestDataset, digestValue } from "./digest.ts";

const LIMITS = {
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
};
const NODES = { maxBytes: 4096, maxEntries: 100 };

function set(...members: string[]): SetValue {
  const s = new SetValue();
  for (const m of members) s.add(m, LIMITS);
  return s;
}

function zset(...pairs: [number, string][]): ZSetValue {
  const z = new ZSetValue();
  for (const [score, member] of pairs) z.insert(score, member, LIMITS);
  return z;
}

function hash(...fv: string[]): HashValue {
  const h = new HashValue();
  for (let i = 0; i < fv.length; i += 2) h.set(fv[i]!, fv[i + 1]!, LIMITS);
  return h;
}

// XADD x 1-1 a 1 b 2; XADD x 2-5 a 3 b 4; XADD x 3-0 c 5; XDEL x 2-5
function stream(): StreamValue {
  const x = new StreamValue();
  x.append(StreamId.of(1, 1), ["a", "1", "b", "2"], 0, NODES);
  x.append(StreamId.of(2, 5), ["a", "3", "b", "4"], 0, NODES);
  x.append(StreamId.of(3, 0), ["c", "5"], 0, NODES);
  x.deleteIds([StreamId.of(2, 5)]);
  return x;
}

// key, value, TTL (-1 for none), DEBUG DIGEST-VALUE from redis-server.
const CASES: [string, RedisValue, number, string][] = [
  ["s1", "hello", -1, "36b23a1456b2dce2c3ed252c456761301dba8060"],
  ["s2", "12345", -1, "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83"],
  [
    "s3",
    new Uint8Array([0x61, 0xff, 0x62]),
    -1,
    "ea085a96e0fdccc702c57d033b619e767a0aa3ec",
  ],
  [
    "l",
    new ListValue(["a", "1", "b", "2"]),
    -1,
    "53668963d4a549dc9c0e54a067516a3547bddb41",
  ],
  ["si", set("3", "1", "2"), -1, "2a462a3f51a1db89738ebbeef0c47ce1bbc85246"],
  ["sh", set("x", "1", "y"), -1, "03ee76a1ebe8db27d61b3ea784011d5acc537675"],
  [
    "h",
    hash("f1", "v1", "f2", "2"),
    -1,
    "fc076e867f7dbf566ea58172a151d82d78b8f845",
  ],
  [
    "z",
    zset([1, "a"], [2.5, "b"], [Infinity, "c"], [-Infinity, "d"], [0.1, "e"]),
    -1,
    "7d13fed542ea111df70f3518d7b4facd1e4ab3e3",
  ],
  ["zneg", zset([-0, "a"]), -1, "8d8d88c2cfb8d9411b8d9973c96538bd6378d446"],
  ["e", "v", 1e13, "311b17018163335616e089f6b951c82c477335ac"],
  ["x", stream(), -1, "bcd79fa04bacbe835450175a27c6f63c1d367693"],
];

for (const [key, value, ttl, expected] of CASES) {
  Deno.test(`digestValue of ${key} matches DEBUG DIGEST-VALUE of Redis`, () => {
    assertEquals(digestValue(value, ttl), expected);
  });
}

Deno.test("digestValue ignores consumer groups, as Redis 7.0 does", () => {
  const x = stream();
  x.createGroup("g", StreamId.of(1, 1), 1n);
  assertEquals(digestValue(x, -1), "bcd79fa04bacbe835450175a27c6f63c1d367693");
});

Deno.test("digestDataset matches DEBUG DIGEST of Redis over two databases", () => {
  const state = new ServerState(new Config());
  const db0 = state.keyspace.db(0);
  assertEquals(digestDataset(state.keyspace), "0".repeat(40));
  for (const [key, value, ttl] of CASES) {
    db0.set(key, value);
    if (ttl !== -1) db0.setExpire(key, ttl);
  }
  assertEquals(
    digestDataset(state.keyspace),
    "4b4eee7643201ed6c494ac66dd0dd25326cb7f35",
  );
  state.keyspace.db(3).set("k", "v");
  assertEquals(
    digestDataset(state.keyspace),
    "240a918c9fdf73282a23e4a7f13d1b07fbff3136",
  );
});
