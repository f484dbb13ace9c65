/**
 * SUNION key [key ...]
 * SUNIONSTORE destination key [key ...]
 * SDIFF key [key ...]
 * SDIFFSTORE destination key [key ...]
 *
 * @module
 */
import { defineCommand, keyAt, keysFrom } from "../define.ts";
import { set as setReply } from "../../protocol/reply.ts";
import { SetValue } from "../../store/set_value.ts";
import type { Context } from "../types.ts";
import { readSets } from "./common.ts";
import { storeResult } from "./sinter.ts";

/**
 * Redis's sunionDiffGenericCommand: builds the result as a new set, member
 * by member, so its encoding (and so the reply order: sorted for an intset)
 * is the one Redis ends up with.
 */
function combine(
  ctx: Context,
  keys: readonly string[],
  op: "union" | "diff",
): SetValue {
  const sets = readSets(ctx, keys);
  const limits = ctx.server.encoding;
  const result = new SetValue();
  if (op === "union") {
    for (const s of sets) s?.forEach((m) => result.add(m, limits));
    return result;
  }
  const first = sets[0];
  if (first === undefined) return result;
  // Redis picks one of two algorithms by estimated work. They give the same
  // members, but not always the same encoding: the second adds the whole
  // first set before removing, so a non-integer member that is removed
  // again still leaves a hash table behind.
  let oneWork = 0;
  let twoWork = 0;
  for (const s of sets) {
    if (s === undefined) continue;
    oneWork += first.size;
    twoWork += s.size;
  }
  if (Math.floor(oneWork / 2) <= twoWork) {
    const others = sets.slice(1).filter((s) => s !== undefined);
    first.forEach((m) => {
      for (const other of others) {
        if (other === first || other.has(m)) return;
      }
      result.add(m, limits);
    });
    return result;
  }
  first.forEach((m) => result.add(m, limits));
  for (let j = 1; j < sets.length && result.size > 0; j++) {
    sets[j]?.forEach((m) => result.delete(m));
  }
  return result;
}

const manyKeys = [
  { name: "key", type: "key", multiple: true, keySpecIndex: 0 },
] as const;

const storeKeys = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "key", type: "key", multiple: true, keySpecIndex: 1 },
] as const;

/** SUNION: the members of any of the sets. */
export const sunion = defineCommand({
  name: "sunion",
  group: "set",
  summary: "Add multiple sets",
  since: "1.0.0",
  complexity: "O(N) where N is the total number of elements in all given sets.",
  arity: -2,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keysFrom(1, 1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: { arguments: manyKeys },
  handler(ctx, args) {
    return setReply(combine(ctx, args.rest(), "union").members());
  },
});

/** SDIFF: the members of the first set that no other set has. */
export const sdiff = defineCommand({
  name: "sdiff",
  group: "set",
  summary: "Subtract multiple sets",
  since: "1.0.0",
  complexity: "O(N) where N is the total number of elements in all given sets.",
  arity: -2,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keysFrom(1, 1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: { arguments: manyKeys },
  handler(ctx, args) {
    return setReply(combine(ctx, args.rest(), "diff").members());
  },
});

/** SUNIONSTORE: stores the union; replies with its size. */
export const sunionstore = defineCommand({
  name: "sunionstore",
  group: "set",
  summary: "Add multiple sets and store the resulting set in a key",
  since: "1.0.0",
  complexity: "O(N) where N is the total number of elements in all given sets.",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["set"],
  keys: [keyAt(1, "OW UPDATE"), keysFrom(2, 1, "RO ACCESS")],
  docs: { arguments: storeKeys },
  handler(ctx, args) {
    const dst = args.key();
    const result = combine(ctx, args.rest(), "union");
    return storeResult(ctx, dst, result, "sunionstore");
  },
});

/** SDIFFSTORE: stores the difference; replies with its size. */
export const sdiffstore = defineCommand({
  name: "sdiffstore",
  group: "set",
  summary: "Subtract multiple sets and store the resulting set in a key",
  since: "1.0.0",
  complexity: "O(N) where N is the total number of elements in all given sets.",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["set"],
  keys: [keyAt(1, "OW UPDATE"), keysFrom(2, 1, "RO ACCESS")],
  docs: { arguments: storeKeys },
  handler(ctx, args) {
    const dst = args.key();
    const result = combine(ctx, args.rest(), "diff");
    return storeResult(ctx, dst, result, "sdiffstore");
  },
});
