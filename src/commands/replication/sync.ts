/**
 * SYNC
 * PSYNC replicationid offset
 *
 * @module
 */
import { NO_REPLY } from "../../protocol/reply.ts";
import { defineCommand } from "../define.ts";
import type { Context } from "../types.ts";
import type { Reply } from "../../protocol/types.ts";
import { replicationOf } from "./common.ts";

// The connection becomes a replica: what follows is written to its socket
// by replication itself (+FULLRESYNC / +CONTINUE, the RDB, the stream).
function sync(ctx: Context): Reply {
  replicationOf(ctx).sync(ctx.client, ctx.argv);
  return NO_REPLY;
}

/** SYNC: a full synchronisation, old style (no ids, no ACKs). */
export const syncCommand = defineCommand({
  name: "sync",
  group: "server",
  summary: "Internal command used for replication",
  since: "1.0.0",
  arity: 1,
  flags: ["admin", "noscript", "no_async_loading", "no_multi"],
  handler: sync,
});

/** PSYNC: a partial resynchronisation when possible, else a full one. */
export const psync = defineCommand({
  name: "psync",
  group: "server",
  summary: "Internal command used for replication",
  since: "2.8.0",
  arity: -3,
  flags: ["admin", "noscript", "no_async_loading", "no_multi"],
  docs: {
    arguments: [
      { name: "replicationid", type: "string" },
      { name: "offset", type: "integer" },
    ],
  },
  handler: sync,
});
