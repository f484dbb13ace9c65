import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { ListValue } from "../../store/list_value.ts";
import { ByteReader, ByteWriter, RdbFormatError } from "./bytes.ts";
import { listpackEntries } from "./listpack.ts";
import { quicklistNodes, readList, writeList } from "./lists.ts";
import { RDB_TYPE_LIST, RDB_TYPE_LIST_QUICKLIST_2 } from "./types.ts";
import { LIMITS } from "../../../tests/_harness/rdb.ts";

const ELEMENTS = Array.from(
  { length: 1000 },
  (_, i) => `element-${String(i).padStart(4, "0")}`,
);

function counts(list: ListValue, fill: number, threshold = 1 << 30) {
  return quicklistNodes(list, fill, threshold).map((n) =>
    n.plain ? "plain" : listpackEntries(n.bytes).length
  );
}

Deno.test("quicklistNodes packs 1000 x element-%04d into 584 + 416 under -2, as RPUSH does", () => {
  assertEquals(counts(new ListValue(ELEMENTS), -2), [584, 416]);
  // -1: 4 KiB nodes; -5: 64 KiB nodes.
  assertEquals(counts(new ListValue(ELEMENTS), -1), [291, 291, 291, 127]);
  assertEquals(counts(new ListValue(ELEMENTS), -5), [1000]);
});

Deno.test("quicklistNodes counts entries for a positive fill, within 8 KiB", () => {
  assertEquals(counts(new ListValue(ELEMENTS.slice(0, 23)), 5), [
    5,
    5,
    5,
    5,
    3,
  ]);
  assertEquals(counts(new ListValue(["a", "b", "c"]), 0), [1, 1, 1]);
  // The 8 KiB safety limit applies to count-limited nodes too.
  assertEquals(
    counts(new ListValue(["x".repeat(5000), "y".repeat(5000)]), 100),
    [1, 1],
  );
  // Fill is clamped to -5 .. 32767, as quicklistSetFill does.
  assertEquals(counts(new ListValue(ELEMENTS), -100), [1000]);
});

Deno.test("quicklistNodes gives elements at or over the packed threshold a plain node", () => {
  const list = new ListValue(["a", "x".repeat(100), "b", "c", "y".repeat(99)]);
  assertEquals(counts(list, -2, 100), [1, "plain", 3]);
  assertEquals(counts(new ListValue(["1", "2"]), -2, 1), ["plain", "plain"]);
});

function roundTrip(
  list: ListValue,
  limits = LIMITS,
  compress = true,
): ListValue {
  const w = new ByteWriter({ compress });
  writeList(w, list, { compress, checksum: true, limits });
  const r = new ByteReader(w.take());
  const back = readList(r, RDB_TYPE_LIST_QUICKLIST_2, {
    limits,
    checksum: true,
    deep: true,
  })!;
  assertEquals(r.remaining, 0);
  return back;
}

Deno.test("writeList and readList round-trip lists of every shape", () => {
  const shapes = [
    ["a"],
    ELEMENTS,
    ["", "0", "-1", "9223372036854775807", "x".repeat(70000), "\x00\xff"],
    Array.from({ length: 5000 }, (_, i) => String(i * 7919)),
  ];
  for (const items of shapes) {
    assertEquals(roundTrip(new ListValue(items)).toArray(), items);
    assertEquals(
      roundTrip(new ListValue(items), LIMITS, false).toArray(),
      items,
    );
    assertEquals(
      roundTrip(new ListValue(items), {
        ...LIMITS,
        listCompressDepth: 1,
        listMaxListpackSize: 3,
      })
        .toArray(),
      items,
    );
  }
});

Deno.test("readList reads a linked list (type 1) and refuses bad node containers", () => {
  const w = new ByteWriter({ compress: false });
  w.length(3);
  w.string("a");
  w.string("12");
  w.string("");
  const list = readList(new ByteReader(w.take()), RDB_TYPE_LIST, {
    limits: LIMITS,
    checksum: true,
  });
  assertEquals(list!.toArray(), ["a", "12", ""]);
  // Empty lists come back as undefined.
  assertEquals(
    readList(new ByteReader(Uint8Array.of(0)), RDB_TYPE_LIST, {
      limits: LIMITS,
      checksum: true,
    }),
    undefined,
  );
  const opts = { limits: LIMITS, checksum: true };
  assertThrows(
    () =>
      readList(
        new ByteReader(Uint8Array.of(1, 3, 1, 0x61)),
        RDB_TYPE_LIST_QUICKLIST_2,
        opts,
      ),
    RdbFormatError,
  );
  assertThrows(
    () =>
      readList(
        new ByteReader(Uint8Array.of(1, 2, 0)),
        RDB_TYPE_LIST_QUICKLIST_2,
        opts,
      ),
    RdbFormatError,
  );
});
