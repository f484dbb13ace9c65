/**
 * FUNCTION LOAD [REPLACE] code | DELETE library | FLUSH [ASYNC|SYNC] |
 * LIST [LIBRARYNAME pattern] [WITHCODE] | DUMP | RESTORE payload
 * [FLUSH|APPEND|REPLACE] | STATS | KILL | HELP
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { CommandError, syntaxError } from "../../errors.ts";
import { map, OK, set, simple } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { scriptingOf } from "../../scripting/runtime.ts";
import {
  dumpLibraries,
  parseDump,
  parseLibraryMetadata,
} from "../../scripting/functions.ts";
import { helpReply } from "../server/help.ts";
import { checkFlushMode } from "./script.ts";
import { globMatch } from "../../util/glob.ts";
import { asciiLower, latin1ToBytes } from "../../util/bytes.ts";

const writeTips = [
  "request_policy:all_shards",
  "response_policy:all_succeeded",
];

const load = defineCommand({
  name: "load",
  group: "scripting",
  summary:
    "Create a function with the given arguments (name, code, description)",
  since: "7.0.0",
  complexity: "O(1) (considering compilation time is redundant)",
  arity: -3,
  flags: ["write", "denyoom", "noscript"],
  acl: ["scripting"],
  tips: writeTips,
  docs: {
    arguments: [
      { name: "replace", type: "pure-token", token: "REPLACE", optional: true },
      { name: "function-code", type: "string" },
    ],
  },
  handler(ctx, args) {
    let replace = false;
    if (args.remaining > 1) {
      if (args.option() !== "replace") {
        throw new CommandError("ERR", `Unknown option given: ${ctx.argv[2]}`);
      }
      replace = true;
    }
    if (args.remaining !== 1) {
      throw new CommandError("ERR", "Function code is missing");
    }
    const name = scriptingOf(ctx.server).loadLibrary(args.next(), replace);
    ctx.dirty();
    return name;
  },
});

const del = defineCommand({
  name: "delete",
  group: "scripting",
  summary: "Delete a function by name",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "noscript"],
  acl: ["scripting"],
  tips: writeTips,
  docs: { arguments: [{ name: "library-name", type: "string" }] },
  handler(ctx, args) {
    scriptingOf(ctx.server).deleteLibrary(args.next());
    ctx.dirty();
    return OK;
  },
});

const flush = defineCommand({
  name: "flush",
  group: "scripting",
  summary: "Deleting all functions",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions deleted",
  arity: -2,
  flags: ["write", "noscript"],
  acl: ["scripting"],
  tips: writeTips,
  docs: {
    arguments: [{
      name: "async",
      type: "oneof",
      optional: true,
      arguments: [
        { name: "async", type: "pure-token", token: "ASYNC" },
        { name: "sync", type: "pure-token", token: "SYNC" },
      ],
    }],
  },
  handler(ctx, args) {
    checkFlushMode(args, "FUNCTION FLUSH only supports SYNC|ASYNC option");
    scriptingOf(ctx.server).flushFunctions();
    ctx.dirty();
    return OK;
  },
});

const list = defineCommand({
  name: "list",
  group: "scripting",
  summary: "List information about all the functions",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions",
  arity: -2,
  flags: ["noscript"],
  acl: ["scripting"],
  tips: ["nondeterministic_output_order"],
  docs: {
    arguments: [
      {
        name: "library-name-pattern",
        type: "string",
        token: "LIBRARYNAME",
        optional: true,
      },
      {
        name: "withcode",
        type: "pure-token",
        token: "WITHCODE",
        optional: true,
      },
    ],
  },
  handler(ctx, args) {
    let withCode = false;
    let pattern: string | undefined;
    while (args.more) {
      const word = args.next();
      const opt = asciiLower(word);
      if (opt === "withcode" && !withCode) {
        withCode = true;
      } else if (opt === "libraryname" && pattern === undefined) {
        if (!args.more) {
          throw new CommandError("ERR", "library name argument was not given");
        }
        pattern = args.next();
      } else {
        throw new CommandError("ERR", `Unknown argument ${word}`);
      }
    }
    const out: Reply[] = [];
    for (const lib of scriptingOf(ctx.server).libraries.values()) {
      if (pattern !== undefined && !globMatch(pattern, lib.name, true)) {
        continue;
      }
      const fns: Reply[] = [];
      for (const f of lib.functions.values()) {
        fns.push(map([
          "name",
          f.name,
          "description",
          f.description,
          "flags",
          set([...f.flags].map(simple)),
        ]));
      }
      const entry: Reply[] = [
        "library_name",
        lib.name,
        "engine",
        "LUA",
        "functions",
        fns,
      ];
      if (withCode) entry.push("library_code", lib.code);
      out.push(map(entry));
    }
    return out;
  },
});

const dump = defineCommand({
  name: "dump",
  group: "scripting",
  summary: "Dump all functions into a serialized binary payload",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions",
  arity: 2,
  flags: ["noscript"],
  acl: ["scripting"],
  handler(ctx) {
    return dumpLibraries(scriptingOf(ctx.server).functions.libraries());
  },
});

const restore = defineCommand({
  name: "restore",
  group: "scripting",
  summary: "Restore all the functions on the given payload",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions on the payload",
  arity: -3,
  flags: ["write", "denyoom", "noscript"],
  acl: ["scripting"],
  tips: writeTips,
  docs: {
    arguments: [
      { name: "serialized-value", type: "string" },
      {
        name: "policy",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "flush", type: "pure-token", token: "FLUSH" },
          { name: "append", type: "pure-token", token: "APPEND" },
          { name: "replace", type: "pure-token", token: "REPLACE" },
        ],
      },
    ],
  },
  handler(ctx, args) {
    const payload = latin1ToBytes(args.next());
    let policy = "append";
    if (args.more) {
      policy = args.option();
      if (!["flush", "append", "replace"].includes(policy)) {
        throw new CommandError(
          "ERR",
          "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
        );
      }
    }
    if (args.more) throw syntaxError();
    const codes = parseDump(payload);
    const s = scriptingOf(ctx.server);
    const names = codes.map((c) => parseLibraryMetadata(c).name);
    if (policy === "append") {
      for (const name of names) {
        if (s.libraries.has(name)) {
          throw new CommandError("ERR", `Library ${name} already exists`);
        }
      }
    }
    // All or nothing: on a failure the libraries as they were come back.
    const before = s.functions.libraries();
    if (policy === "flush") s.flushFunctions();
    try {
      for (const code of codes) s.loadLibrary(code, policy !== "append");
    } catch (e) {
      s.flushFunctions();
      for (const code of before) s.loadLibrary(code, true);
      throw e;
    }
    ctx.dirty();
    return OK;
  },
});

const stats = defineCommand({
  name: "stats",
  group: "scripting",
  summary:
    "Return information about the function currently running (name, description, duration)",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["noscript", "allow_busy"],
  acl: ["scripting"],
  tips: [
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
  ],
  handler(ctx) {
    const s = scriptingOf(ctx.server);
    const running = s.runningFunction();
    let functions = 0;
    for (const lib of s.libraries.values()) functions += lib.functions.size;
    return map([
      "running_script",
      running === undefined ? null : map([
        "name",
        running.name,
        "command",
        running.command,
        "duration_ms",
        running.durationMs,
      ]),
      "engines",
      map([
        "LUA",
        map([
          "libraries_count",
          s.libraries.size,
          "functions_count",
          functions,
        ]),
      ]),
    ]);
  },
});

const kill = defineCommand({
  name: "kill",
  group: "scripting",
  summary: "Kill the function currently in execution.",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["noscript", "allow_busy"],
  acl: ["scripting"],
  tips: ["request_policy:all_shards", "response_policy:one_succeeded"],
  handler(ctx) {
    scriptingOf(ctx.server).kill("function");
    return OK;
  },
});

const help = defineCommand({
  name: "help",
  group: "scripting",
  summary: "Show helpful text about the different subcommands",
  since: "7.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["scripting"],
  handler() {
    return helpReply("FUNCTION", [
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
      "      libraries with the new libraries (notice that even on this option there is a chance of failure",
      "      in case of functions name collision with another library).",
    ]);
  },
});

/** FUNCTION: libraries of functions. */
export const functionCommand = defineCommand({
  name: "function",
  group: "scripting",
  summary: "A container for function commands",
  since: "7.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [load, help, kill, dump, restore, del, list, flush, stats],
});
