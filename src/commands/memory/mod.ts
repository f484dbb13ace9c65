/**
 * MEMORY, and the maxmemory machinery around the command pipeline: the
 * eviction gate that runs before every command, the cron work (client
 * buffers, peak, unfinished eviction), and eviction right after CONFIG SET
 * maxmemory.
 *
 * @module
 */
import { CommandError, execAbortedBy, oomError } from "../../errors.ts";
import type { Argv } from "../../protocol/types.ts";
import type { Client } from "../../client.ts";
import { log } from "../../log.ts";
import type { ServerState } from "../../state.ts";
import {
  EVICT_FAIL,
  EVICT_RUNNING,
  evictionState,
  performEvictions,
} from "../../store/eviction.ts";
import {
  refreshClientMemory,
  serverMemory,
  usedMemory,
} from "../../store/memory.ts";
import { pipelineHooks } from "../dispatch.ts";
import { discardTransaction } from "../transactions/multi.ts";
import type { Command } from "../types.ts";
import { memory } from "./memory.ts";

/** The memory commands (Redis's server group). */
export const memoryCommands: readonly Command[] = [memory];

/**
 * Redis's maxmemory check in processCommand: evict what the policy allows,
 * then refuse commands that may add data (`denyoom`, EXEC of a transaction
 * holding one, anything queued inside MULTI) while still over the limit.
 * A refused EXEC discards the transaction (Redis's execCommandAbort).
 */
export function oomGate(
  server: ServerState,
  client: Client,
  cmd: Command,
  _argv: Argv,
): CommandError | undefined {
  if (evictionState(server).maxmemory === 0) return undefined;
  const result = evict(server);
  if (result !== EVICT_FAIL) return undefined;
  let reject = cmd.denyOom;
  const multi = client.multi;
  if (multi !== undefined) {
    const name = cmd.name;
    if (name === "exec") {
      if (multi.queue.some((q) => q.command.denyOom)) {
        discardTransaction(client);
        return execAbortedBy(oomError());
      }
    } else if (name !== "discard" && name !== "quit" && name !== "reset") {
      reject = true;
    }
  }
  return reject ? oomError() : undefined;
}

// Servers with an eviction timer pending.
const timers = new WeakSet<ServerState>();

/**
 * Evicts what the time limit allows and, while still over the limit,
 * keeps evicting from a timer between commands, as Redis's
 * evictionTimeProc does.
 */
function evict(server: ServerState): number {
  const result = performEvictions(server);
  if (result === EVICT_RUNNING && !timers.has(server)) {
    timers.add(server);
    const tick = () => {
      if (performEvictions(server) === EVICT_RUNNING) {
        Deno.unrefTimer(setTimeout(tick, 0));
      } else {
        timers.delete(server);
      }
    };
    Deno.unrefTimer(setTimeout(tick, 0));
  }
  return result;
}

type Gate = typeof pipelineHooks.gates[number];

// Servers of this process with a memory limit. The gate is in the pipeline
// only while there is one, so that without maxmemory (the default) no
// command pays for it; it goes back where it was first installed.
const limited = new Set<ServerState>();
let gateAnchor: Gate | undefined;

function updateGate(server: ServerState, maxmemory: number): void {
  if (maxmemory > 0) limited.add(server);
  else limited.delete(server);
  const gates = pipelineHooks.gates;
  const i = gates.indexOf(oomGate);
  if (limited.size > 0 && i < 0) {
    const anchor = gateAnchor === undefined ? -1 : gates.indexOf(gateAnchor);
    gates.splice(anchor + 1, 0, oomGate);
  } else if (limited.size === 0 && i >= 0) {
    gates.splice(i, 1);
  }
}

/** Installs the gate, the cron work and the CONFIG SET maxmemory reaction on `server`. */
export function installMemory(server: ServerState): void {
  serverMemory(server);
  const st = evictionState(server);
  const gates = pipelineHooks.gates;
  if (!gates.includes(oomGate)) gateAnchor ??= gates[gates.length - 1];
  updateGate(server, st.maxmemory);
  server.stopHooks.push(() => updateGate(server, 0));
  server.cronHooks.push((s) => {
    refreshClientMemory(s);
    usedMemory(s); // keeps the peak
    if (st.running) evict(s);
  });
  server.config.onChange("maxmemory", (v) => {
    const max = Number(v);
    updateGate(server, max);
    if (max === 0) return;
    const used = usedMemory(server);
    if (max < used) {
      log.warning(
        `WARNING: the new maxmemory value set via CONFIG SET (${max}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
    evict(server);
  });
}
