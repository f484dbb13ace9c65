/**
 * CLIENT PAUSE timeout [WRITE | ALL], CLIENT UNPAUSE, CLIENT REPLY ON|OFF|SKIP.
 *
 * A pause holds commands back instead of refusing them: a paused client's
 * command waits, in order, until the pause ends (its time runs out or
 * CLIENT UNPAUSE). `ALL` holds every command, the pausing client's own
 * included; `WRITE` holds commands that may write or propagate (and an
 * EXEC whose queue has one). While writes are paused, expired keys are not
 * deleted, so nothing changes the dataset, as in Redis.
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import {
  CommandError,
  subcommandSyntaxError,
  syntaxError,
} from "../../errors.ts";
import { NO_REPLY, OK } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/types.ts";
import type { Client } from "../../client.ts";
import type { ServerState } from "../../state.ts";
import { resolveCommand } from "../dispatch.ts";

const timers = new WeakMap<ServerState, ReturnType<typeof setTimeout>>();

/** True while a pause holds back commands of kind `all` (or any pause for writes). */
export function writesPaused(server: ServerState): boolean {
  return server.pause !== undefined && server.clock.now() < server.pause.until;
}

function endPause(server: ServerState): void {
  const timer = timers.get(server);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(server);
  server.endPause();
}

/**
 * Whether `argv` from `client` must wait for the pause to end. Commands
 * that dispatch would refuse anyway (unknown, wrong arity) are not held.
 */
export function heldByPause(
  server: ServerState,
  client: Client,
  argv: Argv,
): boolean {
  const pause = server.pause;
  if (pause === undefined) return false;
  if (server.clock.now() >= pause.until) {
    endPause(server);
    return false;
  }
  if (client.internal) return false;
  const cmd = resolveCommand(server, argv);
  if (cmd instanceof CommandError) return false;
  const arity = cmd.arity;
  if (
    (arity > 0 && argv.length !== arity) || (arity < 0 && argv.length < -arity)
  ) return false;
  const held = pause.all || cmd.isWrite || cmd.flags.has("may_replicate") ||
    (cmd.name === "exec" && client.multi !== undefined &&
      client.multi.queue.some(({ command }) =>
        command.isWrite || command.flags.has("may_replicate")
      ));
  // Redis has looked the command up already: CLIENT LIST shows it.
  if (held) client.lastCommand = cmd.fullName;
  return held;
}

/** Remembers a client whose next command waits for the pause to end. */
export function waitForPause(server: ServerState, client: Client): void {
  server.pauseWaiters.add(client);
}

/** CLIENT PAUSE */
export const pause = defineCommand({
  name: "pause",
  group: "connection",
  summary: "Stop processing commands from clients for some time",
  since: "2.9.50",
  complexity: "O(1)",
  arity: -3,
  flags: ["admin", "noscript", "loading", "stale"],
  acl: ["connection"],
  docs: {
    history: [[
      "6.2.0",
      "`CLIENT PAUSE WRITE` mode added along with the `mode` option.",
    ]],
    arguments: [
      { name: "timeout", type: "integer" },
      {
        name: "mode",
        type: "oneof",
        since: "6.2.0",
        optional: true,
        arguments: [
          { name: "write", type: "pure-token", token: "WRITE" },
          { name: "all", type: "pure-token", token: "ALL" },
        ],
      },
    ],
  },
  handler(ctx, args) {
    const timeoutError = () =>
      new CommandError("ERR", "timeout is not an integer or out of range");
    const ms = args.long(timeoutError);
    if (ms < 0) throw new CommandError("ERR", "timeout is negative");
    let all = true;
    if (args.more) {
      const mode = args.option();
      if (mode === "write") all = false;
      else if (mode !== "all") {
        throw new CommandError("ERR", "CLIENT PAUSE mode must be WRITE or ALL");
      }
    }
    if (args.more) throw subcommandSyntaxError(ctx.argv[1]!, ctx.argv[0]!);
    const server = ctx.server;
    const until = server.clock.now() + ms;
    const current = server.pause;
    // A second pause keeps the later end and the stronger mode.
    server.pause = {
      until: current === undefined ? until : Math.max(until, current.until),
      all: all || (current?.all ?? false),
    };
    const timer = timers.get(server);
    if (timer !== undefined) clearTimeout(timer);
    timers.set(
      server,
      setTimeout(
        () => endPause(server),
        Math.max(0, server.pause.until - server.clock.now()),
      ),
    );
    return OK;
  },
});

/** CLIENT UNPAUSE */
export const unpause = defineCommand({
  name: "unpause",
  group: "connection",
  summary: "Resume processing of clients that were paused",
  since: "6.2.0",
  complexity: "O(N) Where N is the number of paused clients",
  arity: 2,
  flags: ["admin", "noscript", "loading", "stale"],
  acl: ["connection"],
  handler(ctx) {
    endPause(ctx.server);
    return OK;
  },
});

/** CLIENT REPLY */
export const reply = defineCommand({
  name: "reply",
  group: "connection",
  summary: "Instruct the server whether to reply to commands",
  since: "3.2.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["noscript", "loading", "stale"],
  acl: ["connection"],
  docs: {
    arguments: [{
      name: "on_off_skip",
      type: "oneof",
      arguments: [
        { name: "on", type: "pure-token", token: "ON" },
        { name: "off", type: "pure-token", token: "OFF" },
        { name: "skip", type: "pure-token", token: "SKIP" },
      ],
    }],
  },
  handler(ctx, args) {
    const client = ctx.client;
    const mode = args.option();
    if (mode === "on") {
      client.replyMode = "on";
      client.skipNextReply = false;
      return OK;
    }
    if (mode === "off") {
      client.replyMode = "off";
      return NO_REPLY;
    }
    if (mode === "skip") {
      if (client.replyMode !== "off") client.skipNextReply = true;
      return NO_REPLY;
    }
    throw syntaxError();
  },
});
