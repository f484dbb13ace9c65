/**
 * SINTER key [key ...]
 * SINTERSTORE destination key [key ...]
 * SINTERCARD numkeys key [key ...] [LIMIT limit]
 *
 * @module
 */
import { defineCommand, keyAt, keysCounted, keysFrom } from "../define.ts";
import {
  limitNegative,
  numkeysNotPositive,
  numkeysTooLarge,
  syntaxError,
} from "../../errors.ts";
import { set as setReply } from "../../protocol/reply.ts";
import { NOTIFY_GENERIC, NOTIFY_SET } from "../../state.ts";
import { SetValue } from "../../store/set_value.ts";
import type { Context } from "../types.ts";
import { readSets } from "./common.ts";

/**
 * Redis's sinterGenericCommand: walks the smallest set and keeps the
 * members every other set has, stopping after `limit` members (0: no
 * limit). Returns undefined when a key is missing (the result is empty).
 */
function intersect(
  ctx: Context,
  keys: readonly string[],
  limit = 0,
): string[] | undefined {
  const found = readSets(ctx, keys);
  if (found.some((s) => s === undefined)) return undefined;
  // Smallest first; a stable sort, like the qsort Redis gets from glibc.
  const sets = (found as SetValue[]).sort((a, b) => a.size - b.size);
  const first = sets[0]!;
  const out: string[] = [];
  // SINTERCARD stops counting at its limit.
  first.every((member) => {
    for (let j = 1; j < sets.length; j++) {
      const other = sets[j]!;
      if (other !== first && !other.has(member)) return true;
    }
    out.push(member);
    return limit === 0 || out.length < limit;
  });
  return out;
}

/** SINTER: the members every set has. */
export const sinter = defineCommand({
  name: "sinter",
  group: "set",
  summary: "Intersect multiple sets",
  since: "1.0.0",
  complexity:
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
  arity: -2,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keysFrom(1, 1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: {
    arguments: [
      { name: "key", type: "key", multiple: true, keySpecIndex: 0 },
    ],
  },
  handler(ctx, args) {
    return setReply(intersect(ctx, args.rest()) ?? []);
  },
});

/** SINTERSTORE: stores the intersection; replies with its size. */
export const sinterstore = defineCommand({
  name: "sinterstore",
  group: "set",
  summary: "Intersect multiple sets and store the resulting set in a key",
  since: "1.0.0",
  complexity:
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["set"],
  keys: [keyAt(1, "RW UPDATE"), keysFrom(2, 1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "key", type: "key", multiple: true, keySpecIndex: 1 },
    ],
  },
  handler(ctx, args) {
    const dst = args.key();
    const members = intersect(ctx, args.rest()) ?? [];
    return storeResult(ctx, dst, members, "sinterstore");
  },
});

/**
 * Stores `members` at `dst` as a new set built member by member (so it is
 * an intset when it fits one), or deletes `dst` when there are none.
 * Replies with the size. Shared by the *STORE commands.
 */
export function storeResult(
  ctx: Context,
  dst: string,
  members: readonly string[] | SetValue,
  event: string,
): number {
  let result: SetValue;
  if (members instanceof SetValue) {
    result = members;
  } else {
    result = new SetValue();
    const limits = ctx.server.encoding;
    for (let i = 0; i < members.length; i++) result.add(members[i]!, limits);
  }
  if (result.size === 0) {
    if (ctx.db.delete(dst)) {
      ctx.notify(NOTIFY_GENERIC, "del", dst);
      ctx.dirty();
    }
    return 0;
  }
  ctx.db.set(dst, result);
  ctx.notify(NOTIFY_SET, event, dst);
  ctx.dirty();
  return result.size;
}

/** SINTERCARD: the size of the intersection, counting at most LIMIT members. */
export const sintercard = defineCommand({
  name: "sintercard",
  group: "set",
  summary: "Intersect multiple sets and return the cardinality of the result",
  since: "7.0.0",
  complexity:
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
  arity: -3,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keysCounted(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", multiple: true, keySpecIndex: 0 },
      { name: "limit", type: "integer", token: "LIMIT", optional: true },
    ],
  },
  handler(ctx, args) {
    const numkeys = args.int(numkeysNotPositive);
    if (numkeys < 1n) throw numkeysNotPositive();
    if (numkeys > BigInt(args.remaining)) throw numkeysTooLarge();
    const keys: string[] = [];
    for (let i = 0n; i < numkeys; i++) keys.push(args.key());
    let limit = 0;
    while (args.more) {
      if (args.accept("limit") && args.more) {
        const l = args.int(limitNegative);
        if (l < 0n) throw limitNegative();
        limit = Number(l);
      } else {
        throw syntaxError();
      }
    }
    return intersect(ctx, keys, limit)?.length ?? 0;
  },
});
