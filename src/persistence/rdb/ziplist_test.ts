import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { RdbFormatError } from "./bytes.ts";
import { ziplistEntries } from "./ziplist.ts";
import { fromHex } from "../../../tests/_harness/rdb.ts";

// A ziplist from encoded entries (encoding + data, hex), with correct
// prevlen fields, tail offset, count and size.
function ziplist(entries: string[], count?: number): Uint8Array {
  const parts: number[][] = [];
  let prev = 0;
  for (const e of entries) {
    const body = Array.from(fromHex(e));
    const prevlen = prev < 254 ? [prev] : [
      0xfe,
      prev & 0xff,
      (prev >> 8) & 0xff,
      (prev >> 16) & 0xff,
      prev >>> 24,
    ];
    parts.push([...prevlen, ...body]);
    prev = prevlen.length + body.length;
  }
  const bytes = 10 + parts.reduce((a, p) => a + p.length, 0) + 1;
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, bytes, true);
  let at = 10;
  let tail = 10;
  for (const p of parts) {
    tail = at;
    out.set(p, at);
    at += p.length;
  }
  view.setUint32(4, tail, true);
  view.setUint16(8, count ?? entries.length, true);
  out[bytes - 1] = 0xff;
  return out;
}

Deno.test("ziplistEntries decodes every entry encoding", () => {
  const zl = ziplist([
    "0161", // 6-bit string "a"
    "4040" + "62".repeat(64), // 14-bit string of 64 bytes
    "8000000100" + "63".repeat(256), // 32-bit string of 256 bytes
    "f1", // immediate 0
    "fd", // immediate 12
    "fe80", // int8 -128
    "c00080", // int16 -32768
    "f0000080", // int24 -8388608
    "d000000080", // int32 -2147483648
    "e00000000000000080", // int64 min
    "e0ffffffffffffff7f", // int64 max
    "00", // empty string
  ]);
  assertEquals(ziplistEntries(zl), [
    "a",
    "b".repeat(64),
    "c".repeat(256),
    "0",
    "12",
    "-128",
    "-32768",
    "-8388608",
    "-2147483648",
    "-9223372036854775808",
    "9223372036854775807",
    "",
  ]);
});

Deno.test("ziplistEntries reads the list_zipped key of legacy/encodings.rdb", () => {
  const zl = fromHex(
    "3000000025000000080000c0010004c0020004c0030004016103016203016303d0a086010006e000bca06501000000ff",
  );
  assertEquals(ziplistEntries(zl), [
    "1",
    "2",
    "3",
    "a",
    "b",
    "c",
    "100000",
    "6000000000",
  ]);
});

Deno.test("ziplistEntries accepts count 65535 (unknown) and an empty ziplist", () => {
  assertEquals(ziplistEntries(ziplist(["0161", "0162"], 65535)), ["a", "b"]);
  assertEquals(ziplistEntries(ziplist([])), []);
});

Deno.test("ziplistEntries refuses what ziplistValidateIntegrity refuses", () => {
  const good = ziplist(["0161", "0162", "c00100"]);
  const corrupt = (f: (b: Uint8Array) => void) => {
    const b = good.slice();
    f(b);
    assertThrows(() => ziplistEntries(b), RdbFormatError);
  };
  corrupt((b) => b[0] = 0x30); // size mismatch
  corrupt((b) => b[b.length - 1] = 0); // no terminator
  corrupt((b) => b[4] = 10); // tail offset not the last entry
  corrupt((b) => b[8] = 2); // count mismatch
  corrupt((b) => b[13] = 5); // wrong prevlen
  corrupt((b) => b[11] = 0xc1); // bad encoding
  corrupt((b) => b[11] = 0x3f); // string past the end
  assertThrows(() => ziplistEntries(good.subarray(0, 8)), RdbFormatError);
  // Every single-byte corruption throws RdbFormatError or decodes.
  for (let i = 0; i < good.length; i++) {
    for (const v of [0, 1, 0x3f, 0x40, 0x80, 0xc0, 0xfe, 0xff]) {
      const b = good.slice();
      b[i] = v;
      try {
        ziplistEntries(b);
      } catch (e) {
        if (!(e instanceof RdbFormatError)) throw e;
      }
    }
  }
});
