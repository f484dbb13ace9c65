/**
 * HyperLogLog strings, byte for byte as Redis 7.0 lays them out, so that an
 * HLL built here can be read, merged and counted by redis-server and the
 * other way round (GET/SET, DUMP/RESTORE, replication).
 *
 * Layout (all integers little endian):
 *
 * ```
 * "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality (8 bytes)
 * ```
 *
 * The cached cardinality is valid while the top bit of its last byte is
 * clear. After the 16-byte header come the 16384 registers:
 *
 * - dense: 6 bits each, packed from the least significant bit of each byte
 *   upwards (12288 bytes);
 * - sparse: a run-length code of opcodes, `00xxxxxx` (ZERO: 1-64 zero
 *   registers), `01xxxxxx yyyyyyyy` (XZERO: 1-16384 zero registers) and
 *   `1vvvvvxx` (VAL: 1-4 registers holding 1-32).
 *
 * Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14
 * bits pick the register, the position of the first set bit in the other
 * 50 (plus one) is the value. Counts use Ertl's improved estimator, as
 * Redis 7.0 does, so the same adds give the same bytes and the same counts.
 *
 * Edits happen in place in a `RawBytes` value (see strings.ts), so PFADD on
 * a dense HLL changes one or two bytes and copies nothing. The sparse code
 * follows Redis's algorithm step for step, including how it splits and
 * re-merges opcodes, since that decides the bytes users see. Corrupted
 * input is reported (`-1`, `false`, `invalid`), never thrown or crashed on.
 *
 * @module
 */
import { RawBytes } from "./strings.ts";
import type { StringValue } from "./values.ts";

/** Bytes of the header before the registers. */
export const HLL_HDR_SIZE = 16;
/** Number of registers (2^14). */
export const HLL_REGISTERS = 16384;
/** Length of a dense HLL string: the header and 16384 6-bit registers. */
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + HLL_REGISTERS * 6 / 8;
/** The encoding byte of a dense HLL. */
export const HLL_DENSE = 0;
/** The encoding byte of a sparse HLL. */
export const HLL_SPARSE = 1;

// hllPatLen can give up to 64 - 14 + 1.
const HLL_Q = 50;
const REGISTER_MAX = 63;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680; // 0.5 / ln(2)
const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;

// ---------------------------------------------------------------------------
// MurmurHash64A on 32-bit halves (no BigInt on the PFADD path). Results go
// through typed arrays: module variables would box every uint32 above 2^30.

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;

// [hi, lo] of the last mulM, and of the last hash.
const R = new Uint32Array(2);
const H = new Uint32Array(2);

// (hi:lo) * M mod 2^64 into R, from 16-bit partial products that stay
// exact below 2^32.
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const w0 = a0 * 0xe995;
  const t = a1 * 0xe995 + (w0 >>> 16);
  const t2 = a0 * 0x5bd1 + (t & 0xffff);
  const carry = a1 * 0x5bd1 + (t >>> 16) + (t2 >>> 16);
  R[1] = Math.imul(lo, M_LO);
  // The store takes the sum modulo 2^32.
  R[0] = carry + Math.imul(hi, M_LO) + Math.imul(lo, M_HI);
}

// One 8-byte block into the hash hh:hl: k *= m; k ^= k >> 47; k *= m;
// h ^= k; h *= m. Leaves the new hash in R.
function mixBlock(hh: number, hl: number, kh: number, kl: number): void {
  mulM(kh, kl);
  const xh = R[0]!;
  mulM(xh, R[1]! ^ (xh >>> 15));
  mulM(hh ^ R[0]!, hl ^ R[1]!);
}

// The tail (already packed in th:tl, `tail` bytes) and the final mix of
// hh:hl, into H.
function finish(hh: number, hl: number, tail: number, th: number, tl: number) {
  if (tail !== 0) {
    mulM(hh ^ th, hl ^ tl);
    hh = R[0]!;
    hl = R[1]!;
  }
  mulM(hh, hl ^ (hh >>> 15));
  const fh = R[0]!;
  H[0] = fh;
  H[1] = R[1]! ^ (fh >>> 15);
}

function murmurLatin1(s: string): void {
  const len = s.length;
  mulM(0, len);
  let hh = R[0]!;
  let hl = R[1]! ^ SEED;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    mixBlock(
      hh,
      hl,
      s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) |
        (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24),
      s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) |
        (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24),
    );
    hh = R[0]!;
    hl = R[1]!;
  }
  let th = 0;
  let tl = 0;
  for (let j = (len & 7) - 1; j >= 0; j--) {
    const c = s.charCodeAt(i + j);
    if (j >= 4) th |= c << ((j - 4) * 8);
    else tl |= c << (j * 8);
  }
  finish(hh, hl, len & 7, th, tl);
}

/**
 * MurmurHash64A of a latin1 string with Redis's modifications (endian
 * neutral), as a bigint. For tests and tools; PFADD uses the 32-bit path.
 */
export function murmurHash64A(s: string, seed = SEED): bigint {
  if (seed !== SEED) throw new RangeError("Only Redis's HLL seed is supported");
  murmurLatin1(s);
  return (BigInt(H[0]!) << 32n) | BigInt(H[1]!);
}

// Register index and run length of the hash in H, packed as
// index * 64 + count (Redis's hllPatLen).
function patternOfHash(): number {
  const hl = H[1]!;
  const index = hl & (HLL_REGISTERS - 1);
  const low = hl >>> 14; // 18 bits
  let count: number;
  if (low !== 0) {
    count = 32 - Math.clz32(low & -low);
  } else {
    const hh = H[0]!;
    count = hh !== 0 ? 18 + 32 - Math.clz32(hh & -hh) : HLL_Q + 1;
  }
  return index * 64 + count;
}

/**
 * The register an element updates and the value it offers (the length of
 * the `000...1` pattern of its hash), packed as `index * 64 + count`.
 */
export function hllPatLen(element: string): number {
  murmurLatin1(element);
  return patternOfHash();
}

// The same for an 8-byte little-endian element (PFSELFTEST's integers).
function patLenOfWords(hi: number, lo: number): number {
  mulM(0, 8);
  mixBlock(R[0]!, R[1]! ^ SEED, hi, lo);
  finish(R[0]!, R[1]!, 0, 0, 0);
  return patternOfHash();
}

// ---------------------------------------------------------------------------
// Registers.

/** The dense register `reg` of an HLL whose registers start at `base`. */
export function denseGet(b: Uint8Array, reg: number): number {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  // Registers within one byte never read the next one (there is none
  // after the last register; Redis reads the string's NUL terminator).
  if (fb <= 2) return (b[byte]! >>> fb) & REGISTER_MAX;
  return ((b[byte]! >>> fb) | (b[byte + 1]! << (8 - fb))) & REGISTER_MAX;
}

/** Sets dense register `reg` to `val` (0-63). */
export function denseSet(b: Uint8Array, reg: number, val: number): void {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  b[byte] = (b[byte]! & ~(REGISTER_MAX << fb)) | (val << fb);
  if (fb > 2) {
    const fb8 = 8 - fb;
    b[byte + 1] = (b[byte + 1]! & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8);
  }
}

function isZero(op: number): boolean {
  return (op & 0xc0) === 0;
}

function isXZero(op: number): boolean {
  return (op & 0xc0) === 0x40;
}

function valByte(value: number, len: number): number {
  return (((value - 1) << 2) | (len - 1)) | 0x80;
}

// ---------------------------------------------------------------------------
// Validation, creation, reading.

/**
 * True if `v` passes Redis's isHLLObjectOrReply: at least a header,
 * the `HYLL` magic, a known encoding, and exactly the dense length when
 * dense. The sparse code is only checked when it is used.
 */
export function isHll(v: StringValue): boolean {
  if (v.length < HLL_HDR_SIZE) return false;
  if (typeof v === "string") {
    if (!v.startsWith("HYLL")) return false;
    const enc = v.charCodeAt(4);
    return enc === HLL_SPARSE ||
      (enc === HLL_DENSE && v.length === HLL_DENSE_SIZE);
  }
  if (v[0] !== 72 || v[1] !== 89 || v[2] !== 76 || v[3] !== 76) return false;
  const enc = v[4];
  return enc === HLL_SPARSE ||
    (enc === HLL_DENSE && v.length === HLL_DENSE_SIZE);
}

// Spare room for a new sparse HLL to grow in place.
function allocRaw(length: number, capacity: number): RawBytes {
  return new RawBytes(new ArrayBuffer(Math.max(length, capacity)), 0, length);
}

/** A new, empty HLL: sparse, one XZERO opcode for all registers. */
export function createHll(): RawBytes {
  const b = allocRaw(HLL_HDR_SIZE + 2, 32);
  b[0] = 72; // H
  b[1] = 89; // Y
  b[2] = 76; // L
  b[3] = 76; // L
  b[4] = HLL_SPARSE;
  const l = SPARSE_XZERO_MAX_LEN - 1;
  b[HLL_HDR_SIZE] = (l >>> 8) | 0x40;
  b[HLL_HDR_SIZE + 1] = l & 0xff;
  return b;
}

/**
 * `v` as a RawBytes this command may edit (Redis's dbUnshareStringValue):
 * `v` itself when it already is one nobody else holds, a copy otherwise.
 */
export function unshareHll(v: StringValue): RawBytes {
  if (v instanceof RawBytes && !v.shared) return v;
  const len = v.length;
  // Dense HLLs never grow: keep them exact. Sparse ones grow a few bytes
  // at a time, so leave room as sdsMakeRoomFor would.
  const out = allocRaw(len, len === HLL_DENSE_SIZE ? len : len * 2);
  if (typeof v === "string") {
    for (let i = 0; i < len; i++) out[i] = v.charCodeAt(i);
  } else {
    out.set(v);
  }
  return out;
}

let scratch = new Uint8Array(HLL_DENSE_SIZE);

/**
 * The bytes of `v` for reading only: `v` itself when it is bytes, else a
 * reused scratch buffer (valid until the next call).
 */
export function hllBytes(v: StringValue): Uint8Array {
  if (typeof v !== "string") return v;
  if (scratch.length < v.length) scratch = new Uint8Array(v.length * 2);
  for (let i = 0; i < v.length; i++) scratch[i] = v.charCodeAt(i);
  return scratch.subarray(0, v.length);
}

/** True if the header's cached cardinality may be used. */
export function cacheValid(b: Uint8Array): boolean {
  return (b[15]! & 0x80) === 0;
}

/** Marks the cached cardinality stale (HLL_INVALIDATE_CACHE). */
export function invalidateCache(b: Uint8Array): void {
  b[15] = b[15]! | 0x80;
}

/** The cached cardinality of a header whose cache is valid. */
export function readCachedCount(b: Uint8Array): number | bigint {
  const lo = (b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0;
  const hi = (b[12]! | (b[13]! << 8) | (b[14]! << 16) | (b[15]! << 24)) >>> 0;
  if (hi < 0x200000) return hi * TWO_32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Stores `count` (as the uint64 Redis writes) in the header's cache. */
export function writeCachedCount(b: Uint8Array, count: number | bigint): void {
  const n = BigInt.asUintN(64, BigInt(count));
  const lo = Number(n & 0xffffffffn);
  const hi = Number(n >> 32n);
  for (let i = 0; i < 4; i++) {
    b[8 + i] = (lo >>> (8 * i)) & 0xff;
    b[12 + i] = (hi >>> (8 * i)) & 0xff;
  }
}

// ---------------------------------------------------------------------------
// Counting.

const histogram = new Int32Array(64);

function denseHisto(b: Uint8Array): void {
  let r = HLL_HDR_SIZE;
  const h = histogram;
  // Four registers in every three bytes.
  for (let j = 0; j < HLL_REGISTERS / 4; j++) {
    const b0 = b[r]!;
    const b1 = b[r + 1]!;
    const b2 = b[r + 2]!;
    h[b0 & 63]!++;
    h[((b0 >>> 6) | (b1 << 2)) & 63]!++;
    h[((b1 >>> 4) | (b2 << 4)) & 63]!++;
    h[b2 >>> 2]!++;
    r += 3;
  }
}

// False when the opcodes do not cover exactly 16384 registers.
function sparseHisto(b: Uint8Array): boolean {
  const h = histogram;
  const end = b.length;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    let run: number;
    if (isZero(op)) {
      run = (op & 0x3f) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      h[0]! += run;
      p++;
    } else if (isXZero(op)) {
      run = (((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      h[0]! += run;
      p += 2;
    } else {
      run = (op & 3) + 1;
      if (run + idx > HLL_REGISTERS) return false;
      h[((op >>> 2) & 0x1f) + 1]! += run;
      p++;
    }
    idx += run;
  }
  return idx === HLL_REGISTERS;
}

function rawHisto(registers: Uint8Array): void {
  const h = histogram;
  for (let i = 0; i < HLL_REGISTERS; i++) h[registers[i]!]!++;
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x; // pow(1 - x, 2) is correctly rounded, so is d * d
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

// Ertl's estimator over the histogram, as the uint64 Redis computes and
// then sends as a long long: llroundl of a value out of range gives
// LLONG_MIN on x86-64, which Redis replies and caches as such.
function estimate(): number | bigint {
  const h = histogram;
  const m = HLL_REGISTERS;
  let z = m * tau((m - h[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += h[j]!;
    z *= 0.5;
  }
  z += m * sigma(h[0]! / m);
  const e = Math.round(ALPHA_INF * m * m / z);
  if (e < 2 ** 53) return e;
  if (e < TWO_63) return BigInt(e);
  return -(2n ** 63n);
}

/**
 * The estimated cardinality of a dense or sparse HLL, or undefined when
 * its sparse code is corrupted.
 */
export function hllCount(b: Uint8Array): number | bigint | undefined {
  histogram.fill(0);
  if (b[4] === HLL_DENSE) denseHisto(b);
  else if (!sparseHisto(b)) return undefined;
  return estimate();
}

/** The estimated cardinality of 16384 one-byte registers (a PFCOUNT union). */
export function rawCount(registers: Uint8Array): number | bigint {
  histogram.fill(0);
  rawHisto(registers);
  return estimate();
}

/**
 * Merges an HLL into 16384 one-byte registers, keeping the maximum of
 * each (hllMerge). False when its sparse code is corrupted.
 */
export function hllMergeInto(max: Uint8Array, b: Uint8Array): boolean {
  if (b[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(b, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  const end = b.length;
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    if (isZero(op)) {
      const run = (op & 0x3f) + 1;
      if (run + i > HLL_REGISTERS) return false;
      i += run;
      p++;
    } else if (isXZero(op)) {
      const run = (((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1;
      if (run + i > HLL_REGISTERS) return false;
      i += run;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const val = ((op >>> 2) & 0x1f) + 1;
      if (run + i > HLL_REGISTERS) return false;
      while (run-- > 0) {
        if (val > max[i]!) max[i] = val;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/**
 * The sparse code as PFDEBUG DECODE prints it (`Z:16384`, `z:12`,
 * `v:3,2`, space separated).
 */
export function decodeSparse(b: Uint8Array): string {
  const parts: string[] = [];
  const end = b.length;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    if (isZero(op)) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${(((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${((op >>> 2) & 0x1f) + 1},${(op & 3) + 1}`);
      p++;
    }
  }
  return parts.join(" ");
}

// ---------------------------------------------------------------------------
// Editing.

const EMPTY = new RawBytes(0);

/**
 * Changes one HLL string in place. `open()` it on a value from
 * `unshareHll`, make the changes, then store `bytes` back: sparse edits
 * may move it to a larger buffer, and promotion to dense replaces it.
 * One editor is reused for every command.
 */
export class HllEditor {
  /** The HLL being edited (a new object after growth or promotion). */
  bytes: RawBytes = EMPTY;
  /** What `open` was given: the value to replace if `bytes` moved. */
  opened: RawBytes = EMPTY;
  /** `hll-sparse-max-bytes`: past this length a sparse HLL turns dense. */
  sparseMaxBytes = 3000;
  // The opcodes of a split (at most XZERO VAL XZERO: 5 bytes).
  #seq = new Uint8Array(5);
  // The byte just past the end, where Redis keeps the string's NUL
  // terminator. A split of an XZERO cut short by the end writes its last
  // byte there (corrupted input), and a later read of that XZERO sees it;
  // kept for the current command only.
  #past = 0;

  /** Starts editing `bytes`. */
  open(bytes: RawBytes, sparseMaxBytes: number): void {
    this.bytes = bytes;
    this.opened = bytes;
    this.#past = 0;
    this.sparseMaxBytes = sparseMaxBytes;
  }

  /** Ends the edit: returns the bytes to store and lets go of them. */
  close(): RawBytes {
    const out = this.bytes;
    this.bytes = this.opened = EMPTY;
    return out;
  }

  /** True while the HLL is dense. */
  get dense(): boolean {
    return this.bytes[4] === HLL_DENSE;
  }

  /**
   * Adds an element (hllAdd): 1 when a register changed, 0 when not, -1
   * when the sparse code is corrupted.
   */
  add(element: string): number {
    const pat = hllPatLen(element);
    return this.set(pat >>> 6, pat & 63);
  }

  /** Adds an 8-byte little-endian element given as two 32-bit words. */
  addWords(hi: number, lo: number): number {
    const pat = patLenOfWords(hi, lo);
    return this.set(pat >>> 6, pat & 63);
  }

  /**
   * Raises register `index` to `count` if it is lower: 1 when it changed,
   * 0 when not, -1 when the sparse code is corrupted (or the encoding is
   * unknown).
   */
  set(index: number, count: number): number {
    const b = this.bytes;
    const enc = b[4];
    if (enc === HLL_DENSE) {
      if (count > denseGet(b, index)) {
        denseSet(b, index, count);
        return 1;
      }
      return 0;
    }
    if (enc !== HLL_SPARSE) return -1;
    return this.#sparseSet(index, count);
  }

  /**
   * Converts a sparse HLL to dense (hllSparseToDense), keeping the header;
   * false when the sparse code is corrupted. Dense ones are left as they are.
   */
  toDense(): boolean {
    const sparse = this.bytes;
    if (sparse[4] === HLL_DENSE) return true;
    const dense = new RawBytes(HLL_DENSE_SIZE);
    dense.set(sparse.subarray(0, HLL_HDR_SIZE));
    dense[4] = HLL_DENSE;
    const end = sparse.length;
    let idx = 0;
    let p = HLL_HDR_SIZE;
    while (p < end) {
      const op = sparse[p]!;
      if (isZero(op)) {
        const run = (op & 0x3f) + 1;
        if (run + idx > HLL_REGISTERS) return false;
        idx += run;
        p++;
      } else if (isXZero(op)) {
        const run = (((op & 0x3f) << 8) | this.#at(sparse, p + 1)) + 1;
        if (run + idx > HLL_REGISTERS) return false;
        idx += run;
        p += 2;
      } else {
        let run = (op & 3) + 1;
        const val = ((op >>> 2) & 0x1f) + 1;
        if (run + idx > HLL_REGISTERS) return false;
        while (run-- > 0) denseSet(dense, idx++, val);
        p++;
      }
    }
    if (idx !== HLL_REGISTERS) return false;
    this.bytes = dense;
    return true;
  }

  // Capacity for `extra` more bytes (sdsMakeRoomFor: doubles below 1 MB).
  #room(extra: number): void {
    const b = this.bytes;
    const need = b.length + extra;
    if (b.byteOffset + need <= b.buffer.byteLength) return;
    const out = allocRaw(b.length, need * 2);
    out.set(b);
    this.bytes = out;
  }

  // A new view of `length` bytes over the same buffer; bytes dropped at
  // the end are zeroed (RawBytes keeps its spare capacity zero).
  #resize(length: number): void {
    const b = this.bytes;
    if (length < b.length) b.fill(0, length);
    this.bytes = new RawBytes(b.buffer, b.byteOffset, length);
    this.#past = 0;
  }

  // Byte `i` (at most the length: the terminator).
  #at(b: Uint8Array, i: number): number {
    return i < b.length ? b[i]! : this.#past;
  }

  // hllSparseSet, step for step.
  #sparseSet(index: number, count: number): number {
    if (count > SPARSE_VAL_MAX_VALUE) return this.#promote(index, count);
    this.#room(3);
    let b = this.bytes;
    let end = b.length;
    // Step 1: find the opcode covering `index`.
    let p = HLL_HDR_SIZE;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const op = b[p]!;
      let oplen = 1;
      if (isZero(op)) {
        span = (op & 0x3f) + 1;
      } else if (op & 0x80) {
        span = (op & 3) + 1;
      } else {
        // An XZERO cut short by the end reads Redis's terminator.
        span = (((op & 0x3f) << 8) | this.#at(b, p + 1)) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span === 0 || p >= end) return -1;
    const op = b[p]!;
    let next = isXZero(op) ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const zero = isZero(op);
    const xzero = isXZero(op);
    let runlen: number;
    if (zero) runlen = (op & 0x3f) + 1;
    else if (xzero) runlen = (((op & 0x3f) << 8) | this.#at(b, p + 1)) + 1;
    else runlen = (op & 3) + 1;

    updated: {
      // Step 2: the trivial cases, changed in place.
      if (!zero && !xzero) {
        const old = ((op >>> 2) & 0x1f) + 1;
        if (old >= count) return 0;
        if (runlen === 1) {
          b[p] = valByte(count, 1);
          break updated;
        }
      }
      if (zero && runlen === 1) {
        b[p] = valByte(count, 1);
        break updated;
      }
      // The general case: split the opcode into up to three.
      const seq = this.#seq;
      let n = 0;
      const last = first + span - 1;
      if (zero || xzero) {
        if (index !== first) n = putZeros(seq, n, index - first);
        seq[n++] = valByte(count, 1);
        if (index !== last) n = putZeros(seq, n, last - index);
      } else {
        const cur = ((op >>> 2) & 0x1f) + 1;
        if (index !== first) seq[n++] = valByte(cur, index - first);
        seq[n++] = valByte(count, 1);
        if (index !== last) seq[n++] = valByte(cur, last - index);
      }
      // Step 3: put the new sequence in place of the old opcode.
      const oldlen = xzero ? 2 : 1;
      const delta = n - oldlen;
      if (delta > 0 && b.length + delta > this.sparseMaxBytes) {
        return this.#promote(index, count);
      }
      if (delta > 0) {
        this.#resize(b.length + delta);
        b = this.bytes;
        if (next >= 0) b.copyWithin(next + delta, next, end);
      } else if (delta < 0) {
        if (next >= 0) b.copyWithin(next + delta, next, end);
        this.#resize(b.length + delta);
        b = this.bytes;
      }
      // Redis sets the terminator even when the length stays.
      this.#past = 0;
      // A cut-short XZERO: the last byte lands on the terminator.
      for (let i = 0; i < n; i++) {
        if (p + i < b.length) b[p + i] = seq[i]!;
        else this.#past = seq[i]!;
      }
      end += delta;
    }

    // Step 4: merge adjacent VAL opcodes of equal value, scanning up to
    // five opcodes from the one before the change.
    p = prev >= 0 ? prev : HLL_HDR_SIZE;
    let scan = 5;
    while (p < end && scan-- > 0) {
      const o = b[p]!;
      if (isXZero(o)) {
        p += 2;
        continue;
      }
      if (isZero(o)) {
        p++;
        continue;
      }
      if (p + 1 < end && (b[p + 1]! & 0x80) !== 0) {
        const v1 = ((o >>> 2) & 0x1f) + 1;
        const o2 = b[p + 1]!;
        const v2 = ((o2 >>> 2) & 0x1f) + 1;
        if (v1 === v2) {
          const len = (o & 3) + 1 + (o2 & 3) + 1;
          if (len <= SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valByte(v1, len);
            b.copyWithin(p, p + 1, end);
            this.#resize(b.length - 1);
            b = this.bytes;
            end--;
            continue;
          }
        }
      }
      p++;
    }
    invalidateCache(b);
    return 1;
  }

  #promote(index: number, count: number): number {
    if (!this.toDense()) return -1;
    // The register needs raising, or the sparse code would have kept it.
    denseSet(this.bytes, index, count);
    return 1;
  }
}

// ZERO or XZERO for `len` zero registers; returns the new fill of `seq`.
function putZeros(seq: Uint8Array, n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    seq[n] = (l >>> 8) | 0x40;
    seq[n + 1] = l & 0xff;
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

// ---------------------------------------------------------------------------
// PFSELFTEST.

/**
 * Redis's PFSELFTEST: register access on random values, then 10 million
 * adds to a dense and a sparse HLL whose counts must agree and stay within
 * the expected error. Undefined on success, else the failure text.
 * `random(n)` is an integer below n.
 */
export function hllSelfTest(
  random: (n: number) => number,
  sparseMaxBytes: number,
): string | undefined {
  const dense = new RawBytes(HLL_DENSE_SIZE);
  dense.set([72, 89, 76, 76, HLL_DENSE]);
  const bytes = new Uint8Array(HLL_REGISTERS);
  // Test 1: every register keeps its value and leaves its neighbours alone.
  for (let j = 0; j < 1000; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = random(64);
      bytes[i] = r;
      denseSet(dense, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(dense, i);
      if (v !== bytes[i]) {
        return `TESTFAILED Register ${i} should be ${bytes[i]} but is ${v}`;
      }
    }
  }
  // Test 2: approximation error, dense and sparse side by side.
  dense.fill(0, HLL_HDR_SIZE);
  const sparse = new HllEditor();
  sparse.open(createHll(), sparseMaxBytes);
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  const seedLo = random(TWO_32);
  const seedHi = random(TWO_32);
  for (let j = 1; j <= 10_000_000; j++) {
    // ele = j ^ seed, as the 8 bytes of a little-endian uint64.
    const lo = (j ^ seedLo) >>> 0;
    const pat = patLenOfWords(seedHi, lo);
    const index = pat >>> 6;
    const count = pat & 63;
    if (count > denseGet(dense, index)) denseSet(dense, index, count);
    sparse.set(index, count);
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && sparse.dense) {
      return "TESTFAILED sparse encoding not used";
    }
    const denseCount = hllCount(dense);
    if (denseCount !== hllCount(sparse.bytes)) {
      return "TESTFAILED dense/sparse disagree";
    }
    let abserr = checkpoint - Number(denseCount);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr < 0) abserr = -abserr;
    if (abserr > maxerr) {
      return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    }
    checkpoint *= 10;
  }
  return undefined;
}
