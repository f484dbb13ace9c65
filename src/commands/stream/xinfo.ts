/**
 * XINFO STREAM key [FULL [COUNT count]]
 * XINFO GROUPS key
 * XINFO CONSUMERS key group
 * XINFO HELP
 *
 * @module
 */
import {
  noSuchKey,
  notInteger,
  streamNoGroup,
  subcommandSyntaxError,
} from "../../errors.ts";
import { map, NULL } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { MAX_ID, MIN_ID } from "../../store/structures/stream_id.ts";
import {
  type ConsumerGroup,
  INVALID_ENTRIES_READ,
  sortedConsumers,
  type StreamValue,
} from "../../store/stream_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import { helpReply } from "../server/help.ts";
import type { Context } from "../types.ts";
import { rangeReply, streamForRead } from "./common.ts";
import {
  DOCS_XINFO,
  DOCS_XINFO_CONSUMERS,
  DOCS_XINFO_GROUPS,
  DOCS_XINFO_HELP,
  DOCS_XINFO_STREAM,
} from "./docs.ts";

function streamOrError(ctx: Context): StreamValue {
  const stream = streamForRead(ctx, ctx.argv[2]!);
  if (stream === undefined) throw noSuchKey();
  return stream;
}

function entriesRead(group: ConsumerGroup): Reply {
  return group.entriesRead === INVALID_ENTRIES_READ ? NULL : group.entriesRead;
}

function lag(stream: StreamValue, group: ConsumerGroup): Reply {
  return stream.groupLag(group) ?? NULL;
}

function edgeEntry(stream: StreamValue, rev: boolean): Reply {
  return rangeReply(stream, MIN_ID, MAX_ID, 1, rev)[0] ?? NULL;
}

function fullGroup(
  stream: StreamValue,
  group: ConsumerGroup,
  count: number,
): Reply {
  const pending: Reply[] = [];
  for (const [id, nack] of group.pel.entriesFrom(undefined, count)) {
    pending.push([
      id.toString(),
      nack.consumer!.name,
      nack.deliveryTime,
      nack.deliveryCount,
    ]);
  }
  const consumers: Reply[] = sortedConsumers(group).map((c) => {
    const pel: Reply[] = c.pel.entriesFrom(undefined, count).map((
      [id, nack],
    ) => [id.toString(), nack.deliveryTime, nack.deliveryCount]);
    return map([
      "name",
      c.name,
      "seen-time",
      c.seenTime,
      "pel-count",
      c.pel.size,
      "pending",
      pel,
    ]);
  });
  return map([
    "name",
    group.name,
    "last-delivered-id",
    group.lastId.toString(),
    "entries-read",
    entriesRead(group),
    "lag",
    lag(stream, group),
    "pel-count",
    group.pel.size,
    "pending",
    pending,
    "consumers",
    consumers,
  ]);
}

/** XINFO STREAM: a stream's metadata, or with FULL its entries and groups too. */
export const xinfoStream = defineCommand({
  name: "stream",
  group: "stream",
  summary: "Get information about a stream",
  since: "5.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["readonly"],
  acl: ["stream"],
  keys: [keyAt(2, "RO ACCESS")],
  docs: DOCS_XINFO_STREAM,
  handler(ctx) {
    const argv = ctx.argv;
    const stream = streamOrError(ctx);
    const opts = argv.length - 3;
    let full = true;
    let count = 10;
    if (opts === 0) {
      full = false;
    } else if (opts === 1 || opts === 3) {
      if (!eqIgnoreCase(argv[3]!, "full")) {
        throw subcommandSyntaxError(argv[1]!, argv[0]!);
      }
      if (opts === 3) {
        if (!eqIgnoreCase(argv[4]!, "count")) {
          throw subcommandSyntaxError(argv[1]!, argv[0]!);
        }
        const v = parseInt64(argv[5]!);
        if (v === undefined) throw notInteger();
        count = v < 0n ? 10 : Number(v);
      }
    } else {
      throw subcommandSyntaxError(argv[1]!, argv[0]!);
    }
    const head: Reply[] = [
      "length",
      stream.length,
      "radix-tree-keys",
      stream.entries.nodeCount,
      "radix-tree-nodes",
      stream.entries.radixTreeNodes(),
      "last-generated-id",
      stream.lastId.toString(),
      "max-deleted-entry-id",
      stream.maxDeletedId.toString(),
      "entries-added",
      stream.entriesAdded,
      "recorded-first-entry-id",
      stream.firstId.toString(),
    ];
    if (!full) {
      return map([
        ...head,
        "groups",
        stream.groups?.size ?? 0,
        "first-entry",
        edgeEntry(stream, false),
        "last-entry",
        edgeEntry(stream, true),
      ]);
    }
    return map([
      ...head,
      "entries",
      rangeReply(stream, MIN_ID, MAX_ID, count, false),
      "groups",
      stream.sortedGroups().map((g) => fullGroup(stream, g, count)),
    ]);
  },
});

/** XINFO GROUPS: the consumer groups of a stream. */
export const xinfoGroups = defineCommand({
  name: "groups",
  group: "stream",
  summary: "List the consumer groups of a stream",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["readonly"],
  acl: ["stream"],
  keys: [keyAt(2, "RO ACCESS")],
  docs: DOCS_XINFO_GROUPS,
  handler(ctx) {
    const stream = streamOrError(ctx);
    return stream.sortedGroups().map((g) =>
      map([
        "name",
        g.name,
        "consumers",
        g.consumers.size,
        "pending",
        g.pel.size,
        "last-delivered-id",
        g.lastId.toString(),
        "entries-read",
        entriesRead(g),
        "lag",
        lag(stream, g),
      ])
    );
  },
});

/** XINFO CONSUMERS: the consumers of a group. */
export const xinfoConsumers = defineCommand({
  name: "consumers",
  group: "stream",
  summary: "List the consumers in a consumer group",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["readonly"],
  acl: ["stream"],
  keys: [keyAt(2, "RO ACCESS")],
  tips: ["nondeterministic_output"],
  docs: DOCS_XINFO_CONSUMERS,
  handler(ctx) {
    const argv = ctx.argv;
    const stream = streamOrError(ctx);
    const group = stream.group(argv[3]!);
    if (group === undefined) throw streamNoGroup(argv[3]!, argv[2]!);
    const now = ctx.server.clock.now();
    return sortedConsumers(group).map((c) => {
      const idle = now - c.seenTime;
      return map([
        "name",
        c.name,
        "pending",
        c.pel.size,
        "idle",
        idle < 0 ? 0 : idle,
      ]);
    });
  },
});

const HELP = helpReply("XINFO", [
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
]);

/** XINFO HELP */
export const xinfoHelp = defineCommand({
  name: "help",
  group: "stream",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["stream"],
  docs: DOCS_XINFO_HELP,
  handler() {
    return HELP;
  },
});

/** XINFO: the stream introspection container. */
export const xinfoCommand = defineCommand({
  name: "xinfo",
  group: "stream",
  summary: "A container for stream introspection commands",
  since: "5.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  docs: DOCS_XINFO,
  subcommands: [xinfoGroups, xinfoConsumers, xinfoHelp, xinfoStream],
});
