/**
 * PING [message]
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { PONG } from "../../protocol/reply.ts";

/** PING: PONG, or the message back. Inside RESP2 subscribed mode: `["pong", msg]`. */
export const ping = defineCommand({
  name: "ping",
  group: "connection",
  summary: "Ping the server",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -1,
  flags: ["fast", "sentinel"],
  allowedWhileSubscribed: true,
  acl: ["connection"],
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  docs: {
    arguments: [{ name: "message", type: "string", optional: true }],
  },
  handler(ctx, args) {
    if (args.remaining > 1) throw wrongArityOf("ping");
    const message = args.more ? args.next() : undefined;
    if (ctx.client.subscriptions > 0 && ctx.client.protocol === 2) {
      return ["pong", message ?? ""];
    }
    return message === undefined ? PONG : message;
  },
});

import { wrongArity as wrongArityOf } from "../../errors.ts";
