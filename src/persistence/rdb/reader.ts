/**
 * RdbReader: an RDB file (versions 1 to 10, and the 7.2 stream type) read
 * one item at a time: aux fields, database switches, functions and keys.
 *
 * Values are built with the store's classes and take the encodings Redis
 * 7.0's loader gives them under the current limits. Corrupt input throws
 * RdbFormatError with the offset; it never reads out of bounds or loops.
 * Expired keys are reported with their expiry: dropping them is the
 * loader's business.
 *
 * @module
 */
import type { EncodingLimits } from "../../state.ts";
import type { RedisValue } from "../../store/values.ts";
import { ByteReader, RdbFormatError } from "./bytes.ts";
import { Crc64 } from "../../util/crc64.ts";
import { readHash } from "./hashes.ts";
import { readList } from "./lists.ts";
import { readSet } from "./sets.ts";
import { readStream } from "./streams.ts";
import { readStringValue } from "./strings.ts";
import { readZset } from "./zsets.ts";
import {
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_MODULE,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
  RDB_VERSION,
} from "./types.ts";

export { RdbFormatError };

/** How to read: the encoding limits values follow, and which checks to make. */
export interface RdbReadOptions {
  /** Encoding thresholds (state.encoding). */
  limits: EncodingLimits;
  /** Verify the CRC64 trailer (a zero CRC means "not computed"). */
  checksum: boolean;
  /** sanitize-dump-payload yes: deep checks of nested encodings. */
  deep?: boolean;
}

/** One thing read from an RDB file. */
export type RdbItem =
  | { kind: "aux"; key: string; value: string }
  | { kind: "db"; db: number }
  | { kind: "resize"; size: number; expires: number }
  | { kind: "function"; code: string }
  | {
    kind: "key";
    key: string;
    value: RedisValue;
    expireAt: number | undefined;
    idle: number | undefined;
    freq: number | undefined;
  }
  | { kind: "end" };

/** True for a byte that names a value type (rdbIsObjectType). */
export function isObjectType(type: number): boolean {
  return (type >= 0 && type <= 7) || (type >= 9 && type <= 21);
}

/**
 * Reads the payload of a value of RDB type `type` (rdbLoadObject). Returns
 * undefined for an empty collection, which Redis skips in files and
 * refuses in RESTORE.
 */
export function readObject(
  r: ByteReader,
  type: number,
  opts: RdbReadOptions,
): RedisValue | undefined {
  switch (type) {
    case RDB_TYPE_STRING:
      return readStringValue(r);
    case RDB_TYPE_LIST:
    case RDB_TYPE_LIST_ZIPLIST:
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2:
      return readList(r, type, opts);
    case RDB_TYPE_SET:
    case RDB_TYPE_SET_INTSET:
      return readSet(r, type, opts);
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2:
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK:
      return readZset(r, type, opts);
    case RDB_TYPE_HASH:
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK:
      return readHash(r, type, opts);
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3:
      return readStream(r, type, opts);
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2:
      r.fail("Module values are not supported", r.offset - 1);
  }
  r.fail(`Unknown RDB encoding type ${type}`, r.offset - 1);
}

// The module name a module id holds (moduleTypeNameByID): nine 6-bit
// characters above the 10-bit encoding version.
const MODULE_CHARSET =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function moduleName(id: bigint): string {
  let v = id >> 10n;
  let name = "";
  for (let j = 0; j < 9; j++) {
    name = MODULE_CHARSET[Number(v & 63n)]! + name;
    v >>= 6n;
  }
  return name;
}

/** Reads an RDB file one item at a time; see RdbItem. */
export class RdbReader {
  /** The file's RDB version (1 to 10). */
  readonly version: number;
  readonly #r: ByteReader;
  readonly #opts: RdbReadOptions;
  #ended = false;

  /** Checks the header ("REDIS" and the version); throws RdbFormatError. */
  constructor(bytes: Uint8Array, opts: RdbReadOptions) {
    this.#opts = opts;
    if (bytes.length < 9) {
      throw new RdbFormatError("Short read loading the RDB header", 0);
    }
    const magic = String.fromCharCode(...bytes.subarray(0, 5));
    if (magic !== "REDIS") {
      throw new RdbFormatError(
        "Wrong signature trying to load DB from file",
        0,
      );
    }
    // atoi: leading digits, 0 when there are none.
    const digits = /^\d*/.exec(String.fromCharCode(...bytes.subarray(5, 9)))!;
    const version = Number(digits[0] || "0");
    if (version < 1 || version > RDB_VERSION) {
      throw new RdbFormatError(
        `Can't handle RDB format version ${version}`,
        5,
      );
    }
    this.version = version;
    this.#r = new ByteReader(bytes, 9);
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.#r.offset;
  }

  /** The next item; `{ kind: "end" }` once the EOF opcode and checksum are read. */
  next(): RdbItem {
    if (this.#ended) return { kind: "end" };
    const r = this.#r;
    let expireAt: number | undefined;
    let idle: number | undefined;
    let freq: number | undefined;
    for (;;) {
      const typeAt = r.offset;
      const type = r.u8();
      switch (type) {
        case RDB_OPCODE_EXPIRETIME:
          expireAt = r.seconds() * 1000;
          continue;
        case RDB_OPCODE_EXPIRETIME_MS:
          expireAt = r.millis();
          continue;
        case RDB_OPCODE_FREQ:
          freq = r.u8();
          continue;
        case RDB_OPCODE_IDLE:
          idle = r.length();
          continue;
        case RDB_OPCODE_EOF:
          this.#end();
          return { kind: "end" };
        case RDB_OPCODE_SELECTDB:
          return { kind: "db", db: r.length() };
        case RDB_OPCODE_RESIZEDB: {
          const size = r.length();
          return { kind: "resize", size, expires: r.length() };
        }
        case RDB_OPCODE_AUX: {
          const key = r.string();
          return { kind: "aux", key, value: r.string() };
        }
        case RDB_OPCODE_MODULE_AUX: {
          const name = moduleName(r.lengthBig());
          r.fail(
            `The RDB file contains AUX module data I can't load: no matching module '${name}'`,
            typeAt,
          );
          break;
        }
        case RDB_OPCODE_FUNCTION2:
          return { kind: "function", code: r.string() };
        case RDB_OPCODE_FUNCTION: {
          // 7.0-rc1/rc2: name, engine, optional description, code; turned
          // into the 7.0 form with the engine and name in a shebang line.
          const name = r.string();
          const engine = r.string();
          if (r.length() !== 0) r.string();
          const body = r.string();
          return {
            kind: "function",
            code: `#!${engine} name=${name}\n${body}`,
          };
        }
      }
      if (!isObjectType(type)) r.fail(`Unknown RDB type ${type}`, typeAt);
      const key = r.string();
      const value = readObject(r, type, this.#opts);
      // An empty collection is skipped with its key, as Redis does.
      if (value === undefined) {
        expireAt = idle = freq = undefined;
        continue;
      }
      return { kind: "key", key, value, expireAt, idle, freq };
    }
  }

  // After EOF: the checksum (from version 5 on), unless checks are off or
  // the file was written without one (zero).
  #end(): void {
    this.#ended = true;
    if (this.version < 5) return;
    const r = this.#r;
    const end = r.offset;
    const stored = r.raw(8);
    if (!this.#opts.checksum) return;
    if (stored.every((b) => b === 0)) return;
    const crc = new Crc64().update(r.bytes.subarray(0, end));
    if (!crc.matches(stored)) r.fail("RDB CRC error", end);
  }
}
