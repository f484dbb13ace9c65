/**
 * ValueCodec: what commands need from the RDB format without importing
 * persistence/ (DUMP, RESTORE, DEBUG DIGEST). persistence/ provides it and
 * server.ts installs it on the server state.
 *
 * @module
 */
import type { RedisValue } from "../store/values.ts";
import type { Keyspace } from "../store/keyspace.ts";

/** Serialization of single values, and digests of values and datasets. */
export interface ValueCodec {
  /** DUMP's payload: RDB type and value, RDB version (2 bytes LE), CRC64 (8 bytes LE). */
  dump(value: RedisValue): Uint8Array;
  /**
   * True when the payload's RDB version is one we read and its CRC64
   * matches (or checks are off: DEBUG SET-SKIP-CHECKSUM-VALIDATION 1).
   */
  verify(payload: Uint8Array): boolean;
  /**
   * The value a verified payload holds. Throws `CommandError("ERR", "Bad
   * data format")` when it is malformed; `deep` runs the deep integrity
   * checks of `sanitize-dump-payload yes`.
   */
  restore(payload: Uint8Array, deep: boolean): RedisValue;
  /** DEBUG DIGEST-VALUE of one value: 40 hex digits, as Redis computes it. */
  digestValue(value: RedisValue, expireAt: number): string;
  /** DEBUG DIGEST of the whole dataset: 40 hex digits (all zeros when empty). */
  digestDataset(keyspace: Keyspace): string;
  /**
   * DEBUG QUICKLIST-PACKED-THRESHOLD: list elements this long or longer
   * get a plain node of their own in DUMP payloads and RDB files (1 GiB by
   * default).
   */
  packedThreshold: number;
  /**
   * DEBUG SET-SKIP-CHECKSUM-VALIDATION: when true, neither RESTORE nor RDB
   * loading checks CRC64s.
   */
  skipChecksumValidation: boolean;
}
