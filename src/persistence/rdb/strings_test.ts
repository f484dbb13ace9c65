import { assertEquals } from "../../../tests/_deps.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { readStringValue, writeStringValue } from "./strings.ts";

Deno.test("writeStringValue and readStringValue round-trip both string forms", () => {
  const values = [
    "",
    "7",
    "-2147483648",
    "12345678901",
    "x".repeat(1000),
    "\x00\xff",
  ];
  for (const v of values) {
    for (const form of [v, Uint8Array.from(v, (c) => c.charCodeAt(0))]) {
      const w = new ByteWriter({ compress: true });
      writeStringValue(w, form);
      assertEquals(readStringValue(new ByteReader(w.take())), v);
    }
  }
});

Deno.test("writeStringValue encodes byte arrays like strings (int encoding included)", () => {
  const a = new ByteWriter({ compress: true });
  writeStringValue(a, "12345");
  const b = new ByteWriter({ compress: true });
  writeStringValue(b, Uint8Array.of(0x31, 0x32, 0x33, 0x34, 0x35));
  assertEquals(a.take(), b.take());
});
