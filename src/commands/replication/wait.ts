/**
 * WAIT numreplicas timeout
 *
 * @module
 */
import { CommandError } from "../../errors.ts";
import { unblock } from "../blocking.ts";
import { deadlineFromMillis } from "../blocking.ts";
import { defineCommand } from "../define.ts";
import { replicationOf } from "./common.ts";

/** WAIT: blocks until enough replicas acknowledged this client's writes. */
export const wait = defineCommand({
  name: "wait",
  group: "generic",
  summary:
    "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["noscript"],
  acl: ["connection"],
  tips: ["request_policy:all_shards", "response_policy:agg_min"],
  docs: {
    arguments: [
      { name: "numreplicas", type: "integer" },
      { name: "timeout", type: "integer" },
    ],
  },
  handler(ctx, args) {
    const repl = replicationOf(ctx);
    if (repl.isReplica) {
      throw new CommandError(
        "ERR",
        "WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
      );
    }
    const numreplicas = Number(args.long());
    const deadline = deadlineFromMillis(
      args.next(),
      ctx.server.clock.now(),
    );
    const offset = repl.clientOffset(ctx.client);
    const acked = repl.ackedReplicas(offset);
    if (acked >= numreplicas || !ctx.blockingAllowed) return acked;
    const client = ctx.client;
    const server = ctx.server;
    repl.waitForAcks(client, {
      offset,
      numreplicas,
      deadline,
      done: (count) => unblock(server, client, count),
    });
    return ctx.block({ keys: [], deadline: 0, timeoutReply: acked });
  },
});
