/**
 * Listpacks exactly as Redis 7.0 lays them out: list nodes, small hashes and
 * sorted sets, and stream nodes in RDB files and DUMP payloads.
 *
 * Layout: total bytes (u32 LE), entry count (u16 LE, 65535 = unknown), the
 * entries, then 0xFF. Each entry is an encoding byte (with the length or
 * value), the data, and a backlen (the entry's size, 7 bits per byte, read
 * backwards) so the list can be walked from either end.
 *
 * @module
 */
import { latin1Slice } from "../../util/bytes.ts";
import { parseInt64, parseIntNumber } from "../../util/number.ts";
import { RdbFormatError } from "./bytes.ts";

/** Size of the header: total bytes (4) and count (2). */
export const LP_HDR_SIZE = 6;
/** The count field's value when there are 65535 entries or more. */
export const LP_HDR_NUMELE_UNKNOWN = 65535;
/** The terminator byte. */
export const LP_EOF = 0xff;

const ENC_16BIT_INT = 0xf1;
const ENC_24BIT_INT = 0xf2;
const ENC_32BIT_INT = 0xf3;
const ENC_64BIT_INT = 0xf4;
const ENC_32BIT_STR = 0xf0;

/** Bytes a backlen takes for an entry of `l` bytes (lpEncodeBacklen). */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Builds a listpack, appending entries the way lpAppend does. */
export class ListpackBuilder {
  #buf: Uint8Array;
  #view: DataView;
  #len = LP_HDR_SIZE;
  #count = 0;

  /** `capacity` is a hint for the first allocation, in bytes. */
  constructor(capacity = 64) {
    this.#buf = new Uint8Array(Math.max(capacity, 16));
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Entries appended so far. */
  get count(): number {
    return this.#count;
  }

  /** What lpBytes would report now: header, entries and terminator. */
  get byteLength(): number {
    return this.#len + 1;
  }

  #room(n: number): number {
    const at = this.#len;
    const need = at + n + 1;
    if (need > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#len = at + n;
    return at;
  }

  #backlen(l: number): void {
    if (l <= 127) {
      const at = this.#room(1);
      this.#buf[at] = l;
      return;
    }
    const size = backlenSize(l);
    const at = this.#room(size);
    const b = this.#buf;
    // Most significant group first; every byte but the first has bit 7 set.
    for (let i = 0; i < size; i++) {
      const shift = 7 * (size - 1 - i);
      const group = Math.floor(l / 2 ** shift) & 127;
      b[at + i] = i === 0 ? group : group | 128;
    }
  }

  /**
   * Appends `s`, as an integer entry when it is a canonical 64-bit integer
   * (lpStringToInt64), else as a string entry.
   */
  append(s: string): void {
    const len = s.length;
    if (len > 0 && len <= 20) {
      const c = s.charCodeAt(len - 1);
      if (c >= 48 && c <= 57) {
        // Numbers are exact below 16 digits; longer texts need bigints.
        const v = len < 16 ? parseIntNumber(s) : parseInt64(s);
        if (v !== undefined) {
          this.appendInt(v);
          return;
        }
      }
    }
    this.appendBytes(s);
  }

  /** Appends a string entry holding `s` (a latin1 string or bytes) as it is. */
  appendBytes(s: string | Uint8Array): void {
    const len = s.length;
    let header: number;
    if (len < 64) {
      header = 1;
      const at = this.#room(1);
      this.#buf[at] = 0x80 | len;
    } else if (len < 4096) {
      header = 2;
      const at = this.#room(2);
      this.#buf[at] = 0xe0 | (len >> 8);
      this.#buf[at + 1] = len & 0xff;
    } else {
      header = 5;
      const at = this.#room(5);
      this.#buf[at] = ENC_32BIT_STR;
      this.#view.setUint32(at + 1, len, true);
    }
    const at = this.#room(len);
    if (typeof s === "string") {
      const b = this.#buf;
      for (let i = 0; i < len; i++) b[at + i] = s.charCodeAt(i);
    } else {
      this.#buf.set(s, at);
    }
    this.#backlen(header + len);
    this.#count++;
  }

  /** Appends an integer entry in the smallest encoding (lpEncodeIntegerGetType). */
  appendInt(n: number | bigint): void {
    if (typeof n === "number" && n >= -2147483648 && n <= 2147483647) {
      this.#appendSmallInt(n);
      return;
    }
    const v = typeof n === "bigint" ? n : BigInt(n);
    if (v >= -2147483648n && v <= 2147483647n) {
      this.#appendSmallInt(Number(v));
      return;
    }
    const at = this.#room(9);
    this.#buf[at] = ENC_64BIT_INT;
    this.#view.setBigInt64(at + 1, BigInt.asIntN(64, v), true);
    this.#backlen(9);
    this.#count++;
  }

  // An integer of 32 bits or fewer, in the smallest encoding.
  #appendSmallInt(v: number): void {
    let size: number;
    if (v >= 0 && v <= 127) {
      size = 1;
      const at = this.#room(1);
      this.#buf[at] = v;
    } else if (v >= -4096 && v <= 4095) {
      size = 2;
      const u = v < 0 ? (1 << 13) + v : v;
      const at = this.#room(2);
      this.#buf[at] = (u >> 8) | 0xc0;
      this.#buf[at + 1] = u & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      size = 3;
      const at = this.#room(3);
      this.#buf[at] = ENC_16BIT_INT;
      this.#view.setInt16(at + 1, v, true);
    } else if (v >= -8388608 && v <= 8388607) {
      size = 4;
      const u = v < 0 ? (1 << 24) + v : v;
      const at = this.#room(4);
      this.#buf[at] = ENC_24BIT_INT;
      this.#buf[at + 1] = u & 0xff;
      this.#buf[at + 2] = (u >> 8) & 0xff;
      this.#buf[at + 3] = (u >> 16) & 0xff;
    } else {
      size = 5;
      const at = this.#room(5);
      this.#buf[at] = ENC_32BIT_INT;
      this.#view.setInt32(at + 1, v, true);
    }
    this.#backlen(size);
    this.#count++;
  }

  /** The finished listpack (a new array); the builder can be reused after reset(). */
  finish(): Uint8Array {
    const total = this.#len + 1;
    const out = this.#buf.slice(0, total);
    out[total - 1] = LP_EOF;
    const view = new DataView(out.buffer);
    view.setUint32(0, total, true);
    view.setUint16(
      4,
      this.#count < LP_HDR_NUMELE_UNKNOWN ? this.#count : LP_HDR_NUMELE_UNKNOWN,
      true,
    );
    return out;
  }

  /** Empties the builder for the next listpack. */
  reset(): void {
    this.#len = LP_HDR_SIZE;
    this.#count = 0;
  }
}

/**
 * Walks a listpack's entries front to back, checking every entry against
 * the bounds so corrupt input throws RdbFormatError instead of reading
 * past the end. The header (total bytes, terminator) is checked up front.
 */
export class ListpackIterator {
  readonly #lp: Uint8Array;
  readonly #view: DataView;
  #pos = LP_HDR_SIZE;
  #end: number;
  /** The header's entry count (65535 = unknown). */
  readonly headerCount: number;
  /** Whether the last entry read was an integer; its value is in `int`/`big`. */
  isInt = false;
  /** The last integer entry read (rounded beyond 2^53: see `big`). */
  int = 0;
  /** The last 64-bit integer entry read, exact (set only for 64-bit encodings). */
  big: bigint | undefined = undefined;
  /** Start offset in the listpack of the last string entry's data. */
  strStart = 0;
  /** Length of the last string entry's data. */
  strLen = 0;

  /** Checks the header of `lp` and positions before the first entry. */
  constructor(lp: Uint8Array) {
    this.#lp = lp;
    this.#view = new DataView(lp.buffer, lp.byteOffset, lp.byteLength);
    if (lp.length < LP_HDR_SIZE + 1) {
      throw new RdbFormatError("Listpack too short", 0);
    }
    if (this.#view.getUint32(0, true) !== lp.length) {
      throw new RdbFormatError("Listpack size mismatch", 0);
    }
    if (lp[lp.length - 1] !== LP_EOF) {
      throw new RdbFormatError("Listpack not terminated", lp.length - 1);
    }
    this.#end = lp.length - 1;
    this.headerCount = this.#view.getUint16(4, true);
  }

  /** Offset of the next entry. */
  get position(): number {
    return this.#pos;
  }

  /** True when another entry follows. */
  hasNext(): boolean {
    return this.#pos < this.#end;
  }

  #fail(message: string): never {
    throw new RdbFormatError(`Listpack: ${message}`, this.#pos);
  }

  /**
   * Reads the next entry into `isInt`/`int`/`big` or `strStart`/`strLen`.
   * When `checkBacklen`, the backlen must match the entry (deep checks).
   */
  advance(checkBacklen = false): void {
    const lp = this.#lp;
    const p = this.#pos;
    if (p >= this.#end) this.#fail("read past the end");
    const b = lp[p]!;
    let header = 1;
    let dataLen = 0;
    this.big = undefined;
    if ((b & 0x80) === 0) {
      this.isInt = true;
      this.int = b & 0x7f;
    } else if ((b & 0xc0) === 0x80) {
      this.isInt = false;
      dataLen = b & 0x3f;
    } else if ((b & 0xe0) === 0xc0) {
      header = 2;
      this.#check(p, 2);
      const u = ((b & 0x1f) << 8) | lp[p + 1]!;
      this.isInt = true;
      this.int = u >= 1 << 12 ? u - (1 << 13) : u;
    } else if ((b & 0xf0) === 0xe0) {
      header = 2;
      this.#check(p, 2);
      this.isInt = false;
      dataLen = ((b & 0x0f) << 8) | lp[p + 1]!;
    } else {
      switch (b) {
        case ENC_16BIT_INT:
          header = 3;
          this.#check(p, 3);
          this.isInt = true;
          this.int = this.#view.getInt16(p + 1, true);
          break;
        case ENC_24BIT_INT: {
          header = 4;
          this.#check(p, 4);
          this.isInt = true;
          const u = lp[p + 1]! | (lp[p + 2]! << 8) | (lp[p + 3]! << 16);
          this.int = u >= 1 << 23 ? u - (1 << 24) : u;
          break;
        }
        case ENC_32BIT_INT:
          header = 5;
          this.#check(p, 5);
          this.isInt = true;
          this.int = this.#view.getInt32(p + 1, true);
          break;
        case ENC_64BIT_INT:
          header = 9;
          this.#check(p, 9);
          this.isInt = true;
          this.big = this.#view.getBigInt64(p + 1, true);
          this.int = Number(this.big);
          break;
        case ENC_32BIT_STR:
          header = 5;
          this.#check(p, 5);
          this.isInt = false;
          dataLen = this.#view.getUint32(p + 1, true);
          break;
        default:
          this.#fail(`bad entry encoding ${b}`);
      }
    }
    const entryLen = header + dataLen;
    const blen = backlenSize(entryLen);
    this.#check(p, entryLen + blen);
    if (!this.isInt) {
      this.strStart = p + header;
      this.strLen = dataLen;
    }
    if (checkBacklen) {
      // lpDecodeBacklen reads the backlen from its last byte backwards.
      let v = 0;
      let shift = 1;
      let q = p + entryLen + blen - 1;
      let n = 0;
      for (;;) {
        const c = lp[q]!;
        v += (c & 127) * shift;
        n++;
        if ((c & 128) === 0) break;
        if (n >= 5 || q === p + entryLen) {
          this.#fail("bad backlen");
        }
        shift *= 128;
        q--;
      }
      if (v !== entryLen || n !== blen) this.#fail("bad backlen");
    }
    this.#pos = p + entryLen + blen;
  }

  #check(p: number, n: number): void {
    if (p + n > this.#end) this.#fail("entry past the end");
  }

  /** The next entry as text: integers as decimal, strings as latin1. */
  next(): string {
    this.advance();
    return this.current();
  }

  /** The entry last read as text. */
  current(): string {
    if (this.isInt) {
      return this.big !== undefined ? String(this.big) : String(this.int);
    }
    return latin1Slice(this.#lp, this.strStart, this.strStart + this.strLen);
  }

  /**
   * The next entry as an integer (lpGetInteger): integer entries as they
   * are, string entries when they parse as a 64-bit integer; anything else
   * throws RdbFormatError.
   */
  nextBigInt(): bigint {
    this.advance();
    if (this.isInt) return this.big ?? BigInt(this.int);
    const v = parseInt64(this.current());
    if (v === undefined) this.#fail("integer expected");
    return v;
  }

  /** Like nextBigInt, as a number (exact up to 2^53). */
  nextInt(): number {
    this.advance();
    if (this.isInt) return this.int;
    const v = parseInt64(this.current());
    if (v === undefined) this.#fail("integer expected");
    return Number(v);
  }
}

/** Every entry of `lp` as text (integers as decimal); throws RdbFormatError when malformed. */
export function listpackEntries(lp: Uint8Array): string[] {
  const it = new ListpackIterator(lp);
  const out: string[] = [];
  while (it.hasNext()) out.push(it.next());
  return out;
}

/**
 * lpValidateIntegrity: the header always (total bytes, terminator); with
 * `deep`, every entry (encoding, bounds, backlen) and the count.
 */
export function validateListpack(lp: Uint8Array, deep: boolean): boolean {
  try {
    const it = new ListpackIterator(lp);
    if (!deep) return true;
    let n = 0;
    while (it.hasNext()) {
      it.advance(true);
      n++;
    }
    return it.headerCount === LP_HDR_NUMELE_UNKNOWN || it.headerCount === n;
  } catch (e) {
    if (e instanceof RdbFormatError) return false;
    throw e;
  }
}
