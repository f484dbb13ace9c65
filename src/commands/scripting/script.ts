/**
 * SCRIPT LOAD | EXISTS | FLUSH [ASYNC|SYNC] | KILL | DEBUG | HELP
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import type { Args } from "../args.ts";
import { CommandError } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { scriptingOf } from "../../scripting/runtime.ts";
import { helpReply } from "../server/help.ts";
import { asciiLower } from "../../util/bytes.ts";

/**
 * Checks SCRIPT FLUSH's and FUNCTION FLUSH's optional ASYNC or SYNC (both
 * flush at once either way): any other word, or one more, is an error with
 * `message` (Redis words the two differently).
 */
export function checkFlushMode(args: Args, message: string): void {
  if (args.more) {
    const mode = args.option();
    if ((mode !== "async" && mode !== "sync") || args.more) {
      throw new CommandError("ERR", message);
    }
  }
}

const load = defineCommand({
  name: "load",
  group: "scripting",
  summary: "Load the specified Lua script into the script cache.",
  since: "2.6.0",
  complexity: "O(N) with N being the length in bytes of the script body.",
  arity: 3,
  flags: ["noscript", "stale"],
  acl: ["scripting"],
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  docs: { arguments: [{ name: "script", type: "string" }] },
  handler(ctx, args) {
    return scriptingOf(ctx.server).cacheScript(args.next()).sha;
  },
});

const exists = defineCommand({
  name: "exists",
  group: "scripting",
  summary: "Check existence of scripts in the script cache.",
  since: "2.6.0",
  complexity:
    "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
  arity: -3,
  flags: ["noscript"],
  acl: ["scripting"],
  tips: ["request_policy:all_shards", "response_policy:agg_logical_and"],
  docs: { arguments: [{ name: "sha1", type: "string", multiple: true }] },
  handler(ctx, args) {
    const scripts = scriptingOf(ctx.server).scripts;
    return args.rest().map((sha) => scripts.has(asciiLower(sha)) ? 1 : 0);
  },
});

const flush = defineCommand({
  name: "flush",
  group: "scripting",
  summary: "Remove all the scripts from the script cache.",
  since: "2.6.0",
  complexity: "O(N) with N being the number of scripts in cache",
  arity: -2,
  flags: ["noscript"],
  acl: ["scripting"],
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  docs: {
    history: [[
      "6.2.0",
      "Added the `ASYNC` and `SYNC` flushing mode modifiers.",
    ]],
    arguments: [{
      name: "async",
      type: "oneof",
      since: "6.2.0",
      optional: true,
      arguments: [
        { name: "async", type: "pure-token", token: "ASYNC" },
        { name: "sync", type: "pure-token", token: "SYNC" },
      ],
    }],
  },
  handler(ctx, args) {
    checkFlushMode(args, "SCRIPT FLUSH only support SYNC|ASYNC option");
    scriptingOf(ctx.server).flushScripts();
    return OK;
  },
});

const kill = defineCommand({
  name: "kill",
  group: "scripting",
  summary: "Kill the script currently in execution.",
  since: "2.6.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["noscript", "allow_busy"],
  acl: ["scripting"],
  tips: ["request_policy:all_shards", "response_policy:one_succeeded"],
  handler(ctx) {
    scriptingOf(ctx.server).kill("eval");
    return OK;
  },
});

const debug = defineCommand({
  name: "debug",
  group: "scripting",
  summary: "Set the debug mode for executed scripts.",
  since: "3.2.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["noscript"],
  acl: ["scripting"],
  docs: {
    arguments: [{
      name: "mode",
      type: "oneof",
      arguments: [
        { name: "yes", type: "pure-token", token: "YES" },
        { name: "sync", type: "pure-token", token: "SYNC" },
        { name: "no", type: "pure-token", token: "NO" },
      ],
    }],
  },
  handler(_ctx, args) {
    const mode = args.option();
    if (mode === "no") return OK;
    if (mode === "yes" || mode === "sync") {
      throw new CommandError(
        "ERR",
        "The Lua debugger is not available in tsredis",
      );
    }
    throw new CommandError("ERR", "Use SCRIPT DEBUG YES/SYNC/NO");
  },
});

const help = defineCommand({
  name: "help",
  group: "scripting",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  acl: ["scripting"],
  handler() {
    return helpReply("SCRIPT", [
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
    ]);
  },
});

/** SCRIPT: the script cache. */
export const script = defineCommand({
  name: "script",
  group: "scripting",
  summary: "A container for Lua scripts management commands",
  since: "2.6.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [flush, exists, debug, load, help, kill],
});
