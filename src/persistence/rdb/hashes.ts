/**
 * Hash values: read from type 4 (a table), 9 (zipmap), 13 (ziplist) and
 * 16 (listpack), written as 16 or 4 as Redis 7.0 chooses by encoding.
 *
 * @module
 */
import { HashValue } from "../../store/hash_value.ts";
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
    // The loader's rules: a table past hash-max-listpack-entries or once a
    // field or value is longer than hash-max-listpack-value.
    const flat: string[] = [];
    const fields = new Set<string>();
    let table = len > limits.hashMaxListpackEntries;
    const max = limits.hashMaxListpackValue;
    for (let i = 0; i < len; i++) {
      const at = r.offset;
      const field = r.string();
      const value = r.string();
      fields.add(field);
      if (fields.size !== i + 1) r.fail("Duplicate hash fields detected", at);
      if (field.length > max || value.length > max) table = true;
      flat.push(field, value);
    }
    return HashValue.fromPairs(flat, table);
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
  // A zipmap converts on long values too; ziplists and listpacks on the
  // entry count only.
  let table = count > limits.hashMaxListpackEntries;
  if (type === RDB_TYPE_HASH_ZIPMAP && !table) {
    const max = limits.hashMaxListpackValue;
    for (let i = 0; i < flat.length && !table; i++) {
      table = flat[i]!.length > max;
    }
  }
  return HashValue.fromPairs(flat, table);
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
