/**
 * Helpers shared by the set commands.
 *
 * @module
 */
import type { SetValue } from "../../store/set_value.ts";
import type { Context } from "../types.ts";

/** The set at `key` for reading, or undefined. Throws WRONGTYPE for other types. */
export function setForRead(ctx: Context, key: string): SetValue | undefined {
  return ctx.db.getCollection<SetValue>(key, "set");
}

/** The set at `key` for writing, or undefined. Throws WRONGTYPE for other types. */
export function setForWrite(ctx: Context, key: string): SetValue | undefined {
  return ctx.db.getCollectionForWrite<SetValue>(key, "set");
}

/**
 * The sets at `keys` (undefined for missing keys, which count as empty
 * sets). Every key is looked up before anything is computed, so a key of
 * another type anywhere in the list makes the command fail with WRONGTYPE.
 */
export function readSets(
  ctx: Context,
  keys: readonly string[],
): (SetValue | undefined)[] {
  const sets: (SetValue | undefined)[] = [];
  for (let i = 0; i < keys.length; i++) sets.push(setForRead(ctx, keys[i]!));
  return sets;
}
