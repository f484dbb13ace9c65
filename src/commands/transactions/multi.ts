/**
 * MULTI, EXEC, DISCARD: queued transactions, run atomically.
 *
 * Dispatch queues every command without the `tx_control` flag while the
 * client is in MULTI; a command refused at queue time marks the
 * transaction aborted (EXECABORT). EXEC runs the queue with no other
 * client interleaving, keeps runtime errors in place in its reply, and
 * propagates the writes wrapped in MULTI/EXEC.
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { CommandError, commandError } from "../../errors.ts";
import { NULL_ARRAY, OK } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import type { Client } from "../../client.ts";
import { call, type CommandContext, pipelineHooks } from "../dispatch.ts";
import { unwatchAll, watchedKeyExpired } from "./watch.ts";

/** Leaves MULTI state and forgets watched keys (DISCARD, RESET, after EXEC). */
export function discardTransaction(client: Client): void {
  client.multi = undefined;
  client.dirtyCas = false;
  unwatchAll(client);
}

/** MULTI: starts queueing. */
export const multi = defineCommand({
  name: "multi",
  group: "transactions",
  summary: "Mark the start of a transaction block",
  since: "1.2.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy", "tx_control"],
  acl: ["transaction"],
  handler(ctx) {
    if (ctx.client.multi !== undefined) {
      throw commandError("MULTI calls can not be nested");
    }
    ctx.client.multi = { queue: [], aborted: false };
    return OK;
  },
});

/** DISCARD: drops the queue. */
export const discard = defineCommand({
  name: "discard",
  group: "transactions",
  summary: "Discard all commands issued after MULTI",
  since: "2.0.0",
  complexity: "O(N), when N is the number of queued commands",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast", "allow_busy", "tx_control"],
  acl: ["transaction"],
  handler(ctx) {
    if (ctx.client.multi === undefined) {
      throw commandError("DISCARD without MULTI");
    }
    discardTransaction(ctx.client);
    return OK;
  },
});

/** EXEC: runs the queue, unless it was aborted or a watched key changed. */
export const exec = defineCommand({
  name: "exec",
  group: "transactions",
  summary: "Execute all commands issued after MULTI",
  since: "1.2.0",
  complexity: "Depends on commands in the transaction",
  arity: 1,
  flags: ["noscript", "loading", "stale", "skip_slowlog", "tx_control"],
  acl: ["transaction"],
  handler(ctx) {
    const client = ctx.client;
    const state = client.multi;
    if (state === undefined) throw commandError("EXEC without MULTI");
    if (state.aborted) {
      discardTransaction(client);
      throw new CommandError(
        "EXECABORT",
        "Transaction discarded because of previous errors.",
      );
    }
    if (client.dirtyCas || watchedKeyExpired(client)) {
      discardTransaction(client);
      return NULL_ARRAY;
    }
    unwatchAll(client);
    client.multi = undefined;
    const server = ctx.server;
    const c = ctx as CommandContext;
    const replies: Reply[] = [];
    client.execution = { state, argv: ctx.argv, replies };
    // Writes of the whole transaction reach AOF and replicas as one MULTI/EXEC.
    const batch = server.beginPropagationBatch();
    c.blockingAllowed = false;
    try {
      const gates = pipelineHooks.execGates;
      for (const { command, argv } of state.queue) {
        let refused: Reply | undefined;
        for (let i = 0; i < gates.length && refused === undefined; i++) {
          refused = gates[i]!(server, client, command, argv);
        }
        replies.push(refused ?? call(c, command, argv));
      }
    } finally {
      client.execution = undefined;
      c.blockingAllowed = !client.internal;
      server.endPropagationBatch(batch);
      // EXEC's own call() must not propagate EXEC itself.
      c.dirtyCount = 0;
      c.propagated = undefined;
      c.command = exec;
      client.lastCommand = "exec";
    }
    return replies;
  },
});
