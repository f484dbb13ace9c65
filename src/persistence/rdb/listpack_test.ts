import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { RdbFormatError } from "./bytes.ts";
import {
  ListpackBuilder,
  listpackEntries,
  ListpackIterator,
  validateListpack,
} from "./listpack.ts";
import { fromHex, hex } from "../../../tests/_harness/rdb.ts";

function build(entries: string[]): Uint8Array {
  const b = new ListpackBuilder();
  for (const e of entries) b.append(e);
  assertEquals(b.count, entries.length);
  const lp = b.finish();
  assertEquals(b.byteLength, lp.length);
  return lp;
}

// Every integer encoding at its boundaries. The listpack is the node of
// `RPUSH l ...` in a DUMP from redis-server 7.0.15 (rdbcompression no).
const INTS = [
  "0",
  "127",
  "128",
  "-1",
  "-4096",
  "4095",
  "4096",
  "-4097",
  "32767",
  "32768",
  "-32768",
  "-32769",
  "8388607",
  "8388608",
  "-8388608",
  "-8388609",
  "2147483647",
  "2147483648",
  "-2147483648",
  "-2147483649",
  "9223372036854775807",
  "-9223372036854775808",
];
const INTS_LP =
  "7b000000160000017f01c08002dfff02d00002cfff02f1001003f1ffef03f1ff7f03f200800004f1008003f2ff7fff04f2ffff7f04f30000800005f200008004f3ffff7fff05f3ffffff7f05f4000000800000000009f30000008005f4ffffff7fffffffff09f4ffffffffffffff7f09f4000000000000008009ff";

// Text that lpStringToInt64 refuses stays a string.
const NOT_INTS = [
  "9223372036854775808",
  "01",
  "-0",
  "+1",
  " 1",
  "1 ",
  "",
  "-",
  "12345678901234567890123",
  "0x1",
];
const NOT_INTS_LP =
  "530000000a0093393232333337323033363835343737353830381482303103822d3003822b310382203103823120038001812d02973132333435363738393031323334353637383930313233188330783104ff";

Deno.test("ListpackBuilder encodes integers at every boundary as Redis does", () => {
  assertEquals(hex(build(INTS)), INTS_LP);
});

Deno.test("ListpackBuilder keeps non-canonical integers as strings", () => {
  assertEquals(hex(build(NOT_INTS)), NOT_INTS_LP);
});

Deno.test("ListpackBuilder uses 6-bit, 12-bit and 32-bit string headers and long backlens", () => {
  const lp = build([
    "a".repeat(63),
    "b".repeat(64),
    "c".repeat(127),
    "d".repeat(4095),
    "e".repeat(4096),
  ]);
  // Header: total bytes and count.
  assertEquals(hex(lp.subarray(4, 6)), "0500");
  let p = 6;
  assertEquals(hex(lp.subarray(p, p + 1)), "bf"); // 6-bit length 63
  p += 1 + 63;
  assertEquals(hex(lp.subarray(p, p + 1)), "40"); // backlen 64
  p += 1;
  assertEquals(hex(lp.subarray(p, p + 2)), "e040"); // 12-bit length 64
  p += 2 + 64;
  assertEquals(hex(lp.subarray(p, p + 1)), "42"); // backlen 66
  p += 1;
  assertEquals(hex(lp.subarray(p, p + 2)), "e07f");
  p += 2 + 127;
  assertEquals(hex(lp.subarray(p, p + 2)), "0181"); // backlen 129
  p += 2;
  assertEquals(hex(lp.subarray(p, p + 2)), "efff"); // 12-bit length 4095
  p += 2 + 4095;
  assertEquals(hex(lp.subarray(p, p + 2)), "2081"); // backlen 4097
  p += 2;
  assertEquals(hex(lp.subarray(p, p + 5)), "f000100000"); // 32-bit length 4096
  p += 5 + 4096;
  assertEquals(hex(lp.subarray(p, p + 2)), "2085"); // backlen 4101
  assertEquals(p + 3, lp.length);
  assertEquals(validateListpack(lp, true), true);
});

Deno.test("ListpackBuilder.appendInt always writes an integer entry", () => {
  const b = new ListpackBuilder();
  b.appendInt(5);
  b.appendInt(-1n);
  b.appendInt(2n ** 62n);
  assertEquals(listpackEntries(b.finish()), ["5", "-1", String(2n ** 62n)]);
});

Deno.test("ListpackBuilder writes count 65535 (unknown) from 65535 entries on", () => {
  const b = new ListpackBuilder();
  for (let i = 0; i < 65535; i++) b.appendBytes("x");
  const lp = b.finish();
  assertEquals(hex(lp.subarray(4, 6)), "ffff");
  assertEquals(listpackEntries(lp).length, 65535);
  assertEquals(validateListpack(lp, true), true);
});

Deno.test("listpackEntries reads every encoding back", () => {
  assertEquals(listpackEntries(fromHex(INTS_LP)), INTS);
  assertEquals(listpackEntries(fromHex(NOT_INTS_LP)), NOT_INTS);
  const long = ["x".repeat(5000), "y".repeat(100), "\x00\xff"];
  assertEquals(listpackEntries(build(long)), long);
  assertEquals(listpackEntries(build([])), []);
});

Deno.test("ListpackIterator.nextBigInt reads 64-bit integers exactly", () => {
  const it = new ListpackIterator(fromHex(INTS_LP));
  const got: bigint[] = [];
  while (it.hasNext()) got.push(it.nextBigInt());
  assertEquals(got, INTS.map(BigInt));
  const s = new ListpackIterator(build(["abc"]));
  assertThrows(() => s.nextInt(), RdbFormatError);
});

Deno.test("validateListpack checks the header always and entries when deep", () => {
  const lp = fromHex(INTS_LP);
  assertEquals(validateListpack(lp, false), true);
  assertEquals(validateListpack(lp, true), true);
  assertEquals(validateListpack(lp.subarray(0, lp.length - 1), false), false);
  const badEnd = lp.slice();
  badEnd[badEnd.length - 1] = 0;
  assertEquals(validateListpack(badEnd, false), false);
  // A broken backlen passes the shallow check only.
  const badBacklen = lp.slice();
  badBacklen[7] = 0x05;
  assertEquals(validateListpack(badBacklen, false), true);
  assertEquals(validateListpack(badBacklen, true), false);
  // A wrong count.
  const badCount = lp.slice();
  badCount[4] = 3;
  assertEquals(validateListpack(badCount, true), false);
  // A bad encoding byte.
  const badEnc = lp.slice();
  badEnc[6] = 0xf5;
  assertEquals(validateListpack(badEnc, true), false);
  assertThrows(() => listpackEntries(badEnc), RdbFormatError);
});

Deno.test("listpackEntries never reads past the end of corrupt input", () => {
  const lp = build(["hello", "world", "12345", "x".repeat(70), "-70000"]);
  for (let i = 6; i < lp.length - 1; i++) {
    for (const v of [0x00, 0x7f, 0x80, 0xbf, 0xc5, 0xef, 0xf0, 0xf4, 0xff]) {
      const bad = lp.slice();
      bad[i] = v;
      try {
        listpackEntries(bad);
        validateListpack(bad, true);
      } catch (e) {
        if (!(e instanceof RdbFormatError)) throw e;
      }
    }
  }
});
