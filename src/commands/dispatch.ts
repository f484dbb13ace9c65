/**
 * The single command pipeline: look up, check arity, authentication and
 * state gates, queue inside MULTI, run the handler, propagate, count.
 *
 * Everything that executes a command (connections, EXEC, blocked clients
 * being served, AOF loading, the replication link) goes through here.
 *
 * @module
 */
import {
  CommandError,
  execAbortBecause,
  noAuth,
  oneLine,
  unknownCommand,
  unknownSubcommand,
  wrongArity,
} from "../errors.ts";
import { writeReply } from "../protocol/encoder.ts";
import { QUEUED } from "../protocol/reply.ts";
import type { Argv, Reply, ReplyNode } from "../protocol/types.ts";
import type { Database, WriteObserver } from "../store/database.ts";
import type { Client } from "../client.ts";
import type { ServerState } from "../state.ts";
import { log } from "../log.ts";
import { asciiLower } from "../util/bytes.ts";
import { Args } from "./args.ts";
import { getKeys } from "./keys.ts";
import { discardTransaction } from "./transactions/multi.ts";
import type { BlockOptions, Command, Context } from "./types.ts";

/** Returned by `ctx.block()`: dispatch parks the client instead of replying. */
export const BLOCKED: ReplyNode = Object.freeze({ kind: "none" }) as ReplyNode;

/** The per-client context handed to handlers. */
class CommandContext implements Context {
  readonly server: ServerState;
  readonly client: Client;
  db: Database;
  argv: Argv = [];
  command!: Command;
  readonly args = new Args();
  dirtyCount = 0;
  propagated: Argv[] | undefined;
  blockRequest: BlockOptions | undefined;
  /** False while EXEC runs queued commands, and for internal clients. */
  blockingAllowed: boolean;
  /** The key being served while a blocked client reruns (see blocking.ts). */
  readyKey: string | undefined = undefined;

  constructor(server: ServerState, client: Client) {
    this.server = server;
    this.client = client;
    this.db = server.db(client.db);
    this.blockingAllowed = !client.internal;
  }

  dirty(n = 1): void {
    this.dirtyCount += n;
  }

  propagateAs(argv: Argv): void {
    (this.propagated ??= []).push(argv);
  }

  block(options: BlockOptions): Reply {
    if (!this.blockingAllowed) return options.timeoutReply;
    this.blockRequest = options;
    return BLOCKED;
  }

  notify(type: number, event: string, key: string): void {
    if (this.server.eventSinks.length !== 0) {
      this.server.notify(type, event, key, this.db.id);
    }
  }
}

/** The context of `client` (created on first use). */
export function contextOf(server: ServerState, client: Client): CommandContext {
  let ctx = client.context as CommandContext | undefined;
  if (ctx === undefined) {
    ctx = new CommandContext(server, client);
    client.context = ctx;
  }
  return ctx;
}

/** Finds a command by name as the client typed it (any case). */
export function lookupCommand(
  server: ServerState,
  name: string,
): Command | undefined {
  return server.commands.get(name) ?? server.commands.get(asciiLower(name));
}

/**
 * Finds the command and subcommand `argv` names. Returns the command, or a
 * rejection error (unknown command, unknown subcommand).
 */
export function resolveCommand(
  server: ServerState,
  argv: Argv,
): Command | CommandError {
  const cmd = lookupCommand(server, argv[0]!);
  if (cmd === undefined) return unknownCommand(argv[0]!, argv.slice(1));
  if (cmd.subcommands === undefined || argv.length < 2) return cmd;
  const sub = cmd.subcommands.get(asciiLower(argv[1]!));
  return sub ?? unknownSubcommand(argv[1]!, argv[0]!);
}

/**
 * What client-side caching (src/tracking/) hears from the pipeline. Set
 * once some client turns CLIENT TRACKING on; until then each command pays
 * one branch for it.
 */
export interface TrackingHooks {
  /** `client` sent a command (Redis's server.current_client). */
  begin(server: ServerState, client: Client): void;
  /** The command `client` sent was processed and its reply written. */
  end(server: ServerState, client: Client, argv: Argv): void;
  /** `client` starts running a command; returns whoever was running one before (scripts nest). */
  enter(server: ServerState, client: Client): Client | undefined;
  /** `client` ran `cmd`: a read-only command's keys are remembered. */
  leave(
    server: ServerState,
    client: Client,
    cmd: Command,
    argv: Argv,
    previous: Client | undefined,
  ): void;
}

/** Hooks that modules add to the pipeline without dispatch importing them. */
export const pipelineHooks = {
  /** Client-side caching, once some client tracks keys (see `TrackingHooks`). */
  tracking: undefined as TrackingHooks | undefined,
  /**
   * Checks run before a command executes (ACL, OOM, read-only replica,
   * pub/sub context). Each returns an error to reject the command.
   */
  gates: [] as ((
    server: ServerState,
    client: Client,
    cmd: Command,
    argv: Argv,
  ) => CommandError | undefined)[],
  /**
   * Checks EXEC runs on each queued command right before running it (ACL
   * rules may have changed since it was queued). Each returns the error
   * reply to put in the command's place, or undefined to run it.
   */
  execGates: [] as ((
    server: ServerState,
    client: Client,
    cmd: Command,
    argv: Argv,
  ) => ReplyNode | undefined)[],
  /** Called when a client's command blocked (BLOCKED was returned). */
  onBlock: (_ctx: Context, _options: BlockOptions): void => {
    throw new Error("Blocking commands are not available");
  },
  /** Called after each top-level command, to serve clients blocked on ready keys. */
  afterCommand: (_server: ServerState): void => {},
  /** Called for every command executed, right after it ran (MONITOR). */
  observers: [] as ((
    server: ServerState,
    client: Client,
    cmd: Command,
    argv: Argv,
  ) => void)[],
  /**
   * Called with each command's duration (SLOWLOG, LATENCY). Inside a timed
   * batch the call comes when the batch ends, with the batch's time shared
   * among its commands.
   */
  timedObservers: [] as ((
    server: ServerState,
    client: Client,
    cmd: Command,
    argv: Argv,
    usec: number,
  ) => void)[],
};

/**
 * Timing of pipelined batches. Reading a high-resolution clock costs more
 * than a whole GET here, so when a client sends several commands at once
 * the batch is timed as a whole and its duration shared evenly among its
 * commands (INFO commandstats, SLOWLOG, LATENCY). A lone command is timed
 * on its own.
 */
const batch = {
  active: false,
  start: 0,
  clients: [] as Client[],
  commands: [] as Command[],
  argvs: [] as Argv[],
};

/** Starts timing a batch of commands as a whole (see `batch`). */
export function beginTimedBatch(): void {
  if (batch.active) return;
  batch.active = true;
  batch.start = performance.now();
}

/** Ends the batch: shares its duration among the commands it ran. */
export function endTimedBatch(server: ServerState): void {
  if (!batch.active) return;
  batch.active = false;
  const n = batch.commands.length;
  if (n === 0) return;
  const usec = Math.round(((performance.now() - batch.start) * 1000) / n);
  const observers = pipelineHooks.timedObservers;
  for (let i = 0; i < n; i++) {
    const cmd = batch.commands[i]!;
    cmd.stats.usec += usec;
    for (let j = 0; j < observers.length; j++) {
      observers[j]!(server, batch.clients[i]!, cmd, batch.argvs[i]!, usec);
    }
  }
  batch.clients.length = 0;
  batch.commands.length = 0;
  batch.argvs.length = 0;
}

/**
 * Runs one command from `client` and appends its reply to `client.out`.
 * Never throws: every failure becomes an error reply.
 */
export function dispatch(
  server: ServerState,
  client: Client,
  argv: Argv,
): void {
  pipelineHooks.tracking?.begin(server, client);
  dispatchCommand(server, client, argv);
  const tracking = pipelineHooks.tracking;
  if (tracking !== undefined) tracking.end(server, client, argv);
  // CLIENT REPLY SKIP drops exactly the reply of the command after it.
  if (client.replyMode === "skip") client.replyMode = "on";
  if (client.skipNextReply) {
    client.skipNextReply = false;
    client.replyMode = "skip";
  }
}

function dispatchCommand(
  server: ServerState,
  client: Client,
  argv: Argv,
): void {
  client.commands++;
  const resolved = resolveCommand(server, argv);
  // CLIENT LIST `cmd`: the command a client last sent, looked up before
  // any check (NULL when unknown), as Redis's lastcmd; commands EXEC or a
  // blocked client's wake-up run leave it alone.
  client.lastCommand = resolved instanceof CommandError
    ? "NULL"
    : resolved.fullName;
  if (resolved instanceof CommandError) {
    if (isCrossProtocolAttack(argv[0]!)) {
      abortSuspectedAttack(server, client);
      return;
    }
    reject(server, client, undefined, resolved);
    return;
  }
  const cmd = resolved;
  const arity = cmd.arity;
  if (
    (arity > 0 && argv.length !== arity) || (arity < 0 && argv.length < -arity)
  ) {
    reject(server, client, cmd, wrongArity(cmd.fullName));
    return;
  }
  if (!client.authenticated && !cmd.noAuth) {
    reject(server, client, cmd, noAuth());
    return;
  }
  if (cmd.isProtected) {
    // DEBUG and MODULE each have their own enable-*-command switch.
    const name = (cmd.parent ?? cmd).name;
    const option = `enable-${name}-command`;
    const setting = server.config.get(option);
    const local = client.addr.startsWith("127.") ||
      client.addr.startsWith("[::1]") ||
      client.internal || client.unixSocket;
    if (setting === "no" || (setting === "local" && !local)) {
      reject(
        server,
        client,
        cmd,
        new CommandError(
          "ERR",
          `${name.toUpperCase()} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`,
        ),
      );
      return;
    }
  }
  const gates = pipelineHooks.gates;
  for (let i = 0; i < gates.length; i++) {
    const error = gates[i]!(server, client, cmd, argv);
    if (error !== undefined) {
      reject(server, client, cmd, error);
      return;
    }
  }
  if (client.multi !== undefined && !cmd.txControl) {
    if (cmd.flags.has("no_multi")) {
      reject(
        server,
        client,
        cmd,
        new CommandError("ERR", "Command not allowed inside a transaction"),
      );
      return;
    }
    client.multi.queue.push({ command: cmd, argv });
    reply(client, QUEUED);
    return;
  }
  const ctx = contextOf(server, client);
  const result = call(ctx, cmd, argv);
  if (result === BLOCKED) {
    pipelineHooks.onBlock(ctx, ctx.blockRequest!);
  } else {
    reply(client, result);
  }
  if (server.readyKeys.length !== 0) pipelineHooks.afterCommand(server);
}

/**
 * Runs a resolved, checked command and returns its reply (errors included
 * as error replies). Used by dispatch, EXEC and blocked-client wake-ups.
 */
export function call(ctx: CommandContext, cmd: Command, argv: Argv): Reply {
  const server = ctx.server;
  const client = ctx.client;
  ctx.argv = argv;
  ctx.command = cmd;
  ctx.dirtyCount = 0;
  ctx.propagated = undefined;
  ctx.blockRequest = undefined;
  ctx.db = server.db(client.db);
  const dbBefore = client.db;
  // A snapshot is running: keep the old values of the keys this command
  // may change in place, even through a read lookup (copy on write).
  const cow = ctx.db.cow;
  if (cow !== undefined && cmd.isWrite) preserveKeys(cow, ctx.db, cmd, argv);
  // CLIENT NO-TOUCH: this client's reads leave LRU/LFU data alone (TOUCH excepted).
  const noTouchDb = client.noTouch && cmd.name !== "touch" ? ctx.db : undefined;
  if (noTouchDb !== undefined) noTouchDb.noTouch = true;
  const timed = !batch.active;
  const start = timed ? performance.now() : 0;
  const tracking = pipelineHooks.tracking;
  const previous = tracking === undefined
    ? undefined
    : tracking.enter(server, client);
  let result: Reply;
  try {
    result = cmd.handler!(
      ctx,
      ctx.args.reset(argv, cmd.parent === undefined ? 1 : 2),
    );
  } catch (e) {
    result = failure(server, cmd, e);
  }
  if (tracking !== undefined) {
    tracking.leave(server, client, cmd, argv, previous);
  }
  if (noTouchDb !== undefined) noTouchDb.noTouch = false;
  // As Redis 7.0 counts a blocking command: the call that blocks is the
  // one call (commandstats, total_commands_processed); the rerun that
  // serves it adds its time and, if it fails, the failure; SLOWLOG and
  // LATENCY see the command when it is served.
  const parked = result === BLOCKED;
  if (ctx.readyKey === undefined) {
    server.stats.totalCommands++;
    cmd.stats.calls++;
  }
  if (ctx.dirtyCount > 0) {
    server.dirty += ctx.dirtyCount;
    if (server.sinks.length !== 0) {
      const db = ctx.propagated === undefined ? dbBefore : ctx.db.id;
      const batch = server.beginPropagationBatch();
      for (const p of ctx.propagated ?? [argv]) server.propagate(db, p);
      server.endPropagationBatch(batch);
    }
  }
  const observers = pipelineHooks.observers;
  for (let i = 0; i < observers.length; i++) {
    observers[i]!(server, client, cmd, argv);
  }
  // A parked command is timed when it is served, as Redis times it.
  if (parked) return result;
  if (timed) {
    const usec = Math.round((performance.now() - start) * 1000);
    cmd.stats.usec += usec;
    const timedObservers = pipelineHooks.timedObservers;
    for (let i = 0; i < timedObservers.length; i++) {
      timedObservers[i]!(server, client, cmd, argv, usec);
    }
  } else {
    batch.clients.push(client);
    batch.commands.push(cmd);
    batch.argvs.push(argv);
  }
  return result;
}

function preserveKeys(
  cow: WriteObserver,
  db: Database,
  cmd: Command,
  argv: Argv,
): void {
  for (const ref of getKeys(cmd, argv)) cow.beforeWrite(db, argv[ref.pos]!);
}

function failure(server: ServerState, cmd: Command, e: unknown): ReplyNode {
  cmd.stats.failedCalls++;
  if (e instanceof CommandError) {
    server.countError(e.code);
    return { kind: "error", line: oneLine(e.line) };
  }
  // Anything else is a bug in tsredis: keep serving, but make it visible.
  log.warning(
    `Internal error in '${cmd.fullName}': ${e instanceof Error ? e.stack : e}`,
  );
  server.countError("ERR");
  server.stats.unexpectedErrorReplies++;
  return {
    kind: "error",
    line: `ERR internal error in tsredis while running '${cmd.fullName}'`,
  };
}

/**
 * True for the first word of an HTTP request (`POST`, a `Host:` header): a
 * web page making a browser talk to Redis (cross-protocol scripting).
 */
function isCrossProtocolAttack(name: string): boolean {
  return (name.length === 4 && asciiLower(name) === "post") ||
    (name.length === 5 && asciiLower(name) === "host:");
}

// When each server last logged an attack.
const lastAttackLog = new WeakMap<ServerState, number>();

// Redis's securityWarningCommand: drop the connection without running
// anything else it sent and without a reply, and log at most once a minute.
function abortSuspectedAttack(server: ServerState, client: Client): void {
  const now = server.clock.now();
  if (now - (lastAttackLog.get(server) ?? -Infinity) > 60_000) {
    lastAttackLog.set(server, now);
    log.warning(
      "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.",
    );
  }
  client.closeAfterReply = true;
  client.close("suspected cross-protocol attack");
}

/** Sends an error for a command that was refused before running. */
function reject(
  server: ServerState,
  client: Client,
  cmd: Command | undefined,
  error: CommandError,
): void {
  if (cmd !== undefined) cmd.stats.rejectedCalls++;
  // A rejected command inside MULTI makes EXEC fail (EXECABORT).
  if (client.multi !== undefined) client.multi.aborted = true;
  // EXEC itself refused (arity, NOAUTH, ...) discards the transaction and
  // says why, in or out of MULTI (Redis's rejectCommand/execCommandAbort).
  if (
    cmd !== undefined && cmd.name === "exec" && cmd.parent === undefined &&
    error.code !== "EXECABORT"
  ) {
    discardTransaction(client);
    // Redis's own refusals of the ERR kind carry no code there.
    error = execAbortBecause(error, error.code === "ERR");
  }
  server.countError(error.code);
  reply(client, { kind: "error", line: oneLine(error.line) });
}

/** Appends `r` to the client's output, honouring CLIENT REPLY OFF/SKIP. */
export function reply(client: Client, r: Reply): void {
  if (client.replyMode !== "on") return;
  writeReply(client.out, r, client.protocol);
}

export type { CommandContext };
