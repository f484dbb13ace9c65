/**
 * SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
 *   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
 * SETNX key value
 * SETEX key seconds value
 * PSETEX key milliseconds value
 * GETSET key value
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { OK } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_GENERIC, NOTIFY_STRING } from "../../state.ts";
import { shareString } from "../../store/strings.ts";
import type { Context } from "../types.ts";
import {
  expireAtMs,
  OPT_EX,
  OPT_GET,
  OPT_KEEPTTL,
  OPT_NX,
  OPT_PX,
  OPT_XX,
  optionWord,
  parseStringOptions,
} from "./options.ts";

// Redis's setGenericCommand. `okReply`/`abortReply` are what SET or SETNX
// answer when the value was / was not stored (unless GET replaces them).
function setGeneric(
  ctx: Context,
  flags: number,
  key: string,
  value: string,
  expire: string | undefined,
  okReply: Reply,
  abortReply: Reply,
): Reply {
  const when = expire === undefined
    ? undefined
    : expireAtMs(ctx, expire, flags);
  let reply = okReply;
  if (flags & OPT_GET) {
    const old = ctx.db.getString(key);
    reply = old === undefined ? null : shareString(old);
  }
  const found = ctx.db.lookupWrite(key) !== undefined;
  if (((flags & OPT_NX) && found) || ((flags & OPT_XX) && !found)) {
    return flags & OPT_GET ? reply : abortReply;
  }
  ctx.db.set(key, value, (flags & OPT_KEEPTTL) !== 0);
  ctx.dirty();
  ctx.notify(NOTIFY_STRING, "set", key);
  if (when !== undefined) {
    ctx.db.setExpire(key, Number(when));
    ctx.notify(NOTIFY_GENERIC, "expire", key);
    // Relative times would expire later on a replica or after an AOF load.
    ctx.propagateAs(["SET", key, value, "PXAT", String(when)]);
  } else if (flags & OPT_GET) {
    // GET changes nothing, so it is dropped from what is propagated.
    const argv = ctx.argv;
    const out = [argv[0]!, argv[1]!, argv[2]!];
    for (let j = 3; j < argv.length; j++) {
      if (optionWord(argv[j]!) !== "get") out.push(argv[j]!);
    }
    ctx.propagateAs(out);
  }
  return reply;
}

/** SET: stores a string, with expiry, condition and GET options. */
export const set = defineCommand({
  name: "set",
  group: "string",
  summary: "Set the string value of a key",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [{
    ...keyAt(1, "RW ACCESS UPDATE VARIABLE_FLAGS"),
    notes: "RW and ACCESS due to the optional `GET` argument",
  }],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
      {
        name: "condition",
        type: "oneof",
        optional: true,
        since: "2.6.12",
        arguments: [
          { name: "nx", type: "pure-token", token: "NX" },
          { name: "xx", type: "pure-token", token: "XX" },
        ],
      },
      {
        name: "get",
        type: "pure-token",
        token: "GET",
        optional: true,
        since: "6.2.0",
      },
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "seconds", type: "integer", token: "EX", since: "2.6.12" },
          {
            name: "milliseconds",
            type: "integer",
            token: "PX",
            since: "2.6.12",
          },
          {
            name: "unix-time-seconds",
            type: "unix-time",
            token: "EXAT",
            since: "6.2.0",
          },
          {
            name: "unix-time-milliseconds",
            type: "unix-time",
            token: "PXAT",
            since: "6.2.0",
          },
          {
            name: "keepttl",
            type: "pure-token",
            token: "KEEPTTL",
            since: "6.0.0",
          },
        ],
      },
    ],
    history: [
      ["2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."],
      ["6.0.0", "Added the `KEEPTTL` option."],
      ["6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."],
      ["7.0.0", "Allowed the `NX` and `GET` options to be used together."],
    ],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    const value = argv[2]!;
    if (argv.length === 3) {
      // The common case, without options. Like Redis's setKey, an expired
      // key is first reported and propagated as expired.
      ctx.db.expireIfNeeded(key);
      ctx.db.set(key, value);
      ctx.dirty();
      ctx.notify(NOTIFY_STRING, "set", key);
      return OK;
    }
    const { flags, expire } = parseStringOptions(argv, 3, true);
    return setGeneric(ctx, flags, key, value, expire, OK, null);
  },
});

/** SETNX: SET NX replying 1 or 0. */
export const setnx = defineCommand({
  name: "setnx",
  group: "string",
  summary: "Set the value of a key, only if the key does not exist",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "OW INSERT")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
    ],
  },
  handler(ctx, args) {
    return setGeneric(
      ctx,
      OPT_NX,
      args.key(),
      args.bytes(),
      undefined,
      1,
      0,
    );
  },
});

/** SETEX: SET with EX. */
export const setex = defineCommand({
  name: "setex",
  group: "string",
  summary: "Set the value and expiration of a key",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [keyAt(1, "OW UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "seconds", type: "integer" },
      { name: "value", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const seconds = args.next();
    return setGeneric(ctx, OPT_EX, key, args.bytes(), seconds, OK, null);
  },
});

/** PSETEX: SET with PX. */
export const psetex = defineCommand({
  name: "psetex",
  group: "string",
  summary: "Set the value and expiration in milliseconds of a key",
  since: "2.6.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [keyAt(1, "OW UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "milliseconds", type: "integer" },
      { name: "value", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const ms = args.next();
    return setGeneric(ctx, OPT_PX, key, args.bytes(), ms, OK, null);
  },
});

/** GETSET: stores a value and replies with the old one. */
export const getset = defineCommand({
  name: "getset",
  group: "string",
  summary: "Set the string value of a key and return its old value",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "denyoom", "fast"],
  acl: ["string"],
  keys: [keyAt(1, "RW ACCESS UPDATE")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
    ],
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy: "`SET` with the `!GET` argument",
  },
  handler(ctx, args) {
    const key = args.key();
    const value = args.bytes();
    const old = ctx.db.getString(key) ?? null;
    ctx.db.set(key, value);
    ctx.dirty();
    ctx.notify(NOTIFY_STRING, "set", key);
    ctx.propagateAs(["SET", key, value]);
    return old;
  },
});
