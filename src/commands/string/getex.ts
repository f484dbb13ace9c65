/**
 * GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
 *   PXAT unix-time-milliseconds | PERSIST]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { shareString } from "../../store/strings.ts";
import {
  alreadyExpired,
  expireAtMs,
  OPT_EXAT,
  OPT_PERSIST,
  OPT_PXAT,
  parseStringOptions,
} from "./options.ts";

/**
 * GETEX: the string at a key, optionally changing its expiry. Propagated
 * as PEXPIREAT, PERSIST or DEL, never as received.
 */
export const getex = defineCommand({
  name: "getex",
  group: "string",
  summary: "Get the value of a key and optionally set its expiration",
  since: "6.2.0",
  complexity: "O(1)",
  arity: -2,
  flags: ["write", "fast"],
  acl: ["string"],
  keys: [{
    ...keyAt(1, "RW ACCESS UPDATE"),
    notes: "RW and UPDATE because it changes the TTL",
  }],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "seconds", type: "integer", token: "EX" },
          { name: "milliseconds", type: "integer", token: "PX" },
          { name: "unix-time-seconds", type: "unix-time", token: "EXAT" },
          {
            name: "unix-time-milliseconds",
            type: "unix-time",
            token: "PXAT",
          },
          { name: "persist", type: "pure-token", token: "PERSIST" },
        ],
      },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const { flags, expire } = parseStringOptions(ctx.argv, 2, false);
    const value = ctx.db.getString(key);
    if (value === undefined) return null;
    const when = expire === undefined
      ? undefined
      : expireAtMs(ctx, expire, flags);
    if (
      when !== undefined && (flags & (OPT_EXAT | OPT_PXAT)) !== 0 &&
      alreadyExpired(ctx, when)
    ) {
      ctx.db.delete(key);
      const lazy = ctx.server.config.get("lazyfree-lazy-expire") === "yes";
      ctx.propagateAs([lazy ? "UNLINK" : "DEL", key]);
      ctx.notify(NOTIFY_GENERIC, "del", key);
      ctx.dirty();
      // The key is gone: nobody else can see these bytes change.
      return value;
    }
    if (when !== undefined) {
      ctx.db.setExpire(key, Number(when));
      ctx.propagateAs(["PEXPIREAT", key, String(when)]);
      ctx.notify(NOTIFY_GENERIC, "expire", key);
      ctx.dirty();
    } else if ((flags & OPT_PERSIST) !== 0 && ctx.db.persist(key)) {
      ctx.propagateAs(["PERSIST", key]);
      ctx.notify(NOTIFY_GENERIC, "persist", key);
      ctx.dirty();
    }
    return shareString(value);
  },
});
