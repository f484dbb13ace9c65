/**
 * Set values: read from type 2 (a table of strings) and 11 (an intset),
 * written the same way, as Redis 7.0 chooses by encoding.
 *
 * @module
 */
import { SetValue } from "../../store/set_value.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import { encodeIntset, intsetMembers } from "./intset.ts";
import type { RdbReadOptions } from "./reader.ts";
import { RDB_TYPE_SET, RDB_TYPE_SET_INTSET } from "./types.ts";

// Redis caps intsets at 2^30 entries whatever set-max-intset-entries says.
const INTSET_HARD_LIMIT = 1 << 30;

/**
 * Reads a set of RDB type `type` (2 or 11), encoded as Redis 7.0's loader
 * would: a table when there are more members than set-max-intset-entries
 * or one is not an integer. Returns undefined for an empty set.
 */
export function readSet(
  r: ByteReader,
  type: number,
  opts: RdbReadOptions,
): SetValue | undefined {
  const limits = opts.limits;
  const max = Math.min(limits.setMaxIntsetEntries, INTSET_HARD_LIMIT);
  if (type === RDB_TYPE_SET) {
    const len = r.length();
    if (len === 0) return undefined;
    const set = new SetValue(len <= max);
    for (let i = 0; i < len; i++) {
      const at = r.offset;
      if (!set.add(r.string(), limits)) {
        r.fail("Duplicate set members detected", at);
      }
    }
    return set;
  }
  if (type !== RDB_TYPE_SET_INTSET) r.fail(`Unknown set type ${type}`);
  const at = r.offset;
  const blob = r.blob();
  let members: string[];
  try {
    members = intsetMembers(blob, opts.deep ?? false);
  } catch (e) {
    r.fail(`Intset integrity check failed: ${(e as Error).message}`, at);
  }
  const set = new SetValue(members.length <= max);
  for (const m of members) set.add(m, limits);
  return set;
}

/** The RDB type a set is written as: 11 for an intset, else 2. */
export function setRdbType(set: SetValue): number {
  return set.encoding() === "intset" ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
}

/** Writes a set's payload for its setRdbType. */
export function writeSet(w: ByteWriter, set: SetValue): void {
  if (set.encoding() === "intset") {
    w.blob(encodeIntset(set.members()));
    return;
  }
  w.length(set.size);
  set.forEach((m) => w.string(m));
}
