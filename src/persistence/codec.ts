/**
 * Installs the value codec (DUMP, RESTORE, digests), and the RDB options a
 * server's settings give, for everything here that reads or writes RDB.
 *
 * @module
 */
import { badDataFormat } from "../errors.ts";
import type { ServerState } from "../state.ts";
import type { RedisValue } from "../store/values.ts";
import { digestDataset, digestValue } from "./digest.ts";
import {
  createDumpPayload,
  parseDumpPayload,
  verifyDumpPayload,
} from "./rdb/dump.ts";
import { DEFAULT_PACKED_THRESHOLD } from "./rdb/lists.ts";
import type { RdbReadOptions } from "./rdb/reader.ts";
import type { RdbWriteOptions } from "./rdb/writer.ts";

/**
 * How `state` writes RDB: rdbcompression, rdbchecksum, its encoding
 * limits and the quicklist packed threshold (DEBUG).
 */
export function rdbWriteOptions(state: ServerState): RdbWriteOptions {
  return {
    compress: state.config.bool("rdbcompression"),
    checksum: state.config.bool("rdbchecksum"),
    limits: state.encoding,
    packedThreshold: state.codec?.packedThreshold ?? DEFAULT_PACKED_THRESHOLD,
  };
}

/**
 * How `state` reads RDB files: its encoding limits; checksums unless
 * rdbchecksum is off or DEBUG SET-SKIP-CHECKSUM-VALIDATION 1.
 */
export function rdbReadOptions(state: ServerState): RdbReadOptions {
  return {
    limits: state.encoding,
    checksum: state.config.bool("rdbchecksum") &&
      !(state.codec?.skipChecksumValidation ?? false),
  };
}

/** Installs the value codec (DUMP, RESTORE, digests) on `state`. */
export function installCodec(state: ServerState): void {
  state.codec = {
    packedThreshold: DEFAULT_PACKED_THRESHOLD,
    skipChecksumValidation: false,
    dump(value: RedisValue): Uint8Array {
      return createDumpPayload(value, rdbWriteOptions(state));
    },
    verify(payload: Uint8Array): boolean {
      return verifyDumpPayload(payload, this.skipChecksumValidation);
    },
    restore(payload: Uint8Array, deep: boolean): RedisValue {
      try {
        return parseDumpPayload(payload, {
          limits: state.encoding,
          checksum: false,
          deep,
        });
      } catch (e) {
        // RdbFormatError, or an allocation a corrupt length asked for.
        if (e instanceof RangeError) throw badDataFormat();
        throw e;
      }
    },
    digestValue,
    digestDataset,
  };
}
