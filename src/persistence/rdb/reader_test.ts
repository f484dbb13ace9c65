import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { HashValue } from "../../store/hash_value.ts";
import { ListValue } from "../../store/list_value.ts";
import { SetValue } from "../../store/set_value.ts";
import { StreamValue } from "../../store/stream_value.ts";
import { MAX_ID, MIN_ID } from "../../store/structures/stream_id.ts";
import type { RedisValue } from "../../store/values.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { RdbFormatError, type RdbItem, RdbReader } from "./reader.ts";
import { fixture, LIMITS } from "../../../tests/_harness/rdb.ts";

const EXP = 4102444800000;

type KeyItem = Extract<RdbItem, { kind: "key" }>;

interface Loaded {
  version: number;
  items: RdbItem[];
  keys: Map<string, KeyItem>; // "db:key"
}

function load(name: string, limits = LIMITS): Loaded {
  const r = new RdbReader(fixture(name), { limits, checksum: true });
  const items: RdbItem[] = [];
  const keys = new Map<string, KeyItem>();
  let db = 0;
  for (;;) {
    const item = r.next();
    items.push(item);
    if (item.kind === "db") db = item.db;
    if (item.kind === "key") keys.set(`${db}:${item.key}`, item);
    if (item.kind === "end") break;
  }
  return { version: r.version, items, keys };
}

function key(l: Loaded, name: string, db = 0): KeyItem {
  const k = l.keys.get(`${db}:${name}`);
  if (k === undefined) throw new Error(`no key ${name} in db ${db}`);
  return k;
}

function list(v: RedisValue): string[] {
  if (!(v instanceof ListValue)) throw new Error("not a list");
  return v.toArray();
}

function set(v: RedisValue): [string, string[]] {
  if (!(v instanceof SetValue)) throw new Error("not a set");
  return [v.encoding(), v.members().sort()];
}

function hash(v: RedisValue): [string, string[]] {
  if (!(v instanceof HashValue)) throw new Error("not a hash");
  return [v.encoding(), v.entries()];
}

function zset(v: RedisValue): [string, [string, number][]] {
  if (!(v instanceof ZSetValue)) throw new Error("not a zset");
  const out: [string, number][] = [];
  v.tree.forEach((m, s) => out.push([m, s]));
  return [v.encoding(), out];
}

function sortedPairs(flat: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

const AUX_7015 = ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"];

Deno.test("RdbReader loads every key of all_types.rdb with its exact contents", () => {
  const l = load("all_types.rdb");
  assertEquals(l.version, 10);
  const aux = l.items.filter((i) => i.kind === "aux");
  assertEquals(aux.map((i) => i.kind === "aux" && i.key), AUX_7015);
  assertEquals(aux[0], { kind: "aux", key: "redis-ver", value: "7.0.15" });
  assertEquals(aux[1], { kind: "aux", key: "redis-bits", value: "64" });
  const structure = l.items.filter((i) =>
    i.kind === "db" || i.kind === "resize"
  );
  assertEquals(structure, [
    { kind: "db", db: 0 },
    { kind: "resize", size: 22, expires: 2 },
    { kind: "db", db: 1 },
    { kind: "resize", size: 3, expires: 1 },
  ]);
  assertEquals(l.items[l.items.length - 1], { kind: "end" });
  assertEquals(l.keys.size, 25);

  const strings: [string, string][] = [
    ["str:small", "hello"],
    ["str:empty", ""],
    ["str:int8", "-7"],
    ["str:int16", "12345"],
    ["str:int32", "1234567890"],
    ["str:int64", "12345678901234"],
    ["str:lzf", "a".repeat(100)],
    ["str:bin", "\x00\x01\xff\r\n"],
    ["str:utf8", "h\xc3\xa9llo \xe2\x98\x83"],
    ["str:ttl", "expires-2100"],
  ];
  for (const [k, v] of strings) assertEquals(key(l, k).value, v, k);
  assertEquals(key(l, "str:ttl").expireAt, EXP);
  assertEquals(key(l, "str:small").expireAt, undefined);

  assertEquals(list(key(l, "list:small").value), ["a", "b", "c", "1", "2"]);
  assertEquals(
    list(key(l, "list:big").value),
    Array.from(
      { length: 1000 },
      (_, i) => `element-${String(i).padStart(4, "0")}`,
    ),
  );

  assertEquals(set(key(l, "set:intset").value), ["intset", [
    "-5",
    "1",
    "100000",
    "2",
    "3",
  ]]);
  assertEquals(
    (key(l, "set:intset").value as SetValue).members(),
    ["-5", "1", "2", "3", "100000"],
  );
  assertEquals(set(key(l, "set:strings").value), ["hashtable", [
    "a",
    "b",
    "c",
  ]]);
  assertEquals(
    set(key(l, "set:bigint").value),
    ["hashtable", Array.from({ length: 600 }, (_, i) => String(i)).sort()],
  );

  assertEquals(hash(key(l, "hash:small").value), ["listpack", [
    "f1",
    "v1",
    "f2",
    "2",
    "f3",
    "",
  ]]);
  assertEquals(key(l, "hash:small").expireAt, EXP);
  const big = hash(key(l, "hash:big").value);
  assertEquals(big[0], "hashtable");
  assertEquals(
    sortedPairs(big[1]),
    Array.from({ length: 600 }, (_, i) => {
      const n = String(i).padStart(3, "0");
      return [`field-${n}`, `value-${n}`];
    }),
  );
  const longval = hash(key(l, "hash:longval").value);
  assertEquals(longval[0], "hashtable");
  assertEquals(sortedPairs(longval[1]), [["long", "y".repeat(65)], [
    "short",
    "x",
  ]]);

  assertEquals(zset(key(l, "zset:small").value), [
    "listpack",
    [["c", -3], ["a", 1], ["b", 2.5], ["inf", Infinity]],
  ]);
  assertEquals(zset(key(l, "zset:big").value), [
    "skiplist",
    Array.from({ length: 200 }, (_, i) =>
      [
        `member-${String(i).padStart(3, "0")}`,
        i * 1.5,
      ] as [string, number]),
  ]);

  assertEquals(key(l, "db1:key", 1).value, "in-db-1");
  assertEquals(key(l, "db1:ttl", 1).value, "x");
  assertEquals(key(l, "db1:ttl", 1).expireAt, EXP);
  assertEquals(list(key(l, "db1:list", 1).value), ["z"]);
});

Deno.test("RdbReader loads the streams of all_types.rdb", () => {
  const l = load("all_types.rdb");
  const s = key(l, "stream:s").value;
  if (!(s instanceof StreamValue)) throw new Error("not a stream");
  const entries: [string, string[]][] = [];
  const c = s.entries.cursor(MIN_ID, MAX_ID);
  while (c.next()) entries.push([c.id().toString(), c.fields()]);
  assertEquals(entries, [
    ["1700000000000-1", ["f", "v1", "n", "1"]],
    ["1700000000000-2", ["f", "v2", "n", "2"]],
    ["1700000000000-4", ["f", "v4", "n", "4"]],
    ["1700000000000-5", ["f", "v5", "n", "5"]],
    ["1700000000001-0", ["other", "x"]],
  ]);
  assertEquals(s.length, 5);
  assertEquals(s.lastId.toString(), "1700000000001-0");
  assertEquals(s.firstId.toString(), "1700000000000-1");
  assertEquals(s.maxDeletedId.toString(), "1700000000000-3");
  assertEquals(s.entriesAdded, 6n);
  const g1 = s.group("g1")!;
  assertEquals(g1.lastId.toString(), "1700000000000-4");
  assertEquals(g1.pel.size, 2);
  assertEquals([...g1.consumers.keys()].sort(), ["alice", "bob"]);
  assertEquals(s.group("g2")!.pel.size, 0);
  const empty = key(l, "stream:empty").value;
  if (!(empty instanceof StreamValue)) throw new Error("not a stream");
  assertEquals(empty.length, 0);
  assertEquals(empty.lastId.toString(), "5-1");
  assertEquals(empty.entriesAdded, 1n);
});

Deno.test("RdbReader follows the encoding limits it is given", () => {
  const l = load("all_types.rdb", {
    ...LIMITS,
    hashMaxListpackEntries: 1000,
    setMaxIntsetEntries: 1000,
    zsetMaxListpackEntries: 1000,
    zsetMaxListpackValue: 10,
  });
  // A table-typed hash within the limits becomes a listpack; so does a set
  // of small integers, and a skiplist-typed zset with short members.
  assertEquals(hash(key(l, "hash:big").value)[0], "listpack");
  assertEquals(set(key(l, "set:bigint").value)[0], "intset");
  assertEquals(zset(key(l, "zset:big").value)[0], "listpack");
  const tight = load("all_types.rdb", {
    ...LIMITS,
    hashMaxListpackEntries: 2,
    setMaxIntsetEntries: 3,
  });
  // Listpack and intset payloads convert only on the entry count.
  assertEquals(hash(key(tight, "hash:small").value)[0], "hashtable");
  assertEquals(set(key(tight, "set:intset").value)[0], "hashtable");
});

Deno.test("RdbReader loads empty.rdb, lru.rdb and lfu_function.rdb", () => {
  const empty = load("empty.rdb");
  assertEquals(empty.items.filter((i) => i.kind !== "aux"), [{ kind: "end" }]);
  const lru = load("lru.rdb");
  assertEquals(key(lru, "lru:key").value, "v");
  assertEquals(key(lru, "lru:key").idle, 0);
  assertEquals(key(lru, "lru:key").freq, undefined);
  const lfu = load("lfu_function.rdb");
  assertEquals(key(lfu, "lfu:key").freq, 6);
  assertEquals(key(lfu, "lfu:key").idle, undefined);
  const fn = lfu.items.find((i) => i.kind === "function");
  assertEquals(fn, {
    kind: "function",
    code:
      "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)",
  });
  // The function comes before the database.
  assertEquals(
    lfu.items.findIndex((i) => i.kind === "function") <
      lfu.items.findIndex((i) => i.kind === "db"),
    true,
  );
});

Deno.test("RdbReader loads legacy/encodings.rdb (RDB 4: zset, intsets, ziplists, linked list)", () => {
  const l = load("legacy/encodings.rdb");
  assertEquals(l.version, 4);
  assertEquals(zset(key(l, "zset").value), ["listpack", [
    ["a", 1],
    ["b", 2],
    ["c", 3],
    ["aa", 10],
    ["bb", 20],
    ["cc", 30],
    ["aaa", 100],
    ["bbb", 200],
    ["ccc", 300],
    ["aaaa", 1000],
    ["cccc", 123456789],
    ["bbbb", 5000000000],
  ]]);
  assertEquals(set(key(l, "set_zipped_1").value), ["intset", [
    "1",
    "2",
    "3",
    "4",
  ]]);
  assertEquals(
    set(key(l, "set_zipped_2").value),
    ["intset", ["100000", "200000", "300000", "400000"]],
  );
  assertEquals(
    (key(l, "set_zipped_3").value as SetValue).members(),
    [
      "1000000000",
      "2000000000",
      "3000000000",
      "4000000000",
      "5000000000",
      "6000000000",
    ],
  );
  const seq = ["1", "2", "3", "a", "b", "c", "100000", "6000000000"];
  assertEquals(list(key(l, "list_zipped").value), seq);
  assertEquals(list(key(l, "list").value), [...seq, ...seq, ...seq]);
  assertEquals(set(key(l, "set").value), ["hashtable", [...seq].sort()]);
  assertEquals(hash(key(l, "hash_zipped").value), ["listpack", [
    "a",
    "1",
    "b",
    "2",
    "c",
    "3",
  ]]);
  assertEquals(zset(key(l, "zset_zipped").value), ["listpack", [["a", 1], [
    "b",
    2,
  ], ["c", 3]]]);
  const h = hash(key(l, "hash").value);
  assertEquals(h[0], "listpack");
  assertEquals(sortedPairs(h[1]), [
    ["a", "1"],
    ["aa", "10"],
    ["aaa", "100"],
    ["b", "2"],
    ["bb", "20"],
    ["bbb", "200"],
    ["c", "3"],
    ["cc", "30"],
    ["ccc", "300"],
    ["ddd", "400"],
    ["eee", "5000000000"],
  ]);
  assertEquals(key(l, "string").value, "Hello World");
  assertEquals(key(l, "compressible").value, "a".repeat(137));
  assertEquals(key(l, "number").value, "10");
});

Deno.test("RdbReader loads the legacy zipmap, ziplist and quicklist files", () => {
  const zipmap = load("legacy/hash-zipmap.rdb");
  assertEquals(zipmap.version, 3);
  assertEquals(hash(key(zipmap, "hash").value), ["listpack", [
    "f1",
    "v1",
    "f2",
    "v2",
  ]]);
  const ziplist = load("legacy/hash-ziplist.rdb");
  assertEquals(ziplist.version, 9);
  assertEquals(hash(key(ziplist, "hash").value), ["listpack", [
    "f1",
    "v1",
    "f2",
    "v2",
  ]]);
  assertEquals(
    ziplist.items.find((i) => i.kind === "aux" && i.key === "aof-preamble"),
    { kind: "aux", key: "aof-preamble", value: "0" },
  );
  const zz = load("legacy/zset-ziplist.rdb");
  assertEquals(zset(key(zz, "zset").value), ["listpack", [["one", 1], [
    "two",
    2,
  ]]]);
  const ql = load("legacy/list-quicklist.rdb");
  assertEquals(ql.version, 8);
  assertEquals(list(key(ql, "list").value), ["7"]);
  assertEquals(key(ql, "x").value, "7");
  const script = load("legacy/scriptbackup.rdb");
  assertEquals(script.keys.size, 0);
  assertEquals(
    script.items.find((i) => i.kind === "aux" && i.key === "lua"),
    {
      kind: "aux",
      key: "lua",
      value: "return redis.call('set', 'foo', 'bar')",
    },
  );
});

Deno.test("RdbReader refuses a bad signature, version or checksum", () => {
  const file = fixture("all_types.rdb");
  const bad = file.slice();
  bad[0] = 0x58;
  assertThrows(
    () => new RdbReader(bad, { limits: LIMITS, checksum: true }),
    /Wrong signature/,
  );
  const v11 = file.slice();
  v11.set([0x30, 0x30, 0x31, 0x31], 5);
  assertThrows(
    () => new RdbReader(v11, { limits: LIMITS, checksum: true }),
    /version 11/,
  );
  const crc = file.slice();
  crc[crc.length - 1] = crc[crc.length - 1]! ^ 1;
  const readAll = (bytes: Uint8Array, checksum: boolean) => {
    const r = new RdbReader(bytes, { limits: LIMITS, checksum });
    while (r.next().kind !== "end");
  };
  assertThrows(() => readAll(crc, true), /RDB CRC error/);
  readAll(crc, false);
  // A zero CRC means "not computed".
  const zero = file.slice();
  zero.fill(0, zero.length - 8);
  readAll(zero, true);
  // Truncated anywhere: an RdbFormatError, never another exception.
  for (let n = 9; n < file.length - 8; n += 97) {
    assertThrows(() => readAll(file.subarray(0, n), false), RdbFormatError);
  }
});

Deno.test("RdbReader never throws anything but RdbFormatError on corrupt files", () => {
  const file = fixture("all_types.rdb");
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let t = 0; t < 300; t++) {
    const bad = file.slice();
    for (let k = 0; k <= rnd(3); k++) bad[9 + rnd(bad.length - 9)] = rnd(256);
    try {
      const r = new RdbReader(bad, {
        limits: LIMITS,
        checksum: false,
        deep: t % 2 === 0,
      });
      while (r.next().kind !== "end");
    } catch (e) {
      if (!(e instanceof RdbFormatError)) throw e;
    }
  }
});

Deno.test("RdbReader reads EXPIRETIME in seconds, skips empty keys and refuses module data", async () => {
  const { ByteWriter } = await import("./bytes.ts");
  const w = new ByteWriter({ compress: false });
  w.latin1("REDIS0004");
  w.u8(0xfe); // SELECTDB
  w.length(0);
  w.u8(0xfd); // EXPIRETIME, seconds
  w.u32le(2000000000); // 2033: the field is a signed 32-bit count
  w.u8(0); // string
  w.string("k");
  w.string("v");
  w.u8(0xfc); // an empty set, with an expiry that must not leak
  w.millis(1);
  w.u8(2);
  w.string("empty");
  w.length(0);
  w.u8(0);
  w.string("k2");
  w.string("v2");
  w.u8(0xff);
  const r = new RdbReader(w.take(), { limits: LIMITS, checksum: true });
  assertEquals(r.next(), { kind: "db", db: 0 });
  assertEquals(r.next(), {
    kind: "key",
    key: "k",
    value: "v",
    expireAt: 2000000000000,
    idle: undefined,
    freq: undefined,
  });
  assertEquals(r.next(), {
    kind: "key",
    key: "k2",
    value: "v2",
    expireAt: undefined,
    idle: undefined,
    freq: undefined,
  });
  assertEquals(r.next(), { kind: "end" });
  assertEquals(r.next(), { kind: "end" });

  const m = new ByteWriter({ compress: false });
  m.latin1("REDIS0010");
  m.u8(0xf7); // MODULE_AUX with the id of module "scripting", version 1
  m.lengthBig(0x9e5b7a26c4ec2401n);
  const mod = new RdbReader(m.take(), { limits: LIMITS, checksum: true });
  assertThrows(() => mod.next(), /AUX module data .* no matching module/);
});
