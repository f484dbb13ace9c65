/**
 * Hash values: read from type 4 (a table), 9 (zipmap), 13 (ziplist) and
 * 16 (listpack), written as 16 or 4 as Redis 7.0 chooses by encoding.
 *
 * @module
 */
import { type HashLimits, HashValue } from "../../store/hash_value.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import {
  ListpackBuilder,
  listpackEntries,
  validateListpack,
} from "./listpack.ts";
import type { RdbReadOptions } from "./reader.ts";
import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
} from "./types.ts";
import { ziplistEntries } from "./ziplist.ts";
import { zipmapEntries } from "./zipmap.ts";

// Limits that never convert: a hash loaded from a listpack or ziplist stays
// a listpack whatever its values' lengths, as in Redis.
const KEEP_LISTPACK: HashLimits = {
  hashMaxListpackEntries: Infinity,
  hashMaxListpackValue: Infinity,
};

/**
 * Reads a hash of RDB type `type`, encoded as Redis 7.0's loader would.
 * Returns undefined for an empty hash.
 */
export function readHash(
  r: ByteReader,
  type: number,
  opts: RdbReadOptions,
): HashValue | undefined {
  const limits = opts.limits;
  if (type === RDB_TYPE_HASH) {
    const len = r.length();
    if (len === 0) return undefined;
    const hash = new HashValue();
    // set() converts on a long field or value and past the entry limit,
    // as the loader does.
    for (let i = 0; i < len; i++) {
      const at = r.offset;
      const field = r.string();
      const value = r.string();
      if (!hash.set(field, value, limits)) {
        r.fail("Duplicate hash fields detected", at);
      }
    }
    return hash;
  }
  const at = r.offset;
  const blob = r.blob();
  let flat: string[];
  try {
    switch (type) {
      case RDB_TYPE_HASH_ZIPMAP:
        flat = zipmapEntries(blob);
        break;
      case RDB_TYPE_HASH_ZIPLIST:
        flat = ziplistEntries(blob);
        break;
      case RDB_TYPE_HASH_LISTPACK:
        if (!validateListpack(blob, opts.deep ?? false)) {
          throw new RangeError("bad listpack");
        }
        flat = listpackEntries(blob);
        break;
      default:
        r.fail(`Unknown hash type ${type}`, at - 1);
    }
  } catch (e) {
    r.fail(`Hash integrity check failed: ${(e as Error).message}`, at);
  }
  if (flat.length % 2 !== 0) r.fail("Hash with an odd number of entries", at);
  const count = flat.length / 2;
  if (count === 0) return undefined;
  const fields = new Set<string>();
  for (let i = 0; i < flat.length; i += 2) fields.add(flat[i]!);
  if (fields.size !== count) r.fail("Hash with dup elements", at);
  const hash = new HashValue();
  // A zipmap converts on long values too; ziplists and listpacks on the
  // entry count only.
  const use = type === RDB_TYPE_HASH_ZIPMAP
    ? limits
    : count > limits.hashMaxListpackEntries
    ? { hashMaxListpackEntries: -1, hashMaxListpackValue: Infinity }
    : KEEP_LISTPACK;
  for (let i = 0; i < flat.length; i += 2) {
    hash.set(flat[i]!, flat[i + 1]!, use);
  }
  return hash;
}

/** The RDB type a hash is written as: 16 for a listpack, else 4. */
export function hashRdbType(hash: HashValue): number {
  return hash.encoding() === "listpack"
    ? RDB_TYPE_HASH_LISTPACK
    : RDB_TYPE_HASH;
}

/** Writes a hash's payload for its hashRdbType. */
export function writeHash(w: ByteWriter, hash: HashValue): void {
  if (hash.encoding() === "listpack") {
    const b = new ListpackBuilder();
    hash.forEach((field, value) => {
      b.append(field);
      b.append(value);
    });
    w.blob(b.finish());
    return;
  }
  w.length(hash.size);
  hash.forEach((field, value) => {
    w.string(field);
    w.string(value);
  });
}
