import { assertEquals } from "../../tests/_deps.ts";
import {
  appendString,
  copyString,
  editableBytes,
  isInt64Text,
  plainString,
  RawBytes,
  rawFrom,
  shareString,
  stringEncoding,
  stringToLatin1,
  writeRange,
} from "./strings.ts";

Deno.test("stringEncoding reports int for values string2ll accepts", () => {
  for (const s of ["0", "1", "-1", "123", "9223372036854775807"]) {
    assertEquals(stringEncoding(s), "int", s);
  }
  assertEquals(stringEncoding("-9223372036854775808"), "int");
});

Deno.test("stringEncoding reports embstr for short non-integers", () => {
  for (
    const s of [
      "",
      "-0",
      "007",
      "+1",
      " 1",
      "1.5",
      "9223372036854775808",
      "-9223372036854775809",
      "12345678901234567890",
      "x".repeat(44),
    ]
  ) {
    assertEquals(stringEncoding(s), "embstr", s);
  }
});

Deno.test("stringEncoding reports raw past 44 bytes and after edits", () => {
  assertEquals(stringEncoding("x".repeat(45)), "raw");
  assertEquals(stringEncoding(appendString("12", "")), "raw");
  assertEquals(stringEncoding(rawFrom(new Uint8Array(1))), "raw");
});

Deno.test("stringEncoding reports embstr for integer-looking plain bytes", () => {
  assertEquals(stringEncoding(plainString("10")), "embstr");
  assertEquals(stringEncoding(plainString("10.5")), "embstr");
  assertEquals(typeof plainString("10.5"), "string");
  assertEquals(stringEncoding(new Uint8Array(45)), "raw");
});

Deno.test("isInt64Text follows string2ll", () => {
  assertEquals(isInt64Text("-"), false);
  assertEquals(isInt64Text("01"), false);
  assertEquals(isInt64Text("1a"), false);
  assertEquals(isInt64Text("-9223372036854775808"), true);
  assertEquals(isInt64Text("9223372036854775808"), false);
  assertEquals(isInt64Text("99999999999999999999"), false);
});

Deno.test("appendString grows in place with spare capacity", () => {
  let v: RawBytes = appendString("ab", "c");
  assertEquals(stringToLatin1(v), "abc");
  const buffer = v.buffer;
  for (let i = 0; i < 5; i++) v = appendString(v, "d");
  assertEquals(stringToLatin1(v), "abcddddd");
  assertEquals(v.buffer, buffer);
  assertEquals(appendString("\xff\r\n", "\x00").length, 4);
});

Deno.test("writeRange pads with zero bytes and overwrites", () => {
  const v = writeRange(undefined, 3, "xy");
  assertEquals(stringToLatin1(v), "\0\0\0xy");
  const w = writeRange(v, 0, "ab");
  assertEquals(w, v);
  assertEquals(stringToLatin1(w), "ab\0xy");
  assertEquals(stringToLatin1(writeRange("hello", 7, "!")), "hello\0\0!");
});

Deno.test("editableBytes copies a shared value before it is overwritten", () => {
  const v = editableBytes("abc", 3);
  const reader = shareString(v) as Uint8Array;
  const w = editableBytes(v, 3);
  w[0] = 0x7a;
  assertEquals(stringToLatin1(reader), "abc");
  assertEquals(stringToLatin1(w), "zbc");
  // An append keeps sharing, so a later overwrite still copies.
  const a = appendString(shareString(w), "d");
  const b = editableBytes(a, 4);
  b[1] = 0x7a;
  assertEquals(stringToLatin1(a), "zbcd");
  assertEquals(stringToLatin1(b), "zzcd");
});

Deno.test("editableBytes zero-extends a value", () => {
  const v = editableBytes("a", 4);
  assertEquals(stringToLatin1(v), "a\0\0\0");
  const grown = editableBytes(v, 6);
  assertEquals(stringToLatin1(grown), "a\0\0\0\0\0");
});

Deno.test("copyString keeps the encoding and shares nothing", () => {
  const v = appendString("ab", "c");
  const c = copyString(v);
  assertEquals(stringEncoding(c), "raw");
  v[0] = 0x7a;
  assertEquals(stringToLatin1(c), "abc");
  assertEquals(stringEncoding(copyString(plainString("5"))), "embstr");
  assertEquals(v.subarray(0, 1) instanceof RawBytes, false);
});
