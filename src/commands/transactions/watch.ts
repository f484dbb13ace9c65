/**
 * WATCH key [key ...], UNWATCH, and the optimistic-locking state behind
 * them: which client watches which key, and marking transactions dirty
 * when a watched key changes (writes, deletes, expiry, FLUSH, SWAPDB).
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import { commandError } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Client } from "../../client.ts";
import type { Database } from "../../store/database.ts";
import type { ServerState } from "../../state.ts";

/** One watched key of a client. */
interface Watch {
  db: Database;
  key: string;
  /** The key had already expired when it was watched (Redis 7.0 tracks this). */
  expired: boolean;
}

const watches = new WeakMap<Client, Watch[]>();

function watchKey(client: Client, db: Database, key: string): void {
  let list = watches.get(client);
  if (list === undefined) {
    list = [];
    watches.set(client, list);
  }
  if (list.some((w) => w.db === db && w.key === key)) return;
  list.push({ db, key, expired: db.isExpired(key) });
  let set = db.watched.get(key);
  if (set === undefined) {
    set = new Set();
    db.watched.set(key, set);
  }
  set.add(client);
}

/** Forgets every key `client` watches (UNWATCH, EXEC, DISCARD, disconnect). */
export function unwatchAll(client: Client): void {
  const list = watches.get(client);
  if (list === undefined) return;
  for (const w of list) {
    const set = w.db.watched.get(w.key);
    if (set === undefined) continue;
    set.delete(client);
    if (set.size === 0) w.db.watched.delete(w.key);
  }
  watches.delete(client);
}

/** Number of keys `client` watches (CLIENT LIST `watch`). */
export function watchedKeyCount(client: Client): number {
  return watches.get(client)?.length ?? 0;
}

// Redis's touchWatchedKey.
function keyModified(db: Database, key: string): void {
  const set = db.watched.get(key) as Set<Client> | undefined;
  if (set === undefined) return;
  for (const client of [...set]) {
    const w = watches.get(client)?.find((x) => x.db === db && x.key === key);
    if (w?.expired) {
      // Deleting a key that had already expired when watched changes nothing.
      if (!db.dict.has(key)) {
        w.expired = false;
        continue;
      }
    }
    client.dirtyCas = true;
    // Once dirty, the client need not hear about further changes.
    unwatchAll(client);
  }
}

/** True if a watched key expired after it was watched (EXEC must fail). */
export function watchedKeyExpired(client: Client): boolean {
  for (const w of watches.get(client) ?? []) {
    if (!w.expired && w.db.isExpired(w.key)) return true;
  }
  return false;
}

/**
 * Redis 7.0's touchAllWatchedKeysInDb: `emptied` is flushed, or swapped
 * with `replacedWith` (SWAPDB). A watched key that existed on either side
 * makes its watchers dirty, except where the client could see no change:
 * a key that had already expired when watched and is now gone or replaced
 * by another expired key, or a missing key replaced by an expired one
 * (which is then watched as expired).
 */
function watchedDbReplaced(
  emptied: Database,
  replacedWith: Database | undefined,
): void {
  for (const [key, watchers] of [...emptied.watched]) {
    const existed = emptied.dict.has(key);
    const replaced = replacedWith !== undefined && replacedWith.dict.has(key);
    if (!existed && !replaced) continue;
    for (const client of [...(watchers as Set<Client>)]) {
      const w = watches.get(client)?.find((x) =>
        x.db === emptied && x.key === key
      );
      if (w === undefined) continue;
      if (w.expired) {
        if (!replaced) {
          // An expired key is now deleted: no logical change.
          w.expired = false;
          continue;
        }
        if (replacedWith!.isExpired(key)) continue;
      } else if (!existed && replacedWith!.isExpired(key)) {
        w.expired = true;
        continue;
      }
      client.dirtyCas = true;
    }
  }
}

/** Installs the WATCH hooks on the server. */
export function installWatch(server: ServerState): void {
  server.onKeyModified = keyModified;
  server.keyspace.watchedDbReplaced = watchedDbReplaced;
  server.clientCloseHooks.push(unwatchAll);
}

/** WATCH: marks keys for the next EXEC to check. */
export const watch = defineCommand({
  name: "watch",
  group: "transactions",
  summary:
    "Watch the given keys to determine execution of the MULTI/EXEC block",
  since: "2.2.0",
  complexity: "O(1) for every key.",
  arity: -2,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy", "tx_control"],
  acl: ["transaction"],
  keys: [keysFrom(1, 1, "RO")],
  docs: {
    arguments: [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }],
  },
  handler(ctx, args) {
    if (ctx.client.multi !== undefined) {
      throw commandError("WATCH inside MULTI is not allowed");
    }
    // A client already dirty would fail EXEC anyway; Redis skips the work too.
    if (ctx.client.dirtyCas) return OK;
    while (args.more) watchKey(ctx.client, ctx.db, args.key());
    return OK;
  },
});

/** UNWATCH: forgets all watched keys. */
export const unwatch = defineCommand({
  name: "unwatch",
  group: "transactions",
  summary: "Forget about all watched keys",
  since: "2.2.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
  acl: ["transaction"],
  handler(ctx) {
    unwatchAll(ctx.client);
    ctx.client.dirtyCas = false;
    return OK;
  },
});
