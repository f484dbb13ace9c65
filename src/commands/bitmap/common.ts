/**
 * Helpers the bitmap commands share: Redis's bit offset parsing and the
 * range arithmetic of BITCOUNT and BITPOS.
 *
 * @module
 */
import { bitOffsetError } from "../../errors.ts";
import type { StringValue } from "../../store/values.ts";
import { parseInt64 } from "../../util/number.ts";
import type { Context } from "../types.ts";

/**
 * Parses a bit offset as Redis's `getBitOffsetFromArgument`: a signed
 * 64-bit integer, or with `bits` > 0 also `#N` meaning `N * bits` (computed
 * with 64-bit wrap-around, as in C), refused when negative or past
 * proto-max-bulk-len bytes (except for the primary and AOF clients).
 */
export function bitOffset(ctx: Context, text: string, bits = 0): number {
  const hash = bits > 0 && text.charCodeAt(0) === 35; // '#'
  let offset = parseInt64(hash ? text.slice(1) : text);
  if (offset === undefined) throw bitOffsetError();
  if (hash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (
    offset < 0n ||
    (!ctx.client.internal &&
      offset >> 3n >= BigInt(ctx.server.limits.maxBulkLen))
  ) {
    throw bitOffsetError();
  }
  return Number(offset);
}

/** Bits set in each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Number of set bits in one byte. */
export function popcount8(b: number): number {
  return POPCOUNT[b & 0xff]!;
}

/** Number of set bits in bytes `[start, end]` (inclusive) of a value. */
export function popcount(v: StringValue, start: number, end: number): number {
  let n = 0;
  if (typeof v === "string") {
    for (let i = start; i <= end; i++) n += POPCOUNT[v.charCodeAt(i)]!;
  } else {
    for (let i = start; i <= end; i++) n += POPCOUNT[v[i]!]!;
  }
  return n;
}

/** Byte `i` of a value. */
export function byteOf(v: StringValue, i: number): number {
  return typeof v === "string" ? v.charCodeAt(i) : v[i]!;
}

/**
 * Redis's index normalisation for BITCOUNT/BITPOS ranges over `total`
 * units: negative indexes count from the end, then both are clamped to
 * `[0, total - 1]`. Returns `[start, end]` (start > end means empty).
 */
export function clampRange(
  start: bigint,
  end: bigint,
  total: number,
): [number, number] {
  const len = BigInt(total);
  if (start < 0n) start += len;
  if (end < 0n) end += len;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  return [Number(start), Number(end)];
}
