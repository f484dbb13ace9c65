/**
 * REPLCONF option value [option value ...]
 *
 * @module
 */
import { NO_REPLY, OK } from "../../protocol/reply.ts";
import { defineCommand } from "../define.ts";
import { replicationOf } from "./common.ts";

/** REPLCONF: replicas describe themselves and acknowledge the stream. */
export const replconf = defineCommand({
  name: "replconf",
  group: "server",
  summary: "An internal command for configuring the replication stream",
  since: "3.0.0",
  complexity: "O(1)",
  arity: -1,
  flags: ["admin", "noscript", "loading", "stale", "allow_busy"],
  docs: { docFlags: ["syscmd"] },
  handler(ctx) {
    return replicationOf(ctx).replconf(ctx.client, ctx.argv) ? OK : NO_REPLY;
  },
});
