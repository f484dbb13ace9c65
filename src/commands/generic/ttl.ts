/**
 * TTL key
 * PTTL key
 * EXPIRETIME key
 * PEXPIRETIME key
 *
 * @module
 */
import type { Reply } from "../../protocol/types.ts";
import type { Args } from "../args.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { CommandDocs, Context } from "../types.ts";

// Redis's ttlGenericCommand: -2 for a missing key, -1 without expiry, else
// the remaining (or absolute) time, never negative, seconds rounded.
function ttlGeneric(
  ctx: Context,
  args: Args,
  millis: boolean,
  absolute: boolean,
): Reply {
  const key = args.key();
  const db = ctx.db;
  if (db.lookupReadNoTouch(key) === undefined) return -2;
  const expire = db.getExpireExact(key);
  if (expire === -1n) return -1;
  let ttl = absolute ? expire : expire - BigInt(ctx.server.clock.now());
  if (ttl < 0n) ttl = 0n;
  const out = millis ? ttl : (ttl + 500n) / 1000n;
  const n = Number(out);
  return Number.isSafeInteger(n) ? n : out;
}

const docs: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }],
};

const ttlHistory: CommandDocs = {
  ...docs,
  history: [["2.8.0", "Added the -2 reply."]],
};

/** TTL: seconds until a key expires. */
export const ttl = defineCommand({
  name: "ttl",
  group: "generic",
  summary: "Get the time to live for a key in seconds",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: ttlHistory,
  handler(ctx, args) {
    return ttlGeneric(ctx, args, false, false);
  },
});

/** PTTL: milliseconds until a key expires. */
export const pttl = defineCommand({
  name: "pttl",
  group: "generic",
  summary: "Get the time to live for a key in milliseconds",
  since: "2.6.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: ttlHistory,
  handler(ctx, args) {
    return ttlGeneric(ctx, args, true, false);
  },
});

/** EXPIRETIME: the Unix time in seconds at which a key expires. */
export const expiretime = defineCommand({
  name: "expiretime",
  group: "generic",
  summary: "Get the expiration Unix timestamp for a key",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO ACCESS")],
  docs,
  handler(ctx, args) {
    return ttlGeneric(ctx, args, false, true);
  },
});

/** PEXPIRETIME: the Unix time in milliseconds at which a key expires. */
export const pexpiretime = defineCommand({
  name: "pexpiretime",
  group: "generic",
  summary: "Get the expiration Unix timestamp for a key in milliseconds",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["readonly", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RO ACCESS")],
  docs,
  handler(ctx, args) {
    return ttlGeneric(ctx, args, true, true);
  },
});
