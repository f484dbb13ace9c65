/**
 * String values: their three stored forms, OBJECT ENCODING, and the helpers
 * that edit them in place.
 *
 * A `StringValue` is one of:
 *
 * - a latin1 `string` (one char per byte): what SET, MSET, APPEND on a new
 *   key, INCR... store. Redis passes these through `tryObjectEncoding`, so
 *   their encoding follows from the content: `int`, `embstr` or `raw`.
 * - a `RawBytes` (a `Uint8Array` subclass): a value edited in place (APPEND
 *   to an existing key, SETRANGE, SETBIT, BITFIELD writes, BITOP results).
 *   Redis holds these as a raw SDS with free space; we hold a view whose
 *   `ArrayBuffer` has spare capacity, so repeated edits are amortised O(1).
 *   Its encoding is always `raw`.
 * - any other `Uint8Array`: bytes stored as they are, like Redis's
 *   `createStringObject` without `tryObjectEncoding` (INCRBYFLOAT results
 *   that look like integers). `embstr` up to 44 bytes, `raw` beyond.
 *
 * A `RawBytes` value may change in place after the command that read it.
 * Code that keeps a string value beyond the current command (COPY, a
 * snapshot, a reply that is not encoded at once) copies it with
 * `copyString` or marks it with `shareString`, so the next in-place
 * overwrite copies first.
 *
 * @module
 */
import { latin1Slice, writeLatin1 } from "../util/bytes.ts";
import type { StringValue } from "./values.ts";

export type { StringValue };

/** Longest string Redis stores as `embstr` (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
export const EMBSTR_SIZE_LIMIT = 44;

/** Past this size an SDS grows by a fixed step instead of doubling (SDS_MAX_PREALLOC). */
const MAX_PREALLOC = 1024 * 1024;

/**
 * A string value edited in place: a view over a buffer with spare capacity.
 * Bytes of the buffer past the view's length are always zero.
 */
export class RawBytes extends Uint8Array {
  /** Set when a reader may still hold this view: the next overwrite copies first. */
  shared = false;

  // slice() and subarray() of a RawBytes are plain bytes, never editable.
  static get [Symbol.species](): Uint8ArrayConstructor {
    return Uint8Array;
  }
}

/** Length in bytes of a string value. */
export function stringLength(v: StringValue): number {
  return v.length;
}

/** A string value as a latin1 string. */
export function stringToLatin1(v: StringValue): string {
  return typeof v === "string" ? v : latin1Slice(v, 0, v.length);
}

/** Byte `i` of a string value (`i` must be in range). */
export function byteAt(v: StringValue, i: number): number {
  return typeof v === "string" ? v.charCodeAt(i) : v[i]!;
}

/**
 * True if `s` (at most 20 chars) parses with Redis's `string2ll`: an
 * optional `-`, no leading zeros, no `-0`, within the signed 64-bit range.
 */
export function isInt64Text(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (len === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return len === 1; // "0" only; no leading zeros, no "-0"
  if (first < 49 || first > 57) return false;
  for (let j = i + 1; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  if (len - i < 19) return true;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/**
 * What OBJECT ENCODING reports for a string value, as Redis 7.0 does:
 * `int` for values `tryObjectEncoding` turns into integers, `embstr` up to
 * 44 bytes, `raw` beyond, and always `raw` after an in-place edit.
 */
export function stringEncoding(v: StringValue): "int" | "embstr" | "raw" {
  if (typeof v === "string") {
    if (v.length <= 20 && isInt64Text(v)) return "int";
    return v.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
  }
  if (v instanceof RawBytes) return "raw";
  return v.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
}

/**
 * The value Redis's `createStringObject` makes from `s` without trying to
 * encode it as an integer (INCRBYFLOAT): kept as bytes when it looks like
 * an integer, so OBJECT ENCODING still says `embstr`.
 */
export function plainString(s: string): StringValue {
  if (s.length > 20 || !isInt64Text(s)) return s;
  const out = new Uint8Array(s.length);
  writeLatin1(s, out, 0);
  return out;
}

/** An independent copy of a string value with the same encoding (COPY). */
export function copyString(v: StringValue): StringValue {
  if (typeof v === "string") return v;
  if (!(v instanceof RawBytes)) return v.slice();
  const out = allocRaw(v.length, false);
  out.set(v);
  return out;
}

/** Marks a value as possibly held by a reader; the next overwrite in place copies first. */
export function shareString(v: StringValue): StringValue {
  if (v instanceof RawBytes) v.shared = true;
  return v;
}

// An SDS-like allocation of `length` zero bytes; `greedy` leaves room to
// grow the way sdsMakeRoomFor does.
function allocRaw(length: number, greedy: boolean): RawBytes {
  const capacity = !greedy
    ? length
    : length < MAX_PREALLOC
    ? Math.max(length * 2, 16)
    : length + MAX_PREALLOC;
  return new RawBytes(new ArrayBuffer(capacity), 0, length);
}

// A RawBytes of `length` bytes holding `v` (zero padded), reusing `v`'s
// buffer when it is editable and has room.
function growRaw(
  v: StringValue | undefined,
  length: number,
  overwrite: boolean,
): RawBytes {
  if (v instanceof RawBytes && !(overwrite && v.shared)) {
    if (length <= v.length) return v;
    if (v.byteOffset + length <= v.buffer.byteLength) {
      const grown = new RawBytes(v.buffer, v.byteOffset, length);
      // A reader of the old view sees the same bytes through this one.
      grown.shared = v.shared;
      return grown;
    }
  }
  const old = v === undefined ? 0 : v.length;
  const out = allocRaw(Math.max(length, old), true);
  if (v !== undefined) {
    if (typeof v === "string") writeLatin1(v, out, 0);
    else out.set(v);
  }
  return out;
}

/**
 * Editable bytes of at least `length` bytes holding `v` zero-padded, for
 * SETBIT and BITFIELD. Store the result (it may be a new object); it may be
 * `v` itself.
 */
export function editableBytes(
  v: StringValue | undefined,
  length: number,
): RawBytes {
  return growRaw(v, length, true);
}

/** `v` followed by `suffix` (APPEND); amortised O(length of suffix). */
export function appendString(v: StringValue, suffix: string): RawBytes {
  const start = v.length;
  // Appending never changes bytes a reader may hold, so sharing is no obstacle.
  const out = growRaw(v, start + suffix.length, false);
  writeLatin1(suffix, out, start);
  return out;
}

/**
 * `v` (or nothing) with `data` written at byte `offset`, zero-padded
 * (SETRANGE).
 */
export function writeRange(
  v: StringValue | undefined,
  offset: number,
  data: string,
): RawBytes {
  const out = growRaw(v, offset + data.length, true);
  writeLatin1(data, out, offset);
  return out;
}

/** A new raw value holding `bytes` (BITOP's destination). */
export function rawFrom(bytes: Uint8Array): RawBytes {
  const out = allocRaw(bytes.length, false);
  out.set(bytes);
  return out;
}
