/**
 * The RDB format's primitives: length encoding, strings (plain, integer,
 * LZF), millisecond times and doubles, read from and written to bytes.
 *
 * Strings come out as latin1 strings (one char per byte), as everywhere in
 * the store. Every read is bounds-checked and throws RdbFormatError with the
 * offset where the input went wrong, so corrupt files never crash a loader.
 *
 * @module
 */
import { bufferView, latin1Slice, type Latin1View } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { lzfCompress, lzfDecompress } from "./lzf.ts";

/** Malformed RDB input; `offset` is where in the input it was found. */
export class RdbFormatError extends RangeError {
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;

  /** `message` says what was wrong, `offset` where. */
  constructor(message: string, offset: number) {
    super(message);
    this.name = "RdbFormatError";
    this.offset = offset;
  }
}

/** RDB length encodings (the top two bits of the first byte). */
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings (`11xxxxxx`, low six bits). */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

const TWO32 = 0x1_0000_0000;

/** Reads RDB primitives from `bytes`, advancing `offset`. */
export class ByteReader {
  /** The whole input. */
  readonly bytes: Uint8Array;
  /** Position of the next byte to read. */
  offset: number;
  #view: DataView;
  #latin1: Latin1View | undefined;

  /** Reads `bytes` starting at `offset` (default 0). */
  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left after `offset`. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws RdbFormatError(`message`) at the current offset. */
  fail(message: string, at: number = this.offset): never {
    throw new RdbFormatError(message, at);
  }

  #need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.bytes.length) {
      this.fail("Unexpected end of input");
    }
    this.offset = at + n;
    return at;
  }

  /** One byte. */
  u8(): number {
    return this.bytes[this.#need(1)]!;
  }

  /** `n` bytes as a view into the input (no copy). */
  raw(n: number): Uint8Array {
    const at = this.#need(n);
    return this.bytes.subarray(at, at + n);
  }

  /** A little-endian unsigned 32-bit integer. */
  u32le(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  /** A big-endian unsigned 32-bit integer. */
  u32be(): number {
    return this.#view.getUint32(this.#need(4), false);
  }

  /** A little-endian signed 64-bit integer, exact. */
  i64le(): bigint {
    return this.#view.getBigInt64(this.#need(8), true);
  }

  /**
   * An RDB length (6, 14, 32 or 64 bits). A 64-bit length above 2^53 comes
   * back rounded; use lengthBig() where such values are meaningful. Like
   * Redis's rdbLoadLen, an encoded-string marker yields its low six bits.
   */
  length(): number {
    const first = this.u8();
    switch (first >> 6) {
      case RDB_6BITLEN:
        return first & 0x3f;
      case RDB_14BITLEN:
        return ((first & 0x3f) << 8) | this.u8();
      case RDB_ENCVAL:
        return first & 0x3f;
    }
    if (first === RDB_32BITLEN) return this.u32be();
    if (first === RDB_64BITLEN) {
      const at = this.#need(8);
      return this.#view.getUint32(at, false) * TWO32 +
        this.#view.getUint32(at + 4, false);
    }
    this.fail(
      `Unknown length encoding ${first >> 6} in rdbLoadLen()`,
      this.offset - 1,
    );
  }

  /** An RDB length as an exact unsigned 64-bit value. */
  lengthBig(): bigint {
    const first = this.bytes[this.offset];
    if (first === RDB_64BITLEN) {
      this.offset++;
      return this.#view.getBigUint64(this.#need(8), false);
    }
    return BigInt(this.length());
  }

  /**
   * Reads a string header: a plain length (>= 0) or, for the special
   * encodings, `-1 - encoding`.
   */
  #stringHeader(): number {
    const first = this.bytes[this.offset];
    if (first !== undefined && first >> 6 === RDB_ENCVAL) {
      this.offset++;
      return -1 - (first & 0x3f);
    }
    return this.length();
  }

  #decodeSpecial(enc: number, at: number): string | Uint8Array {
    switch (enc) {
      case RDB_ENC_INT8:
        return String(this.#view.getInt8(this.#need(1)));
      case RDB_ENC_INT16:
        return String(this.#view.getInt16(this.#need(2), true));
      case RDB_ENC_INT32:
        return String(this.#view.getInt32(this.#need(4), true));
      case RDB_ENC_LZF: {
        const clen = this.length();
        const len = this.length();
        const start = this.offset;
        const packed = this.raw(clen);
        // A 3-byte back reference expands to at most 264 bytes (88 per
        // byte): a longer claimed length is corrupt, and not allocated.
        if (len > clen * 88) this.fail("Invalid LZF compressed string", start);
        try {
          return lzfDecompress(packed, len);
        } catch {
          this.fail("Invalid LZF compressed string", start);
        }
      }
    }
    this.fail(`Unknown RDB string encoding type ${enc}`, at);
  }

  /** An RDB string (plain, INT8/16/32 or LZF) as a latin1 string. */
  string(): string {
    const at = this.offset;
    const h = this.#stringHeader();
    if (h >= 0) {
      const start = this.#need(h);
      return latin1Slice(
        this.bytes,
        start,
        start + h,
        h > 12 ? (this.#latin1 ??= bufferView(this.bytes)) : undefined,
      );
    }
    const v = this.#decodeSpecial(-1 - h, at);
    return typeof v === "string" ? v : latin1Slice(v, 0, v.length);
  }

  /**
   * An RDB string as bytes (listpack, ziplist, intset blobs). Plain strings
   * are views into the input; LZF ones are fresh arrays.
   */
  blob(): Uint8Array {
    const at = this.offset;
    const h = this.#stringHeader();
    if (h >= 0) return this.raw(h);
    const v = this.#decodeSpecial(-1 - h, at);
    if (typeof v !== "string") return v;
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i);
    return out;
  }

  /** A time in ms: 8 bytes, little-endian, signed. */
  millis(): number {
    const at = this.#need(8);
    return this.#view.getInt32(at + 4, true) * TWO32 +
      this.#view.getUint32(at, true);
  }

  /** A time in seconds: 4 bytes, little-endian, signed (EXPIRETIME). */
  seconds(): number {
    return this.#view.getInt32(this.#need(4), true);
  }

  /** A binary double: 8 bytes, little-endian. */
  double(): number {
    return this.#view.getFloat64(this.#need(8), true);
  }

  /**
   * A string-encoded double (RDB_TYPE_ZSET): one length byte, 253 = nan,
   * 254 = +inf, 255 = -inf, else that many chars of `%.17g` text.
   */
  textDouble(): number {
    const at = this.offset;
    const len = this.u8();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    const text = latin1Slice(this.raw(len), 0, len);
    const v = parseScanfDouble(text);
    if (v === undefined) this.fail("Invalid double value", at);
    return v;
  }
}

// sscanf("%lg") reads the longest prefix that is a number and ignores the
// rest; it fails only when no number starts the text.
const SCANF_RE =
  /^\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))/i;

function parseScanfDouble(text: string): number | undefined {
  const m = SCANF_RE.exec(text);
  if (m === null) return undefined;
  const t = m[1]!.toLowerCase();
  if (t.includes("nan")) return NaN;
  if (t.includes("inf")) return t.startsWith("-") ? -Infinity : Infinity;
  return Number(t);
}

const INITIAL = 256;

/** Writes RDB primitives into a growable buffer. */
export class ByteWriter {
  #buf = new Uint8Array(INITIAL);
  #view = new DataView(this.#buf.buffer);
  #len = 0;
  readonly #compress: boolean;

  /** `compress` turns on LZF for strings longer than 20 bytes (rdbcompression). */
  constructor(opts: { compress: boolean }) {
    this.#compress = opts.compress;
  }

  /**
   * Bytes written since the last take(). (Not `length`: that name is the
   * RDB length writer, as on ByteReader.)
   */
  get pending(): number {
    return this.#len;
  }

  #room(n: number): number {
    const at = this.#len;
    const need = at + n;
    if (need > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#len = need;
    return at;
  }

  /** One byte. */
  u8(v: number): void {
    const at = this.#room(1);
    this.#buf[at] = v;
  }

  /** Bytes as they are. */
  raw(b: Uint8Array): void {
    const at = this.#room(b.length);
    this.#buf.set(b, at);
  }

  /** Latin1 string `s` as its bytes, with no header. */
  latin1(s: string): void {
    const at = this.#room(s.length);
    const buf = this.#buf;
    for (let i = 0; i < s.length; i++) buf[at + i] = s.charCodeAt(i);
  }

  /** A little-endian unsigned 32-bit integer. */
  u32le(v: number): void {
    const at = this.#room(4);
    this.#view.setUint32(at, v, true);
  }

  /** A little-endian signed 64-bit integer. */
  i64le(v: bigint): void {
    const at = this.#room(8);
    this.#view.setBigInt64(at, v, true);
  }

  /** An RDB length: 6, 14, 32 or 64 bits, the shortest that fits. */
  length(n: number): void {
    if (n < 1 << 6) {
      this.u8(n);
    } else if (n < 1 << 14) {
      const at = this.#room(2);
      this.#buf[at] = (n >> 8) | 0x40;
      this.#buf[at + 1] = n & 0xff;
    } else if (n < TWO32) {
      const at = this.#room(5);
      this.#buf[at] = RDB_32BITLEN;
      this.#view.setUint32(at + 1, n, false);
    } else {
      const at = this.#room(9);
      this.#buf[at] = RDB_64BITLEN;
      this.#view.setUint32(at + 1, Math.floor(n / TWO32), false);
      this.#view.setUint32(at + 5, n >>> 0, false);
    }
  }

  /** An exact unsigned 64-bit RDB length. */
  lengthBig(n: bigint): void {
    if (n < BigInt(TWO32)) return this.length(Number(n));
    const at = this.#room(9);
    this.#buf[at] = RDB_64BITLEN;
    this.#view.setBigUint64(at + 1, n, false);
  }

  /**
   * A string as Redis's rdbSaveRawString writes it: INT8/16/32 when it is a
   * canonical integer of at most 11 chars that fits 32 bits, LZF when
   * compression is on, it is longer than 20 bytes and it saves at least 4,
   * otherwise plain.
   */
  string(s: string | Uint8Array): void {
    const len = s.length;
    if (len <= 11 && len > 0) {
      const text = typeof s === "string" ? s : latin1Slice(s, 0, len);
      if (this.#tryInt(text)) return;
    }
    if (typeof s === "string") {
      if (this.#compress && len > 20) {
        const bytes = new Uint8Array(len);
        for (let i = 0; i < len; i++) bytes[i] = s.charCodeAt(i);
        if (this.#tryLzf(bytes)) return;
      }
      this.length(len);
      this.latin1(s);
      return;
    }
    this.blob(s);
  }

  /** Bytes as an RDB string: LZF as in string(), never integer-encoded. */
  blob(b: Uint8Array): void {
    if (this.#compress && b.length > 20 && this.#tryLzf(b)) return;
    this.length(b.length);
    this.raw(b);
  }

  /** An integer as Redis's rdbSaveLongLongAsStringObject writes it. */
  integer(v: number | bigint): void {
    const n = Number(v);
    if (n >= -(2 ** 31) && n <= 2 ** 31 - 1) {
      this.#encodeInt(n);
    } else {
      const text = String(v);
      this.length(text.length);
      this.latin1(text);
    }
  }

  #tryInt(text: string): boolean {
    const v = parseInt64(text);
    if (v === undefined || v < -(2n ** 31n) || v > 2n ** 31n - 1n) return false;
    this.#encodeInt(Number(v));
    return true;
  }

  #encodeInt(n: number): void {
    if (n >= -128 && n <= 127) {
      const at = this.#room(2);
      this.#buf[at] = 0xc0 | RDB_ENC_INT8;
      this.#view.setInt8(at + 1, n);
    } else if (n >= -32768 && n <= 32767) {
      const at = this.#room(3);
      this.#buf[at] = 0xc0 | RDB_ENC_INT16;
      this.#view.setInt16(at + 1, n, true);
    } else {
      const at = this.#room(5);
      this.#buf[at] = 0xc0 | RDB_ENC_INT32;
      this.#view.setInt32(at + 1, n, true);
    }
  }

  #tryLzf(bytes: Uint8Array): boolean {
    const packed = lzfCompress(bytes);
    if (packed === undefined) return false;
    this.lzf(packed, bytes.length);
    return true;
  }

  /** An already compressed LZF blob (rdbSaveLzfBlob). */
  lzf(packed: Uint8Array, originalLength: number): void {
    this.u8(0xc0 | RDB_ENC_LZF);
    this.length(packed.length);
    this.length(originalLength);
    this.raw(packed);
  }

  /** A time in ms: 8 bytes, little-endian, signed. */
  millis(ms: number): void {
    const at = this.#room(8);
    const hi = Math.floor(ms / TWO32);
    this.#view.setUint32(at, ms - hi * TWO32, true);
    this.#view.setInt32(at + 4, hi, true);
  }

  /** A binary double: 8 bytes, little-endian. */
  double(v: number): void {
    const at = this.#room(8);
    this.#view.setFloat64(at, v, true);
  }

  /** The bytes written since the last take(), as a view valid until the next write. */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  /** The bytes written since the last take(), as a new array. */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#len);
    this.#len = 0;
    if (this.#buf.length > 1 << 20) {
      this.#buf = new Uint8Array(INITIAL);
      this.#view = new DataView(this.#buf.buffer);
    }
    return out;
  }
}
