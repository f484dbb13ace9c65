/**
 * HGET key field
 * HMGET key field [field ...]
 * HEXISTS key field
 * HSTRLEN key field
 * HLEN key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import type { Reply } from "../../protocol/types.ts";
import { hashForRead } from "./common.ts";

const keyField = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "field", type: "string" },
] as const;

/** HGET: the value of a field, or null. */
export const hget = defineCommand({
  name: "hget",
  group: "hash",
  summary: "Get the value of a hash field",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: keyField },
  handler(ctx, args) {
    const hash = hashForRead(ctx, args.key());
    return hash === undefined ? null : hash.get(args.bytes()) ?? null;
  },
});

/** HMGET: the values of several fields, null for each missing one. */
export const hmget = defineCommand({
  name: "hmget",
  group: "hash",
  summary: "Get the values of all the given hash fields",
  since: "2.0.0",
  complexity: "O(N) where N is the number of fields being requested.",
  arity: -3,
  flags: ["readonly", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string", multiple: true },
    ],
  },
  handler(ctx, args) {
    const hash = hashForRead(ctx, args.key());
    const out: Reply[] = [];
    while (args.more) {
      const field = args.bytes();
      out.push(hash === undefined ? null : hash.get(field) ?? null);
    }
    return out;
  },
});

/** HEXISTS: 1 if the field exists, else 0. */
export const hexists = defineCommand({
  name: "hexists",
  group: "hash",
  summary: "Determine if a hash field exists",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: keyField },
  handler(ctx, args) {
    const hash = hashForRead(ctx, args.key());
    return hash !== undefined && hash.has(args.bytes()) ? 1 : 0;
  },
});

/** HSTRLEN: the length in bytes of a field's value, 0 when missing. */
export const hstrlen = defineCommand({
  name: "hstrlen",
  group: "hash",
  summary: "Get the length of the value of a hash field",
  since: "3.2.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: keyField },
  handler(ctx, args) {
    const hash = hashForRead(ctx, args.key());
    return hash?.get(args.bytes())?.length ?? 0;
  },
});

/** HLEN: the number of fields. */
export const hlen = defineCommand({
  name: "hlen",
  group: "hash",
  summary: "Get the number of fields in a hash",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RO")],
  docs: { arguments: [{ name: "key", type: "key", keySpecIndex: 0 }] },
  handler(ctx, args) {
    return hashForRead(ctx, args.key())?.size ?? 0;
  },
});
