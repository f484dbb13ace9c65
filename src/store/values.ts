/**
 * The values a key can hold, and their Redis type names.
 *
 * Strings are stored as latin1 strings (compact, immutable) or, once a
 * command edits them in place (APPEND, SETRANGE, SETBIT), as a `Uint8Array`
 * view whose underlying buffer has spare capacity. Callers go through the
 * helpers in `strings.ts` and never care which form they get.
 *
 * @module
 */

/** A string value: latin1 string, or bytes for values edited in place. */
export type StringValue = string | Uint8Array;

/** The Redis type names TYPE reports. */
export type TypeName = "string" | "list" | "hash" | "set" | "zset" | "stream";

/** What every non-string value class provides. */
export interface CollectionValue {
  /** The Redis type name. */
  readonly type: Exclude<TypeName, "string">;
  /** The encoding OBJECT ENCODING reports (`listpack`, `hashtable`, ...). */
  encoding(): string;
  /** An independent copy (COPY). */
  clone(): CollectionValue;
}

/** Anything a key can hold. */
export type RedisValue = StringValue | CollectionValue;

/** The Redis type name of a value. */
export function typeOf(value: RedisValue): TypeName {
  if (typeof value === "string" || value instanceof Uint8Array) return "string";
  return value.type;
}

/** True for string values. */
export function isString(value: RedisValue): value is StringValue {
  return typeof value === "string" || value instanceof Uint8Array;
}
