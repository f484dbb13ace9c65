/**
 * FLUSHDB [ASYNC | SYNC]
 * FLUSHALL [ASYNC | SYNC]
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { CommandDocs, Context } from "../types.ts";
import type { Args } from "../args.ts";
import { defineCommand } from "../define.ts";

// Redis's getFlushCommandFlags: true for ASYNC (or no mode with
// lazyfree-lazy-user-flush). Freeing memory is the garbage collector's
// job here; an asynchronous flush only counts its keys as lazily freed,
// as Redis's background thread does (INFO lazyfreed_objects).
function parseFlushMode(ctx: Context, args: Args): boolean {
  if (args.remaining === 0) {
    return ctx.server.config.bool("lazyfree-lazy-user-flush");
  }
  if (args.remaining === 1) {
    if (args.accept("sync")) return false;
    if (args.accept("async")) return true;
  }
  throw syntaxError();
}

// Counts `removed` changes and makes sure the command is propagated even
// when nothing was removed, as Redis's forceCommandPropagation does. A
// change count is what makes dispatch propagate, so an empty flush counts
// one and takes it back from the server total.
function countAndPropagate(ctx: Context, removed: number): void {
  if (removed > 0) {
    ctx.dirty(removed);
  } else {
    ctx.dirty(1);
    ctx.server.dirty--;
  }
}

const docs: CommandDocs = {
  history: [
    ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
    ["6.2.0", "Added the `SYNC` flushing mode modifier."],
  ],
  arguments: [{
    name: "async",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "async", type: "pure-token", token: "ASYNC", since: "4.0.0" },
      { name: "sync", type: "pure-token", token: "SYNC", since: "6.2.0" },
    ],
  }],
};

/** FLUSHDB: removes every key of the selected database. */
export const flushdb = defineCommand({
  name: "flushdb",
  group: "server",
  summary: "Remove all keys from the current database",
  since: "1.0.0",
  complexity: "O(N) where N is the number of keys in the selected database",
  arity: -1,
  flags: ["write"],
  acl: ["keyspace", "dangerous"],
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  docs,
  handler(ctx, args) {
    const lazy = parseFlushMode(ctx, args);
    const removed = ctx.server.keyspace.flush(ctx.db);
    if (lazy) ctx.server.stats.lazyfreedObjects += removed;
    countAndPropagate(ctx, removed);
    return OK;
  },
});

/** FLUSHALL: removes every key of every database. */
export const flushall = defineCommand({
  name: "flushall",
  group: "server",
  summary: "Remove all keys from all databases",
  since: "1.0.0",
  complexity: "O(N) where N is the total number of keys in all databases",
  arity: -1,
  flags: ["write"],
  acl: ["keyspace", "dangerous"],
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  docs,
  handler(ctx, args) {
    const lazy = parseFlushMode(ctx, args);
    const removed = ctx.server.keyspace.flushAll();
    if (lazy) ctx.server.stats.lazyfreedObjects += removed;
    countAndPropagate(ctx, removed);
    // Redis's flushAllDataAndResetRDB: a running BGSAVE stops and, with
    // `save` points, the empty dataset is saved now, which resets the
    // change count (dispatch adds the removed keys back once this returns).
    if (ctx.server.rdb?.flushAll() && removed > 0) ctx.server.dirty -= removed;
    return OK;
  },
});
