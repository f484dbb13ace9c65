/**
 * BGREWRITEAOF
 *
 * @module
 */
import { simple } from "../../protocol/reply.ts";
import { aofRewriteFailed } from "../../errors.ts";
import { defineCommand } from "../define.ts";

/** BGREWRITEAOF: starts (or schedules) an AOF rewrite in the background. */
export const bgrewriteaof = defineCommand({
  name: "bgrewriteaof",
  group: "server",
  summary: "Asynchronously rewrite the append-only file",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["admin", "noscript", "no_async_loading"],
  acl: ["dangerous"],
  handler(ctx) {
    const aof = ctx.server.aof;
    if (aof === undefined) throw aofRewriteFailed();
    return simple(aof.rewrite());
  },
});
