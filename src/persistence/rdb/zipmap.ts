/**
 * Zipmaps: the small-hash encoding of Redis 2.x (RDB type 9). Only read:
 * Redis 7.0 converts them as it loads them.
 *
 * Layout: a count byte (254 = unknown), then field/value pairs, each a
 * length (1 byte, or 254 and 4 bytes LE), the field, a length, a "free"
 * byte, the value and that many unused bytes; 0xFF ends it.
 *
 * @module
 */
import { latin1Slice } from "../../util/bytes.ts";
import { RdbFormatError } from "./bytes.ts";

const BIGLEN = 254;
const END = 0xff;

/**
 * The pairs of a zipmap, flat (`[f0, v0, f1, v1, ...]`), after the checks
 * of Redis's zipmapValidateIntegrity (deep, as Redis always loads them):
 * bounds, a non-empty map and the count.
 */
export function zipmapEntries(zm: Uint8Array): string[] {
  const size = zm.length;
  const fail = (message: string, at: number): never => {
    throw new RdbFormatError(`Zipmap: ${message}`, at);
  };
  if (size < 2) fail("too short", 0);
  if (zm[size - 1] !== END) fail("not terminated", size - 1);
  const view = new DataView(zm.buffer, zm.byteOffset, zm.byteLength);
  // Positions must stay within [2, size - 1], as in Redis's OUT_OF_RANGE.
  const check = (p: number) => {
    if (p < 2 || p > size - 1) fail("entry past the end", p);
  };
  const readLen = (p: number): [number, number] => {
    const b = zm[p]!;
    if (b < BIGLEN) return [b, 1];
    check(p + 5);
    return [view.getUint32(p + 1, true), 5];
  };
  const out: string[] = [];
  let p = 1;
  while (zm[p] !== END) {
    check(p + (zm[p]! < BIGLEN ? 1 : 5));
    const [flen, fsize] = readLen(p);
    p += fsize;
    const f = p;
    p += flen;
    check(p);
    check(p + (zm[p]! < BIGLEN ? 1 : 5));
    const [vlen, vsize] = readLen(p);
    p += vsize;
    const free = zm[p++]!;
    const v = p;
    p += vlen + free;
    check(p);
    out.push(latin1Slice(zm, f, f + flen), latin1Slice(zm, v, v + vlen));
  }
  const count = out.length >> 1;
  if (count === 0) fail("empty", 1);
  if (zm[0] !== BIGLEN && zm[0] !== count) fail("count mismatch", 0);
  return out;
}
