import { assertEquals } from "../../tests/_deps.ts";
import { Crc64, crc64 } from "./crc64.ts";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

// Bit by bit, straight from the definition, to check the sliced tables.
function slowCrc64(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 reflected
  let crc = 0n;
  for (const b of data) {
    crc ^= BigInt(b);
    for (let k = 0; k < 8; k++) {
      crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    }
  }
  return crc;
}

Deno.test("crc64 gives Redis's check value for 123456789", () => {
  assertEquals(crc64(0n, ascii("123456789")), 0xe9c6d914c4b8d9can);
  assertEquals(crc64(0n, new Uint8Array(0)), 0n);
});

Deno.test("crc64 matches the bitwise definition at every length and split", () => {
  const data = new Uint8Array(100);
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
  for (let n = 0; n <= data.length; n++) {
    const part = data.subarray(0, n);
    assertEquals(crc64(0n, part), slowCrc64(part));
    const split = n >> 1;
    const c = new Crc64().update(part.subarray(0, split)).update(
      part.subarray(split),
    );
    assertEquals(c.value, slowCrc64(part));
  }
});

Deno.test("Crc64 checks the trailer of empty.rdb as stored (little-endian)", async () => {
  const file = await Deno.readFile(
    new URL("../../tests/fixtures/rdb/empty.rdb", import.meta.url),
  );
  const c = new Crc64().update(file.subarray(0, file.length - 8));
  assertEquals(c.value, 0x851d3383ddba9d37n);
  assertEquals(c.matches(file.subarray(file.length - 8)), true);
  assertEquals(c.bytes(), file.slice(file.length - 8));
});

Deno.test("Crc64 hashes 50 MB in well under a second", () => {
  const big = new Uint8Array(50 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
  const start = performance.now();
  new Crc64().update(big);
  const ms = performance.now() - start;
  assertEquals(ms < 1500, true, `took ${ms} ms`);
});
