import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import type { EncodingLimits } from "../../state.ts";
import { HashValue } from "../../store/hash_value.ts";
import { ByteReader, ByteWriter, RdbFormatError } from "./bytes.ts";
import { hashRdbType, readHash, writeHash } from "./hashes.ts";
import { ListpackBuilder } from "./listpack.ts";
import { RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK } from "./types.ts";

const LIMITS = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
} as EncodingLimits;

function build(flat: string[]): HashValue {
  const h = new HashValue();
  for (let i = 0; i < flat.length; i += 2) {
    h.set(flat[i]!, flat[i + 1]!, LIMITS);
  }
  return h;
}

function read(bytes: Uint8Array, type: number, limits = LIMITS, deep = true) {
  return readHash(new ByteReader(bytes), type, {
    limits,
    checksum: true,
    deep,
  });
}

function written(h: HashValue): Uint8Array {
  const w = new ByteWriter({ compress: true });
  writeHash(w, h);
  return w.take();
}

Deno.test("writeHash writes listpacks in insertion order and tables as type 4", () => {
  const small = build(["f1", "v1", "f2", "2", "f3", ""]);
  assertEquals(hashRdbType(small), RDB_TYPE_HASH_LISTPACK);
  const back = read(written(small), RDB_TYPE_HASH_LISTPACK)!;
  assertEquals([back.encoding(), back.entries()], ["listpack", [
    "f1",
    "v1",
    "f2",
    "2",
    "f3",
    "",
  ]]);
  const big = build(["short", "x", "long", "y".repeat(65)]);
  assertEquals(hashRdbType(big), RDB_TYPE_HASH);
  const t = read(written(big), RDB_TYPE_HASH)!;
  assertEquals(t.encoding(), "hashtable");
  assertEquals(t.get("long"), "y".repeat(65));
});

Deno.test("readHash converts a type-4 hash by its entries and value lengths", () => {
  const w = new ByteWriter({ compress: false });
  w.length(2);
  for (const s of ["a", "1", "b", "2"]) w.string(s);
  const bytes = w.take();
  assertEquals(read(bytes, RDB_TYPE_HASH)!.encoding(), "listpack");
  assertEquals(
    read(bytes, RDB_TYPE_HASH, { ...LIMITS, hashMaxListpackEntries: 1 })!
      .encoding(),
    "hashtable",
  );
  assertEquals(
    read(bytes, RDB_TYPE_HASH, { ...LIMITS, hashMaxListpackValue: 0 })!
      .encoding(),
    "hashtable",
  );
});

Deno.test("readHash keeps a listpack payload a listpack unless it has too many entries", () => {
  const b = new ListpackBuilder();
  for (const s of ["f", "v".repeat(100), "g", "1"]) b.append(s);
  const lp = new ByteWriter({ compress: false });
  lp.blob(b.finish());
  const bytes = lp.take();
  const h = read(bytes, RDB_TYPE_HASH_LISTPACK)!;
  assertEquals([h.encoding(), h.get("f")], ["listpack", "v".repeat(100)]);
  assertEquals(
    read(bytes, RDB_TYPE_HASH_LISTPACK, {
      ...LIMITS,
      hashMaxListpackEntries: 1,
    })!.encoding(),
    "hashtable",
  );
});

Deno.test("readHash refuses duplicate fields and odd listpacks", () => {
  const w = new ByteWriter({ compress: false });
  w.length(2);
  for (const s of ["a", "1", "a", "2"]) w.string(s);
  assertThrows(() => read(w.take(), RDB_TYPE_HASH), RdbFormatError);
  const b = new ListpackBuilder();
  for (const s of ["a", "1", "b"]) b.append(s);
  const lp = new ByteWriter({ compress: false });
  lp.blob(b.finish());
  assertThrows(() => read(lp.take(), RDB_TYPE_HASH_LISTPACK), RdbFormatError);
});
