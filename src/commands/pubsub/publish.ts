/**
 * PUBLISH channel message, SPUBLISH shardchannel message
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";

/** PUBLISH: the number of clients that received the message. */
export const publish = defineCommand({
  name: "publish",
  group: "pubsub",
  summary: "Post a message to a channel",
  since: "2.0.0",
  complexity:
    "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
  arity: 3,
  flags: ["pubsub", "loading", "stale", "fast", "may_replicate"],
  aclChannels: "first",
  docs: {
    arguments: [{ name: "channel", type: "string" }, {
      name: "message",
      type: "string",
    }],
  },
  handler(ctx, args) {
    const channel = args.next();
    return ctx.server.pubsub.publish(channel, args.next());
  },
});

/** SPUBLISH: like PUBLISH, for shard channels. */
export const spublish = defineCommand({
  name: "spublish",
  group: "pubsub",
  summary: "Post a message to a shard channel",
  since: "7.0.0",
  complexity:
    "O(N) where N is the number of clients subscribed to the receiving shard channel.",
  arity: 3,
  flags: ["pubsub", "loading", "stale", "fast", "may_replicate"],
  keys: [keyAt(1, "NOT_KEY")],
  aclChannels: "first",
  docs: {
    arguments: [{ name: "shardchannel", type: "string" }, {
      name: "message",
      type: "string",
    }],
  },
  handler(ctx, args) {
    const channel = args.next();
    return ctx.server.pubsub.shardPublish(channel, args.next());
  },
});
