/**
 * SRANDMEMBER key [count]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { syntaxError, valueOutOfRangeBetween } from "../../errors.ts";
import { setForRead } from "./common.ts";

const LONG_MAX = 9223372036854775807n;

/** SRANDMEMBER: random members without removing them (negative count: repeats allowed). */
export const srandmember = defineCommand({
  name: "srandmember",
  group: "set",
  summary: "Get one or multiple random members from a set",
  since: "1.0.0",
  complexity:
    "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
  arity: -2,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", optional: true, since: "2.6.0" },
    ],
    history: [["2.6.0", "Added the optional `count` argument."]],
  },
  handler(ctx, args) {
    const key = args.key();
    const rand = ctx.server.random.int;
    if (args.remaining > 1) throw syntaxError();
    if (!args.more) {
      const set = setForRead(ctx, key);
      return set === undefined ? null : set.random(rand);
    }
    // The count is checked before the key is looked up.
    const l = args.int();
    if (l < -LONG_MAX) throw valueOutOfRangeBetween(-LONG_MAX, LONG_MAX);
    const set = setForRead(ctx, key);
    if (set === undefined || l === 0n) return [];
    const out: string[] = [];
    // Case 1: negative count (repeats allowed, random order), or one member.
    if (l < 0n || l === 1n) {
      let count = Number(l < 0n ? -l : l);
      while (count-- > 0) out.push(set.random(rand));
      return out;
    }
    const count = Number(l);
    const size = set.size;
    // Case 2: the whole set, in its own order (sorted for an intset).
    if (count >= size) return set.members();
    // Cases 3 and 4: distinct random members, in random order.
    if (count * 3 > size) {
      const members = set.members();
      for (let i = 0; i < count; i++) {
        const j = i + rand(size - i);
        const m = members[j]!;
        members[j] = members[i]!;
        out.push(m);
      }
    } else {
      const seen = new Set<string>();
      while (seen.size < count) {
        const m = set.random(rand);
        if (seen.has(m)) continue;
        seen.add(m);
        out.push(m);
      }
    }
    return out;
  },
});
