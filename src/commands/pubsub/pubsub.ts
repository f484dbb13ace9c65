/**
 * PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT |
 *   SHARDCHANNELS [pattern] | SHARDNUMSUB [shardchannel ...] | HELP
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { globMatch } from "../../util/glob.ts";
import type { Reply } from "../../protocol/types.ts";
import { subcommandSyntaxError } from "../../errors.ts";
import type { Args } from "../args.ts";
import type { Context } from "../types.ts";
import { helpReply } from "../server/help.ts";

// PUBSUB CHANNELS and SHARDCHANNELS: the names with subscribers, all of
// them or those matching the optional pattern.
function activeChannels(
  ctx: Context,
  args: Args,
  subscribers: ReadonlyMap<string, unknown>,
): Reply[] {
  if (args.remaining > 1) {
    throw subcommandSyntaxError(ctx.argv[1]!, ctx.argv[0]!);
  }
  const pattern = args.more ? args.next() : undefined;
  const out: Reply[] = [];
  for (const name of subscribers.keys()) {
    if (pattern === undefined || globMatch(pattern, name)) out.push(name);
  }
  return out;
}

// PUBSUB NUMSUB and SHARDNUMSUB: each name given, followed by its number of
// subscribers.
function subscriberCounts(
  args: Args,
  subscribers: ReadonlyMap<string, ReadonlySet<unknown>>,
): Reply[] {
  const out: Reply[] = [];
  for (const name of args.rest()) {
    out.push(name, subscribers.get(name)?.size ?? 0);
  }
  return out;
}

const channels = defineCommand({
  name: "channels",
  group: "pubsub",
  summary: "List active channels",
  since: "2.8.0",
  complexity:
    "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
  arity: -2,
  flags: ["pubsub", "loading", "stale"],
  docs: { arguments: [{ name: "pattern", type: "pattern", optional: true }] },
  handler(ctx, args) {
    return activeChannels(ctx, args, ctx.server.pubsub.channels);
  },
});

const numsub = defineCommand({
  name: "numsub",
  group: "pubsub",
  summary: "Get the count of subscribers for channels",
  since: "2.8.0",
  complexity:
    "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
  arity: -2,
  flags: ["pubsub", "loading", "stale"],
  docs: {
    arguments: [{
      name: "channel",
      type: "string",
      optional: true,
      multiple: true,
    }],
  },
  handler(ctx, args) {
    return subscriberCounts(args, ctx.server.pubsub.channels);
  },
});

const numpat = defineCommand({
  name: "numpat",
  group: "pubsub",
  summary: "Get the count of unique patterns pattern subscriptions",
  since: "2.8.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["pubsub", "loading", "stale"],
  handler(ctx) {
    return ctx.server.pubsub.patterns.size;
  },
});

const shardchannels = defineCommand({
  name: "shardchannels",
  group: "pubsub",
  summary: "List active shard channels",
  since: "7.0.0",
  complexity:
    "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
  arity: -2,
  flags: ["pubsub", "loading", "stale"],
  docs: { arguments: [{ name: "pattern", type: "pattern", optional: true }] },
  handler(ctx, args) {
    return activeChannels(ctx, args, ctx.server.pubsub.shardChannels);
  },
});

const shardnumsub = defineCommand({
  name: "shardnumsub",
  group: "pubsub",
  summary: "Get the count of subscribers for shard channels",
  since: "7.0.0",
  complexity:
    "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
  arity: -2,
  flags: ["pubsub", "loading", "stale"],
  docs: {
    arguments: [{
      name: "shardchannel",
      type: "string",
      optional: true,
      multiple: true,
    }],
  },
  handler(ctx, args) {
    return subscriberCounts(args, ctx.server.pubsub.shardChannels);
  },
});

const HELP = [
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
];

const help = defineCommand({
  name: "help",
  group: "pubsub",
  summary: "Show helpful text about the different subcommands",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  handler() {
    return helpReply("PUBSUB", HELP);
  },
});

/** PUBSUB: introspection of the pub/sub state. */
export const pubsub = defineCommand({
  name: "pubsub",
  group: "pubsub",
  summary: "A container for Pub/Sub commands",
  since: "2.8.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [channels, help, numpat, numsub, shardchannels, shardnumsub],
});
