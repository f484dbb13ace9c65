/**
 * COMMAND [COUNT | INFO [name ...] | DOCS [name ...] | LIST [FILTERBY ...] |
 * GETKEYS cmd ... | GETKEYSANDFLAGS cmd ... | HELP]
 *
 * Everything here is derived from the command table, printed in the shapes
 * Redis 7.0 uses (including its RESP3 sets for flags, categories, tips and
 * key specs).
 *
 * @module
 */
import {
  getkeysInvalidArguments,
  getkeysInvalidCommand,
  getkeysNoKeys,
  getkeysWrongArity,
  syntaxError,
} from "../../errors.ts";
import { map, set, simple } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import { asciiLower } from "../../util/bytes.ts";
import { globMatch } from "../../util/glob.ts";
import { defineCommand } from "../define.ts";
import { lookupCommand } from "../dispatch.ts";
import { getKeys, hasKeys, keyFlagNames } from "../keys.ts";
import { commandsOf } from "../table.ts";
import {
  ACL_CATEGORIES,
  type AclCategory,
  type ArgDoc,
  type Command,
  type CommandFlag,
  type KeySpec,
} from "../types.ts";
import { helpReply } from "./help.ts";

/** An argument doc with the fields only a few Redis arguments have. */
export interface ArgDocExtra extends ArgDoc {
  /** The argument is deprecated (CLIENT KILL's old `ip:port` form). */
  readonly deprecatedSince?: string;
  readonly arguments?: readonly ArgDocExtra[];
}

// Flags in the order COMMAND prints them; the hidden ones are left out.
const SHOWN_FLAGS: readonly CommandFlag[] = [
  "write",
  "readonly",
  "denyoom",
  "module",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "asking",
  "fast",
  "no_auth",
  "no_mandatory_keys",
  "no_async_loading",
  "no_multi",
];

/** The flags COMMAND INFO shows for `cmd`, in Redis's order. */
export function commandFlagNames(cmd: Command): string[] {
  const out: string[] = SHOWN_FLAGS.filter((f) => cmd.flags.has(f));
  if (cmd.movableKeys) out.push("movablekeys");
  if (cmd.flags.has("allow_busy")) out.push("allow_busy");
  return out;
}

/**
 * Finds a command by `name` or `container|sub` (any case), as COMMAND INFO
 * and COMMAND DOCS accept them.
 */
export function lookupByFullName(
  server: ServerState,
  name: string,
): Command | undefined {
  const parts = name.split("|");
  if (parts.length > 2) return undefined;
  const cmd = lookupCommand(server, parts[0]!);
  if (cmd === undefined || parts.length === 1) return cmd;
  return cmd.subcommands?.get(asciiLower(parts[1]!));
}

function keySpecReply(spec: KeySpec): Reply {
  const entries: Reply[] = [];
  if (spec.notes !== undefined) entries.push("notes", spec.notes);
  entries.push("flags", set(keyFlagNames(spec.flags).map(simple)));
  const begin = spec.begin;
  entries.push(
    "begin_search",
    "index" in begin
      ? map(["type", "index", "spec", map(["index", begin.index])])
      : "keyword" in begin
      ? map([
        "type",
        "keyword",
        "spec",
        map(["keyword", begin.keyword, "startfrom", begin.startfrom]),
      ])
      : map(["type", "unknown", "spec", map([])]),
  );
  const find = spec.find;
  entries.push(
    "find_keys",
    "range" in find
      ? map([
        "type",
        "range",
        "spec",
        map([
          "lastkey",
          find.range.lastkey,
          "keystep",
          find.range.keystep,
          "limit",
          find.range.limit,
        ]),
      ])
      : "keynum" in find
      ? map([
        "type",
        "keynum",
        "spec",
        map([
          "keynumidx",
          find.keynum.keynumidx,
          "firstkey",
          find.keynum.firstkey,
          "keystep",
          find.keynum.keystep,
        ]),
      ])
      : map(["type", "unknown", "spec", map([])]),
  );
  return map(entries);
}

/** One command's COMMAND INFO entry. */
export function commandInfo(cmd: Command): Reply {
  const [first, last, step] = cmd.legacyRange;
  return [
    cmd.fullName,
    cmd.arity,
    set(commandFlagNames(cmd).map(simple)),
    first,
    last,
    step,
    set(cmd.aclCategories.map((c) => simple(`@${c}`))),
    set(cmd.spec.tips ?? []),
    set(cmd.keySpecs.map(keySpecReply)),
    cmd.subcommands === undefined
      ? set([])
      : [...cmd.subcommands.values()].map(commandInfo),
  ];
}

function argDocsReply(args: readonly ArgDocExtra[]): Reply {
  return args.map((a) => {
    const entries: Reply[] = ["name", a.name, "type", a.type];
    if (a.keySpecIndex !== undefined) {
      entries.push("key_spec_index", a.keySpecIndex);
    }
    if (a.token !== undefined) entries.push("token", a.token);
    if (a.since !== undefined) entries.push("since", a.since);
    if (a.deprecatedSince !== undefined) {
      entries.push("deprecated_since", a.deprecatedSince);
    }
    const flags: string[] = [];
    if (a.optional) flags.push("optional");
    if (a.multiple) flags.push("multiple");
    if (a.multipleToken) flags.push("multiple_token");
    if (flags.length !== 0) entries.push("flags", set(flags.map(simple)));
    if (a.type === "oneof" || a.type === "block") {
      entries.push("arguments", argDocsReply(a.arguments ?? []));
    }
    return map(entries);
  });
}

/** One command's COMMAND DOCS entry (the value of its map entry). */
export function commandDocs(cmd: Command): Reply {
  const spec = cmd.spec;
  const docs = spec.docs ?? {};
  const entries: Reply[] = [
    "summary",
    spec.summary,
    "since",
    spec.since,
    "group",
    spec.group,
  ];
  if (spec.complexity !== undefined) {
    entries.push("complexity", spec.complexity);
  }
  if (docs.docFlags !== undefined && docs.docFlags.length !== 0) {
    entries.push("doc_flags", set(docs.docFlags.map(simple)));
  }
  if (docs.deprecatedSince !== undefined) {
    entries.push("deprecated_since", docs.deprecatedSince);
  }
  if (docs.replacedBy !== undefined) {
    entries.push("replaced_by", docs.replacedBy);
  }
  if (docs.history !== undefined && docs.history.length !== 0) {
    entries.push("history", set(docs.history.map((h) => [h[0], h[1]])));
  }
  if (docs.arguments !== undefined && docs.arguments.length !== 0) {
    entries.push("arguments", argDocsReply(docs.arguments));
  }
  if (cmd.subcommands !== undefined) {
    const subs: Reply[] = [];
    for (const sub of cmd.subcommands.values()) {
      subs.push(sub.fullName, commandDocs(sub));
    }
    entries.push("subcommands", map(subs));
  }
  return map(entries);
}

function allCommands(server: ServerState): Command[] {
  return commandsOf(server.commands);
}

const count = defineCommand({
  name: "count",
  group: "server",
  summary: "Get total number of Redis commands",
  since: "2.8.13",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["connection"],
  handler(ctx) {
    return allCommands(ctx.server).length;
  },
});

const info = defineCommand({
  name: "info",
  group: "server",
  summary:
    "Get array of specific Redis command details, or all when no argument is given.",
  since: "2.8.13",
  complexity: "O(N) where N is the number of commands to look up",
  arity: -2,
  flags: ["loading", "stale"],
  acl: ["connection"],
  tips: ["nondeterministic_output_order"],
  docs: {
    history: [[
      "7.0.0",
      "Allowed to be called with no argument to get info on all commands.",
    ]],
    arguments: [
      { name: "command-name", type: "string", optional: true, multiple: true },
    ],
  },
  handler(ctx, args) {
    if (!args.more) return allCommands(ctx.server).map(commandInfo);
    return args.rest().map((name) => {
      const cmd = lookupByFullName(ctx.server, name);
      return cmd === undefined ? null : commandInfo(cmd);
    });
  },
});

const docs = defineCommand({
  name: "docs",
  group: "server",
  summary: "Get array of specific Redis command documentation",
  since: "7.0.0",
  complexity: "O(N) where N is the number of commands to look up",
  arity: -2,
  flags: ["loading", "stale"],
  acl: ["connection"],
  tips: ["nondeterministic_output_order"],
  docs: {
    arguments: [
      { name: "command-name", type: "string", optional: true, multiple: true },
    ],
  },
  handler(ctx, args) {
    const entries: Reply[] = [];
    if (!args.more) {
      for (const cmd of allCommands(ctx.server)) {
        entries.push(cmd.fullName, commandDocs(cmd));
      }
    } else {
      for (const name of args.rest()) {
        const cmd = lookupByFullName(ctx.server, name);
        if (cmd !== undefined) entries.push(cmd.fullName, commandDocs(cmd));
      }
    }
    return map(entries);
  },
});

function categoryByName(name: string): AclCategory | undefined {
  const lower = asciiLower(name);
  return ACL_CATEGORIES.find((c) => c === lower);
}

const list = defineCommand({
  name: "list",
  group: "server",
  summary: "Get an array of Redis command names",
  since: "7.0.0",
  complexity: "O(N) where N is the total number of Redis commands",
  arity: -2,
  flags: ["loading", "stale"],
  acl: ["connection"],
  tips: ["nondeterministic_output_order"],
  docs: {
    arguments: [
      {
        name: "filterby",
        type: "oneof",
        token: "FILTERBY",
        optional: true,
        arguments: [
          { name: "module-name", type: "string", token: "MODULE" },
          { name: "category", type: "string", token: "ACLCAT" },
          { name: "pattern", type: "pattern", token: "PATTERN" },
        ],
      },
    ],
  },
  handler(ctx, args) {
    let filter: ((cmd: Command) => boolean) | undefined;
    while (args.more) {
      // FILTERBY must be followed by exactly a type and its argument.
      if (args.remaining !== 3 || args.option() !== "filterby") {
        throw syntaxError();
      }
      const type = args.option();
      const arg = args.next();
      if (type === "module") {
        filter = () => false; // tsredis has no modules
      } else if (type === "aclcat") {
        const cat = categoryByName(arg);
        filter = (cmd) => cat !== undefined && cmd.aclCategories.includes(cat);
      } else if (type === "pattern") {
        filter = (cmd) => globMatch(arg, cmd.fullName, true);
      } else {
        throw syntaxError();
      }
    }
    const out: string[] = [];
    const walk = (cmds: Iterable<Command>) => {
      for (const cmd of cmds) {
        if (filter === undefined || filter(cmd)) out.push(cmd.fullName);
        if (cmd.subcommands !== undefined) walk(cmd.subcommands.values());
      }
    };
    walk(allCommands(ctx.server));
    return out;
  },
});

function getKeysReply(
  server: ServerState,
  argv: Argv,
  withFlags: boolean,
): Reply {
  const words = argv.slice(2);
  let cmd = lookupCommand(server, words[0]!);
  if (cmd?.subcommands !== undefined && words.length >= 2) {
    cmd = cmd.subcommands.get(asciiLower(words[1]!));
  }
  if (cmd === undefined) throw getkeysInvalidCommand();
  if (!hasKeys(cmd)) throw getkeysNoKeys();
  if (
    (cmd.arity > 0 && cmd.arity !== words.length) ||
    words.length < -cmd.arity
  ) {
    throw getkeysWrongArity();
  }
  const keys = getKeys(cmd, words);
  if (keys.length === 0) {
    if (cmd.flags.has("no_mandatory_keys")) return [];
    throw getkeysInvalidArguments();
  }
  return keys.map((k) =>
    withFlags
      ? [words[k.pos]!, set(keyFlagNames(k.flags).map(simple))]
      : words[k.pos]!
  );
}

const getkeys = defineCommand({
  name: "getkeys",
  group: "server",
  summary: "Extract keys given a full Redis command",
  since: "2.8.13",
  complexity: "O(N) where N is the number of arguments to the command",
  arity: -4,
  flags: ["loading", "stale"],
  acl: ["connection"],
  handler(ctx) {
    return getKeysReply(ctx.server, ctx.argv, false);
  },
});

const getkeysandflags = defineCommand({
  name: "getkeysandflags",
  group: "server",
  summary: "Extract keys and access flags given a full Redis command",
  since: "7.0.0",
  complexity: "O(N) where N is the number of arguments to the command",
  arity: -4,
  flags: ["loading", "stale"],
  acl: ["connection"],
  handler(ctx) {
    return getKeysReply(ctx.server, ctx.argv, true);
  },
});

const HELP = [
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
];

const help = defineCommand({
  name: "help",
  group: "server",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["connection"],
  handler() {
    return helpReply("COMMAND", HELP);
  },
});

const container = defineCommand({
  name: "command",
  group: "server",
  summary: "Get array of Redis command details",
  since: "2.8.13",
  complexity: "O(N) where N is the total number of Redis commands",
  arity: -1,
  flags: ["loading", "stale"],
  acl: ["connection"],
  tips: ["nondeterministic_output_order"],
  subcommands: [count, docs, getkeys, getkeysandflags, help, info, list],
});

/**
 * COMMAND: with no argument, every command's details; otherwise one of its
 * subcommands. Unlike other containers it runs on its own too, so the
 * table entry gets a handler next to its subcommands.
 */
export const command: Command = {
  ...container,
  handler(ctx) {
    return allCommands(ctx.server).map(commandInfo);
  },
};
for (const sub of command.subcommands!.values()) sub.parent = command;
