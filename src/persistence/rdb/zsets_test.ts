import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import type { EncodingLimits } from "../../state.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { ByteReader, ByteWriter, RdbFormatError } from "./bytes.ts";
import { listpackEntries } from "./listpack.ts";
import { RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK } from "./types.ts";
import { readZset, writeZset, zsetRdbType } from "./zsets.ts";

const LIMITS = {
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
} as EncodingLimits;

function build(pairs: [number, string][]): ZSetValue {
  const z = ZSetValue.forFirstMember(pairs[0]![1].length, LIMITS);
  for (const [score, member] of pairs) z.add(score, member, 0, LIMITS);
  return z;
}

function members(z: ZSetValue): [string, number][] {
  const out: [string, number][] = [];
  z.tree.forEach((m, s) => out.push([m, s]));
  return out;
}

function write(z: ZSetValue): Uint8Array {
  const w = new ByteWriter({ compress: false });
  writeZset(w, z);
  return w.take();
}

Deno.test("writeZset stores listpack scores as zzlInsertAt does", () => {
  const z = build([
    [-0, "a"],
    [1e17, "b"],
    [0.1, "c"],
    [2 ** 62, "d"],
    [2 ** 62 + 2048, "e"],
    [Infinity, "f"],
    [-Infinity, "g"],
    [2.5, "12"],
  ]);
  assertEquals(zsetRdbType(z), RDB_TYPE_ZSET_LISTPACK);
  const r = new ByteReader(write(z));
  assertEquals(listpackEntries(r.blob()), [
    "g",
    "-inf",
    "a",
    "0",
    "c",
    "0.10000000000000001",
    "12",
    "2.5",
    "b",
    "100000000000000000",
    "d",
    "4611686018427387904",
    "e",
    "4.61168601842739e+18",
    "f",
    "inf",
  ]);
});

Deno.test("writeZset writes skiplists from the highest score down, readZset reads both back", () => {
  const pairs = Array.from(
    { length: 200 },
    (_, i) => [i * 1.5, `m${i}`] as [number, string],
  );
  const z = build(pairs);
  assertEquals(zsetRdbType(z), RDB_TYPE_ZSET_2);
  const bytes = write(z);
  const r = new ByteReader(bytes);
  assertEquals(r.length(), 200);
  assertEquals(r.string(), "m199");
  const back = readZset(new ByteReader(bytes), RDB_TYPE_ZSET_2, {
    limits: LIMITS,
    checksum: true,
  })!;
  assertEquals([back.encoding(), members(back)], ["skiplist", members(z)]);
  // Converted after loading when small enough.
  const wide = {
    zsetMaxListpackEntries: 1000,
    zsetMaxListpackValue: 64,
  } as EncodingLimits;
  assertEquals(
    readZset(new ByteReader(bytes), RDB_TYPE_ZSET_2, {
      limits: wide,
      checksum: true,
    })!.encoding(),
    "listpack",
  );
  const small = build([[1, "a"], [2, "b"]]);
  const lp = readZset(new ByteReader(write(small)), RDB_TYPE_ZSET_LISTPACK, {
    limits: LIMITS,
    checksum: true,
  })!;
  assertEquals([lp.encoding(), members(lp)], ["listpack", [["a", 1], [
    "b",
    2,
  ]]]);
});

Deno.test("readZset refuses NaN scores and duplicates", () => {
  const w = new ByteWriter({ compress: false });
  w.length(1);
  w.string("a");
  w.double(NaN);
  assertThrows(
    () =>
      readZset(new ByteReader(w.take()), RDB_TYPE_ZSET_2, {
        limits: LIMITS,
        checksum: true,
      }),
    RdbFormatError,
  );
  w.length(2);
  w.string("a");
  w.double(1);
  w.string("a");
  w.double(2);
  assertThrows(
    () =>
      readZset(new ByteReader(w.take()), RDB_TYPE_ZSET_2, {
        limits: LIMITS,
        checksum: true,
      }),
    RdbFormatError,
  );
});
