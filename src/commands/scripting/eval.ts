/**
 * EVAL script numkeys [key ...] [arg ...]
 * EVALSHA sha1 numkeys [key ...] [arg ...]
 * EVAL_RO, EVALSHA_RO: the same, refusing writes.
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { CommandError, noScript } from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import type { Args } from "../args.ts";
import type { Context, KeySpec } from "../types.ts";
import {
  errorFromReply,
  isUncountedError,
  scriptingOf,
} from "../../scripting/runtime.ts";
import { asciiLower } from "../../util/bytes.ts";
import { feedMonitors } from "../introspection/monitor.ts";

/** The key spec of the script commands: numkeys at 2, then the keys. */
export function scriptKeys(readOnly: boolean, notes: boolean): KeySpec {
  return {
    flags: readOnly ? ["RO", "ACCESS"] : ["RW", "ACCESS", "UPDATE"],
    begin: { index: 2 },
    find: { keynum: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ...(notes
      ? {
        notes:
          `We cannot tell how the keys will be used so we assume the worst, ${
            readOnly ? "RO and ACCESS" : "RW and UPDATE"
          }`,
      }
      : {}),
  };
}

/**
 * Reads numkeys, the keys and the arguments of EVAL and FCALL (`notNumber`:
 * the error for a numkeys that is no integer, FCALL's own).
 */
export function keysAndArgs(
  args: Args,
  notNumber?: () => CommandError,
): { keys: string[]; argv: string[] } {
  const numkeys = args.int(notNumber);
  if (numkeys > BigInt(args.remaining)) {
    throw new CommandError(
      "ERR",
      "Number of keys can't be greater than number of args",
    );
  }
  if (numkeys < 0n) {
    throw new CommandError("ERR", "Number of keys can't be negative");
  }
  const rest = args.rest();
  const n = Number(numkeys);
  return { keys: rest.slice(0, n), argv: rest.slice(n) };
}

/**
 * MONITOR shows EVAL and FCALL (flagged skip_monitor) before the commands
 * their script runs, as Redis does.
 */
export function showToMonitors(ctx: Context): void {
  feedMonitors(ctx.server, ctx.client, ctx.argv);
}

/**
 * A script's reply, with its error thrown so INFO errorstats count it; an
 * error counted already (the failed command's) is returned as it is, and
 * only counts as a failed call.
 */
export function scriptReply(ctx: Context, r: Reply): Reply {
  const error = errorFromReply(r);
  if (error !== undefined) throw error;
  if (isUncountedError(r)) ctx.command.stats.failedCalls++;
  return r;
}

function evalBody(ctx: Context, args: Args, readOnly: boolean): Reply {
  showToMonitors(ctx);
  const body = args.next();
  const { keys, argv } = keysAndArgs(args);
  const s = scriptingOf(ctx.server);
  const script = s.cacheScript(body);
  return scriptReply(ctx, s.runScript(ctx, script, keys, argv, readOnly));
}

function evalSha(ctx: Context, args: Args, readOnly: boolean): Reply {
  showToMonitors(ctx);
  const sha = asciiLower(args.next());
  // Redis answers a SHA of the wrong length before it reads numkeys.
  if (sha.length !== 40) throw noScript();
  const { keys, argv } = keysAndArgs(args);
  const s = scriptingOf(ctx.server);
  const script = s.scripts.get(sha);
  if (script === undefined) throw noScript();
  return scriptReply(ctx, s.runScript(ctx, script, keys, argv, readOnly));
}

/**
 * COMMAND DOCS arguments of EVAL, EVALSHA and FCALL (and their _RO forms):
 * `first` (the script, its SHA-1 or the function), numkeys, keys, args.
 */
export const callDocs = (first: string) => ({
  arguments: [
    { name: first, type: "string" as const },
    { name: "numkeys", type: "integer" as const },
    {
      name: "key",
      type: "key" as const,
      keySpecIndex: 0,
      optional: true,
      multiple: true,
    },
    { name: "arg", type: "string" as const, optional: true, multiple: true },
  ],
});

/** EVAL: runs a script (and caches it). */
export const evalCommand = defineCommand({
  name: "eval",
  group: "scripting",
  summary: "Execute a Lua script server side",
  since: "2.6.0",
  complexity: "Depends on the script that is executed.",
  arity: -3,
  flags: ["noscript", "stale", "skip_monitor", "no_mandatory_keys"],
  acl: ["scripting"],
  keys: [scriptKeys(false, true)],
  docs: callDocs("script"),
  handler: (ctx, args) => evalBody(ctx, args, false),
});

/** EVALSHA: runs a cached script. */
export const evalsha = defineCommand({
  name: "evalsha",
  group: "scripting",
  summary: "Execute a Lua script server side",
  since: "2.6.0",
  complexity: "Depends on the script that is executed.",
  arity: -3,
  flags: ["noscript", "stale", "skip_monitor", "no_mandatory_keys"],
  acl: ["scripting"],
  keys: [scriptKeys(false, false)],
  docs: callDocs("sha1"),
  handler: (ctx, args) => evalSha(ctx, args, false),
});

/** EVAL_RO: runs a script that may not write. */
export const evalRo = defineCommand({
  name: "eval_ro",
  group: "scripting",
  summary: "Execute a read-only Lua script server side",
  since: "7.0.0",
  complexity: "Depends on the script that is executed.",
  arity: -3,
  flags: ["readonly", "noscript", "stale", "skip_monitor", "no_mandatory_keys"],
  acl: ["scripting"],
  keys: [scriptKeys(true, true)],
  docs: callDocs("script"),
  handler: (ctx, args) => evalBody(ctx, args, true),
});

/** EVALSHA_RO: runs a cached script that may not write. */
export const evalshaRo = defineCommand({
  name: "evalsha_ro",
  group: "scripting",
  summary: "Execute a read-only Lua script server side",
  since: "7.0.0",
  complexity: "Depends on the script that is executed.",
  arity: -3,
  flags: ["readonly", "noscript", "stale", "skip_monitor", "no_mandatory_keys"],
  acl: ["scripting"],
  keys: [scriptKeys(true, false)],
  docs: callDocs("sha1"),
  handler: (ctx, args) => evalSha(ctx, args, true),
});
