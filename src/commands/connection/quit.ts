/**
 * QUIT
 *
 * @module
 */
import { OK } from "../../protocol/reply.ts";
import { defineCommand } from "../define.ts";

/** QUIT: replies OK, then the connection closes. */
export const quit = defineCommand({
  name: "quit",
  group: "connection",
  summary: "Close the connection",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -1,
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
    ctx.client.closeAfterReply = true;
    return OK;
  },
});
