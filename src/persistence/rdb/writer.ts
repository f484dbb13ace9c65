/**
 * RdbWriter: an RDB 10 file as Redis 7.0 writes it: header, aux fields,
 * functions, per database SELECTDB and RESIZEDB, key records, EOF and the
 * CRC64 trailer. Values get the RDB types and encodings Redis chooses for
 * them, so files and DUMP payloads match Redis's byte for byte.
 *
 * @module
 */
import type { EncodingLimits } from "../../state.ts";
import { HashValue } from "../../store/hash_value.ts";
import { ListValue } from "../../store/list_value.ts";
import { SetValue } from "../../store/set_value.ts";
import { StreamValue } from "../../store/stream_value.ts";
import { isString, type RedisValue } from "../../store/values.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { ByteWriter } from "./bytes.ts";
import { Crc64 } from "../../util/crc64.ts";
import { hashRdbType, writeHash } from "./hashes.ts";
import { writeList } from "./lists.ts";
import { setRdbType, writeSet } from "./sets.ts";
import { writeStream } from "./streams.ts";
import { writeStringValue } from "./strings.ts";
import {
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_VERSION,
} from "./types.ts";
import { writeZset, zsetRdbType } from "./zsets.ts";

/** How to write. */
export interface RdbWriteOptions {
  /** rdbcompression: LZF for strings longer than 20 bytes when it pays. */
  compress: boolean;
  /** rdbchecksum: false writes a zero CRC. */
  checksum: boolean;
  /** Encoding limits (list node size, list-compress-depth, ...). */
  limits: EncodingLimits;
  /**
   * Elements this long or longer get their own plain list node (DEBUG
   * QUICKLIST-PACKED-THRESHOLD); 1 GiB when absent, as in Redis.
   */
  packedThreshold?: number;
}

/** Per-key metadata written before the type byte. */
export interface KeyMeta {
  /** Absolute expiry, Unix ms (EXPIRETIME_MS). */
  expireAt?: number;
  /** LRU idle time in seconds (IDLE), written under an LRU policy. */
  idle?: number;
  /** LFU counter 0-255 (FREQ), written under an LFU policy. */
  freq?: number;
}

/** The RDB type byte a value is written with. */
export function rdbTypeOf(value: RedisValue): number {
  if (isString(value)) return RDB_TYPE_STRING;
  if (value instanceof ListValue) return RDB_TYPE_LIST_QUICKLIST_2;
  if (value instanceof SetValue) return setRdbType(value);
  if (value instanceof ZSetValue) return zsetRdbType(value);
  if (value instanceof HashValue) return hashRdbType(value);
  if (value instanceof StreamValue) return RDB_TYPE_STREAM_LISTPACKS_2;
  throw new TypeError(`Cannot serialize a value of type ${value.type}`);
}

/** Writes a value's payload (rdbSaveObject) for the type rdbTypeOf gives. */
export function writeObject(
  w: ByteWriter,
  value: RedisValue,
  opts: RdbWriteOptions,
): void {
  if (isString(value)) writeStringValue(w, value);
  else if (value instanceof ListValue) writeList(w, value, opts);
  else if (value instanceof SetValue) writeSet(w, value);
  else if (value instanceof ZSetValue) writeZset(w, value);
  else if (value instanceof HashValue) writeHash(w, value);
  else if (value instanceof StreamValue) writeStream(w, value, opts);
  else throw new TypeError(`Cannot serialize a value of type ${value.type}`);
}

// rdbSaveKeyValuePair: expiry, LRU idle, LFU frequency, type, key, value.
function writeKey(
  w: ByteWriter,
  key: string,
  value: RedisValue,
  meta: KeyMeta | undefined,
  opts: RdbWriteOptions,
): void {
  if (meta !== undefined) {
    if (meta.expireAt !== undefined) {
      w.u8(RDB_OPCODE_EXPIRETIME_MS);
      w.millis(meta.expireAt);
    }
    if (meta.idle !== undefined) {
      w.u8(RDB_OPCODE_IDLE);
      w.length(meta.idle);
    }
    if (meta.freq !== undefined) {
      w.u8(RDB_OPCODE_FREQ);
      w.u8(meta.freq);
    }
  }
  w.u8(rdbTypeOf(value));
  w.string(key);
  writeObject(w, value, opts);
}

/**
 * One key's record (opcodes, type, key, value) on its own, for keys the
 * snapshot must capture before they change; RdbWriter.raw() writes it.
 */
export function encodeKeyRecord(
  key: string,
  value: RedisValue,
  meta: KeyMeta | undefined,
  opts: RdbWriteOptions,
): Uint8Array {
  const w = new ByteWriter({ compress: opts.compress });
  writeKey(w, key, value, meta, opts);
  return w.take();
}

/** Writes an RDB file piece by piece; take() hands out the bytes as they come. */
export class RdbWriter {
  readonly #opts: RdbWriteOptions;
  readonly #w: ByteWriter;
  readonly #crc = new Crc64();
  // Pending bytes already added to the checksum.
  #summed = 0;

  /** A writer with `opts` (compression, checksum, limits). */
  constructor(opts: RdbWriteOptions) {
    this.#opts = opts;
    this.#w = new ByteWriter({ compress: opts.compress });
  }

  /** Bytes waiting for take(). */
  get pending(): number {
    return this.#w.pending;
  }

  /** The magic and version: "REDIS0010". */
  header(): void {
    this.#w.latin1(`REDIS${String(RDB_VERSION).padStart(4, "0")}`);
  }

  /** An AUX field; numbers are written as their decimal text (often int-encoded). */
  aux(key: string, value: string | number): void {
    const w = this.#w;
    w.u8(RDB_OPCODE_AUX);
    w.string(key);
    w.string(String(value));
  }

  /** SELECTDB. */
  selectDb(db: number): void {
    this.#w.u8(RDB_OPCODE_SELECTDB);
    this.#w.length(db);
  }

  /** RESIZEDB: the database's key count and how many have an expiry. */
  resizeDb(size: number, expires: number): void {
    this.#w.u8(RDB_OPCODE_RESIZEDB);
    this.#w.length(size);
    this.#w.length(expires);
  }

  /** A function library (FUNCTION2 with its source). */
  function(code: string): void {
    this.#w.u8(RDB_OPCODE_FUNCTION2);
    this.#w.string(code);
  }

  /** A key record. */
  key(key: string, value: RedisValue, meta?: KeyMeta): void {
    writeKey(this.#w, key, value, meta, this.#opts);
  }

  /** A record made by encodeKeyRecord. */
  raw(record: Uint8Array): void {
    this.#w.raw(record);
  }

  /** EOF and the CRC64 of everything before it (zeros when checksums are off). */
  end(): void {
    const w = this.#w;
    w.u8(RDB_OPCODE_EOF);
    this.#sum();
    w.raw(this.#opts.checksum ? this.#crc.bytes() : new Uint8Array(8));
    this.#summed = w.pending;
  }

  // Adds the pending bytes not yet summed to the checksum.
  #sum(): void {
    const view = this.#w.view();
    this.#crc.update(view.subarray(this.#summed));
    this.#summed = view.length;
  }

  /** The bytes produced since the last take(). */
  take(): Uint8Array {
    this.#sum();
    this.#summed = 0;
    return this.#w.take();
  }
}
