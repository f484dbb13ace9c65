/**
 * String values (RDB type 0).
 *
 * @module
 */
import type { StringValue } from "../../store/values.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";

/** Reads a string value: plain, integer-encoded or LZF, as a latin1 string. */
export function readStringValue(r: ByteReader): string {
  return r.string();
}

/**
 * Writes a string value as Redis does: INT8/16/32 for small canonical
 * integers, LZF when it pays, else plain.
 */
export function writeStringValue(w: ByteWriter, value: StringValue): void {
  w.string(value);
}
