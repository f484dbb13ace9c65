/**
 * DEBUG subcommands: DIGEST, DIGEST-VALUE (dataset digests).
 *
 * Both read the stored keys directly, without lazy expiry, as Redis's
 * debug.c does: a key past its TTL that is still stored counts.
 *
 * @module
 */
import { simple } from "../../protocol/reply.ts";
import type { ValueCodec } from "../../services/codec.ts";
import type { Context } from "../types.ts";
import type { DebugSubcommand } from "./debug_extra.ts";

function codec(ctx: Context): ValueCodec {
  const c = ctx.server.codec;
  if (c === undefined) throw new TypeError("The value codec is not installed");
  return c;
}

/** DEBUG subcommands of this subsystem, by lower-case name. */
export const DEBUG_DIGEST: Record<string, DebugSubcommand> = {
  // DEBUG DIGEST: one status line with the dataset's digest.
  digest(ctx, words) {
    if (words.length !== 2) return undefined;
    return simple(codec(ctx).digestDataset(ctx.server.keyspace));
  },
  // DEBUG DIGEST-VALUE key [key ...]: one status line per key, all zeros
  // for a missing key.
  "digest-value"(ctx, words) {
    const c = codec(ctx);
    const db = ctx.db;
    const out = [];
    for (let j = 2; j < words.length; j++) {
      const key = words[j]!;
      const value = db.dict.get(key);
      out.push(simple(
        value === undefined
          ? "0".repeat(40)
          : c.digestValue(value, db.getExpire(key)),
      ));
    }
    return out;
  },
};
