/**
 * Helpers shared by the geo commands: argument parsing with Redis's errors
 * and the exact number formats Redis prints (`%f` in errors, `%.4f`
 * distances, `%.17Lf` coordinates with trailing zeros removed).
 *
 * @module
 */
import { invalidLonLat, notFloat, unsupportedUnit } from "../../errors.ts";
import type { ReplyNode } from "../../protocol/types.ts";
import {
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
} from "../../util/geohash.ts";
import { asciiLower } from "../../util/bytes.ts";
import { parseDouble } from "../../util/number.ts";

const view = new DataView(new ArrayBuffer(8));

/**
 * Formats `v` as C's `printf("%.<digits>f")`: the exact binary value
 * rounded half to even, `inf`, `-inf`, `nan`.
 */
export function formatFixed(v: number, digits: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  const scale = 10n ** BigInt(digits);
  let q: bigint;
  if (exp >= 0) {
    q = (mant << BigInt(exp)) * scale;
  } else {
    const shift = BigInt(-exp);
    const scaled = mant * scale;
    q = scaled >> shift;
    const rem = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  }
  const text = q.toString().padStart(digits + 1, "0");
  const int = text.slice(0, text.length - digits);
  const sign = negative ? "-" : "";
  return digits === 0 ? sign + int : `${sign}${int}.${text.slice(-digits)}`;
}

/**
 * Redis's `ld2string` in human mode on a double: `%.17Lf` with trailing
 * zeros and point removed, `-0` as `0`.
 */
export function formatHuman(v: number): string {
  let s = formatFixed(v, 17);
  if (s.indexOf(".") >= 0) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
  }
  return s === "-0" ? "0" : s;
}

/**
 * A coordinate as Redis's addReplyHumanLongDouble sends it: a bulk string
 * in RESP2, a double in RESP3, both with the human digits.
 */
export function coordinateReply(v: number): ReplyNode {
  return { kind: "double", value: v, text: formatHuman(v) };
}

/** A distance as Redis sends it: `%.4f` in a bulk string. */
export function distanceReply(meters: number): string {
  return formatFixed(meters, 4);
}

/**
 * Parses a longitude and latitude (`value is not a valid float`), then
 * checks them against the Web Mercator limits.
 */
export function parseLonLat(
  lonText: string,
  latText: string,
): [number, number] {
  const lon = parseDouble(lonText);
  if (lon === undefined) throw notFloat();
  const lat = parseDouble(latText);
  if (lat === undefined) throw notFloat();
  if (
    lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN ||
    lat > GEO_LAT_MAX
  ) {
    throw invalidLonLat(formatFixed(lon, 6), formatFixed(lat, 6));
  }
  return [lon, lat];
}

/** Metres per unit (`m`, `km`, `ft`, `mi`, any case). */
export function parseUnit(text: string): number {
  switch (text.length <= 2 ? asciiLower(text) : "") {
    case "m":
      return 1;
    case "km":
      return 1000;
    case "ft":
      return 0.3048;
    case "mi":
      return 1609.34;
  }
  throw unsupportedUnit();
}
