/**
 * Sorted set values: read from type 3 (string scores), 5 (binary scores),
 * 12 (ziplist) and 17 (listpack), written as 17 or 5 as Redis 7.0 chooses
 * by encoding.
 *
 * @module
 */
import { formatG17, strtod } from "../../util/number.ts";
import { type ZSetLimits, ZSetValue } from "../../store/zset_value.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import {
  ListpackBuilder,
  listpackEntries,
  validateListpack,
} from "./listpack.ts";
import type { RdbReadOptions } from "./reader.ts";
import {
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from "./types.ts";
import { ziplistEntries } from "./ziplist.ts";

// Limits that never convert while members are inserted; the encoding is
// decided before or after, as Redis's loader does.
const NO_LIMITS: ZSetLimits = {
  zsetMaxListpackEntries: Infinity,
  zsetMaxListpackValue: Infinity,
};

// Scores within +-2^62 with no fraction are listpack integers (double2ll).
const LONG_LIMIT = 2 ** 62;

/**
 * Reads a sorted set of RDB type `type`, encoded as Redis 7.0's loader
 * would. Returns undefined for an empty set.
 */
export function readZset(
  r: ByteReader,
  type: number,
  opts: RdbReadOptions,
): ZSetValue | undefined {
  const limits = opts.limits;
  if (type === RDB_TYPE_ZSET || type === RDB_TYPE_ZSET_2) {
    const len = r.length();
    if (len === 0) return undefined;
    const members: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i < len; i++) {
      const at = r.offset;
      const member = r.string();
      const score = type === RDB_TYPE_ZSET_2 ? r.double() : r.textDouble();
      if (Number.isNaN(score)) r.fail("Zset with NAN score detected", at);
      members.push(member);
      scores.push(score);
    }
    // Files list the highest score first: inserting from the end appends
    // to the tree's last leaf.
    const zset = new ZSetValue(false);
    let maxLen = 0;
    for (let i = len - 1; i >= 0; i--) {
      const member = members[i]!;
      if (zset.score(member) !== undefined) {
        r.fail("Duplicate zset fields detected", r.offset);
      }
      if (member.length > maxLen) maxLen = member.length;
      zset.insert(scores[i]!, member, NO_LIMITS);
    }
    // Converted after loading, since the file's order is not the set's.
    zset.convertToListpackIfNeeded(maxLen, limits);
    return zset;
  }
  const at = r.offset;
  const blob = r.blob();
  let flat: string[];
  try {
    if (type === RDB_TYPE_ZSET_ZIPLIST) {
      flat = ziplistEntries(blob);
    } else if (type === RDB_TYPE_ZSET_LISTPACK) {
      if (!validateListpack(blob, opts.deep ?? false)) {
        throw new RangeError("bad listpack");
      }
      flat = listpackEntries(blob);
    } else {
      throw new RangeError(`unknown sorted set type ${type}`);
    }
  } catch (e) {
    r.fail(`Zset integrity check failed: ${(e as Error).message}`, at);
  }
  if (flat.length % 2 !== 0) r.fail("Zset with an odd number of entries", at);
  const count = flat.length / 2;
  if (count === 0) return undefined;
  const zset = new ZSetValue(count <= limits.zsetMaxListpackEntries);
  for (let i = 0; i < flat.length; i += 2) {
    const member = flat[i]!;
    // zzlGetScore: strtod, 0 when the text is no number.
    const score = strtod(flat[i + 1]!) ?? 0;
    if (Number.isNaN(score)) r.fail("Zset with NAN score detected", at);
    if (zset.score(member) !== undefined) r.fail("Zset with dup elements", at);
    zset.insert(score, member, NO_LIMITS);
  }
  return zset;
}

/** The RDB type a sorted set is written as: 17 for a listpack, else 5. */
export function zsetRdbType(zset: ZSetValue): number {
  return zset.isListpack ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
}

/**
 * Writes a sorted set's payload for its zsetRdbType: a listpack of member
 * and score in score order (integral scores as integers, others as
 * `%.17g` text, as zzlInsertAt stores them), or the members from the
 * highest score down with binary scores, as rdbSaveObject walks the
 * skiplist.
 */
export function writeZset(w: ByteWriter, zset: ZSetValue): void {
  if (zset.isListpack) {
    const b = new ListpackBuilder();
    zset.tree.forEach((member, score) => {
      b.append(member);
      if (
        Number.isInteger(score) && score >= -LONG_LIMIT && score <= LONG_LIMIT
      ) {
        b.appendInt(score);
      } else if (score === Infinity) {
        b.appendBytes("inf");
      } else if (score === -Infinity) {
        b.appendBytes("-inf");
      } else {
        b.append(formatG17(score));
      }
    });
    w.blob(b.finish());
    return;
  }
  w.length(zset.size);
  zset.tree.forEachReverse((member, score) => {
    w.string(member);
    w.double(score);
  });
}
