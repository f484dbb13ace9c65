/**
 * CRC-64/Jones as Redis computes it (reflected, polynomial
 * 0xad93d23594c935a9, initial value 0, no final xor), byte at a time: for
 * small payloads such as FUNCTION DUMP's, where commands may not reach the
 * RDB module's faster version in persistence/.
 *
 * @module
 */

const POLY = 0x95ac9329ac4bc9b5n; // the polynomial bit-reversed
const TABLE: bigint[] = [];
for (let n = 0; n < 256; n++) {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  TABLE.push(c);
}

/** Continues CRC `crc` over `bytes` (start with 0n). */
export function crc64(crc: bigint, bytes: Uint8Array): bigint {
  for (let i = 0; i < bytes.length; i++) {
    crc = TABLE[Number((crc ^ BigInt(bytes[i]!)) & 0xffn)]! ^ (crc >> 8n);
  }
  return crc;
}
