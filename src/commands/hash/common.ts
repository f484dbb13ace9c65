/**
 * Helpers shared by the hash commands.
 *
 * @module
 */
import { HashValue } from "../../store/hash_value.ts";
import type { Context } from "../types.ts";

/**
 * The hash at `key` for writing, created empty when missing (Redis's
 * hashTypeLookupWriteOrCreate). Throws WRONGTYPE for other types.
 */
export function hashForWrite(ctx: Context, key: string): HashValue {
  let hash = ctx.db.getCollectionForWrite<HashValue>(key, "hash");
  if (hash === undefined) {
    hash = new HashValue();
    ctx.db.add(key, hash);
  }
  return hash;
}

/** The hash at `key` for reading, or undefined. Throws WRONGTYPE for other types. */
export function hashForRead(ctx: Context, key: string): HashValue | undefined {
  return ctx.db.getCollection<HashValue>(key, "hash");
}
