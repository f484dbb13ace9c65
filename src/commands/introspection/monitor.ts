/**
 * MONITOR: streams every command the server runs to monitoring clients, in
 * Redis's line format: `+1700000000.123456 [0 127.0.0.1:51234] "SET" "k" "v"`.
 *
 * Administrative commands and those flagged `skip_monitor` are not shown;
 * arguments a command marks as secret (AUTH passwords) show as
 * `(redacted)`. A monitoring client may only run commands that do not touch
 * the keyspace, as in Redis.
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { CommandError, commandError } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/types.ts";
import type { Client } from "../../client.ts";
import type { ServerState } from "../../state.ts";
import type { Command } from "../types.ts";
import { pipelineHooks } from "../dispatch.ts";
import { reprString } from "../../util/repr.ts";
import { enforceOutputLimits } from "../../pubsub/output_limits.ts";

const monitors = new WeakMap<ServerState, Set<Client>>();

let lastServer: ServerState | undefined;
let lastSet: Set<Client> | undefined;

// Cached: the feed asks on every command.
function monitorsOf(server: ServerState): Set<Client> {
  if (server === lastServer) return lastSet!;
  lastSet = findMonitors(server);
  lastServer = server;
  return lastSet;
}

function findMonitors(server: ServerState): Set<Client> {
  let set = monitors.get(server);
  if (set === undefined) {
    set = new Set();
    monitors.set(server, set);
  }
  return set;
}

/** True while `client` is in MONITOR mode. */
export function isMonitor(server: ServerState, client: Client): boolean {
  return monitorsOf(server).has(client);
}

/** Leaves MONITOR mode (RESET, disconnect). */
export function stopMonitoring(server: ServerState, client: Client): void {
  monitors.get(server)?.delete(client);
}

/** The words of `argv` as MONITOR and SLOWLOG may show them. */
export function visibleArgv(cmd: Command, argv: Argv): Argv {
  return cmd.spec.redact === undefined ? argv : cmd.spec.redact(argv);
}

/** The MONITOR line for a command (without the leading `+`). */
export function monitorLine(
  client: Client,
  db: number,
  argv: Argv,
  nowMs: number,
): string {
  const secs = Math.floor(nowMs / 1000);
  const micros = Math.floor((nowMs - secs * 1000) * 1000);
  const origin = client.internal ? "lua" : client.addr;
  let line = `${secs}.${String(micros).padStart(6, "0")} [${db} ${origin}]`;
  for (const arg of argv) line += " " + reprString(arg);
  return line;
}

function feed(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
): void {
  if (cmd.hiddenFromMonitor) return;
  feedMonitors(server, client, visibleArgv(cmd, argv));
}

/**
 * Shows `argv` to the monitors now. EVAL and FCALL (hidden from the feed
 * after they ran) use it to appear before the commands their script runs,
 * as in Redis.
 */
export function feedMonitors(
  server: ServerState,
  client: Client,
  argv: Argv,
): void {
  const set = monitorsOf(server);
  if (set.size === 0) return;
  const line = monitorLine(
    client,
    client.db,
    argv,
    performance.timeOrigin + performance.now(),
  );
  for (const monitor of set) {
    const send = () => {
      if (monitor.closed) return;
      monitor.out.line(43, line);
      if (!enforceOutputLimits(server, monitor)) monitor.flush();
    };
    // A monitor's own command is shown after its reply, as in Redis.
    if (monitor === client) queueMicrotask(send);
    else send();
  }
}

/** Refuses keyspace commands from monitoring clients. */
function monitorGate(
  server: ServerState,
  client: Client,
  cmd: Command,
): CommandError | undefined {
  if (!isMonitor(server, client)) return undefined;
  if (cmd.touchesKeyspace) {
    return commandError("Replica can't interact with the keyspace");
  }
  return undefined;
}

/** Installs the MONITOR feed and gate. */
export function installMonitor(server: ServerState): void {
  server.clientCloseHooks.push((client) => stopMonitoring(server, client));
  if (!pipelineHooks.observers.includes(feedObserver)) {
    pipelineHooks.observers.push(feedObserver);
  }
  if (!pipelineHooks.gates.includes(monitorGate)) {
    pipelineHooks.gates.push(monitorGate);
  }
}

function feedObserver(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
): void {
  feed(server, client, cmd, argv);
}

/** MONITOR */
export const monitor = defineCommand({
  name: "monitor",
  group: "server",
  summary: "Listen for all requests received by the server in real time",
  since: "1.0.0",
  arity: 1,
  flags: ["admin", "noscript", "loading", "stale"],
  handler(ctx) {
    if (ctx.client.multi !== undefined || !ctx.blockingAllowed) {
      throw commandError("MONITOR isn't allowed for DENY BLOCKING client");
    }
    const set = monitorsOf(ctx.server);
    // Already monitoring: Redis ignores the command without a reply.
    if (set.has(ctx.client)) return { kind: "none" };
    set.add(ctx.client);
    return OK;
  },
});
