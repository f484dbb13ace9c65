import { assert, assertEquals } from "../../../tests/_deps.ts";
import { findExecutable } from "../../../tests/_harness/tools.ts";
import { HashValue } from "../../store/hash_value.ts";
import { ListValue } from "../../store/list_value.ts";
import { SetValue } from "../../store/set_value.ts";
import type { RedisValue } from "../../store/values.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { concatBytes } from "../../util/bytes.ts";
import { type RdbItem, RdbReader } from "./reader.ts";
import {
  encodeKeyRecord,
  type KeyMeta,
  type RdbWriteOptions,
  RdbWriter,
} from "./writer.ts";
import { fixture, LIMITS } from "../../../tests/_harness/rdb.ts";

const OPTS: RdbWriteOptions = {
  compress: true,
  checksum: true,
  limits: LIMITS,
};
const REDIS_CHECK_RDB = findExecutable("redis-check-rdb");
const range = <T>(n: number, f: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => f(i));

function readAll(bytes: Uint8Array, limits = LIMITS): RdbItem[] {
  const r = new RdbReader(bytes, { limits, checksum: true });
  const out: RdbItem[] = [];
  for (;;) {
    const item = r.next();
    out.push(item);
    if (item.kind === "end") return out;
  }
}

function set(members: string[]): SetValue {
  const s = SetValue.forMember(members[0]!);
  for (const m of members) s.add(m, LIMITS);
  return s;
}

function hash(flat: string[]): HashValue {
  const h = new HashValue();
  for (let i = 0; i < flat.length; i += 2) {
    h.set(flat[i]!, flat[i + 1]!, LIMITS);
  }
  return h;
}

function zset(pairs: [number, string][]): ZSetValue {
  const z = ZSetValue.forFirstMember(pairs[0]![1].length, LIMITS);
  for (const [s, m] of pairs) z.add(s, m, 0, LIMITS);
  return z;
}

// What a client would see of a value, whatever its internal order.
function describe(v: RedisValue): unknown {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Array.from(v);
  if (v instanceof ListValue) return ["list", v.toArray()];
  if (v instanceof SetValue) return ["set", v.encoding(), v.members().sort()];
  if (v instanceof HashValue) {
    const pairs: string[] = [];
    v.forEach((f, val) => pairs.push(`${f}=${val}`));
    return ["hash", v.encoding(), pairs.sort()];
  }
  if (v instanceof ZSetValue) {
    const out: unknown[] = [];
    v.tree.forEach((m, s) => out.push(m, s));
    return ["zset", v.encoding(), out];
  }
  return [v.type, v.encoding()];
}

// Every type and encoding, with metadata.
function dataset(): [number, string, RedisValue, KeyMeta | undefined][] {
  const stream = readAll(fixture("all_types.rdb")).find((i) =>
    i.kind === "key" && i.key === "stream:s"
  );
  if (stream?.kind !== "key") throw new Error("no stream in the fixture");
  return [
    [0, "str:raw", "hello", undefined],
    [0, "str:int", "-123456", { expireAt: 4102444800000 }],
    [0, "str:big", "12345678901234567890", undefined],
    [0, "str:lzf", "abc".repeat(100), undefined],
    [0, "str:bytes", Uint8Array.of(0, 1, 2, 255), undefined],
    [0, "str:empty", "", { idle: 100 }],
    [0, "1234", "an int-encoded key", { freq: 7 }],
    [0, "list:small", new ListValue(["a", "1", "b"]), undefined],
    [0, "list:big", new ListValue(range(3000, (i) => `item-${i}`)), undefined],
    [0, "list:plain", new ListValue(["x".repeat(300), "y"]), undefined],
    [0, "set:intset", set(["1", "-70000", "9223372036854775807"]), undefined],
    [0, "set:table", set(range(600, (i) => `m${i}`)), undefined],
    [0, "hash:lp", hash(["f", "v", "n", "12", "e", ""]), {
      expireAt: 4102444800001,
    }],
    [0, "hash:table", hash(["short", "x", "long", "y".repeat(65)]), undefined],
    [0, "zset:lp", zset([[1, "a"], [2.5, "b"], [-Infinity, "c"]]), undefined],
    [
      0,
      "zset:skip",
      zset(range(200, (i) => [i / 7, `z${i}`] as [number, string])),
      undefined,
    ],
    [0, "stream", stream.value, undefined],
    [3, "db3:key", "in db 3", undefined],
  ];
}

function writeDataset(opts: RdbWriteOptions, takeEvery = 0): Uint8Array {
  const w = new RdbWriter(opts);
  const chunks: Uint8Array[] = [];
  const take = () => chunks.push(w.take());
  w.header();
  w.aux("redis-ver", "7.0.15");
  w.aux("redis-bits", 64);
  w.aux("ctime", 1795263101);
  w.aux("aof-base", 0);
  w.function(
    "#!lua name=lib\nredis.register_function('f', function() return 1 end)",
  );
  const data = dataset();
  let db = -1;
  let n = 0;
  for (const [d, key, value, meta] of data) {
    if (d !== db) {
      db = d;
      const keys = data.filter((x) => x[0] === d);
      w.selectDb(d);
      w.resizeDb(
        keys.length,
        keys.filter((x) => x[3]?.expireAt !== undefined).length,
      );
    }
    // Half the keys go through encodeKeyRecord, as the snapshot does.
    if (n++ % 2 === 0) w.key(key, value, meta);
    else w.raw(encodeKeyRecord(key, value, meta, opts));
    if (takeEvery !== 0 && n % takeEvery === 0) take();
  }
  w.end();
  take();
  assertEquals(w.pending, 0);
  return concatBytes(chunks);
}

Deno.test("RdbWriter writes a file RdbReader reads back key for key", () => {
  for (
    const opts of [OPTS, { ...OPTS, compress: false }, {
      ...OPTS,
      packedThreshold: 100,
    }]
  ) {
    const bytes = writeDataset(opts);
    assertEquals(new TextDecoder().decode(bytes.subarray(0, 9)), "REDIS0010");
    const items = readAll(bytes);
    const keys = items.filter((i) => i.kind === "key");
    const data = dataset();
    assertEquals(keys.length, data.length);
    for (let i = 0; i < data.length; i++) {
      const [, key, value, meta] = data[i]!;
      const item = keys[i]!;
      if (item.kind !== "key") continue;
      assertEquals(item.key, key);
      const expected = value instanceof Uint8Array
        ? String.fromCharCode(...value)
        : value;
      assertEquals(describe(item.value), describe(expected), key);
      assertEquals(item.expireAt, meta?.expireAt, key);
      assertEquals(item.idle, meta?.idle, key);
      assertEquals(item.freq, meta?.freq, key);
    }
    assertEquals(items.filter((i) => i.kind === "db"), [{ kind: "db", db: 0 }, {
      kind: "db",
      db: 3,
    }]);
    assertEquals(items.filter((i) => i.kind === "resize"), [
      { kind: "resize", size: 17, expires: 2 },
      { kind: "resize", size: 1, expires: 0 },
    ]);
    assertEquals(items[0], { kind: "aux", key: "redis-ver", value: "7.0.15" });
    assertEquals(items.find((i) => i.kind === "function")?.kind, "function");
  }
});

Deno.test("RdbWriter gives the same bytes whenever take() is called, and zeros without checksum", () => {
  const whole = writeDataset(OPTS);
  assertEquals(writeDataset(OPTS, 1), whole);
  assertEquals(writeDataset(OPTS, 5), whole);
  const unchecked = writeDataset({ ...OPTS, checksum: false });
  assertEquals(unchecked.subarray(unchecked.length - 8), new Uint8Array(8));
  assertEquals(
    unchecked.subarray(0, unchecked.length - 8),
    whole.subarray(0, whole.length - 8),
  );
  readAll(unchecked);
});

Deno.test("encodeKeyRecord reproduces the key records of all_types.rdb byte for byte", () => {
  const file = fixture("all_types.rdb");
  const r = new RdbReader(file, { limits: LIMITS, checksum: true });
  // Hash tables are written in the table's order, which is Redis's own.
  const tables = new Set([
    "set:strings",
    "set:bigint",
    "hash:big",
    "hash:longval",
  ]);
  let compared = 0;
  for (;;) {
    const start = r.offset;
    const item = r.next();
    if (item.kind === "end") break;
    if (item.kind !== "key" || tables.has(item.key)) continue;
    const meta: KeyMeta = {};
    if (item.expireAt !== undefined) meta.expireAt = item.expireAt;
    const record = encodeKeyRecord(item.key, item.value, meta, OPTS);
    assertEquals(record, file.subarray(start, r.offset), item.key);
    compared++;
  }
  assertEquals(compared, 21);
});

Deno.test({
  name: "redis-check-rdb accepts what RdbWriter writes",
  ignore: REDIS_CHECK_RDB === undefined,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      for (
        const [i, opts] of [OPTS, { ...OPTS, compress: false }, {
          ...OPTS,
          packedThreshold: 100,
        }].entries()
      ) {
        const path = `${dir}/dump${i}.rdb`;
        await Deno.writeFile(path, writeDataset(opts));
        const out = await new Deno.Command(REDIS_CHECK_RDB!, {
          args: [path],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(out.stdout) +
          new TextDecoder().decode(out.stderr);
        assert(out.success, text);
        assert(text.includes("RDB looks OK!"), text);
        assert(text.includes("18 keys read"), text);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
