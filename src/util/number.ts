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

const TWO_53 = 9007199254740992;
const bits = new DataView(new ArrayBuffer(8));

/**
 * Formats a double as C's `printf("%.17g")` does: the exact binary value
 * rounded to 17 significant digits, half to even, trailing zeros dropped,
 * in exponent form below 1e-4 and from 1e17.
 */
export function formatG17(v: number): string {
  if (Number.isInteger(v)) {
    // Exact, and fewer than 17 digits: the shortest form is the integer.
    if (v < TWO_53 && v > -TWO_53) {
      return v === 0 && 1 / v < 0 ? "-0" : String(v);
    }
  } else if (v !== v) {
    return "nan";
  } else if (v === Infinity) {
    return "inf";
  } else if (v === -Infinity) {
    return "-inf";
  }
  // d.dddddddddddddddde±x: 17 significant digits, rounded half up.
  const t = v.toExponential(16);
  const sign = t.charCodeAt(0) === 45 ? 1 : 0;
  const e = sign + 18;
  let exp = 0;
  for (let i = e + 2; i < t.length; i++) exp = exp * 10 + t.charCodeAt(i) - 48;
  if (t.charCodeAt(e + 1) === 45) exp = -exp;
  // An odd last digit may come from rounding a tie up where C rounds to
  // even.
  if ((t.charCodeAt(e - 1) & 1) === 1 && isTie(v, exp)) {
    return fromDigits(
      sign === 1,
      t[sign]! + t.slice(sign + 2, e - 1) +
        String.fromCharCode(t.charCodeAt(e - 1) - 1),
      exp,
    );
  }
  // The significant digits are t[sign] and t[sign + 2 .. end).
  let end = e;
  while (t.charCodeAt(end - 1) === 48) end--;
  if (end === sign + 2) end--; // only the point is left
  if (exp < -4 || exp >= 17) {
    const x = exp < 0 ? -exp : exp;
    return t.slice(0, end) + (exp < 0 ? "e-" : "e+") + (x < 10 ? "0" : "") +
      x;
  }
  const head = sign === 1 ? "-" : "";
  if (exp < 0) {
    return head + "0." + ZEROS[-exp - 1]! + t[sign]! +
      t.slice(sign + 2, end);
  }
  // Digits after the first in the integer part, and how many there are.
  const intEnd = sign + 2 + exp;
  if (end > intEnd) {
    return head + t[sign]! + t.slice(sign + 2, intEnd) + "." +
      t.slice(intEnd, end);
  }
  return head + t[sign]! + t.slice(sign + 2, end) +
    ZEROS[intEnd - (end < sign + 2 ? sign + 2 : end)]!;
}

const ZEROS = ["", "0", "00", "000", "0000", "00000", "000000", "0000000"]
  .concat(Array.from({ length: 10 }, (_, i) => "0".repeat(i + 8)));

/**
 * True when `v`, whose 17-digit rounding has exponent `exp`, lies exactly
 * half way between two 17-digit decimals: its exact expansion has 18
 * significant digits (the last one a 5).
 */
function isTie(v: number, exp: number): boolean {
  bits.setFloat64(0, v);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  // v = mantissa * 2^e2, and the mantissa's lowest set bit is 2^zeros.
  const e2 = biased === 0 ? -1074 : biased - 1075;
  const mantHi = (hi & 0xfffff) | (biased === 0 ? 0 : 0x100000);
  const zeros = lo !== 0
    ? 31 - Math.clz32(lo & -lo)
    : 32 + 31 - Math.clz32(mantHi & -mantHi);
  // Digits after the point in the exact expansion.
  const fraction = -(e2 + zeros);
  return fraction > 0 && exp + 1 + fraction === 18;
}

// Formats 17 significant digits `d` with decimal exponent `exp` as %.17g.
function fromDigits(negative: boolean, d: string, exp: number): string {
  let end = d.length;
  while (end > 1 && d.charCodeAt(end - 1) === 48) end--;
  const digits = d.slice(0, end);
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 17) {
    const x = exp < 0 ? -exp : exp;
    const mant = end > 1 ? digits[0] + "." + digits.slice(1) : digits;
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${x < 10 ? "0" : ""}${x}`;
  }
  if (exp < 0) return sign + "0." + ZEROS[-exp - 1]! + digits;
  if (end <= exp + 1) return sign + digits + ZEROS[exp + 1 - end]!;
  return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
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

/**
 * A double as Redis prints it with `%f` and then `trimDoubleString`: six
 * decimals rounded as printf rounds them (an exact tie goes to the even
 * digit, where toFixed goes away from zero), then trailing zeros and the
 * point dropped ("99.9", "8", "-0"). For magnitudes below 1e15.
 */
export function formatFixedTrimmed(v: number): string {
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  const a = Math.abs(v);
  let s = a.toFixed(6);
  const twice = a * 2e6;
  if (Number.isInteger(twice) && twice % 2 === 1) {
    const below = (twice - 1) / 2;
    const even = below % 2 === 0 ? below : below + 1;
    s = `${Math.floor(even / 1e6)}.${String(even % 1e6).padStart(6, "0")}`;
  }
  return sign + s.replace(/0+$/, "").replace(/\.$/, "");
}
