/**
 * An exact emulation of the x87 80-bit `long double` arithmetic behind
 * Redis's INCRBYFLOAT and HINCRBYFLOAT.
 *
 * Redis parses both operands with `strtold` (its `string2ld`), adds them in
 * `long double` (64-bit significand, 15-bit exponent) and prints the sum
 * with `%.17Lf`, trimming trailing zeros (`ld2string` with `LD_STR_HUMAN`).
 * A JavaScript double gives different digits (10.5 + 0.1 must print
 * `10.6`), so values here are exact BigInt significands with a binary
 * exponent, rounded to nearest-even at 64 bits as the FPU does, subnormals
 * and overflow included.
 *
 * @module
 */
import { incrementNanOrInfinity, notFloat } from "../errors.ts";

/**
 * A `long double`: `(-1)^neg * mant * 2^exp` for finite values (`mant` has
 * at most 64 bits; zero has `mant` 0), or an infinity.
 */
export interface LongDouble {
  readonly neg: boolean;
  readonly inf: boolean;
  readonly mant: bigint;
  readonly exp: number;
}

/** Significand bits, the explicit integer bit included. */
const PRECISION = 64;
/** Exponent of the least significant bit of the smallest subnormal (2^-16445). */
const MIN_EXP = -16445;
/** Largest exponent a 64-bit significand can have (LDBL_MAX = (2^64-1) * 2^16320). */
const MAX_EXP = 16320;
const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;

/** Redis's MAX_LONG_DOUBLE_CHARS: longer input is refused, and output fits. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const ZERO: LongDouble = { neg: false, inf: false, mant: 0n, exp: 0 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact value `num / den * 2^e2` (positive bigints) to the
 * nearest `long double`, ties to even, with gradual underflow. Overflow
 * gives an infinity.
 */
function round(neg: boolean, num: bigint, den: bigint, e2: number): LongDouble {
  if (num === 0n) return { neg, inf: false, mant: 0n, exp: 0 };
  // Scale by 2^s so that the quotient has 64 or 65 bits.
  let s = PRECISION - bitLength(num) + bitLength(den);
  if (e2 - s < MIN_EXP) s = e2 - MIN_EXP;
  let n = num;
  let d = den;
  if (s >= 0) n <<= BigInt(s);
  else d <<= BigInt(-s);
  let q = n / d;
  let rem = n - q * d;
  let exp = e2 - s;
  if (q >= TWO_64) {
    // One bit too many: drop it into the remainder.
    const low = q & 1n;
    q >>= 1n;
    rem += low * d;
    d <<= 1n;
    exp++;
  }
  const twice = rem << 1n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) {
    q++;
    if (q === TWO_64) {
      q = TWO_63;
      exp++;
    }
  }
  if (q === 0n) return { neg, inf: false, mant: 0n, exp: 0 };
  if (exp > MAX_EXP) return { neg, inf: true, mant: 0n, exp: 0 };
  return { neg, inf: false, mant: q, exp };
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE =
  /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)inf(?:inity)?$/i;

// Exponents beyond this only decide between zero and infinity.
const EXP_CLAMP = 200000;

function clampExp(text: string | undefined): number {
  if (text === undefined) return 0;
  const v = Number(text);
  return v > EXP_CLAMP ? EXP_CLAMP : v < -EXP_CLAMP ? -EXP_CLAMP : v;
}

/**
 * Parses text as Redis's `string2ld` does: `strtold` over the whole input
 * (decimal, hexadecimal, `inf`/`infinity`), refusing empty or overlong
 * input, leading space, trailing garbage, NaN, and results that overflow
 * to infinity or underflow to zero (a NUL byte counts as trailing
 * garbage: Redis checks that strtold consumed every byte). Returns undefined when Redis would refuse the value.
 */
export function parseLongDouble(text: string): LongDouble | undefined {
  if (text.length === 0 || text.length >= MAX_LONG_DOUBLE_CHARS) {
    return undefined;
  }
  const s = text;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return undefined;
  const dec = DECIMAL_RE.exec(s);
  if (dec !== null) {
    const intPart = dec[2]!;
    const frac = dec[3] ?? "";
    if (intPart === "" && frac === "") return undefined;
    const neg = dec[1] === "-";
    const digits = (intPart + frac).replace(/^0+/, "");
    if (digits === "") return { neg, inf: false, mant: 0n, exp: 0 };
    const e10 = clampExp(dec[4]) - frac.length;
    const magnitude = digits.length + e10;
    // Far outside the range: overflow or underflow (ERANGE), refused.
    if (magnitude > 4940 || magnitude < -4960) return undefined;
    const d = BigInt(digits);
    const v = e10 >= 0
      ? round(neg, d * 10n ** BigInt(e10), 1n, 0)
      : round(neg, d, 10n ** BigInt(-e10), 0);
    return v.inf || v.mant === 0n ? undefined : v;
  }
  const hex = HEX_RE.exec(s);
  if (hex !== null) {
    const intPart = hex[2]!;
    const frac = hex[3] ?? "";
    if (intPart === "" && frac === "") return undefined;
    const neg = hex[1] === "-";
    const digits = (intPart + frac).replace(/^0+/, "");
    if (digits === "") return { neg, inf: false, mant: 0n, exp: 0 };
    const e2 = clampExp(hex[4]) - 4 * frac.length;
    const v = round(neg, BigInt("0x" + digits), 1n, e2);
    return v.inf || v.mant === 0n ? undefined : v;
  }
  const inf = INF_RE.exec(s);
  if (inf !== null) return { neg: inf[1] === "-", inf: true, mant: 0n, exp: 0 };
  return undefined;
}

/** `a + b` in `long double`, rounded to nearest-even; undefined for NaN (inf - inf). */
export function addLongDouble(
  a: LongDouble,
  b: LongDouble,
): LongDouble | undefined {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return undefined;
    return a.inf ? a : b;
  }
  if (a.mant === 0n) return b.mant === 0n ? { ...b, neg: a.neg && b.neg } : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const x = a.mant << BigInt(a.exp - e);
  const y = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -x : x) + (b.neg ? -y : y);
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return ZERO;
  return sum < 0n ? round(true, -sum, 1n, e) : round(false, sum, 1n, e);
}

const FRACTION_DIGITS = 17;
const SCALE = 10n ** BigInt(FRACTION_DIGITS);

/**
 * Formats as Redis's `ld2string` in `LD_STR_HUMAN` mode: `%.17Lf` (exact
 * decimal expansion, rounded half to even), trailing zeros and a trailing
 * point removed, `-0` printed as `0`, infinities as `inf`/`-inf`.
 */
export function formatLongDouble(v: LongDouble): string {
  if (v.inf) return v.neg ? "-inf" : "inf";
  const sign = v.neg ? "-" : "";
  let text: string;
  if (v.exp >= 0) {
    text = (v.mant << BigInt(v.exp)).toString();
  } else {
    const shift = BigInt(-v.exp);
    const scaled = v.mant * SCALE;
    let q = scaled >> shift;
    const rem = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    const intPart = (q / SCALE).toString();
    let frac = (q % SCALE).toString().padStart(FRACTION_DIGITS, "0");
    let end = frac.length;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
    text = frac === "" ? intPart : `${intPart}.${frac}`;
  }
  return sign === "-" && text === "0" ? "0" : sign + text;
}

/**
 * The text INCRBYFLOAT / HINCRBYFLOAT store and reply: `current` (the
 * stored value, or undefined for a missing one, which counts as 0) plus
 * `increment`, as Redis computes it in `long double`.
 *
 * Throws `value is not a valid float` when either is not a number Redis
 * accepts, and `increment would produce NaN or Infinity` when the sum is
 * not finite.
 */
export function incrByFloatText(
  current: string | undefined,
  increment: string,
): string {
  const a = current === undefined ? ZERO : parseLongDouble(current);
  if (a === undefined) throw notFloat();
  const b = parseLongDouble(increment);
  if (b === undefined) throw notFloat();
  const sum = addLongDouble(a, b);
  if (sum === undefined || sum.inf) throw incrementNanOrInfinity();
  return formatLongDouble(sum);
}
