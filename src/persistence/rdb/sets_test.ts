import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import type { EncodingLimits } from "../../state.ts";
import { SetValue } from "../../store/set_value.ts";
import { ByteReader, ByteWriter, RdbFormatError } from "./bytes.ts";
import { readSet, setRdbType, writeSet } from "./sets.ts";
import { RDB_TYPE_SET, RDB_TYPE_SET_INTSET } from "./types.ts";

const LIMITS = { setMaxIntsetEntries: 512 } as EncodingLimits;

function build(members: string[], limits = LIMITS): SetValue {
  const s = SetValue.forMember(members[0]!);
  for (const m of members) s.add(m, limits);
  return s;
}

function roundTrip(set: SetValue, limits = LIMITS): SetValue | undefined {
  const w = new ByteWriter({ compress: true });
  const type = setRdbType(set);
  writeSet(w, set);
  return readSet(new ByteReader(w.take()), type, {
    limits,
    checksum: true,
    deep: true,
  });
}

Deno.test("writeSet writes intsets as type 11 and tables as type 2, readSet reads both back", () => {
  const ints = build(["3", "-70000", "5000000000"]);
  assertEquals(setRdbType(ints), RDB_TYPE_SET_INTSET);
  const back = roundTrip(ints)!;
  assertEquals([back.encoding(), back.members()], ["intset", [
    "-70000",
    "3",
    "5000000000",
  ]]);
  const table = build(["a", "1", "b"]);
  assertEquals(setRdbType(table), RDB_TYPE_SET);
  const t = roundTrip(table)!;
  assertEquals([t.encoding(), t.members().sort()], ["hashtable", [
    "1",
    "a",
    "b",
  ]]);
});

Deno.test("readSet converts as Redis 7.0's loader does", () => {
  // A type-2 set of integers within set-max-intset-entries becomes an intset.
  const w = new ByteWriter({ compress: false });
  w.length(3);
  for (const m of ["10", "2", "-3"]) w.string(m);
  const bytes = w.take();
  const s = readSet(new ByteReader(bytes), RDB_TYPE_SET, {
    limits: LIMITS,
    checksum: true,
  })!;
  assertEquals([s.encoding(), s.members()], ["intset", ["-3", "2", "10"]]);
  const tight = { setMaxIntsetEntries: 2 } as EncodingLimits;
  assertEquals(
    readSet(new ByteReader(bytes), RDB_TYPE_SET, {
      limits: tight,
      checksum: true,
    })!.encoding(),
    "hashtable",
  );
  // An intset over the limit becomes a table.
  assertEquals(
    roundTrip(build(["1", "2", "3"]), tight)!.encoding(),
    "hashtable",
  );
});

Deno.test("readSet refuses duplicates and reports empty sets", () => {
  const w = new ByteWriter({ compress: false });
  w.length(2);
  w.string("a");
  w.string("a");
  assertThrows(
    () =>
      readSet(new ByteReader(w.take()), RDB_TYPE_SET, {
        limits: LIMITS,
        checksum: true,
      }),
    RdbFormatError,
  );
  assertEquals(
    readSet(new ByteReader(Uint8Array.of(0)), RDB_TYPE_SET, {
      limits: LIMITS,
      checksum: true,
    }),
    undefined,
  );
});
