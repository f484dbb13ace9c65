/**
 * Number parsing and formatting with Redis's exact rules.
 *
 * Redis parses integers with `string2ll` (no sign `+`, no leading zeros, no
 * spaces, signed 64-bit range) and doubles with `strtod` (plus its own
 * rejections), and prints doubles with `%.17g`. JavaScript's `parseInt` and
 * `Number` accept inputs Redis rejects, so every number from the wire goes
 * through these functions.
 *
 * @module
 */

/** Signed 64-bit bounds. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a signed 64-bit integer the way Redis's `string2ll` does. Returns
 * undefined when the text is not exactly such an integer.
 */
export function parseInt64(s: string): bigint | undefined {
  if (!isIntegerSyntax(s)) return undefined;
  if (s.length < 16) return BigInt(Number(s));
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/**
 * Parses like `parseInt64` but returns a number, exact up to 2^53. Larger
 * magnitudes come back rounded, which callers use only for clamped indexes.
 */
export function parseIntNumber(s: string): number | undefined {
  if (!isIntegerSyntax(s)) return undefined;
  if (s.length < 16) return Number(s);
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : Number(v);
}

function isIntegerSyntax(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > 20) return false;
  if (len === 1) {
    const c = s.charCodeAt(0);
    return c >= 48 && c <= 57;
  }
  let i = 0;
  if (s.charCodeAt(0) === 45) i = 1; // '-'
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return false; // no leading zeros, "-0" rejected
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT_RE =
  /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Parses a double the way Redis does (`strtod` over the whole string, no
 * leading space, no NaN, overflow rejected). Returns undefined otherwise.
 */
export function parseDouble(s: string): number | undefined {
  const v = strtod(s);
  if (v === undefined || Number.isNaN(v)) return undefined;
  if (!Number.isFinite(v) && !INF_RE.test(s)) return undefined; // ERANGE overflow
  if (v === 0 && /^[^eEpP]*[1-9a-fA-F]/.test(s.replace(/^[+-]?0[xX]/, ""))) {
    return undefined; // ERANGE underflow to zero
  }
  return v;
}

/**
 * Parses the whole string as C's `strtod` would (decimal, hex float,
 * inf/infinity, nan). Returns undefined if any character is left over.
 */
export function strtod(s: string): number | undefined {
  if (s.length === 0) return undefined;
  if (FLOAT_RE.test(s)) return Number(s);
  const inf = INF_RE.exec(s);
  if (inf !== null) return inf[1] === "-" ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  const hex = HEX_FLOAT_RE.exec(s);
  if (hex !== null && (hex[2] !== "" || (hex[3] ?? "") !== "")) {
    const intPart = hex[2] ?? "";
    const frac = hex[3] ?? "";
    let v = 0;
    for (const c of intPart + frac) v = v * 16 + parseInt(c, 16);
    const exp = Number(hex[4] ?? "0") - 4 * frac.length;
    v = v * 2 ** exp;
    return hex[1] === "-" ? -v : v;
  }
  return undefined;
}

/** Formats a double as C's `printf("%.17g")` does. */
export function formatG17(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const expForm = v.toExponential(16); // d.dddddddddddddddde±x: 17 significant digits
  const ePos = expForm.indexOf("e");
  const exp = Number(expForm.slice(ePos + 1));
  const negative = expForm.charCodeAt(0) === 45;
  const digits = expForm.slice(negative ? 1 : 0, ePos).replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 17) {
    const mant = trimZeros(digits[0] + "." + digits.slice(1));
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" + e : e}`;
  }
  if (exp < 0) return sign + trimZeros("0." + "0".repeat(-exp - 1) + digits);
  return sign +
    trimZeros(digits.slice(0, exp + 1) + "." + digits.slice(exp + 1));
}

function trimZeros(s: string): string {
  if (s.indexOf(".") < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * Formats a double as Redis's `d2string` does: integers in the ±2^52 range
 * without a fraction, everything else with `%.17g`.
 */
export function formatDouble(v: number): string {
  if (Number.isInteger(v) && v > -4503599627370495 && v < 4503599627370496) {
    return Object.is(v, -0) ? "-0" : String(v);
  }
  return formatG17(v);
}
