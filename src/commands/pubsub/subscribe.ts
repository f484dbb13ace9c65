/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE.
 *
 * Each answers with one frame per channel (a RESP3 push, a RESP2 array),
 * written back to back.
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import type { Reply } from "../../protocol/types.ts";
import type { SubscriptionKind } from "../../pubsub/pubsub.ts";
import type { Context } from "../types.ts";
import type { Args } from "../args.ts";

function subscribeHandler(kind: SubscriptionKind) {
  return (ctx: Context, args: Args): Reply => {
    const pubsub = ctx.server.pubsub;
    const frames = pubsub.subscribe(ctx.client, kind, args.rest());
    return pubsub.confirmations(ctx.client, frames);
  };
}

function unsubscribeHandler(kind: SubscriptionKind) {
  return (ctx: Context, args: Args): Reply => {
    const pubsub = ctx.server.pubsub;
    const frames = pubsub.unsubscribe(ctx.client, kind, args.rest());
    return pubsub.confirmations(ctx.client, frames);
  };
}

const FLAGS = ["pubsub", "noscript", "loading", "stale"] as const;

/** SUBSCRIBE channel [channel ...] */
export const subscribe = defineCommand({
  name: "subscribe",
  group: "pubsub",
  summary: "Listen for messages published to the given channels",
  since: "2.0.0",
  complexity: "O(N) where N is the number of channels to subscribe to.",
  arity: -2,
  flags: [...FLAGS],
  allowedWhileSubscribed: true,
  aclChannels: "all",
  docs: { arguments: [{ name: "channel", type: "string", multiple: true }] },
  handler: subscribeHandler("channel"),
});

/** UNSUBSCRIBE [channel ...] */
export const unsubscribe = defineCommand({
  name: "unsubscribe",
  group: "pubsub",
  summary: "Stop listening for messages posted to the given channels",
  since: "2.0.0",
  complexity:
    "O(N) where N is the number of clients already subscribed to a channel.",
  arity: -1,
  flags: [...FLAGS],
  allowedWhileSubscribed: true,
  docs: {
    arguments: [{
      name: "channel",
      type: "string",
      optional: true,
      multiple: true,
    }],
  },
  handler: unsubscribeHandler("channel"),
});

/** PSUBSCRIBE pattern [pattern ...] */
export const psubscribe = defineCommand({
  name: "psubscribe",
  group: "pubsub",
  summary:
    "Listen for messages published to channels matching the given patterns",
  since: "2.0.0",
  complexity:
    "O(N) where N is the number of patterns the client is already subscribed to.",
  arity: -2,
  flags: [...FLAGS],
  allowedWhileSubscribed: true,
  aclChannels: "all-patterns",
  docs: {
    arguments: [{
      name: "pattern",
      type: "block",
      multiple: true,
      arguments: [{ name: "pattern", type: "pattern" }],
    }],
  },
  handler: subscribeHandler("pattern"),
});

/** PUNSUBSCRIBE [pattern ...] */
export const punsubscribe = defineCommand({
  name: "punsubscribe",
  group: "pubsub",
  summary:
    "Stop listening for messages posted to channels matching the given patterns",
  since: "2.0.0",
  complexity:
    "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
  arity: -1,
  flags: [...FLAGS],
  allowedWhileSubscribed: true,
  docs: {
    arguments: [{
      name: "pattern",
      type: "pattern",
      optional: true,
      multiple: true,
    }],
  },
  handler: unsubscribeHandler("pattern"),
});

/** SSUBSCRIBE shardchannel [shardchannel ...] */
export const ssubscribe = defineCommand({
  name: "ssubscribe",
  group: "pubsub",
  summary: "Listen for messages published to the given shard channels",
  since: "7.0.0",
  complexity: "O(N) where N is the number of shard channels to subscribe to.",
  arity: -2,
  flags: [...FLAGS],
  allowedWhileSubscribed: true,
  aclChannels: "all",
  keys: [keysFrom(1, 1, "NOT_KEY")],
  docs: {
    arguments: [{ name: "shardchannel", type: "string", multiple: true }],
  },
  handler: subscribeHandler("shard"),
});

/** SUNSUBSCRIBE [shardchannel ...] */
export const sunsubscribe = defineCommand({
  name: "sunsubscribe",
  group: "pubsub",
  summary: "Stop listening for messages posted to the given shard channels",
  since: "7.0.0",
  complexity:
    "O(N) where N is the number of clients already subscribed to a shard channel.",
  arity: -1,
  flags: [...FLAGS],
  allowedWhileSubscribed: true,
  keys: [keysFrom(1, 1, "NOT_KEY")],
  docs: {
    arguments: [{
      name: "shardchannel",
      type: "string",
      optional: true,
      multiple: true,
    }],
  },
  handler: unsubscribeHandler("shard"),
});
