/**
 * The Merkle–Damgård framing SHA-1 and SHA-256 share (FIPS 180-4 §5): the
 * message cut into 64-byte blocks, each loaded as 16 big-endian words, and
 * the tail padded with 0x80, zeros and the 64-bit big-endian bit length.
 * The hash modules keep only their state and compression function.
 *
 * Synchronous and allocation-free: the padded tail is a module-level typed
 * array shared by both hashes (a hash never yields while it runs). Each
 * hash keeps its own message schedule and passes it in: V8 compiles a
 * compression function that reads an imported array about 15% slower than
 * one reading its own module's.
 *
 * @module
 */

// The last one or two blocks: the message tail, 0x80, zeros, bit length.
const TAIL = new Uint8Array(128);

/** Two lower-case hex digits for each byte value. */
export const HEX: readonly string[] = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).padStart(2, "0"),
);

function loadBytes(W: Int32Array, src: Uint8Array, p: number): void {
  for (let i = 0; i < 16; i++, p += 4) {
    W[i] = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) |
      src[p + 3]!;
  }
}

function loadString(W: Int32Array, src: string, p: number): void {
  for (let i = 0; i < 16; i++, p += 4) {
    W[i] = (src.charCodeAt(p) << 24) | (src.charCodeAt(p + 1) << 16) |
      (src.charCodeAt(p + 2) << 8) | src.charCodeAt(p + 3);
  }
}

/**
 * Runs `compress` once per 64-byte block of `data` (bytes, or a latin1
 * string: one char per byte), padding included, with the block's 16 words
 * in `w[0..15]` each time (`compress` extends the schedule in place). The
 * caller sets its initial hash state first and reads the digest from it
 * afterwards.
 */
export function feedBlocks(
  data: Uint8Array | string,
  w: Int32Array,
  compress: () => void,
): void {
  const len = data.length;
  const full = len - (len & 63);
  let p = 0;
  if (typeof data === "string") {
    for (; p < full; p += 64) {
      loadString(w, data, p);
      compress();
    }
    for (let i = 0; p + i < len; i++) TAIL[i] = data.charCodeAt(p + i);
  } else {
    for (; p < full; p += 64) {
      loadBytes(w, data, p);
      compress();
    }
    for (let i = 0; p + i < len; i++) TAIL[i] = data[p + i]!;
  }
  let n = len - full;
  TAIL[n++] = 0x80;
  const blocks = n + 8 <= 64 ? 1 : 2;
  const end = blocks * 64;
  TAIL.fill(0, n, end - 8);
  // Length in bits, big-endian 64-bit (exact below 2^53 bytes).
  const hiBits = Math.floor(len / 0x20000000);
  const loBits = (len * 8) >>> 0;
  TAIL[end - 8] = hiBits >>> 24;
  TAIL[end - 7] = hiBits >>> 16;
  TAIL[end - 6] = hiBits >>> 8;
  TAIL[end - 5] = hiBits;
  TAIL[end - 4] = loBits >>> 24;
  TAIL[end - 3] = loBits >>> 16;
  TAIL[end - 2] = loBits >>> 8;
  TAIL[end - 1] = loBits;
  loadBytes(w, TAIL, 0);
  compress();
  if (blocks === 2) {
    loadBytes(w, TAIL, 64);
    compress();
  }
}
