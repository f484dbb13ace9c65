/**
 * sha256 against the FIPS 180 test vectors and against WebCrypto's SHA-256
 * for every length around the padding boundaries.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { sha256, sha256Hex } from "./sha256.ts";
import { toHex } from "./sha1.ts";

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

Deno.test("sha256Hex matches the FIPS 180 test vectors", () => {
  assertEquals(
    sha256Hex(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assertEquals(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assertEquals(
    sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  assertEquals(
    sha256Hex("a".repeat(1_000_000)),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});

Deno.test("sha256 agrees with WebCrypto for every length up to 300 bytes", async () => {
  const data = new Uint8Array(300);
  for (let i = 0; i < data.length; i++) data[i] = (i * 151 + 7) & 255;
  for (let n = 0; n <= data.length; n++) {
    const bytes = data.subarray(0, n);
    const expected = toHex(
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice())),
    );
    assertEquals(toHex(sha256(bytes)), expected, `length ${n}`);
    assertEquals(sha256Hex(latin1(bytes)), expected, `string of length ${n}`);
  }
});

Deno.test("sha256Hex of the password Redis's ACL tests use is Redis's hash", () => {
  // ACL SETUSER u >foo; ACL GETUSER u shows this hash on redis-server 7.0.15.
  assertEquals(
    sha256Hex("foo"),
    "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
  );
});
