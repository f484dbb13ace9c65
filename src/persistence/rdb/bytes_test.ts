import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { ByteReader, ByteWriter, RdbFormatError } from "./bytes.ts";
import { fromHex, hex } from "../../../tests/_harness/rdb.ts";

function written(fn: (w: ByteWriter) => void, compress = true): string {
  const w = new ByteWriter({ compress });
  fn(w);
  return hex(w.take());
}

Deno.test("ByteWriter.length uses the 6, 14, 32 and 64-bit forms at their boundaries", () => {
  assertEquals(written((w) => w.length(0)), "00");
  assertEquals(written((w) => w.length(63)), "3f");
  assertEquals(written((w) => w.length(64)), "4040");
  assertEquals(written((w) => w.length(16383)), "7fff");
  assertEquals(written((w) => w.length(16384)), "8000004000");
  assertEquals(written((w) => w.length(2 ** 32 - 1)), "80ffffffff");
  assertEquals(written((w) => w.length(2 ** 32)), "810000000100000000");
  assertEquals(
    written((w) => w.lengthBig(2n ** 64n - 1n)),
    "81ffffffffffffffff",
  );
});

Deno.test("ByteReader.length reads every form back", () => {
  for (
    const n of [0, 63, 64, 16383, 16384, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5]
  ) {
    const w = new ByteWriter({ compress: false });
    w.length(n);
    assertEquals(new ByteReader(w.take()).length(), n);
  }
  const big = new ByteReader(fromHex("81ffffffffffffffff"));
  assertEquals(big.lengthBig(), 2n ** 64n - 1n);
  assertThrows(() => new ByteReader(fromHex("82")).length(), RdbFormatError);
  assertThrows(() => new ByteReader(fromHex("4f")).length(), RdbFormatError);
});

Deno.test("ByteWriter.string integer-encodes canonical 32-bit integers as rdbSaveRawString does", () => {
  assertEquals(written((w) => w.string("-7")), "c0f9");
  assertEquals(written((w) => w.string("127")), "c07f");
  assertEquals(written((w) => w.string("128")), "c18000");
  assertEquals(written((w) => w.string("12345")), "c13930");
  assertEquals(written((w) => w.string("1234567890")), "c2d2029649");
  assertEquals(written((w) => w.string("-2147483648")), "c200000080");
  // Too wide, not canonical, or longer than 11 chars: plain strings.
  assertEquals(
    written((w) => w.string("2147483648")),
    "0a32313437343833363438",
  );
  assertEquals(written((w) => w.string("007")), "03303037");
  assertEquals(written((w) => w.string("-0")), "022d30");
  assertEquals(written((w) => w.string("")), "00");
  assertEquals(
    written((w) => w.string(Uint8Array.of(0x31, 0x32))),
    "c00c",
  );
});

Deno.test("ByteWriter.string compresses with LZF past 20 bytes when it saves space", () => {
  // str:lzf of tests/fixtures/rdb/all_types.rdb: clen 9, len 100.
  assertEquals(
    written((w) => w.string("a".repeat(100))),
    "c3094064016161e057000161610a00".slice(0, 2 + 2 + 4 + 18),
  );
  assertEquals(
    written((w) => w.string("a".repeat(20))),
    "14" + "61".repeat(20),
  );
  assertEquals(
    written((w) => w.string("a".repeat(100)), false).length,
    202 + 2,
  );
  // Incompressible: plain.
  const text = Array.from({ length: 40 }, (_, i) => String.fromCharCode(i * 7))
    .join("");
  assertEquals(written((w) => w.string(text)).slice(0, 2), "28");
  // Blobs never become integers.
  assertEquals(written((w) => w.blob(Uint8Array.of(0x31))), "0131");
});

Deno.test("ByteReader.string decodes plain, integer and LZF strings", () => {
  const w = new ByteWriter({ compress: true });
  const values = [
    "",
    "hello",
    "-7",
    "12345",
    "1234567890",
    "-2147483648",
    "a".repeat(100),
    "\x00\xff\x80".repeat(30),
  ];
  for (const v of values) w.string(v);
  const r = new ByteReader(w.take());
  for (const v of values) assertEquals(r.string(), v);
  assertEquals(r.remaining, 0);
  const w2 = new ByteWriter({ compress: true });
  w2.string("b".repeat(50));
  w2.string("42");
  const r2 = new ByteReader(w2.take());
  assertEquals(r2.blob(), new Uint8Array(50).fill(0x62));
  assertEquals(r2.blob(), Uint8Array.of(0x34, 0x32));
});

Deno.test("ByteReader.string throws RdbFormatError with the offset on corrupt input", () => {
  const e = assertThrows(
    () => new ByteReader(fromHex("0568656c")).string(),
    RdbFormatError,
  ) as RdbFormatError;
  assertEquals(e.offset, 1);
  assertThrows(() => new ByteReader(fromHex("c4")).string(), RdbFormatError);
  assertThrows(() => new ByteReader(fromHex("c1ff")).string(), RdbFormatError);
  // LZF claiming 101 bytes of output for data that gives 100.
  assertThrows(
    () => new ByteReader(fromHex("c30940650161610e057000161610")).string(),
    RdbFormatError,
  );
  assertThrows(
    () => new ByteReader(fromHex("c309406401616100e0")).string(),
    RdbFormatError,
  );
});

Deno.test("ByteWriter and ByteReader agree on millis, doubles and raw bytes", () => {
  const w = new ByteWriter({ compress: false });
  w.millis(4102444800000);
  w.millis(-5);
  w.double(1.5);
  w.double(-Infinity);
  w.raw(Uint8Array.of(1, 2, 3));
  w.u8(9);
  assertEquals(w.pending, 8 + 8 + 8 + 8 + 3 + 1);
  const bytes = w.take();
  assertEquals(w.pending, 0);
  assertEquals(hex(bytes.subarray(0, 8)), "00d8c32cbb030000");
  const r = new ByteReader(bytes);
  assertEquals(r.millis(), 4102444800000);
  assertEquals(r.millis(), -5);
  assertEquals(r.double(), 1.5);
  assertEquals(r.double(), -Infinity);
  assertEquals(r.raw(3), Uint8Array.of(1, 2, 3));
  assertEquals(r.u8(), 9);
  assertThrows(() => r.u8(), RdbFormatError);
});

Deno.test("ByteReader.textDouble reads the old string-encoded scores", () => {
  const r = new ByteReader(
    fromHex("ff" + "fe" + "fd" + "0331302e" + "0a35303030303030303030"),
  );
  assertEquals(r.textDouble(), -Infinity);
  assertEquals(r.textDouble(), Infinity);
  assertEquals(Number.isNaN(r.textDouble()), true);
  assertEquals(r.textDouble(), 10);
  assertEquals(r.textDouble(), 5000000000);
  assertThrows(
    () => new ByteReader(fromHex("0278")).textDouble(),
    RdbFormatError,
  );
});

Deno.test("ByteWriter grows across many writes", () => {
  const w = new ByteWriter({ compress: false });
  for (let i = 0; i < 10000; i++) w.string("value-" + i);
  const r = new ByteReader(w.take());
  for (let i = 0; i < 10000; i++) assertEquals(r.string(), "value-" + i);
});
