/**
 * The option grammar SET and GETEX share (Redis's
 * `parseExtendedStringArgumentsOrReply`) and the expiry arithmetic of
 * `getExpireMillisecondsOrReply`.
 *
 * @module
 */
import { invalidExpireTime, notInteger, syntaxError } from "../../errors.ts";
import { INT64_MAX, parseInt64 } from "../../util/number.ts";
import { asciiLower } from "../../util/bytes.ts";
import type { Context } from "../types.ts";

/** SET NX: only when the key does not exist. */
export const OPT_NX = 1;
/** SET XX: only when the key exists. */
export const OPT_XX = 2;
/** SET GET: reply with the old value. */
export const OPT_GET = 4;
/** EX seconds (relative). */
export const OPT_EX = 8;
/** PX milliseconds (relative). */
export const OPT_PX = 16;
/** EXAT Unix seconds. */
export const OPT_EXAT = 32;
/** PXAT Unix milliseconds. */
export const OPT_PXAT = 64;
/** SET KEEPTTL: keep the key's time to live. */
export const OPT_KEEPTTL = 128;
/** GETEX PERSIST: remove the time to live. */
export const OPT_PERSIST = 256;

const ANY_EXPIRE = OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT;

/**
 * An option word as Redis's C comparisons see it: ASCII lower case, cut at
 * the first NUL byte (`strcasecmp` and `opt[2] == '\0'` stop there).
 */
export function optionWord(word: string): string {
  const nul = word.indexOf("\0");
  return asciiLower(nul < 0 ? word : word.slice(0, nul));
}

/** Parsed SET/GETEX options. */
export interface StringOptions {
  flags: number;
  /** The expire argument as given, when EX/PX/EXAT/PXAT was given. */
  expire: string | undefined;
}

/**
 * Parses the options of SET (`forSet`) or GETEX from `argv[start]` on.
 * Repeating an option is allowed; combining exclusive ones is a syntax
 * error, as are options of the other command.
 */
export function parseStringOptions(
  argv: readonly string[],
  start: number,
  forSet: boolean,
): StringOptions {
  let flags = 0;
  let expire: string | undefined;
  for (let j = start; j < argv.length; j++) {
    const opt = optionWord(argv[j]!);
    const hasNext = j + 1 < argv.length;
    if (opt === "nx" && forSet && !(flags & OPT_XX)) {
      flags |= OPT_NX;
    } else if (opt === "xx" && forSet && !(flags & OPT_NX)) {
      flags |= OPT_XX;
    } else if (opt === "get" && forSet) {
      flags |= OPT_GET;
    } else if (
      opt === "keepttl" && forSet && !(flags & (OPT_PERSIST | ANY_EXPIRE))
    ) {
      flags |= OPT_KEEPTTL;
    } else if (
      opt === "persist" && !forSet && !(flags & (ANY_EXPIRE | OPT_KEEPTTL))
    ) {
      flags |= OPT_PERSIST;
    } else if (
      hasNext && !(flags & (OPT_KEEPTTL | OPT_PERSIST)) &&
      expireFlag(opt) !== 0 &&
      !(flags & (ANY_EXPIRE & ~expireFlag(opt)))
    ) {
      flags |= expireFlag(opt);
      expire = argv[++j]!;
    } else {
      throw syntaxError();
    }
  }
  return { flags, expire };
}

function expireFlag(opt: string): number {
  switch (opt) {
    case "ex":
      return OPT_EX;
    case "px":
      return OPT_PX;
    case "exat":
      return OPT_EXAT;
    case "pxat":
      return OPT_PXAT;
  }
  return 0;
}

const SECONDS_LIMIT = INT64_MAX / 1000n;

/**
 * The absolute expiry time (Unix ms) for an EX/PX/EXAT/PXAT argument, or
 * the errors Redis gives: not an integer, not positive, or overflowing.
 */
export function expireAtMs(
  ctx: Context,
  text: string,
  flags: number,
): bigint {
  let ms = parseInt64(text);
  if (ms === undefined) throw notInteger();
  const seconds = (flags & (OPT_EX | OPT_EXAT)) !== 0;
  if (ms <= 0n || (seconds && ms > SECONDS_LIMIT)) {
    throw invalidExpireTime(ctx.command.fullName);
  }
  if (seconds) ms *= 1000n;
  if (flags & (OPT_EX | OPT_PX)) {
    ms += BigInt(ctx.server.clock.now());
    // Redis adds in 64-bit arithmetic: an overflow turns negative.
    if (ms > INT64_MAX) throw invalidExpireTime(ctx.command.fullName);
  }
  return ms;
}

/**
 * True when an absolute expiry time has already passed and the key should
 * be deleted now (Redis's `checkAlreadyExpired`): never while loading or on
 * a replica, which wait for the primary's DEL.
 */
export function alreadyExpired(ctx: Context, whenMs: bigint): boolean {
  return whenMs <= BigInt(ctx.server.clock.now()) && !ctx.server.loading &&
    ctx.server.config.get("replicaof") === "";
}
