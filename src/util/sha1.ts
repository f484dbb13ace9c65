/**
 * SHA-1 (FIPS 180-4), synchronous.
 *
 * `crypto.subtle.digest` returns a promise, and handlers never await: DEBUG
 * DIGEST hashes every key of a dataset, and scripting names scripts by the
 * SHA-1 of their source, both inside a command. The hash state and message
 * schedule are module-level typed arrays, so hashing the short inputs those
 * callers feed (keys, members, 20-byte digests) allocates nothing.
 *
 * Strings are latin1: one char per byte (the caller guarantees that every
 * char code is below 256, as for every key and value in the store).
 *
 * @module
 */

import { feedBlocks, HEX } from "./md_blocks.ts";

const W = new Int32Array(80);
const H = new Int32Array(5);
const OUT = new Uint8Array(20);

// Compresses one block whose 16 big-endian words are in W[0..15].
function compress(): void {
  const w = W;
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let t = 0;
  for (; t < 16; t++) {
    const f = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e +
      0x5a827999 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = f;
  }
  for (; t < 20; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    const wt = w[t] = (x << 1) | (x >>> 31);
    const f = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e +
      0x5a827999 + wt) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = f;
  }
  for (; t < 40; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    const wt = w[t] = (x << 1) | (x >>> 31);
    const f = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + wt) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = f;
  }
  for (; t < 60; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    const wt = w[t] = (x << 1) | (x >>> 31);
    const f = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e +
      0x8f1bbcdc + wt) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = f;
  }
  for (; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    const wt = w[t] = (x << 1) | (x >>> 31);
    const f = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + wt) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = f;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
}

/**
 * Hashes `data` (bytes, or a latin1 string) and writes the 20-byte digest
 * to `out` at `offset`, allocating nothing.
 */
export function sha1Into(
  data: Uint8Array | string,
  out: Uint8Array,
  offset = 0,
): void {
  H[0] = 0x67452301;
  H[1] = 0xefcdab89 | 0;
  H[2] = 0x98badcfe | 0;
  H[3] = 0x10325476;
  H[4] = 0xc3d2e1f0 | 0;
  feedBlocks(data, W, compress);
  for (let i = 0; i < 5; i++) {
    const h = H[i]!;
    const q = offset + 4 * i;
    out[q] = h >>> 24;
    out[q + 1] = h >>> 16;
    out[q + 2] = h >>> 8;
    out[q + 3] = h;
  }
}

/** The SHA-1 digest of `bytes`: 20 bytes. */
export function sha1(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(20);
  sha1Into(bytes, out);
  return out;
}

/** Lower-case hex of `bytes` (two digits per byte). */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** The SHA-1 of `data` (bytes, or a latin1 string) as 40 lower-case hex digits. */
export function sha1Hex(data: Uint8Array | string): string {
  sha1Into(data, OUT);
  return toHex(OUT);
}
