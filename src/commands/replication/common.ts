/**
 * What the replication commands share: reaching the replication service,
 * and releasing blocked clients when this server turns into a replica.
 *
 * @module
 */
import type { ReplicationService } from "../../services/replication.ts";
import type { ServerState } from "../../state.ts";
import { unblock } from "../blocking.ts";
import type { Context } from "../types.ts";

/** The server's replication service. */
export function replicationOf(ctx: Context): ReplicationService {
  const repl = ctx.server.replication;
  if (repl === undefined) throw new TypeError("Replication is not installed");
  return repl;
}

/**
 * Redis's disconnectAllBlockedClients: a master turning into a replica
 * answers every blocked client with an UNBLOCKED error and closes it.
 */
export function releaseBlockedClients(server: ServerState): void {
  for (const client of [...server.clients.values()]) {
    if (client.blocked === undefined) continue;
    client.closeAfterReply = true;
    unblock(server, client, {
      kind: "error",
      line:
        "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
    });
  }
}
