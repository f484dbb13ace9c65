/**
 * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
 * [FREQ frequency]
 *
 * @module
 */
import { aclOf } from "../../acl/acl.ts";
import {
  badDumpPayload,
  busyKey,
  invalidFreq,
  invalidIdletime,
  invalidTtl,
  notInteger,
  syntaxError,
} from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { ValueCodec } from "../../services/codec.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { LRU_CLOCK_MAX } from "../../store/database.ts";
import { asciiLower, latin1ToBytes } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";

/** The server's value codec (installed by persistence/). */
export function valueCodec(ctx: Context): ValueCodec {
  const c = ctx.server.codec;
  if (c === undefined) throw new TypeError("The value codec is not installed");
  return c;
}

function parseLongLong(text: string): bigint {
  const v = parseInt64(text);
  if (v === undefined) throw notInteger();
  return v;
}

// sanitize-dump-payload: `yes` always checks deeply; `clients` checks
// payloads from clients, but not while loading, from the primary, or from
// an ACL user with `skip-sanitize-payload`.
function deepSanitize(ctx: Context): boolean {
  switch (ctx.server.config.get("sanitize-dump-payload")) {
    case "yes":
      return true;
    case "clients":
      // userOf, not client.aclUser: a connection gets its user object
      // lazily, and until then holds a placeholder without the flag.
      return !ctx.server.loading && !ctx.client.internal &&
        aclOf(ctx.server).userOf(ctx.client).sanitize !== "skip";
    default:
      return false;
  }
}

/** RESTORE: creates a key from a DUMP payload. */
export const restore = defineCommand({
  name: "restore",
  group: "generic",
  summary:
    "Create a key using the provided serialized value, previously obtained using DUMP.",
  since: "2.6.0",
  complexity:
    "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
  arity: -4,
  flags: ["write", "denyoom"],
  acl: ["keyspace", "dangerous"],
  keys: [keyAt(1, "OW UPDATE")],
  docs: {
    history: [
      ["3.0.0", "Added the `REPLACE` modifier."],
      ["5.0.0", "Added the `ABSTTL` modifier."],
      ["5.0.0", "Added the `IDLETIME` and `FREQ` options."],
    ],
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "ttl", type: "integer" },
      { name: "serialized-value", type: "string" },
      {
        name: "replace",
        type: "pure-token",
        token: "REPLACE",
        since: "3.0.0",
        optional: true,
      },
      {
        name: "absttl",
        type: "pure-token",
        token: "ABSTTL",
        since: "5.0.0",
        optional: true,
      },
      {
        name: "seconds",
        type: "integer",
        token: "IDLETIME",
        since: "5.0.0",
        optional: true,
      },
      {
        name: "frequency",
        type: "integer",
        token: "FREQ",
        since: "5.0.0",
        optional: true,
      },
    ],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const key = argv[1]!;
    let replace = false;
    let absttl = false;
    let idle = -1n;
    let freq = -1n;
    // restoreCommand: options first, in its order of checks.
    for (let j = 4; j < argv.length; j++) {
      const more = argv.length - j - 1 >= 1;
      const option = asciiLower(argv[j]!);
      if (option === "replace") {
        replace = true;
      } else if (option === "absttl") {
        absttl = true;
      } else if (option === "idletime" && more && freq === -1n) {
        idle = parseLongLong(argv[++j]!);
        if (idle < 0n) throw invalidIdletime();
      } else if (option === "freq" && more && idle === -1n) {
        freq = parseLongLong(argv[++j]!);
        if (freq < 0n || freq > 255n) throw invalidFreq();
      } else {
        throw syntaxError();
      }
    }
    const db = ctx.db;
    if (!replace && db.lookupWrite(key) !== undefined) throw busyKey();
    let ttl = parseLongLong(argv[2]!);
    if (ttl < 0n) throw invalidTtl();
    const codec = valueCodec(ctx);
    const payload = latin1ToBytes(argv[3]!);
    if (!codec.verify(payload)) throw badDumpPayload();
    const value = codec.restore(payload, deepSanitize(ctx));

    const deleted = replace && db.delete(key);
    const now = ctx.server.clock.now();
    if (ttl !== 0n && !absttl) ttl += BigInt(now);
    if (ttl !== 0n && ttl <= BigInt(now) && !db.hooks.keepExpired) {
      // Already expired: the key is gone, which replicas learn as a DEL.
      if (deleted) {
        const lazy = ctx.server.config.bool("lazyfree-lazy-server-del");
        ctx.propagateAs([lazy ? "UNLINK" : "DEL", key]);
        db.touch(key);
        ctx.notify(NOTIFY_GENERIC, "del", key);
        ctx.dirty();
      }
      return OK;
    }
    db.add(key, value);
    if (ttl !== 0n) {
      db.setExpire(key, ttl);
      // Propagated with the absolute time, so replicas expire it together.
      if (!absttl) {
        const out = argv.slice();
        out[2] = String(ttl);
        out.push("ABSTTL");
        ctx.propagateAs(out);
      }
    }
    setAccess(ctx, key, idle, freq);
    db.touch(key);
    ctx.notify(NOTIFY_GENERIC, "restore", key);
    ctx.dirty();
    return OK;
  },
});

// objectSetLRUOrLFU: FREQ sets the LFU counter under an LFU policy,
// IDLETIME backdates the LRU clock otherwise.
function setAccess(ctx: Context, key: string, idle: bigint, freq: bigint) {
  const db = ctx.db;
  const now = ctx.server.clock.now();
  if (db.hooks.accessPolicy === "lfu") {
    if (freq >= 0n) {
      const minutes = Math.floor(now / 60000) & 0xffff;
      db.setAccessMeta(key, (minutes << 8) | Number(freq));
    }
  } else if (idle >= 0n) {
    // The cached clock OBJECT IDLETIME reads (Redis's LRU_CLOCK()): the
    // exact one can be a second ahead, and the idle time would wrap.
    const clock = db.hooks.lruClock();
    let abs = clock - Number(idle);
    if (abs < 0) abs = (clock + Math.floor(LRU_CLOCK_MAX / 2)) % LRU_CLOCK_MAX;
    db.setAccessMeta(key, abs);
  }
}
