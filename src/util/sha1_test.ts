/**
 * sha1 against the FIPS 180 test vectors and against WebCrypto's SHA-1 for
 * every length around the padding boundaries.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { sha1, sha1Hex, sha1Into, toHex } from "./sha1.ts";

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

Deno.test("sha1Hex matches the FIPS 180 test vectors", () => {
  assertEquals(sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assertEquals(sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  assertEquals(
    sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  );
  assertEquals(
    sha1Hex("a".repeat(1_000_000)),
    "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
  );
});

Deno.test("sha1 agrees with WebCrypto for every length up to 300 bytes", async () => {
  const data = new Uint8Array(300);
  for (let i = 0; i < data.length; i++) data[i] = (i * 151 + 7) & 255;
  for (let n = 0; n <= data.length; n++) {
    const bytes = data.subarray(0, n);
    const expected = toHex(
      new Uint8Array(await crypto.subtle.digest("SHA-1", bytes.slice())),
    );
    assertEquals(toHex(sha1(bytes)), expected, `length ${n}`);
    assertEquals(sha1Hex(latin1(bytes)), expected, `string of length ${n}`);
  }
});

Deno.test("sha1 of a megabyte of random bytes agrees with WebCrypto", async () => {
  const data = new Uint8Array(1 << 20);
  for (let i = 0; i < data.length; i += 65536) {
    crypto.getRandomValues(data.subarray(i, i + 65536));
  }
  const expected = new Uint8Array(await crypto.subtle.digest("SHA-1", data));
  assertEquals(sha1(data), expected);
});

Deno.test("sha1Into writes the digest at an offset and leaves the rest", () => {
  const out = new Uint8Array(24).fill(0xee);
  sha1Into("abc", out, 2);
  assertEquals(toHex(out.subarray(2, 22)), sha1Hex("abc"));
  assertEquals([out[0], out[1], out[22], out[23]], [0xee, 0xee, 0xee, 0xee]);
});
