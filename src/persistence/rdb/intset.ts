/**
 * Intsets: the sorted array of integers behind small integer sets
 * (RDB type 11, SET_INTSET).
 *
 * Layout: encoding (u32 LE: 2, 4 or 8 bytes per member), length (u32 LE),
 * then the members in ascending order, little-endian, all in the one width
 * the widest member needs.
 *
 * @module
 */
import { RdbFormatError } from "./bytes.ts";

const HEADER = 8;

/**
 * The members of an intset as decimal texts, in stored order. Checks what
 * Redis's intsetValidateIntegrity checks: the header, the size, a
 * non-empty set and, with `deep`, strictly ascending members.
 */
export function intsetMembers(blob: Uint8Array, deep: boolean): string[] {
  if (blob.length < HEADER) throw new RdbFormatError("Intset too short", 0);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const width = view.getUint32(0, true);
  if (width !== 2 && width !== 4 && width !== 8) {
    throw new RdbFormatError(`Intset with bad encoding ${width}`, 0);
  }
  const count = view.getUint32(4, true);
  if (HEADER + count * width !== blob.length) {
    throw new RdbFormatError("Intset size mismatch", 4);
  }
  if (count === 0) throw new RdbFormatError("Empty intset", 4);
  const out: string[] = new Array(count);
  let prev: bigint | undefined;
  for (let i = 0; i < count; i++) {
    const at = HEADER + i * width;
    let v: number | bigint;
    if (width === 2) v = view.getInt16(at, true);
    else if (width === 4) v = view.getInt32(at, true);
    else v = view.getBigInt64(at, true);
    if (deep) {
      const big = BigInt(v);
      if (prev !== undefined && big <= prev) {
        throw new RdbFormatError("Intset members out of order", at);
      }
      prev = big;
    }
    out[i] = String(v);
  }
  return out;
}

/**
 * The intset holding `members` (canonical 64-bit integer texts, already in
 * ascending order) in the narrowest width that fits them all.
 */
export function encodeIntset(members: readonly string[]): Uint8Array {
  let width = 2;
  for (const m of members) {
    // Texts of up to 4 digits always fit 16 bits; only longer ones are parsed.
    if (m.length <= 4 || width === 8) continue;
    const n = m.length < 16 ? Number(m) : BigInt(m);
    if (n < -2147483648 || n > 2147483647) width = 8;
    else if (n < -32768 || n > 32767) width = 4;
  }
  const out = new Uint8Array(HEADER + members.length * width);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, members.length, true);
  for (let i = 0; i < members.length; i++) {
    const at = HEADER + i * width;
    const m = members[i]!;
    if (width === 2) view.setInt16(at, Number(m), true);
    else if (width === 4) view.setInt32(at, Number(m), true);
    else view.setBigInt64(at, BigInt(m), true);
  }
  return out;
}
