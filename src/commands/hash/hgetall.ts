/**
 * HGETALL key
 * HKEYS key
 * HVALS key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { map } from "../../protocol/reply.ts";
import { hashForRead } from "./common.ts";

const keyOnly = [{ name: "key", type: "key", keySpecIndex: 0 }] as const;

/** HGETALL: every field and value, as a map (a flat array in RESP2). */
export const hgetall = defineCommand({
  name: "hgetall",
  group: "hash",
  summary: "Get all the fields and values in a hash",
  since: "2.0.0",
  complexity: "O(N) where N is the size of the hash.",
  arity: 2,
  flags: ["readonly"],
  acl: ["hash"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: { arguments: keyOnly },
  handler(ctx, args) {
    const hash = hashForRead(ctx, args.key());
    return map(hash === undefined ? [] : hash.entries());
  },
});

/** HKEYS: every field. */
export const hkeys = defineCommand({
  name: "hkeys",
  group: "hash",
  summary: "Get all the fields in a hash",
  since: "2.0.0",
  complexity: "O(N) where N is the size of the hash.",
  arity: 2,
  flags: ["readonly"],
  acl: ["hash"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: { arguments: keyOnly },
  handler(ctx, args) {
    return hashForRead(ctx, args.key())?.fields() ?? [];
  },
});

/** HVALS: every value. */
export const hvals = defineCommand({
  name: "hvals",
  group: "hash",
  summary: "Get all the values in a hash",
  since: "2.0.0",
  complexity: "O(N) where N is the size of the hash.",
  arity: 2,
  flags: ["readonly"],
  acl: ["hash"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output_order"],
  docs: { arguments: keyOnly },
  handler(ctx, args) {
    return hashForRead(ctx, args.key())?.values() ?? [];
  },
});
