/**
 * Database index arguments (SELECT, SWAPDB, MOVE, COPY ... DB), parsed the
 * way Redis's getIntFromObjectOrReply does.
 *
 * @module
 */
import {
  type CommandError,
  dbIndexOutOfRange,
  notInteger,
  valueOutOfRangeBetween,
} from "../../errors.ts";
import type { Database } from "../../store/database.ts";
import { parseIntNumber } from "../../util/number.ts";
import type { Context } from "../types.ts";

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * `text` as a C `int`: not an integer → `error` (default: not an integer);
 * outside the int range → `error` or `value is out of range, value must
 * between ...`.
 */
export function parseInt32(
  text: string,
  error?: () => CommandError,
): number {
  const v = parseIntNumber(text);
  if (v === undefined) throw (error ?? notInteger)();
  if (v < INT_MIN || v > INT_MAX) {
    throw error !== undefined
      ? error()
      : valueOutOfRangeBetween(INT_MIN, INT_MAX);
  }
  return v;
}

/** Database `index` (already an int), or `DB index is out of range`. */
export function databaseAt(ctx: Context, index: number): Database {
  if (index < 0 || index >= ctx.server.keyspace.count) {
    throw dbIndexOutOfRange();
  }
  return ctx.server.db(index);
}
