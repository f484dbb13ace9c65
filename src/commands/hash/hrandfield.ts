/**
 * HRANDFIELD key [count [WITHVALUES]]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import {
  syntaxError,
  valueOutOfRange,
  valueOutOfRangeBetween,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import type { HashValue } from "../../store/hash_value.ts";
import type { Context } from "../types.ts";
import { hashForRead } from "./common.ts";

const LONG_MAX = 9223372036854775807n;

/** HRANDFIELD: one random field, or a number of them (negative: repeats allowed). */
export const hrandfield = defineCommand({
  name: "hrandfield",
  group: "hash",
  summary: "Get one or multiple random fields from a hash",
  since: "6.2.0",
  complexity: "O(N) where N is the number of fields returned",
  arity: -2,
  flags: ["readonly"],
  acl: ["hash"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "options",
        type: "block",
        optional: true,
        arguments: [
          { name: "count", type: "integer" },
          {
            name: "withvalues",
            type: "pure-token",
            token: "WITHVALUES",
            optional: true,
          },
        ],
      },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const rand = ctx.server.random.int;
    if (!args.more) {
      const hash = hashForRead(ctx, key);
      return hash === undefined ? null : hash.randomField(rand);
    }
    // Count and options are checked before the key is looked up.
    const l = args.int();
    if (l < -LONG_MAX) throw valueOutOfRangeBetween(-LONG_MAX, LONG_MAX);
    let withValues = false;
    if (args.more) {
      if (args.remaining > 1 || !args.accept("withvalues")) throw syntaxError();
      withValues = true;
      if (l < -LONG_MAX / 2n || l > LONG_MAX / 2n) throw valueOutOfRange();
    }
    const hash = hashForRead(ctx, key);
    if (hash === undefined || l === 0n) return [];
    return randomFields(ctx, hash, l, withValues);
  },
});

// Redis's hrandfieldWithCountCommand, case by case.
function randomFields(
  ctx: Context,
  hash: HashValue,
  l: bigint,
  withValues: boolean,
): Reply[] {
  const rand = ctx.server.random.int;
  // RESP3 nests each field/value pair in its own array; RESP2 is flat.
  // This is a change of shape, not of type, so the encoder cannot do it.
  const nested = withValues && ctx.client.protocol === 3;
  const out: Reply[] = [];
  const emit = (field: string, value: string) => {
    if (!withValues) out.push(field);
    else if (nested) out.push([field, value]);
    else out.push(field, value);
  };
  const size = hash.size;
  // Case 1: negative count (repeats allowed, random order), or a single field.
  if (l < 0n || l === 1n) {
    let count = Number(l < 0n ? -l : l);
    while (count-- > 0) {
      const [field, value] = hash.randomEntry(rand);
      emit(field, value);
    }
    return out;
  }
  const count = Number(l);
  // Case 2: the whole hash, in its own order.
  if (count >= size) {
    hash.forEach(emit);
    return out;
  }
  if (hash.encoding() === "listpack") {
    // Case 2.5: a listpack samples unique fields in listpack order.
    const entries = hash.entries();
    let needed = count;
    for (let i = 0, left = size; needed > 0; i++, left--) {
      if (rand(left) < needed) {
        emit(entries[2 * i]!, entries[2 * i + 1]!);
        needed--;
      }
    }
    return out;
  }
  // Cases 3 and 4: distinct random fields of a hash table, in random order.
  if (count * 3 > size) {
    // Most of the hash: a partial shuffle of a copy.
    const entries = hash.entries();
    for (let i = 0; i < count; i++) {
      const j = i + rand(size - i);
      const f = entries[2 * j]!;
      const v = entries[2 * j + 1]!;
      entries[2 * j] = entries[2 * i]!;
      entries[2 * j + 1] = entries[2 * i + 1]!;
      emit(f, v);
    }
  } else {
    // A small part: random picks, skipping repeats.
    const seen = new Set<string>();
    while (seen.size < count) {
      const [field, value] = hash.randomEntry(rand);
      if (seen.has(field)) continue;
      seen.add(field);
      emit(field, value);
    }
  }
  return out;
}
