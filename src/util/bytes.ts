/**
 * Lossless conversion between bytes and latin1 strings (one char per byte).
 *
 * Keys and small values travel as latin1 strings: V8 stores them one byte
 * per char, compares and hashes them natively, and they cost far less memory
 * than a `Uint8Array` each. Never decode wire bytes as UTF-8: invalid
 * sequences would collapse into U+FFFD and two keys would collide.
 *
 * @module
 */
import { Buffer } from "node:buffer";

// Below this length a plain loop beats the native slice call's fixed cost.
const SMALL = 12;

/** A binary-safe value as the store keeps it: latin1 string or raw bytes. */
export type Bytes = string | Uint8Array;

/** A Buffer view over bytes, used for its fast native latin1 slicing. */
export interface Latin1View {
  latin1Slice(start: number, end: number): string;
}

/** A Buffer view over `bytes`, for fast native latin1 slicing. */
export function bufferView(bytes: Uint8Array): Latin1View {
  // latin1Slice is part of Node's Buffer but missing from its type declarations.
  return Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength,
  ) as unknown as Latin1View;
}

/**
 * Converts `bytes[start..end)` to a latin1 string. `view` must be
 * `bufferView(bytes)`; callers that decode many slices keep one around.
 */
export function latin1Slice(
  bytes: Uint8Array,
  start: number,
  end: number,
  view?: Latin1View,
): string {
  const len = end - start;
  if (len <= SMALL) {
    switch (len) {
      case 0:
        return "";
      case 1:
        return String.fromCharCode(bytes[start]!);
      case 2:
        return String.fromCharCode(bytes[start]!, bytes[start + 1]!);
      case 3:
        return String.fromCharCode(
          bytes[start]!,
          bytes[start + 1]!,
          bytes[start + 2]!,
        );
    }
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return (view ?? bufferView(bytes)).latin1Slice(start, end);
}

/** Converts a whole byte array to a latin1 string. */
export function bytesToLatin1(bytes: Uint8Array): string {
  return latin1Slice(bytes, 0, bytes.length);
}

const textEncoder = new TextEncoder();

/**
 * Writes latin1 string `s` into `out` at `offset`; `out` must have room for
 * `s.length` bytes. Returns the number of bytes written.
 */
export function writeLatin1(
  s: string,
  out: Uint8Array,
  offset: number,
): number {
  const len = s.length;
  if (len > 64) {
    // The native UTF-8 encoder is byte-for-byte right when every char is
    // ASCII, which it reports by writing exactly one byte per char.
    const r = textEncoder.encodeInto(s, out.subarray(offset, offset + len));
    if (r.read === len && r.written === len) return len;
  }
  for (let i = 0; i < len; i++) out[offset + i] = s.charCodeAt(i);
  return len;
}

/** `parts` one after another in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Converts a latin1 string to a new byte array. */
export function latin1ToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  writeLatin1(s, out, 0);
  return out;
}

/** Converts text (UTF-16) to the latin1 string of its UTF-8 bytes. */
export function utf8ToLatin1(text: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return bytesToLatin1(textEncoder.encode(text));
}

/** Converts a latin1 string holding UTF-8 bytes back to text, for logs and file names. */
export function latin1ToUtf8(s: string): string {
  return new TextDecoder().decode(latin1ToBytes(s));
}

/** Length in bytes of a stored value. */
export function byteLength(v: Bytes): number {
  return typeof v === "string" ? v.length : v.length;
}

/** A stored value as a latin1 string. */
export function asLatin1(v: Bytes): string {
  return typeof v === "string" ? v : bytesToLatin1(v);
}

/** ASCII-only lower-casing, leaving bytes >= 0x80 alone (unlike toLowerCase). */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s)
    ? s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20))
    : s;
}

/** Case-insensitive ASCII comparison of `s` against lower-case `lower`. */
export function eqIgnoreCase(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
