/**
 * Ziplists: the compact lists older Redis versions wrote for small lists,
 * hashes and sorted sets (RDB types 10, 12, 13 and the nodes of type 14).
 * Only read: Redis 7.0 converts them to listpacks as it loads them.
 *
 * Layout: total bytes (u32 LE), offset of the last entry (u32 LE), count
 * (u16 LE, 65535 = unknown), the entries, then 0xFF. An entry is the
 * previous entry's size (1 byte, or 0xFE and 4 bytes), an encoding with
 * the length or integer type, and the data.
 *
 * @module
 */
import { latin1Slice } from "../../util/bytes.ts";
import { RdbFormatError } from "./bytes.ts";

const HEADER = 10;
const END = 0xff;
const BIG_PREVLEN = 0xfe;
const UNKNOWN_COUNT = 0xffff;

/**
 * Every entry of a ziplist as text (integers as decimal), after the checks
 * Redis's ziplistValidateIntegrity makes in its deep mode, which it always
 * uses when loading ziplists: header, bounds, encodings, every entry's
 * previous-length field, the tail offset and the count.
 */
export function ziplistEntries(zl: Uint8Array): string[] {
  const size = zl.length;
  const fail = (message: string, at: number): never => {
    throw new RdbFormatError(`Ziplist: ${message}`, at);
  };
  if (size < HEADER + 1) fail("too short", 0);
  const view = new DataView(zl.buffer, zl.byteOffset, zl.byteLength);
  if (view.getUint32(0, true) !== size) fail("size mismatch", 0);
  if (zl[size - 1] !== END) fail("not terminated", size - 1);
  const tail = view.getUint32(4, true);
  if (tail > size - 1) fail("tail offset out of range", 4);
  const headerCount = view.getUint16(8, true);
  const out: string[] = [];
  let p = HEADER;
  let prev = -1;
  let prevRawSize = 0;
  const end = size - 1;
  while (zl[p] !== END) {
    // Previous entry length.
    let prevlenSize = 1;
    let prevlen = zl[p]!;
    if (prevlen >= BIG_PREVLEN) {
      prevlenSize = 5;
      if (p + 5 > end) fail("entry past the end", p);
      prevlen = view.getUint32(p + 1, true);
    }
    if (prevlen !== prevRawSize) fail("bad previous entry length", p);
    const q = p + prevlenSize;
    if (q >= end) fail("entry past the end", p);
    const enc = zl[q]!;
    let headerSize: number;
    let dataLen: number;
    let text: string | undefined;
    const top = enc & 0xc0;
    if (top === 0x00) {
      headerSize = prevlenSize + 1;
      dataLen = enc & 0x3f;
    } else if (top === 0x40) {
      headerSize = prevlenSize + 2;
      if (q + 2 > end) fail("entry past the end", p);
      dataLen = ((enc & 0x3f) << 8) | zl[q + 1]!;
    } else if (top === 0x80) {
      headerSize = prevlenSize + 5;
      if (q + 5 > end) fail("entry past the end", p);
      dataLen = view.getUint32(q + 1, false);
    } else {
      headerSize = prevlenSize + 1;
      switch (enc) {
        case 0xc0:
          dataLen = 2;
          break;
        case 0xd0:
          dataLen = 4;
          break;
        case 0xe0:
          dataLen = 8;
          break;
        case 0xf0:
          dataLen = 3;
          break;
        case 0xfe:
          dataLen = 1;
          break;
        default:
          if (enc >= 0xf1 && enc <= 0xfd) {
            dataLen = 0;
            text = String((enc & 0x0f) - 1);
          } else {
            fail(`bad encoding ${enc}`, q);
          }
      }
      const d = p + headerSize;
      if (d + dataLen! > end) fail("entry past the end", p);
      if (text === undefined) {
        switch (enc) {
          case 0xc0:
            text = String(view.getInt16(d, true));
            break;
          case 0xd0:
            text = String(view.getInt32(d, true));
            break;
          case 0xe0:
            text = String(view.getBigInt64(d, true));
            break;
          case 0xf0: {
            const u = zl[d]! | (zl[d + 1]! << 8) | (zl[d + 2]! << 16);
            text = String(u >= 1 << 23 ? u - (1 << 24) : u);
            break;
          }
          default:
            text = String(view.getInt8(d));
        }
      }
    }
    const d = p + headerSize;
    if (d + dataLen! > end) fail("entry past the end", p);
    out.push(text ?? latin1Slice(zl, d, d + dataLen!));
    prev = p;
    prevRawSize = headerSize + dataLen!;
    p = d + dataLen!;
  }
  if (p !== end) fail("entries do not reach the end", p);
  if (prev !== -1 && prev !== tail) fail("bad tail offset", 4);
  if (headerCount !== UNKNOWN_COUNT && headerCount !== out.length) {
    fail("count mismatch", 8);
  }
  return out;
}
