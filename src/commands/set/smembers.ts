/**
 * SMEMBERS key
 * SISMEMBER key member
 * SMISMEMBER key member [member ...]
 * SCARD key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { set as setReply } from "../../protocol/reply.ts";
import { setForRead } from "./common.ts";

/** SMEMBERS: every member (sorted for an intset), as a set reply. */
export const smembers = defineCommand({
  name: "smembers",
  group: "set",
  summary: "Get all the members in a set",
  since: "1.0.0",
  complexity: "O(N) where N is the set cardinality.",
  arity: 2,
  flags: ["readonly"],
  acl: ["set"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    return setReply(setForRead(ctx, args.key())?.members() ?? []);
  },
});

/** SISMEMBER: 1 if the member is in the set, else 0. */
export const sismember = defineCommand({
  name: "sismember",
  group: "set",
  summary: "Determine if a given value is a member of a set",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RO")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
  },
  handler(ctx, args) {
    const set = setForRead(ctx, args.key());
    return set !== undefined && set.has(args.bytes()) ? 1 : 0;
  },
});

/** SMISMEMBER: 1 or 0 for each member. */
export const smismember = defineCommand({
  name: "smismember",
  group: "set",
  summary:
    "Returns the membership associated with the given elements for a set",
  since: "6.2.0",
  complexity:
    "O(N) where N is the number of elements being checked for membership",
  arity: -3,
  flags: ["readonly", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
  },
  handler(ctx, args) {
    const set = setForRead(ctx, args.key());
    const out: number[] = [];
    while (args.more) {
      const member = args.bytes();
      out.push(set !== undefined && set.has(member) ? 1 : 0);
    }
    return out;
  },
});

/** SCARD: the number of members. */
export const scard = defineCommand({
  name: "scard",
  group: "set",
  summary: "Get the number of members in a set",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    return setForRead(ctx, args.key())?.size ?? 0;
  },
});
