/**
 * OBJECT ENCODING key
 * OBJECT REFCOUNT key
 * OBJECT IDLETIME key
 * OBJECT FREQ key
 * OBJECT HELP
 *
 * @module
 */
import { lfuPolicyNotSelected, lfuPolicySelected } from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { lfuDecayed } from "../../state.ts";
import { LRU_CLOCK_MAX } from "../../store/database.ts";
import { stringEncoding } from "../../store/strings.ts";
import { isString, type RedisValue } from "../../store/values.ts";
import { defineCommand, keyAt } from "../define.ts";
import { helpReply } from "../server/help.ts";
import type { CommandDocs, CommandSpec, Context } from "../types.ts";

/** Redis's OBJ_SHARED_REFCOUNT: the refcount of shared objects (INT_MAX). */
const SHARED_REFCOUNT = 2147483647;
/** Redis keeps shared objects for the integers 0 to 9999 (OBJ_SHARED_INTEGERS). */
const SHARED_INTEGERS = 10000;

// Redis's objectCommandLookup: no LRU update, no keymiss event.
function lookup(ctx: Context, key: string): RedisValue | undefined {
  return ctx.db.lookupReadNoTouch(key, false);
}

// Redis stores small integers as one shared object (refcount INT_MAX) unless
// maxmemory is set with an LRU/LFU policy, which needs per-key access data.
function refcount(ctx: Context, value: RedisValue): number {
  if (!isString(value) || typeof value !== "string") return 1;
  if (stringEncoding(value) !== "int" || value.length > 4) return 1;
  const n = Number(value);
  if (n < 0 || n >= SHARED_INTEGERS) return 1;
  const policy = ctx.server.config.get("maxmemory-policy");
  const noSharing = policy.includes("lru") || policy.includes("lfu");
  if (ctx.server.config.number("maxmemory") !== 0 && noSharing) return 1;
  return SHARED_REFCOUNT;
}

// Redis's estimateObjectIdleTime, in seconds. `clock` is the LRU clock the
// server caches at each cron tick, which is also what accesses record.
function idleSeconds(clock: number, lru: number): number {
  return clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
}

const keyDocs: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }],
};

function keySubcommand(
  spec: Pick<CommandSpec, "name" | "summary" | "since" | "handler">,
) {
  return defineCommand({
    ...spec,
    group: "generic",
    complexity: "O(1)",
    arity: 3,
    flags: ["readonly"],
    acl: ["keyspace"],
    keys: [keyAt(2, "RO")],
    tips: ["nondeterministic_output"],
    docs: keyDocs,
  });
}

const HELP = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
];

/** OBJECT: introspection of the value stored at a key. */
export const object = defineCommand({
  name: "object",
  group: "generic",
  summary: "A container for object introspection commands",
  since: "2.2.3",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [
    keySubcommand({
      name: "encoding",
      summary: "Inspect the internal encoding of a Redis object",
      since: "2.2.3",
      handler(ctx, args): Reply {
        const value = lookup(ctx, args.key());
        if (value === undefined) return null;
        return isString(value) ? stringEncoding(value) : value.encoding();
      },
    }),
    keySubcommand({
      name: "refcount",
      summary: "Get the number of references to the value of the key",
      since: "2.2.3",
      handler(ctx, args): Reply {
        const value = lookup(ctx, args.key());
        return value === undefined ? null : refcount(ctx, value);
      },
    }),
    keySubcommand({
      name: "idletime",
      summary: "Get the time since a Redis object was last accessed",
      since: "2.2.3",
      handler(ctx, args): Reply {
        const key = args.key();
        if (lookup(ctx, key) === undefined) return null;
        if (ctx.db.hooks.accessPolicy === "lfu") throw lfuPolicySelected();
        return idleSeconds(ctx.db.hooks.lruClock(), ctx.db.accessMeta(key));
      },
    }),
    keySubcommand({
      name: "freq",
      summary: "Get the logarithmic access frequency counter of a Redis object",
      since: "4.0.0",
      handler(ctx, args): Reply {
        const key = args.key();
        if (lookup(ctx, key) === undefined) return null;
        if (ctx.db.hooks.accessPolicy !== "lfu") throw lfuPolicyNotSelected();
        // The counter decays with time even if the key is never touched.
        return lfuDecayed(ctx.db.accessMeta(key), ctx.server);
      },
    }),
    defineCommand({
      name: "help",
      group: "generic",
      summary: "Show helpful text about the different subcommands",
      since: "6.2.0",
      complexity: "O(1)",
      arity: 2,
      flags: ["loading", "stale"],
      acl: ["keyspace"],
      handler() {
        return helpReply("OBJECT", HELP);
      },
    }),
  ],
});
