/**
 * XGROUP CREATE key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]
 * XGROUP SETID key group <id | $> [ENTRIESREAD entries-read]
 * XGROUP DESTROY key group
 * XGROUP CREATECONSUMER key group consumer
 * XGROUP DELCONSUMER key group consumer
 * XGROUP HELP
 *
 * The subcommands share Redis's xgroupCommand flow: options first, then
 * the key (which must exist unless MKSTREAM), then the group.
 *
 * @module
 */
import {
  notInteger,
  streamBusyGroup,
  streamNoGroup,
  subcommandSyntaxError,
  xgroupEntriesRead,
  xgroupNoKey,
} from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_STREAM } from "../../state.ts";
import { MIN_ID, type StreamId } from "../../store/structures/stream_id.ts";
import {
  type ConsumerGroup,
  createConsumer,
  deleteConsumer,
  INVALID_ENTRIES_READ,
  StreamValue,
} from "../../store/stream_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand, keyAt } from "../define.ts";
import { helpReply } from "../server/help.ts";
import type { Context } from "../types.ts";
import { anyId, streamForWrite, strictId } from "./common.ts";
import {
  DOCS_XGROUP,
  DOCS_XGROUP_CREATE,
  DOCS_XGROUP_CREATECONSUMER,
  DOCS_XGROUP_DELCONSUMER,
  DOCS_XGROUP_DESTROY,
  DOCS_XGROUP_HELP,
  DOCS_XGROUP_SETID,
} from "./docs.ts";

type Sub = "create" | "setid" | "destroy" | "createconsumer" | "delconsumer";

function entriesReadArg(text: string): bigint {
  const v = parseInt64(text);
  if (v === undefined) throw notInteger();
  if (v < 0n && v !== INVALID_ENTRIES_READ) throw xgroupEntriesRead();
  return v;
}

function syntax(ctx: Context): Error {
  return subcommandSyntaxError(ctx.argv[1]!, ctx.argv[0]!);
}

// Redis's xgroupCommand, for every subcommand but HELP.
function xgroup(ctx: Context, sub: Sub): Reply {
  const argv = ctx.argv;
  const argc = argv.length;
  const key = argv[2]!;
  const groupName = argv[3]!;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (sub === "create") {
    for (let i = 5; i < argc;) {
      if (eqIgnoreCase(argv[i]!, "mkstream")) {
        mkstream = true;
        i++;
      } else if (eqIgnoreCase(argv[i]!, "entriesread") && i + 1 < argc) {
        entriesRead = entriesReadArg(argv[i + 1]!);
        i += 2;
      } else {
        throw syntax(ctx);
      }
    }
  } else if (sub === "setid") {
    // As CREATE's options, before the key is looked at.
    if (argc !== 5 && argc !== 7) throw syntax(ctx);
    if (argc === 7) {
      if (!eqIgnoreCase(argv[5]!, "entriesread")) throw syntax(ctx);
      entriesRead = entriesReadArg(argv[6]!);
    }
  }
  let stream = streamForWrite(ctx, key);
  let group: ConsumerGroup | undefined;
  if (!mkstream) {
    if (stream === undefined) throw xgroupNoKey();
    group = stream.group(groupName);
    if (group === undefined && sub !== "create" && sub !== "destroy") {
      throw streamNoGroup(groupName, key);
    }
  }
  switch (sub) {
    case "create": {
      if (argc > 8) throw syntax(ctx);
      let id: StreamId;
      if (argv[4] === "$") id = stream?.lastId ?? MIN_ID;
      else id = strictId(argv[4]!);
      if (stream === undefined) {
        stream = new StreamValue();
        ctx.db.add(key, stream);
      }
      if (stream.createGroup(groupName, id, entriesRead) === undefined) {
        throw streamBusyGroup();
      }
      ctx.dirty();
      ctx.notify(NOTIFY_STREAM, "xgroup-create", key);
      return OK;
    }
    case "setid": {
      const id = argv[4] === "$" ? stream!.lastId : anyId(argv[4]!);
      group!.lastId = id;
      group!.entriesRead = entriesRead;
      ctx.dirty();
      ctx.notify(NOTIFY_STREAM, "xgroup-setid", key);
      return OK;
    }
    case "destroy": {
      if (group === undefined) return 0;
      stream!.destroyGroup(groupName);
      ctx.dirty();
      ctx.notify(NOTIFY_STREAM, "xgroup-destroy", key);
      // Clients blocked in XREADGROUP on this group get a NOGROUP error.
      ctx.db.signalReady(key);
      return 1;
    }
    case "createconsumer": {
      const created = createConsumer(
        group!,
        argv[4]!,
        ctx.server.clock.now(),
      );
      if (created === undefined) return 0;
      ctx.dirty();
      ctx.notify(NOTIFY_STREAM, "xgroup-createconsumer", key);
      return 1;
    }
    case "delconsumer": {
      const consumer = group!.consumers.get(argv[4]!);
      if (consumer === undefined) return 0;
      const pending = consumer.pel.size;
      deleteConsumer(group!, consumer);
      ctx.dirty();
      ctx.notify(NOTIFY_STREAM, "xgroup-delconsumer", key);
      return pending;
    }
  }
}

const HELP = helpReply("XGROUP", [
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
]);

/** XGROUP CREATE: creates a consumer group. */
export const xgroupCreate = defineCommand({
  name: "create",
  group: "stream",
  summary: "Create a consumer group.",
  since: "5.0.0",
  complexity: "O(1)",
  arity: -5,
  flags: ["write", "denyoom"],
  acl: ["stream"],
  keys: [keyAt(2, "RW INSERT")],
  docs: DOCS_XGROUP_CREATE,
  handler(ctx) {
    return xgroup(ctx, "create");
  },
});

/** XGROUP SETID: moves a group's last delivered ID. */
export const xgroupSetid = defineCommand({
  name: "setid",
  group: "stream",
  summary: "Set a consumer group to an arbitrary last delivered ID value.",
  since: "5.0.0",
  complexity: "O(1)",
  arity: -5,
  flags: ["write"],
  acl: ["stream"],
  keys: [keyAt(2, "RW UPDATE")],
  docs: DOCS_XGROUP_SETID,
  handler(ctx) {
    return xgroup(ctx, "setid");
  },
});

/** XGROUP DESTROY: removes a group. */
export const xgroupDestroy = defineCommand({
  name: "destroy",
  group: "stream",
  summary: "Destroy a consumer group.",
  since: "5.0.0",
  complexity:
    "O(N) where N is the number of entries in the group's pending entries list (PEL).",
  arity: 4,
  flags: ["write"],
  acl: ["stream"],
  keys: [keyAt(2, "RW DELETE")],
  docs: DOCS_XGROUP_DESTROY,
  handler(ctx) {
    return xgroup(ctx, "destroy");
  },
});

/** XGROUP CREATECONSUMER: adds a consumer to a group. */
export const xgroupCreateconsumer = defineCommand({
  name: "createconsumer",
  group: "stream",
  summary: "Create a consumer in a consumer group.",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 5,
  flags: ["write", "denyoom"],
  acl: ["stream"],
  keys: [keyAt(2, "RW INSERT")],
  docs: DOCS_XGROUP_CREATECONSUMER,
  handler(ctx) {
    return xgroup(ctx, "createconsumer");
  },
});

/** XGROUP DELCONSUMER: removes a consumer and its pending entries. */
export const xgroupDelconsumer = defineCommand({
  name: "delconsumer",
  group: "stream",
  summary: "Delete a consumer from a consumer group.",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 5,
  flags: ["write"],
  acl: ["stream"],
  keys: [keyAt(2, "RW DELETE")],
  docs: DOCS_XGROUP_DELCONSUMER,
  handler(ctx) {
    return xgroup(ctx, "delconsumer");
  },
});

/** XGROUP HELP */
export const xgroupHelp = defineCommand({
  name: "help",
  group: "stream",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["stream"],
  docs: DOCS_XGROUP_HELP,
  handler() {
    return HELP;
  },
});

/** XGROUP: the consumer group container. */
export const xgroupCommand = defineCommand({
  name: "xgroup",
  group: "stream",
  summary: "A container for consumer groups commands",
  since: "5.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  docs: DOCS_XGROUP,
  subcommands: [
    xgroupCreateconsumer,
    xgroupDelconsumer,
    xgroupSetid,
    xgroupCreate,
    xgroupDestroy,
    xgroupHelp,
  ],
});
