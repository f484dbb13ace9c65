/**
 * ACL CAT [category] | ACL DELUSER username [username ...] |
 * ACL DRYRUN username command [arg ...] | ACL GENPASS [bits] |
 * ACL GETUSER username | ACL LIST | ACL LOAD | ACL LOG [count | RESET] |
 * ACL SAVE | ACL SETUSER username [rule ...] | ACL USERS | ACL WHOAMI |
 * ACL HELP
 *
 * @module
 */
import { aclOf } from "../../acl/acl.ts";
import {
  describeChannels,
  describeCommandRules,
  describeKeys,
  describeUser,
} from "../../acl/describe.ts";
import { categoryBit } from "../../acl/command_index.ts";
import { AclRuleError } from "../../acl/errors.ts";
import { loadAclFile, saveAclFile } from "../../acl/install.ts";
import {
  ACL_DENIED_CMD,
  ACL_DENIED_KEY,
  ACL_OK,
  hasSpaces,
  type Selector,
} from "../../acl/selector.ts";
import { mergeSelectorArguments } from "../../acl/user.ts";
import {
  aclCommandNotFound,
  aclDeleteDefault,
  aclGenpassBits,
  aclLoadFailed,
  aclNoFile,
  aclSaveFailed,
  aclSetUserRuleError,
  aclUnknownCategory,
  aclUnmatchedParenthesis,
  aclUsernameSpaces,
  aclUserNotFound,
  subcommandSyntaxError,
  wrongArity,
} from "../../errors.ts";
import { double, map, NULL, OK, set } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import { ACL_CATEGORIES, type Command, type CommandSpec } from "../types.ts";
import { defineCommand } from "../define.ts";
import { helpReply } from "../server/help.ts";
import { asciiLower } from "../../util/bytes.ts";
import type { ServerState } from "../../state.ts";

// Every ACL subcommand shares these facts.
function sub(
  spec: Omit<CommandSpec, "group" | "flags"> & {
    flags?: CommandSpec["flags"];
    admin?: boolean;
  },
): Command {
  const { admin = true, flags, ...rest } = spec;
  return defineCommand({
    group: "server",
    flags: flags ??
      [
        ...(admin ? ["admin" as const] : []),
        "noscript",
        "loading",
        "stale",
        "sentinel",
      ],
    ...rest,
  });
}

function selectorFields(s: Selector, server: ServerState): Reply[] {
  return [
    "commands",
    describeCommandRules(s, aclOf(server).index),
    "keys",
    describeKeys(s),
    "channels",
    describeChannels(s),
  ];
}

const cat = sub({
  name: "cat",
  summary: "List the ACL categories or the commands inside a category",
  since: "6.0.0",
  complexity: "O(1) since the categories and commands are a fixed set.",
  arity: -2,
  admin: false,
  docs: {
    arguments: [{ name: "categoryname", type: "string", optional: true }],
  },
  handler(ctx, args) {
    if (!args.more) return [...ACL_CATEGORIES];
    const name = args.next();
    if (args.more) throw subcommandSyntaxError(ctx.argv[1]!, "ACL");
    const bit = categoryBit(name);
    if (bit === 0) throw aclUnknownCategory(name);
    const out: string[] = [];
    aclOf(ctx.server).index.forEach((e) => {
      if ((e.categories & bit) !== 0) out.push(e.command.fullName);
    });
    return out;
  },
});

const deluser = sub({
  name: "deluser",
  summary: "Remove the specified ACL users and the associated rules",
  since: "6.0.0",
  complexity: "O(1) amortized time considering the typical user.",
  arity: -3,
  docs: {
    arguments: [{ name: "username", type: "string", multiple: true }],
  },
  handler(ctx, args) {
    const names = args.rest();
    if (names.includes("default")) throw aclDeleteDefault();
    const acl = aclOf(ctx.server);
    let deleted = 0;
    for (const name of names) {
      if (acl.deleteUser(name, ctx.client)) deleted++;
    }
    return deleted;
  },
});

const dryrun = sub({
  name: "dryrun",
  summary:
    "Returns whether the user can execute the given command without executing the command.",
  since: "7.0.0",
  complexity: "O(1).",
  arity: -4,
  docs: {
    arguments: [
      { name: "username", type: "string" },
      { name: "command", type: "string" },
      { name: "arg", type: "string", optional: true, multiple: true },
    ],
  },
  handler(ctx, args) {
    const acl = aclOf(ctx.server);
    const name = args.next();
    const user = acl.users.get(name);
    if (user === undefined) throw aclUserNotFound(name);
    const argv = args.rest();
    // Redis's lookupCommand: a container with an unknown subcommand is not found.
    const base = ctx.server.commands.get(asciiLower(argv[0]!));
    const cmd = base?.subcommands !== undefined && argv.length > 1
      ? base.subcommands.get(asciiLower(argv[1]!))
      : base;
    if (cmd === undefined) throw aclCommandNotFound(argv[0]!);
    if (
      (cmd.arity > 0 && argv.length !== cmd.arity) ||
      argv.length < -cmd.arity
    ) {
      throw wrongArity(cmd.fullName);
    }
    const { result, pos } = acl.check(user, cmd, argv);
    if (result === ACL_OK) return OK;
    if (result === ACL_DENIED_CMD) {
      return `This user has no permissions to run the '${cmd.fullName}' command`;
    }
    return `This user has no permissions to access the '${argv[pos]}' ${
      result === ACL_DENIED_KEY ? "key" : "channel"
    }`;
  },
});

const genpass = sub({
  name: "genpass",
  summary: "Generate a pseudorandom secure password to use for ACL users",
  since: "6.0.0",
  complexity: "O(1)",
  arity: -2,
  admin: false,
  docs: { arguments: [{ name: "bits", type: "integer", optional: true }] },
  handler(ctx, args) {
    let bits = 256;
    if (args.more) {
      bits = args.long();
      if (args.more) throw subcommandSyntaxError(ctx.argv[1]!, "ACL");
    }
    if (bits <= 0 || bits > 4096) throw aclGenpassBits();
    const chars = Math.floor((bits + 3) / 4);
    const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(chars / 2)));
    let hex = "";
    for (const b of bytes) hex += b.toString(16).padStart(2, "0");
    return hex.slice(0, chars);
  },
});

const getuser = sub({
  name: "getuser",
  summary: "Get the rules for a specific ACL user",
  since: "6.0.0",
  complexity:
    "O(N). Where N is the number of password, command and pattern rules that the user has.",
  arity: 3,
  docs: {
    history: [
      ["6.2.0", "Added Pub/Sub channel patterns."],
      [
        "7.0.0",
        "Added selectors and changed the format of key and channel patterns from a list to their rule representation.",
      ],
    ],
    arguments: [{ name: "username", type: "string" }],
  },
  handler(ctx, args) {
    const user = aclOf(ctx.server).users.get(args.next());
    if (user === undefined) return NULL;
    return map([
      "flags",
      set(user.flagNames()),
      "passwords",
      [...user.passwords],
      ...selectorFields(user.root, ctx.server),
      "selectors",
      user.selectors.slice(1).map((s) => map(selectorFields(s, ctx.server))),
    ]);
  },
});

const list = sub({
  name: "list",
  summary: "List the current ACL rules in ACL config file format",
  since: "6.0.0",
  complexity: "O(N). Where N is the number of configured users.",
  arity: 2,
  handler(ctx) {
    const acl = aclOf(ctx.server);
    return acl.sortedNames().map((name) =>
      `user ${name} ${describeUser(acl.users.get(name)!, acl.index)}`
    );
  },
});

const users = sub({
  name: "users",
  summary: "List the username of all the configured ACL rules",
  since: "6.0.0",
  complexity: "O(N). Where N is the number of configured users.",
  arity: 2,
  handler(ctx) {
    return aclOf(ctx.server).sortedNames();
  },
});

const load = sub({
  name: "load",
  summary: "Reload the ACLs from the configured ACL file",
  since: "6.0.0",
  complexity: "O(N). Where N is the number of configured users.",
  arity: 2,
  handler(ctx) {
    if (ctx.server.config.get("aclfile") === "") throw aclNoFile();
    const errors = loadAclFile(ctx.server, ctx.client);
    if (errors !== undefined) throw aclLoadFailed(errors);
    return OK;
  },
});

const save = sub({
  name: "save",
  summary: "Save the current ACL rules in the configured ACL file",
  since: "6.0.0",
  complexity: "O(N). Where N is the number of configured users.",
  arity: 2,
  handler(ctx) {
    if (ctx.server.config.get("aclfile") === "") throw aclNoFile();
    if (!saveAclFile(ctx.server)) throw aclSaveFailed();
    return OK;
  },
});

const log = sub({
  name: "log",
  summary: "List latest events denied because of ACLs in place",
  since: "6.0.0",
  complexity: "O(N) with N being the number of entries shown.",
  arity: -2,
  docs: {
    arguments: [{
      name: "operation",
      type: "oneof",
      optional: true,
      arguments: [
        { name: "count", type: "integer" },
        { name: "reset", type: "pure-token", token: "RESET" },
      ],
    }],
  },
  handler(ctx, args) {
    const aclLog = aclOf(ctx.server).log;
    let count = 10;
    if (args.more) {
      if (asciiLower(args.peek()!) === "reset") {
        args.next();
        if (args.more) throw subcommandSyntaxError(ctx.argv[1]!, "ACL");
        aclLog.reset();
        return OK;
      }
      count = Math.max(0, args.long());
      if (args.more) throw subcommandSyntaxError(ctx.argv[1]!, "ACL");
    }
    const now = ctx.server.clock.now();
    return aclLog.entries.slice(0, count).map((e) =>
      map([
        "count",
        e.count,
        "reason",
        e.reason,
        "context",
        e.context,
        "object",
        e.object,
        "username",
        e.username,
        "age-seconds",
        double((now - e.time) / 1000),
        "client-info",
        e.clientInfo,
      ])
    );
  },
});

const setuser = sub({
  name: "setuser",
  summary: "Modify or create the rules for a specific ACL user",
  since: "6.0.0",
  complexity: "O(N). Where N is the number of rules provided.",
  arity: -3,
  docs: {
    history: [
      ["6.2.0", "Added Pub/Sub channel patterns."],
      ["7.0.0", "Added selectors and key based permissions."],
    ],
    arguments: [
      { name: "username", type: "string" },
      { name: "rule", type: "string", optional: true, multiple: true },
    ],
  },
  redact(argv: Argv): Argv {
    return argv.map((word, i) => i < 2 ? word : "(redacted)");
  },
  handler(ctx, args) {
    const name = args.next();
    if (hasSpaces(name)) throw aclUsernameSpaces();
    const words = args.rest();
    const rules = mergeSelectorArguments(words);
    if (!Array.isArray(rules)) {
      throw aclUnmatchedParenthesis(words[rules.unmatched]!);
    }
    const acl = aclOf(ctx.server);
    const existing = acl.users.get(name);
    const staged = existing?.clone() ?? acl.newUser(name);
    for (const rule of rules) {
      try {
        acl.apply(staged, rule);
      } catch (e) {
        if (e instanceof AclRuleError) {
          throw aclSetUserRuleError(rule, e.message);
        }
        throw e;
      }
    }
    acl.commit(existing ?? acl.newUser(name), staged, ctx.client);
    return OK;
  },
});

const whoami = sub({
  name: "whoami",
  summary: "Return the name of the user associated to the current connection",
  since: "6.0.0",
  complexity: "O(1)",
  arity: 2,
  admin: false,
  handler(ctx) {
    return aclOf(ctx.server).userOf(ctx.client).name;
  },
});

const HELP = [
  "CAT [<category>]",
  "    List all commands that belong to <category>, or all command categories",
  "    when no category is specified.",
  "DELUSER <username> [<username> ...]",
  "    Delete a list of users.",
  "DRYRUN <username> <command> [<arg> ...]",
  "    Returns whether the user can execute the given command without executing the command.",
  "GETUSER <username>",
  "    Get the user's details.",
  "GENPASS [<bits>]",
  "    Generate a secure 256-bit user password. The optional `bits` argument can",
  "    be used to specify a different size.",
  "LIST",
  "    Show users details in config file format.",
  "LOAD",
  "    Reload users from the ACL file.",
  "LOG [<count> | RESET]",
  "    Show the ACL log entries.",
  "SAVE",
  "    Save the current config to the ACL file.",
  "SETUSER <username> <attribute> [<attribute> ...]",
  "    Create or modify a user with the specified attributes.",
  "USERS",
  "    List all the registered usernames.",
  "WHOAMI",
  "    Return the current connection username.",
];

const help = sub({
  name: "help",
  summary: "Show helpful text about the different subcommands",
  since: "6.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale", "sentinel"],
  handler(): Reply {
    return helpReply("ACL", HELP);
  },
});

/** ACL: the access control container. */
export const acl = defineCommand({
  name: "acl",
  group: "server",
  summary: "A container for Access List Control commands ",
  since: "6.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: ["sentinel"],
  subcommands: [
    cat,
    deluser,
    dryrun,
    genpass,
    getuser,
    help,
    list,
    load,
    log,
    save,
    setuser,
    users,
    whoami,
  ],
});
