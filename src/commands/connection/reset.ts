/**
 * RESET
 *
 * @module
 */
import { simple } from "../../protocol/reply.ts";
import { discardTransaction } from "../transactions/multi.ts";
import { defineCommand } from "../define.ts";
import { aclOf } from "../../acl/acl.ts";

const RESET = simple("RESET");

/**
 * RESET: the connection's state as a new connection's (Redis's
 * clearClientConnectionState): no MULTI or WATCH, no subscriptions or
 * MONITOR, database 0, RESP2, no name, default user, replies on.
 */
export const reset = defineCommand({
  name: "reset",
  group: "connection",
  summary: "Reset the connection",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 1,
  flags: [
    "noscript",
    "loading",
    "stale",
    "fast",
    "no_auth",
    "allow_busy",
    "tx_control",
  ],
  acl: ["connection"],
  allowedWhileSubscribed: true,
  handler(ctx) {
    const client = ctx.client;
    discardTransaction(client);
    // What a closing connection lets go of (subscriptions, WATCH, MONITOR),
    // every subsystem registers here; the connection itself stays.
    for (const hook of ctx.server.clientCloseHooks) hook(client);
    client.db = 0;
    ctx.db = ctx.server.db(0);
    client.protocol = 2;
    client.name = "";
    aclOf(ctx.server).resetClient(client);
    client.replyMode = "on";
    client.noTouch = false;
    return RESET;
  },
});
