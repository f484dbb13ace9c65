/**
 * FCALL function numkeys [key ...] [arg ...]
 * FCALL_RO function numkeys [key ...] [arg ...]
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { badNumberOfKeys, CommandError } from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import type { Args } from "../args.ts";
import type { Context } from "../types.ts";
import { scriptingOf } from "../../scripting/runtime.ts";
import {
  callDocs,
  keysAndArgs,
  scriptKeys,
  scriptReply,
  showToMonitors,
} from "./eval.ts";

function fcall(ctx: Context, args: Args, readOnly: boolean): Reply {
  showToMonitors(ctx);
  const name = args.next();
  // As in Redis: the function first, then numkeys, with FCALL's own text.
  const s = scriptingOf(ctx.server);
  const fn = s.functionIndex.get(name);
  if (fn === undefined) throw new CommandError("ERR", "Function not found");
  const { keys, argv } = keysAndArgs(args, badNumberOfKeys);
  return scriptReply(ctx, s.runFunction(ctx, fn, keys, argv, readOnly));
}

const docs = callDocs("function");

/** FCALL: runs a library function. */
export const fcallCommand = defineCommand({
  name: "fcall",
  group: "scripting",
  summary: "Invoke a function",
  since: "7.0.0",
  complexity: "Depends on the function that is executed.",
  arity: -3,
  flags: ["noscript", "stale", "skip_monitor", "no_mandatory_keys"],
  acl: ["scripting"],
  keys: [scriptKeys(false, true)],
  docs,
  handler: (ctx, args) => fcall(ctx, args, false),
});

/** FCALL_RO: runs a library function flagged no-writes. */
export const fcallRo = defineCommand({
  name: "fcall_ro",
  group: "scripting",
  summary: "Invoke a read-only function",
  since: "7.0.0",
  complexity: "Depends on the function that is executed.",
  arity: -3,
  flags: ["readonly", "noscript", "stale", "skip_monitor", "no_mandatory_keys"],
  acl: ["scripting"],
  keys: [scriptKeys(true, true)],
  docs,
  handler: (ctx, args) => fcall(ctx, args, true),
});
