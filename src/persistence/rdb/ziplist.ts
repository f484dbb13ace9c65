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

// Data bytes of each integer encoding (0xc0 | index), -1 where invalid:
// 0xc0 int16, 0xd0 int32, 0xe0 int64, 0xf0 int24, 0xf1-0xfd immediates,
// 0xfe int8.
const INT_SIZES = new Int8Array(64).fill(-1);
INT_SIZES[0x00] = 2;
INT_SIZES[0x10] = 4;
INT_SIZES[0x20] = 8;
INT_SIZES[0x30] = 3;
INT_SIZES.fill(0, 0x31, 0x3e);
INT_SIZES[0x3e] = 1;

function intText(enc: number, view: DataView, d: number): string {
  switch (enc) {
    case 0xc0:
      return String(view.getInt16(d, true));
    case 0xd0:
      return String(view.getInt32(d, true));
    case 0xe0:
      return String(view.getBigInt64(d, true));
    case 0xf0: {
      const u = view.getUint16(d, true) | (view.getUint8(d + 2) << 16);
      return String(u >= 1 << 23 ? u - (1 << 24) : u);
    }
    case 0xfe:
      return String(view.getInt8(d));
    default:
      return String((enc & 0x0f) - 1);
  }
}

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
    // The encoding byte: string lengths in 6, 14 or 32 bits, or an integer
    // type whose size is fixed (immediates hold their value, 0 to 12).
    let headerSize = prevlenSize + 1;
    let dataLen: number;
    const top = enc & 0xc0;
    if (top === 0x00) {
      dataLen = enc & 0x3f;
    } else if (top === 0x40) {
      headerSize += 1;
      if (q + 2 > end) fail("entry past the end", p);
      dataLen = ((enc & 0x3f) << 8) | zl[q + 1]!;
    } else if (top === 0x80) {
      headerSize += 4;
      if (q + 5 > end) fail("entry past the end", p);
      dataLen = view.getUint32(q + 1, false);
    } else {
      dataLen = INT_SIZES[enc & 0x3f]!;
      if (dataLen < 0) fail(`bad encoding ${enc}`, q);
    }
    const d = p + headerSize;
    if (d + dataLen > end) fail("entry past the end", p);
    out.push(
      top !== 0xc0 ? latin1Slice(zl, d, d + dataLen) : intText(enc, view, d),
    );
    prev = p;
    prevRawSize = headerSize + dataLen;
    p = d + dataLen;
  }
  if (p !== end) fail("entries do not reach the end", p);
  if (prev !== -1 && prev !== tail) fail("bad tail offset", 4);
  if (headerCount !== UNKNOWN_COUNT && headerCount !== out.length) {
    fail("count mismatch", 8);
  }
  return out;
}
