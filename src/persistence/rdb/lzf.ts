/**
 * LZF compression exactly as Redis's bundled liblzf 3.6 produces it.
 *
 * DUMP payloads and RDB files must be byte-identical to Redis's, so the
 * compressor follows Redis's `lzfP.h` settings: HLOG 16 (a 65536-slot hash
 * table), VERY_FAST on and ULTRA_FAST off (after a back reference the last
 * two positions are re-hashed), offsets into the input in the table. The
 * table starts empty for every call, which is what a fresh C stack gives.
 *
 * @module
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// One table reused by every call. A slot holds `base + position + 1`; slots
// at or below the call's `base` are empty, so a call starts with an empty
// table without clearing 256 KiB (each call moves `base` past every value
// the last one stored; the table is cleared only when `base` wraps).
const htab = new Int32Array(HSIZE);
let nextBase = 0;

// liblzf's IDX for VERY_FAST on an unsigned 32-bit hash value.
function idx(h: number): number {
  return ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * Compresses `src` as Redis's `lzf_compress(src, len, out, maxLen)` does.
 * `maxLen` defaults to `src.length - 4`, the room rdbSaveLzfStringObject
 * gives it (compression must save at least 4 bytes). Returns undefined when
 * liblzf would give up (0): the output would not fit in `maxLen` bytes, or
 * the input is empty.
 */
export function lzfCompress(
  src: Uint8Array,
  maxLen: number = src.length - 4,
): Uint8Array | undefined {
  const inLen = src.length;
  if (inLen === 0 || maxLen <= 0) return undefined;
  if (nextBase > 0x7fff_ffff - inLen - 2) {
    htab.fill(0);
    nextBase = 0;
  }
  const base = nextBase;
  nextBase += inLen + 1;
  const out = new Uint8Array(maxLen);
  const outEnd = maxLen;
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = ((src[0]! << 8) | (src[1] ?? 0)) >>> 0;
  while (ip < inLen - 2) {
    hval = ((hval << 8) | src[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const stored = htab[slot]! - base;
    htab[slot] = base + ip + 1;
    const ref = stored - 1; // negative when the slot was empty
    const off = ip - ref - 1;
    if (
      stored > 0 && ref < ip && off < MAX_OFF && ref > 0 &&
      src[ref + 2] === src[ip + 2] && src[ref] === src[ip] &&
      src[ref + 1] === src[ip + 1]
    ) {
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return undefined;
      }
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      // liblzf checks 16 bytes unrolled when maxlen > 16 (which may look up
      // to 2 bytes past maxlen, still inside the input), then one at a time.
      let done = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (src[ref + len] !== src[ip + len]) {
            done = true;
            break;
          }
        }
      }
      if (!done) {
        do len++; while (len < maxlen && src[ref + len] === src[ip + len]);
      }
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      // VERY_FAST: hash the two positions before the new ip.
      ip -= 2;
      hval = ((src[ip]! << 8) | src[ip + 1]!) >>> 0;
      hval = ((hval << 8) | src[ip + 2]!) >>> 0;
      htab[idx(hval)] = base + ip + 1;
      ip++;
      hval = ((hval << 8) | src[ip + 2]!) >>> 0;
      htab[idx(hval)] = base + ip + 1;
      ip++;
    } else {
      if (op >= outEnd) return undefined;
      lit++;
      out[op++] = src[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }
  if (op + 3 > outEnd) return undefined; // at most 3 bytes can be missing here
  while (ip < inLen) {
    lit++;
    out[op++] = src[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--; // undo run if length is zero
  return out.slice(0, op);
}

/**
 * Decompresses LZF data that must expand to exactly `outLen` bytes. Throws
 * a RangeError on corrupt input (a reference before the start, a run past
 * either end, or a different decompressed length).
 */
export function lzfDecompress(src: Uint8Array, outLen: number): Uint8Array {
  const inLen = src.length;
  if (inLen === 0) throw new RangeError("Invalid LZF compressed string");
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  do {
    let ctrl = src[ip++]!;
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > inLen) {
        throw new RangeError("Invalid LZF compressed string");
      }
      out.set(src.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inLen) throw new RangeError("Invalid LZF compressed string");
      if (len === 7) {
        len += src[ip++]!;
        if (ip >= inLen) throw new RangeError("Invalid LZF compressed string");
      }
      ref -= src[ip++]!;
      if (op + len + 2 > outLen || ref < 0) {
        throw new RangeError("Invalid LZF compressed string");
      }
      // Byte by byte: the reference may overlap what it produces.
      const end = op + len + 2;
      while (op < end) out[op++] = out[ref++]!;
    }
  } while (ip < inLen);
  if (op !== outLen) throw new RangeError("Invalid LZF compressed string");
  return out;
}
