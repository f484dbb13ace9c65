/**
 * The CLIENT LIST / CLIENT INFO line of a client, with Redis 7.0's fields in
 * its order, and the client types CLIENT LIST TYPE and CLIENT KILL TYPE use.
 *
 * @module
 */
import type { Client } from "../../client.ts";
import type { Argv } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import { isMonitor } from "../introspection/monitor.ts";
import { bufferFields } from "./client_buffers.ts";

/** A client type name as CLIENT LIST/KILL TYPE accept it (`replica` is `slave`). */
export type ClientType = "normal" | "slave" | "pubsub" | "master";

/** Parses a TYPE argument (any case); undefined for an unknown name. */
export function clientTypeByName(name: string): ClientType | undefined {
  const lower = name.toLowerCase();
  if (lower === "replica") return "slave";
  return lower === "normal" || lower === "slave" || lower === "pubsub" ||
      lower === "master"
    ? lower
    : undefined;
}

/** The type of `client` (Redis's getClientType). */
export function clientType(client: Client): ClientType {
  if (client.replRole === "master") return "master";
  if (client.replRole === "replica") return "slave";
  return client.subscriptions > 0 ? "pubsub" : "normal";
}

function flagsOf(server: ServerState, client: Client): string {
  let flags = "";
  if (client.replRole === "replica") flags += "S";
  if (client.replRole === "master") flags += "M";
  if (isMonitor(server, client)) flags += "O";
  if (client.subscriptions > 0) flags += "P";
  if (client.multi !== undefined || client.execution !== undefined) {
    flags += "x";
  }
  if (client.blocked !== undefined || server.pauseWaiters.has(client)) {
    flags += "b";
  }
  const tracking = client.tracking;
  if (tracking !== undefined) {
    flags += "t";
    if (tracking.brokenRedirect) flags += "R";
    if (tracking.bcast) flags += "B";
  }
  if (client.dirtyCas) flags += "d";
  if (client.closeAfterReply) flags += "c";
  if (client.unixSocket) flags += "U";
  if (client.noEvict) flags += "e";
  if (client.noTouch) flags += "T";
  return flags === "" ? "N" : flags;
}

/**
 * One client's line (without the trailing newline). `running` is the argv
 * of the command being run when `client` is the one asking (CLIENT LIST
 * counts its own words as `argv-mem`).
 */
export function clientInfoLine(
  server: ServerState,
  client: Client,
  running?: Argv,
): string {
  const now = server.clock.now();
  const b = bufferFields(client, running);
  const omem = b.omem;
  return `id=${client.id} addr=${client.addr} laddr=${client.laddr} fd=${
    client.id + 7
  } name=${client.name} age=${
    Math.max(0, Math.floor((now - client.createdAt) / 1000))
  } idle=${Math.max(0, Math.floor((now - client.lastInteraction) / 1000))}` +
    ` flags=${
      flagsOf(server, client)
    } db=${client.db} sub=${client.channels.size} psub=${client.patterns.size} ssub=${client.shardChannels.size}` +
    ` multi=${(client.multi ?? client.execution?.state)?.queue.length ?? -1}` +
    ` qbuf=${b.qbuf} qbuf-free=${b.qbufFree}` +
    ` argv-mem=${b.argvMem} multi-mem=${b.multiMem} rbs=${b.rbs} rbp=${b.rbp}` +
    ` obl=${b.obl} oll=${b.oll} omem=${omem} tot-mem=${b.totMem}` +
    ` events=r${
      omem > 0 ? "w" : ""
    } cmd=${client.lastCommand} user=${client.user} redir=${
      client.tracking?.redirect ?? -1
    } resp=${client.protocol}`;
}
