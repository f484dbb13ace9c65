/**
 * MODULE LIST | LOAD path [arg ...] | LOADEX path [CONFIG name value ...] [ARGS arg ...] | UNLOAD name | HELP
 *
 * tsredis cannot load Redis modules (native shared objects), so it answers
 * as a Redis with no module loaded and every load failing does: LIST is
 * empty, LOAD and LOADEX log why and fail, UNLOAD finds nothing.
 *
 * @module
 */
import { CommandError } from "../../errors.ts";
import { log } from "../../log.ts";
import { defineCommand } from "../define.ts";
import { helpReply } from "./help.ts";

const HELP = [
  "LIST",
  "    Return a list of loaded modules.",
  "LOAD <path> [<arg> ...]",
  "    Load a module library from <path>, passing to it any optional arguments.",
  "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
  "    Load a module library from <path>, while passing it module configurations and optional arguments.",
  "UNLOAD <name>",
  "    Unload a module.",
];

// Redis logs dlopen's reason and answers this one text for every failure.
function loadFailed(path: string): CommandError {
  log.warning(`Module ${path} failed to load: ${whyNotLoadable(path)}`);
  return new CommandError(
    "ERR",
    "Error loading the extension. Please check the server logs.",
  );
}

// What redis-server logs for the same path: its own execute-permission
// check, then dlopen's error.
function whyNotLoadable(path: string): string {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    return `${path}: cannot open shared object file: No such file or directory`;
  }
  if (((info.mode ?? 0) & 0o111) === 0) {
    return "It does not have execute permissions.";
  }
  return `${path}: tsredis cannot load Redis modules (native shared objects)`;
}

const list = defineCommand({
  name: "list",
  group: "server",
  summary: "List all modules loaded by the server",
  since: "4.0.0",
  complexity: "O(N) where N is the number of loaded modules.",
  arity: 2,
  flags: ["admin", "noscript"],
  tips: ["nondeterministic_output_order"],
  handler() {
    return [];
  },
});

const load = defineCommand({
  name: "load",
  group: "server",
  summary: "Load a module",
  since: "4.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["admin", "noscript", "no_async_loading", "protected"],
  docs: {
    arguments: [
      { name: "path", type: "string" },
      { name: "arg", type: "string", optional: true, multiple: true },
    ],
  },
  handler(ctx) {
    throw loadFailed(ctx.argv[2]!);
  },
});

const loadex = defineCommand({
  name: "loadex",
  group: "server",
  summary: "Load a module with extended parameters",
  since: "7.0.0",
  complexity: "O(1)",
  arity: -3,
  flags: ["admin", "noscript", "no_async_loading", "protected"],
  docs: {
    arguments: [
      { name: "path", type: "string" },
      {
        name: "configs",
        type: "block",
        token: "CONFIG",
        optional: true,
        multiple: true,
        multipleToken: true,
        arguments: [
          { name: "name", type: "string" },
          { name: "value", type: "string" },
        ],
      },
      {
        name: "args",
        type: "block",
        token: "ARGS",
        optional: true,
        multiple: true,
        arguments: [{ name: "arg", type: "string" }],
      },
    ],
  },
  handler(ctx) {
    throw loadFailed(ctx.argv[2]!);
  },
});

const unload = defineCommand({
  name: "unload",
  group: "server",
  summary: "Unload a module",
  since: "4.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "noscript", "no_async_loading", "protected"],
  docs: { arguments: [{ name: "name", type: "string" }] },
  handler() {
    throw new CommandError(
      "ERR",
      "Error unloading module: no such module with that name",
    );
  },
});

const help = defineCommand({
  name: "help",
  group: "server",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  handler() {
    return helpReply("MODULE", HELP);
  },
});

/** MODULE: module management, answered as by a Redis with no modules. */
export const module = defineCommand({
  name: "module",
  group: "server",
  summary: "A container for module commands",
  since: "4.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [help, list, load, loadex, unload],
});
