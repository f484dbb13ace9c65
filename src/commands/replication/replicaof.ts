/**
 * REPLICAOF host port | NO ONE
 * SLAVEOF host port | NO ONE
 *
 * @module
 */
import { CommandError } from "../../errors.ts";
import { OK, simple } from "../../protocol/reply.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { clientInfoLine } from "../connection/client_info.ts";
import { defineCommand } from "../define.ts";
import type { ArgDoc, Context } from "../types.ts";
import type { Reply } from "../../protocol/types.ts";
import { releaseBlockedClients, replicationOf } from "./common.ts";

const args: readonly ArgDoc[] = [{
  name: "args",
  type: "oneof",
  arguments: [
    {
      name: "host-port",
      type: "block",
      arguments: [
        { name: "host", type: "string" },
        { name: "port", type: "integer" },
      ],
    },
    {
      name: "no-one",
      type: "block",
      arguments: [
        { name: "no", type: "pure-token", token: "NO" },
        { name: "one", type: "pure-token", token: "ONE" },
      ],
    },
  ],
}];

// Redis's replicaofCommand.
function replicaOf(ctx: Context): Reply {
  const repl = replicationOf(ctx);
  if (repl.failingOver) {
    throw new CommandError("ERR", "REPLICAOF not allowed while failing over.");
  }
  const host = ctx.argv[1]!;
  const portText = ctx.argv[2]!;
  const who = clientInfoLine(ctx.server, ctx.client, ctx.argv);
  if (eqIgnoreCase(host, "no") && eqIgnoreCase(portText, "one")) {
    repl.promote(who);
    return OK;
  }
  if (ctx.client.replRole === "replica") {
    throw new CommandError(
      "ERR",
      "Command is not valid when client is a replica.",
    );
  }
  const port = /^-?[0-9]+$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    throw new CommandError("ERR", "Invalid master port");
  }
  const changed = repl.replicaOf(host, port, {
    client: ctx.client,
    who,
    releaseBlocked: () => releaseBlockedClients(ctx.server),
  });
  return changed ? OK : simple("OK Already connected to specified master");
}

/** REPLICAOF: follows another server, or becomes a master again. */
export const replicaof = defineCommand({
  name: "replicaof",
  group: "server",
  summary:
    "Make the server a replica of another instance, or promote it as master.",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "noscript", "stale", "no_async_loading"],
  docs: { arguments: args },
  handler: replicaOf,
});

/** SLAVEOF: the old name of REPLICAOF. */
export const slaveof = defineCommand({
  name: "slaveof",
  group: "server",
  summary:
    "Make the server a replica of another instance, or promote it as master.",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "noscript", "stale", "no_async_loading"],
  docs: {
    docFlags: ["deprecated"],
    deprecatedSince: "5.0.0",
    replacedBy: "`REPLICAOF`",
    arguments: args,
  },
  handler: replicaOf,
});
