/**
 * EXPIRE key seconds [NX | XX | GT | LT]
 * PEXPIRE key milliseconds [NX | XX | GT | LT]
 * EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
 * PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
 *
 * @module
 */
import {
  expireGtLtIncompatible,
  expireNxIncompatible,
  invalidExpireTime,
  notInteger,
  unsupportedOption,
} from "../../errors.ts";
import type { ArgDoc, CommandDocs, Context } from "../types.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { asciiLower } from "../../util/bytes.ts";
import { INT64_MAX, INT64_MIN, parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

// Redis's parseExtendedExpireArgumentsOrReply: every word after the time is
// a condition, checked before the time itself is parsed.
function parseConditions(argv: readonly string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const word = argv[j]!;
    switch (asciiLower(word)) {
      case "nx":
        flags |= NX;
        break;
      case "xx":
        flags |= XX;
        break;
      case "gt":
        flags |= GT;
        break;
      case "lt":
        flags |= LT;
        break;
      default:
        throw unsupportedOption(word);
    }
  }
  if ((flags & NX) !== 0 && (flags & (XX | GT | LT)) !== 0) {
    throw expireNxIncompatible();
  }
  if ((flags & GT) !== 0 && (flags & LT) !== 0) throw expireGtLtIncompatible();
  return flags;
}

// Redis's expireGenericCommand. `relative` adds the current time;
// `seconds` scales the argument to milliseconds. Times are bigints so every
// overflow check matches Redis's 64-bit arithmetic.
function expireGeneric(
  ctx: Context,
  relative: boolean,
  seconds: boolean,
): number {
  const argv = ctx.argv;
  const key = argv[1]!;
  const flags = parseConditions(argv);
  let when = parseInt64(argv[2]!);
  if (when === undefined) throw notInteger();
  const now = ctx.server.clock.now();
  const basetime = relative ? BigInt(now) : 0n;
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) {
      throw invalidExpireTime(ctx.command.fullName);
    }
    when *= 1000n;
  }
  if (when > INT64_MAX - basetime) {
    throw invalidExpireTime(ctx.command.fullName);
  }
  when += basetime;

  const db = ctx.db;
  if (db.lookupWrite(key) === undefined) return 0;
  if (flags !== 0) {
    const current = db.getExpireExact(key);
    if ((flags & NX) !== 0 && current !== -1n) return 0;
    if ((flags & XX) !== 0 && current === -1n) return 0;
    // No expiry counts as an infinite TTL: GT never beats it, LT always does.
    if ((flags & GT) !== 0 && (current === -1n || when <= current)) return 0;
    if ((flags & LT) !== 0 && current !== -1n && when >= current) return 0;
  }

  // A time in the past deletes the key, except where expired keys are kept
  // until the primary says otherwise (loading, replicas).
  if (when <= BigInt(now) && !db.hooks.keepExpired) {
    db.delete(key);
    const lazy = ctx.server.config.bool("lazyfree-lazy-expire");
    ctx.propagateAs([lazy ? "UNLINK" : "DEL", key]);
    ctx.notify(NOTIFY_GENERIC, "del", key);
    ctx.dirty();
    return 1;
  }
  db.setExpire(key, when);
  // Replicas and the AOF get the absolute time, whatever the form used.
  if ((relative || seconds) && ctx.server.sinks.length !== 0) {
    const out = argv.slice();
    out[0] = "PEXPIREAT";
    out[2] = String(when);
    ctx.propagateAs(out);
  }
  ctx.notify(NOTIFY_GENERIC, "expire", key);
  ctx.dirty();
  return 1;
}

function docsFor(name: string, type: "integer" | "unix-time"): CommandDocs {
  const condition: ArgDoc = {
    name: "condition",
    type: "oneof",
    since: "7.0.0",
    optional: true,
    arguments: [
      { name: "nx", type: "pure-token", token: "NX" },
      { name: "xx", type: "pure-token", token: "XX" },
      { name: "gt", type: "pure-token", token: "GT" },
      { name: "lt", type: "pure-token", token: "LT" },
    ],
  };
  return {
    history: [["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."]],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name, type },
      condition,
    ],
  };
}

/** EXPIRE: sets a key's time to live in seconds. */
export const expire = defineCommand({
  name: "expire",
  group: "generic",
  summary: "Set a key's time to live in seconds",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: docsFor("seconds", "integer"),
  handler(ctx) {
    return expireGeneric(ctx, true, true);
  },
});

/** PEXPIRE: sets a key's time to live in milliseconds. */
export const pexpire = defineCommand({
  name: "pexpire",
  group: "generic",
  summary: "Set a key's time to live in milliseconds",
  since: "2.6.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: docsFor("milliseconds", "integer"),
  handler(ctx) {
    return expireGeneric(ctx, true, false);
  },
});

/** EXPIREAT: sets a key's expiry as a Unix time in seconds. */
export const expireat = defineCommand({
  name: "expireat",
  group: "generic",
  summary: "Set the expiration for a key as a UNIX timestamp",
  since: "1.2.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: docsFor("unix-time-seconds", "unix-time"),
  handler(ctx) {
    return expireGeneric(ctx, false, true);
  },
});

/** PEXPIREAT: sets a key's expiry as a Unix time in milliseconds. */
export const pexpireat = defineCommand({
  name: "pexpireat",
  group: "generic",
  summary:
    "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
  since: "2.6.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "fast"],
  acl: ["keyspace"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: docsFor("unix-time-milliseconds", "unix-time"),
  handler(ctx) {
    return expireGeneric(ctx, false, false);
  },
});
