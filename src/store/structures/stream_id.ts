/**
 * Stream entry IDs: `<ms>-<seq>`, two unsigned 64-bit integers.
 *
 * Both parts can reach 2^64-1, beyond what a JS number holds exactly, and
 * `bigint` arithmetic costs an allocation per operation. So each part is
 * kept as two unsigned 32-bit words; comparisons and increments work on the
 * words, and text is produced with plain numbers whenever the part is below
 * 2^53 (always, in practice).
 *
 * Parsing follows Redis's `streamGenericParseIDOrReply` exactly, including
 * its use of `strtoull` (leading blanks, `+`, and even `-` are accepted
 * where `string2ll` fails) and of C strings (a NUL byte ends the text).
 *
 * @module
 */

const TWO32 = 4294967296;
const MAX_WORD = 0xffffffff;

/** A stream entry ID. Immutable. */
export class StreamId {
  /** High and low 32-bit words of the milliseconds part. */
  readonly msHi: number;
  readonly msLo: number;
  /** High and low 32-bit words of the sequence part. */
  readonly seqHi: number;
  readonly seqLo: number;

  /** Builds an ID from its four 32-bit words. */
  constructor(msHi: number, msLo: number, seqHi: number, seqLo: number) {
    this.msHi = msHi;
    this.msLo = msLo;
    this.seqHi = seqHi;
    this.seqLo = seqLo;
  }

  /** An ID from two non-negative safe integers. */
  static of(ms: number, seq: number): StreamId {
    return new StreamId(
      Math.floor(ms / TWO32),
      ms % TWO32,
      Math.floor(seq / TWO32),
      seq % TWO32,
    );
  }

  /** An ID from two unsigned 64-bit bigints. */
  static fromBigInt(ms: bigint, seq: bigint): StreamId {
    return new StreamId(
      Number(ms >> 32n),
      Number(ms & 0xffffffffn),
      Number(seq >> 32n),
      Number(seq & 0xffffffffn),
    );
  }

  /** True for 0-0. */
  isZero(): boolean {
    return (this.msHi | this.msLo | this.seqHi | this.seqLo) === 0;
  }

  /** True for the largest ID, 18446744073709551615-18446744073709551615. */
  isMax(): boolean {
    return this.msHi === MAX_WORD && this.msLo === MAX_WORD &&
      this.seqHi === MAX_WORD && this.seqLo === MAX_WORD;
  }

  /** True when the sequence part is 2^64-1. */
  seqIsMax(): boolean {
    return this.seqHi === MAX_WORD && this.seqLo === MAX_WORD;
  }

  /** True when both IDs have the same milliseconds part. */
  sameMs(other: StreamId): boolean {
    return this.msHi === other.msHi && this.msLo === other.msLo;
  }

  /** The next ID (Redis's streamIncrID), or undefined after the largest. */
  next(): StreamId | undefined {
    if (this.seqLo !== MAX_WORD) {
      return new StreamId(this.msHi, this.msLo, this.seqHi, this.seqLo + 1);
    }
    if (this.seqHi !== MAX_WORD) {
      return new StreamId(this.msHi, this.msLo, this.seqHi + 1, 0);
    }
    if (this.msLo !== MAX_WORD) {
      return new StreamId(this.msHi, this.msLo + 1, 0, 0);
    }
    if (this.msHi !== MAX_WORD) return new StreamId(this.msHi + 1, 0, 0, 0);
    return undefined;
  }

  /** The previous ID (Redis's streamDecrID), or undefined before 0-0. */
  prev(): StreamId | undefined {
    if (this.seqLo !== 0) {
      return new StreamId(this.msHi, this.msLo, this.seqHi, this.seqLo - 1);
    }
    if (this.seqHi !== 0) {
      return new StreamId(this.msHi, this.msLo, this.seqHi - 1, MAX_WORD);
    }
    if (this.msLo !== 0) {
      return new StreamId(this.msHi, this.msLo - 1, MAX_WORD, MAX_WORD);
    }
    if (this.msHi !== 0) {
      return new StreamId(this.msHi - 1, MAX_WORD, MAX_WORD, MAX_WORD);
    }
    return undefined;
  }

  /** The same milliseconds with the sequence incremented; undefined if it is 2^64-1. */
  nextSeq(): StreamId | undefined {
    if (this.seqLo !== MAX_WORD) {
      return new StreamId(this.msHi, this.msLo, this.seqHi, this.seqLo + 1);
    }
    if (this.seqHi !== MAX_WORD) {
      return new StreamId(this.msHi, this.msLo, this.seqHi + 1, 0);
    }
    return undefined;
  }

  /** The milliseconds part as text. */
  msText(): string {
    return u64Text(this.msHi, this.msLo);
  }

  /** The sequence part as text. */
  seqText(): string {
    return u64Text(this.seqHi, this.seqLo);
  }

  /** `<ms>-<seq>` as Redis prints it. */
  toString(): string {
    return `${u64Text(this.msHi, this.msLo)}-${
      u64Text(this.seqHi, this.seqLo)
    }`;
  }

  /** The milliseconds part as a bigint. */
  msBig(): bigint {
    return (BigInt(this.msHi) << 32n) | BigInt(this.msLo);
  }

  /** The sequence part as a bigint. */
  seqBig(): bigint {
    return (BigInt(this.seqHi) << 32n) | BigInt(this.seqLo);
  }
}

/** 0-0. */
export const MIN_ID: StreamId = new StreamId(0, 0, 0, 0);
/** 18446744073709551615-18446744073709551615. */
export const MAX_ID: StreamId = new StreamId(
  MAX_WORD,
  MAX_WORD,
  MAX_WORD,
  MAX_WORD,
);

/** Compares two IDs: negative, zero or positive like `a - b`. */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a.msHi !== b.msHi) return a.msHi - b.msHi;
  if (a.msLo !== b.msLo) return a.msLo - b.msLo;
  if (a.seqHi !== b.seqHi) return a.seqHi - b.seqHi;
  return a.seqLo - b.seqLo;
}

/** Decimal text of the unsigned 64-bit integer `hi * 2^32 + lo`. */
export function u64Text(hi: number, lo: number): string {
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** How `parseStreamId` treats its input. */
export interface ParseIdOptions {
  /** Refuse the bare `-` and `+` (Redis's "strict" parsing). */
  strict?: boolean;
  /** The sequence used when only `<ms>` is given: 0 (default) or 2^64-1. */
  missingSeqMax?: boolean;
  /** Accept `<ms>-*` (XADD), reported with `seqGiven: false`. */
  seqStar?: boolean;
}

/** A parsed ID and whether its sequence was given (false for `<ms>-*`). */
export interface ParsedId {
  readonly id: StreamId;
  readonly seqGiven: boolean;
}

const WORDS: [number, number] = [0, 0];

/**
 * Parses a stream ID argument as Redis does. Returns undefined where Redis
 * replies "Invalid stream ID specified as stream command argument".
 */
export function parseStreamId(
  arg: string,
  opts: ParseIdOptions = {},
): ParsedId | undefined {
  if (arg.length > 127) return undefined;
  const nul = arg.indexOf("\0");
  const text = nul < 0 ? arg : arg.slice(0, nul);
  if (text === "-" || text === "+") {
    if (opts.strict) return undefined;
    return { id: text === "-" ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = text.indexOf("-");
  const msText = dash < 0 ? text : text.slice(0, dash);
  if (!parseU64(msText, WORDS)) return undefined;
  const msHi = WORDS[0];
  const msLo = WORDS[1];
  if (dash < 0) {
    const seq = opts.missingSeqMax ? MAX_WORD : 0;
    return { id: new StreamId(msHi, msLo, seq, seq), seqGiven: true };
  }
  const seqText = text.slice(dash + 1);
  if (opts.seqStar && seqText === "*") {
    return { id: new StreamId(msHi, msLo, 0, 0), seqGiven: false };
  }
  if (!parseU64(seqText, WORDS)) return undefined;
  return { id: new StreamId(msHi, msLo, WORDS[0], WORDS[1]), seqGiven: true };
}

const DIGITS = /^\d{1,15}$/;
const TWO64 = 1n << 64n;

/**
 * Redis's `string2ull`: `string2ll` when that succeeds (negative values
 * refused), otherwise `strtoull` in base 10 over the whole string. Writes
 * the high and low words into `out`; returns false when invalid.
 */
export function parseU64(s: string, out: [number, number]): boolean {
  if (DIGITS.test(s) && (s.length === 1 || s.charCodeAt(0) !== 48)) {
    const v = Number(s);
    out[0] = Math.floor(v / TWO32);
    out[1] = v % TWO32;
    return true;
  }
  // strtoull: leading white space, an optional sign, then at least one
  // digit, and nothing after the digits. string2ll's successes are a subset
  // of this, except that it refuses negative numbers outright.
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    i++;
  }
  const digits = s.slice(i);
  if (digits.length === 0 || !/^\d+$/.test(digits)) return false;
  if (negative && i === 1 && isString2ll(s)) return false; // string2ll: negative
  let v = BigInt(digits);
  if (v >= TWO64) return false; // ERANGE
  if (negative) v = (TWO64 - v) % TWO64;
  out[0] = Number(v >> 32n);
  out[1] = Number(v & 0xffffffffn);
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

// string2ll's grammar: optional '-', no leading zeros (except "0"), int64 range.
function isString2ll(s: string): boolean {
  if (!/^-?(0|[1-9]\d*)$/.test(s) || s === "-0") return false;
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < (1n << 63n);
}
