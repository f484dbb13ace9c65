/**
 * FLUSHDB [ASYNC | SYNC]
 * FLUSHALL [ASYNC | SYNC]
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { CommandDocs } from "../types.ts";
import type { Args } from "../args.ts";
import { defineCommand } from "../define.ts";

// Redis's getFlushCommandFlags. Freeing memory is the garbage collector's
// job here, so ASYNC and SYNC behave the same.
function parseFlushMode(args: Args): void {
  if (args.remaining === 0) return;
  if (args.remaining === 1 && (args.accept("sync") || args.accept("async"))) {
    return;
  }
  throw syntaxError();
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
    parseFlushMode(args);
    const removed = ctx.server.keyspace.flush(ctx.db);
    // Redis forces propagation even when nothing was removed; a change
    // count of at least one is how a command gets propagated here.
    ctx.dirty(removed > 0 ? removed : 1);
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
    parseFlushMode(args);
    // flushAllDataAndResetRDB counts one change on top of the keys removed.
    ctx.dirty(ctx.server.keyspace.flushAll() + 1);
    return OK;
  },
});
