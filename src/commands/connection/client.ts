/**
 * CLIENT ID | GETNAME | SETNAME name | LIST [TYPE type] [ID id ...] | INFO |
 * KILL ... | SETINFO attr value | NO-EVICT on|off | NO-TOUCH on|off |
 * UNBLOCK id [TIMEOUT|ERROR] | HELP
 *
 * SETINFO and NO-TOUCH come from Redis 7.2 (client libraries send SETINFO
 * when they connect); the rest is Redis 7.0.
 *
 * @module
 */
import { aclOf } from "../../acl/acl.ts";
import { pause, reply, unpause } from "./client_pause.ts";
import type { Client } from "../../client.ts";
import {
  clientIdNotPositive,
  invalidClientAttr,
  invalidClientId,
  invalidClientName,
  noSuchClient,
  noSuchUser,
  notInteger,
  subcommandSyntaxError,
  syntaxError,
  unblockReason,
  unknownClientType,
  unrecognizedOption,
} from "../../errors.ts";
import { OK, verbatim } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { parseInt64 } from "../../util/number.ts";
import { unblockByRequest } from "../blocking.ts";
import { defineCommand } from "../define.ts";
import type { Command, CommandSpec, Context } from "../types.ts";
import type { ArgDocExtra } from "../server/command.ts";
import { helpReply } from "../server/help.ts";
import { trackingSubcommands } from "./client_tracking.ts";
import {
  clientInfoLine,
  type ClientType,
  clientType,
  clientTypeByName,
} from "./client_info.ts";

/** Client names and SETINFO values: printable ASCII without spaces ('!'..'~'). */
export function isValidClientAttr(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** Sets the client's name, or throws Redis's error for an invalid one. */
export function setClientName(client: Client, name: string): void {
  if (!isValidClientAttr(name)) throw invalidClientName();
  client.name = name;
}

// Common metadata of the CLIENT subcommands.
function sub(
  spec: Omit<CommandSpec, "group" | "acl" | "flags"> & { admin?: boolean },
): Command {
  const { admin, ...rest } = spec;
  return defineCommand({
    ...rest,
    group: "connection",
    acl: ["connection"],
    flags: admin
      ? ["admin", "noscript", "loading", "stale"]
      : ["noscript", "loading", "stale"],
  });
}

const id = sub({
  name: "id",
  summary: "Returns the client ID for the current connection",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  handler(ctx) {
    return ctx.client.id;
  },
});

const getname = sub({
  name: "getname",
  summary: "Get the current connection name",
  since: "2.6.9",
  complexity: "O(1)",
  arity: 2,
  handler(ctx) {
    return ctx.client.name === "" ? null : ctx.client.name;
  },
});

const setname = sub({
  name: "setname",
  summary: "Set the current connection name",
  since: "2.6.9",
  complexity: "O(1)",
  arity: 3,
  docs: { arguments: [{ name: "connection-name", type: "string" }] },
  handler(ctx, args) {
    setClientName(ctx.client, args.next());
    return OK;
  },
});

function listedClients(ctx: Context): Client[] {
  // The master link is internal but listed (flags M), as in Redis.
  return [...ctx.server.clients.values()].filter((c) =>
    !c.internal || c.replRole === "master"
  );
}

function lineOf(ctx: Context, client: Client): string {
  return clientInfoLine(
    ctx.server,
    client,
    client === ctx.client ? ctx.argv : undefined,
  );
}

const list = sub({
  name: "list",
  summary: "Get the list of client connections",
  since: "2.4.0",
  complexity: "O(N) where N is the number of client connections",
  arity: -2,
  admin: true,
  tips: ["nondeterministic_output"],
  docs: {
    history: [
      ["2.8.12", "Added unique client `id` field."],
      ["5.0.0", "Added optional `TYPE` filter."],
      ["6.0.0", "Added `user` field."],
      [
        "6.2.0",
        "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.",
      ],
      ["7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."],
      ["7.0.3", "Added `ssub` field."],
    ],
    arguments: [
      {
        name: "normal_master_replica_pubsub",
        type: "oneof",
        token: "TYPE",
        since: "5.0.0",
        optional: true,
        arguments: [
          { name: "normal", type: "pure-token", token: "NORMAL" },
          { name: "master", type: "pure-token", token: "MASTER" },
          { name: "replica", type: "pure-token", token: "REPLICA" },
          { name: "pubsub", type: "pure-token", token: "PUBSUB" },
        ],
      },
      {
        name: "id",
        type: "block",
        token: "ID",
        since: "6.2.0",
        optional: true,
        arguments: [{ name: "client-id", type: "integer", multiple: true }],
      },
    ],
  },
  handler(ctx) {
    const argv = ctx.argv;
    let text = "";
    if (argv.length === 4 && argv[2]!.toLowerCase() === "type") {
      const type = clientTypeByName(argv[3]!);
      if (type === undefined) {
        throw unknownClientType(argv[3]!);
      }
      for (const c of listedClients(ctx)) {
        if (clientType(c) === type) text += lineOf(ctx, c) + "\n";
      }
    } else if (argv.length > 3 && argv[2]!.toLowerCase() === "id") {
      for (let i = 3; i < argv.length; i++) {
        const wanted = parseInt64(argv[i]!);
        if (wanted === undefined) throw invalidClientId();
        const c = ctx.server.clients.get(Number(wanted));
        if (c !== undefined && (!c.internal || c.replRole === "master")) {
          text += lineOf(ctx, c) + "\n";
        }
      }
    } else if (argv.length !== 2) {
      throw syntaxError();
    } else {
      for (const c of listedClients(ctx)) text += lineOf(ctx, c) + "\n";
    }
    return verbatim(text);
  },
});

const info = sub({
  name: "info",
  summary: "Returns information about the current client connection.",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 2,
  tips: ["nondeterministic_output"],
  handler(ctx) {
    return verbatim(lineOf(ctx, ctx.client) + "\n");
  },
});

interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: ClientType;
  id?: number;
  user?: string;
  skipme: boolean;
}

function parseKillFilter(ctx: Context): KillFilter {
  const argv = ctx.argv;
  // The old form, CLIENT KILL addr, may kill the caller itself.
  if (argv.length === 3) return { addr: argv[2]!, skipme: false };
  const filter: KillFilter = { skipme: true };
  for (let i = 2; i < argv.length; i += 2) {
    const option = argv[i]!.toLowerCase();
    const value = argv[i + 1];
    if (value === undefined) throw syntaxError();
    if (option === "id") {
      const n = parseInt64(value);
      if (n === undefined || n < 1n) throw clientIdNotPositive();
      filter.id = Number(n);
    } else if (option === "type") {
      const type = clientTypeByName(value);
      if (type === undefined) {
        throw unknownClientType(value);
      }
      filter.type = type;
    } else if (option === "addr") {
      filter.addr = value;
    } else if (option === "laddr") {
      filter.laddr = value;
    } else if (option === "user") {
      if (!aclOf(ctx.server).users.has(value)) throw noSuchUser(value);
      filter.user = value;
    } else if (option === "skipme") {
      const v = value.toLowerCase();
      if (v === "yes") filter.skipme = true;
      else if (v === "no") filter.skipme = false;
      else throw syntaxError();
    } else {
      throw syntaxError();
    }
  }
  return filter;
}

const killArgs: ArgDocExtra[] = [
  {
    name: "filter",
    type: "oneof",
    arguments: [
      { name: "ip:port", type: "string", deprecatedSince: "2.8.12" },
      {
        name: "new-format",
        type: "oneof",
        multiple: true,
        arguments: [
          {
            name: "client-id",
            type: "integer",
            token: "ID",
            since: "2.8.12",
            optional: true,
          },
          {
            name: "normal_master_slave_pubsub",
            type: "oneof",
            token: "TYPE",
            since: "2.8.12",
            optional: true,
            arguments: [
              { name: "normal", type: "pure-token", token: "NORMAL" },
              {
                name: "master",
                type: "pure-token",
                token: "MASTER",
                since: "3.2.0",
              },
              { name: "slave", type: "pure-token", token: "SLAVE" },
              {
                name: "replica",
                type: "pure-token",
                token: "REPLICA",
                since: "5.0.0",
              },
              { name: "pubsub", type: "pure-token", token: "PUBSUB" },
            ],
          },
          { name: "username", type: "string", token: "USER", optional: true },
          { name: "ip:port", type: "string", token: "ADDR", optional: true },
          {
            name: "ip:port",
            type: "string",
            token: "LADDR",
            since: "6.2.0",
            optional: true,
          },
          { name: "yes/no", type: "string", token: "SKIPME", optional: true },
        ],
      },
    ],
  },
];

const kill = sub({
  name: "kill",
  summary: "Kill the connection of a client",
  since: "2.4.0",
  complexity: "O(N) where N is the number of client connections",
  arity: -3,
  admin: true,
  docs: {
    history: [
      ["2.8.12", "Added new filter format."],
      ["2.8.12", "`ID` option."],
      ["3.2.0", "Added `master` type in for `TYPE` option."],
      [
        "5.0.0",
        "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.",
      ],
      ["6.2.0", "`LADDR` option."],
    ],
    arguments: killArgs,
  },
  handler(ctx): Reply {
    const filter = parseKillFilter(ctx);
    let killed = 0;
    for (const c of listedClients(ctx)) {
      if (filter.addr !== undefined && c.addr !== filter.addr) continue;
      if (filter.laddr !== undefined && c.laddr !== filter.laddr) continue;
      if (filter.type !== undefined && clientType(c) !== filter.type) continue;
      if (filter.id !== undefined && c.id !== filter.id) continue;
      if (filter.user !== undefined && c.user !== filter.user) continue;
      if (c === ctx.client && filter.skipme) continue;
      // The caller gets its reply first, then its connection closes.
      if (c === ctx.client) c.closeAfterReply = true;
      else c.close("killed by CLIENT KILL");
      killed++;
    }
    if (ctx.argv.length === 3) {
      if (killed === 0) throw noSuchClient();
      return OK;
    }
    return killed;
  },
});

function onOff(ctx: Context): boolean {
  const v = ctx.argv[2]!.toLowerCase();
  if (v === "on") return true;
  if (v === "off") return false;
  throw syntaxError();
}

const onOffArgs = {
  arguments: [{
    name: "enabled",
    type: "oneof" as const,
    arguments: [
      { name: "on", type: "pure-token" as const, token: "ON" },
      { name: "off", type: "pure-token" as const, token: "OFF" },
    ],
  }],
};

const noEvict = sub({
  name: "no-evict",
  summary: "Set client eviction mode for the current connection",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 3,
  admin: true,
  docs: onOffArgs,
  handler(ctx) {
    ctx.client.noEvict = onOff(ctx);
    return OK;
  },
});

const noTouch = sub({
  name: "no-touch",
  summary:
    "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
  since: "7.2.0",
  complexity: "O(1)",
  arity: 3,
  docs: onOffArgs,
  handler(ctx) {
    ctx.client.noTouch = onOff(ctx);
    return OK;
  },
});

const setinfo = defineCommand({
  name: "setinfo",
  group: "connection",
  summary: "Sets information specific to the client or connection.",
  since: "7.2.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["noscript", "loading", "stale", "sentinel"],
  acl: ["connection"],
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  docs: {
    arguments: [{
      name: "attr",
      type: "oneof",
      arguments: [
        { name: "libname", type: "string", token: "LIB-NAME" },
        { name: "libver", type: "string", token: "LIB-VER" },
      ],
    }],
  },
  handler(ctx, args) {
    const attr = args.next();
    const value = args.next();
    const lower = attr.toLowerCase();
    if (lower !== "lib-name" && lower !== "lib-ver") {
      throw unrecognizedOption(attr);
    }
    if (!isValidClientAttr(value)) throw invalidClientAttr(attr);
    if (lower === "lib-name") ctx.client.libName = value;
    else ctx.client.libVer = value;
    return OK;
  },
});

const unblock = sub({
  name: "unblock",
  summary:
    "Unblock a client blocked in a blocking command from a different connection",
  since: "5.0.0",
  complexity: "O(log N) where N is the number of client connections",
  arity: -3,
  admin: true,
  docs: {
    arguments: [
      { name: "client-id", type: "integer" },
      {
        name: "timeout_error",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "timeout", type: "pure-token", token: "TIMEOUT" },
          { name: "error", type: "pure-token", token: "ERROR" },
        ],
      },
    ],
  },
  handler(ctx) {
    const argv = ctx.argv;
    if (argv.length > 4) throw subcommandSyntaxError(argv[1]!, argv[0]!);
    let asError = false;
    if (argv.length === 4) {
      const reason = argv[3]!.toLowerCase();
      if (reason === "error") asError = true;
      else if (reason !== "timeout") {
        throw unblockReason();
      }
    }
    const wanted = parseInt64(argv[2]!);
    if (wanted === undefined) throw notInteger();
    const target = ctx.server.clients.get(Number(wanted));
    if (target === undefined) return 0;
    if (!unblockByRequest(ctx.server, target, asError)) return 0;
    // The UNBLOCKED error is a reply Redis writes during this command.
    if (asError) ctx.command.stats.failedCalls++;
    return 1;
  },
});

const HELP = [
  "CACHING (YES|NO)",
  "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
  "         [OPTIN] [OPTOUT] [NOLOOP]",
  "    Control server assisted client side caching.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
];

const help = defineCommand({
  name: "help",
  group: "connection",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["connection"],
  handler() {
    return helpReply("CLIENT", HELP);
  },
});

/** The CLIENT subcommands. */
export const clientSubcommands: Command[] = [
  ...trackingSubcommands,
  getname,
  help,
  id,
  info,
  kill,
  list,
  noEvict,
  noTouch,
  pause,
  reply,
  setinfo,
  setname,
  unblock,
  unpause,
];

/** CLIENT: the connection container. */
export const client = defineCommand({
  name: "client",
  group: "connection",
  summary: "A container for client connection commands",
  since: "2.4.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: clientSubcommands,
});
