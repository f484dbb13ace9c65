/**
 * DEBUG subcommands: QUICKLIST-PACKED-THRESHOLD, SET-SKIP-CHECKSUM-VALIDATION (RDB codec).
 *
 * @module
 */
import { parseMemory } from "../../config_directives.ts";
import { badPackedThreshold } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { ValueCodec } from "../../services/codec.ts";
import type { Context } from "../types.ts";
import type { DebugSubcommand } from "./debug_extra.ts";

// Redis refuses thresholds above 4 GiB less 1 MiB; 0 restores the default.
const MAX_THRESHOLD = 2 ** 32 - 2 ** 20;
const DEFAULT_THRESHOLD = 2 ** 30;

function codec(ctx: Context): ValueCodec {
  const c = ctx.server.codec;
  if (c === undefined) throw new TypeError("The value codec is not installed");
  return c;
}

// C's atoi: optional spaces and sign, then the leading digits.
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m === null ? 0 : Number(m[1]);
}

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_CODEC: Record<string, DebugSubcommand> = {
  // DEBUG QUICKLIST-PACKED-THRESHOLD <size>: list elements of at least
  // this many bytes get plain quicklist nodes (memory units accepted).
  "quicklist-packed-threshold"(ctx, words) {
    if (words.length !== 3) return undefined;
    const size = parseMemory(words[2]!);
    if (size === undefined || size > BigInt(MAX_THRESHOLD)) {
      throw badPackedThreshold();
    }
    codec(ctx).packedThreshold = size === 0n ? DEFAULT_THRESHOLD : Number(size);
    return OK;
  },
  // DEBUG SET-SKIP-CHECKSUM-VALIDATION <0|1>: RESTORE and RDB loading stop
  // checking CRC64s while it is non-zero (atoi, as Redis reads it).
  "set-skip-checksum-validation"(ctx, words) {
    if (words.length !== 3) return undefined;
    codec(ctx).skipChecksumValidation = atoi(words[2]!) !== 0;
    return OK;
  },
};
