/**
 * What the HyperLogLog commands share: finding and checking HLL strings,
 * and storing an edited one back.
 *
 * @module
 */
import type { Context } from "../types.ts";
import { notHllValue } from "../../errors.ts";
import { HllEditor, isHll, unshareHll } from "../../store/hyperloglog.ts";
import type { RawBytes } from "../../store/strings.ts";
import type { StringValue } from "../../store/values.ts";

/** The one editor every HLL command uses (handlers never interleave). */
export const editor = new HllEditor();

/** 16384 one-byte registers for unions (PFCOUNT of several keys, PFMERGE). */
export const unionRegisters = new Uint8Array(16384);

/**
 * The HLL at `key`, read as Redis's lookupKeyRead + isHLLObjectOrReply:
 * undefined when missing; WRONGTYPE for other types and for strings that
 * are no HLL.
 */
export function readHll(ctx: Context, key: string): StringValue | undefined {
  const v = ctx.db.getString(key);
  if (v !== undefined && !isHll(v)) throw notHllValue();
  return v;
}

/**
 * The value at `key` (an existing, checked HLL) as bytes this command may
 * change in place (dbUnshareStringValue): a copy replaces it when it was
 * not already an editable buffer of its own.
 */
export function unshareAt(
  ctx: Context,
  key: string,
  v: StringValue,
): RawBytes {
  const bytes = unshareHll(v);
  if (bytes !== v) ctx.db.replace(key, bytes);
  return bytes;
}

/** `hll-sparse-max-bytes`, read when a command needs it. */
export function sparseMaxBytes(ctx: Context): number {
  return ctx.server.config.number("hll-sparse-max-bytes");
}

/**
 * Ends the editor's edit of the value at `key`: stores its bytes when they
 * moved (growth, promotion) and lets go of them. Returns what is stored.
 */
export function finishEdit(ctx: Context, key: string): RawBytes {
  const before = editor.opened;
  const after = editor.close();
  if (after !== before) ctx.db.replace(key, after);
  return after;
}
