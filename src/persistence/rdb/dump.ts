/**
 * DUMP payloads: a value's RDB type and payload, the RDB version (2 bytes
 * LE) and the CRC64 of all that (8 bytes LE), as Redis's createDumpPayload
 * builds them and RESTORE checks them.
 *
 * @module
 */
import type { RedisValue } from "../../store/values.ts";
import { ByteReader, ByteWriter, RdbFormatError } from "./bytes.ts";
import { Crc64 } from "../../util/crc64.ts";
import { isObjectType, type RdbReadOptions, readObject } from "./reader.ts";
import { RDB_VERSION } from "./types.ts";
import { rdbTypeOf, type RdbWriteOptions, writeObject } from "./writer.ts";

const FOOTER = 10;

/**
 * The DUMP payload of `value`. The checksum is always there (rdbchecksum
 * only concerns files); compression follows `opts.compress`.
 */
export function createDumpPayload(
  value: RedisValue,
  opts: RdbWriteOptions,
): Uint8Array {
  const w = new ByteWriter({ compress: opts.compress });
  w.u8(rdbTypeOf(value));
  writeObject(w, value, opts);
  w.u8(RDB_VERSION & 0xff);
  w.u8(RDB_VERSION >> 8);
  w.raw(new Crc64().update(w.view()).bytes());
  return w.take();
}

/**
 * verifyDumpPayload: at least the 10-byte footer, an RDB version this
 * server reads, and a matching CRC64 unless `skipChecksum` (DEBUG
 * SET-SKIP-CHECKSUM-VALIDATION 1).
 */
export function verifyDumpPayload(
  payload: Uint8Array,
  skipChecksum = false,
): boolean {
  const len = payload.length;
  if (len < FOOTER) return false;
  const version = payload[len - FOOTER]! | (payload[len - FOOTER + 1]! << 8);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return new Crc64().update(payload.subarray(0, len - 8)).matches(
    payload.subarray(len - 8),
  );
}

/**
 * The value in a payload verifyDumpPayload accepted. Throws RdbFormatError
 * when it is malformed or an empty collection. Like Redis, the value is
 * read from the whole payload and what follows it is not looked at.
 */
export function parseDumpPayload(
  payload: Uint8Array,
  opts: RdbReadOptions,
): RedisValue {
  const r = new ByteReader(payload);
  const type = r.u8();
  if (!isObjectType(type)) {
    throw new RdbFormatError(`Unknown RDB type ${type}`, 0);
  }
  const value = readObject(r, type, opts);
  if (value === undefined) throw new RdbFormatError("Empty value", 1);
  return value;
}
