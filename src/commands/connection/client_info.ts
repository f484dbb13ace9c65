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
import { clientMemoryUsage } from "../../client_limits.ts";

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

// The bytes of a command's words (Redis's argv_len_sum).
function argvBytes(argv: Argv): number {
  let n = 0;
  for (const word of argv) n += word.length;
  return n;
}

// The read buffer each connection reads into.
const READ_BUFFER = 16 * 1024;

function flagsOf(server: ServerState, client: Client): string {
  let flags = "";
  if (client.replRole === "replica") flags += "S";
  if (client.replRole === "master") flags += "M";
  if (isMonitor(server, client)) flags += "O";
  if (client.subscriptions > 0) flags += "P";
  if (client.multi !== undefined) flags += "x";
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
  const qbuf = client.queryBuffer;
  const argvMem = running === undefined ? 0 : argvBytes(running);
  let multiMem = 0;
  for (const q of client.multi?.queue ?? []) multiMem += argvBytes(q.argv);
  const rbs = client.out.buf.length;
  const omem = client.outInFlight;
  const totMem = clientMemoryUsage(client) + argvMem;
  return `id=${client.id} addr=${client.addr} laddr=${client.laddr} fd=${
    client.id + 7
  } name=${client.name} age=${
    Math.max(0, Math.floor((now - client.createdAt) / 1000))
  } idle=${Math.max(0, Math.floor((now - client.lastInteraction) / 1000))}` +
    ` flags=${
      flagsOf(server, client)
    } db=${client.db} sub=${client.channels.size} psub=${client.patterns.size} ssub=${client.shardChannels.size}` +
    ` multi=${client.multi === undefined ? -1 : client.multi.queue.length}` +
    ` qbuf=${qbuf} qbuf-free=${Math.max(0, READ_BUFFER - qbuf)}` +
    ` argv-mem=${argvMem} multi-mem=${multiMem} rbs=${rbs} rbp=${rbs}` +
    ` obl=${client.out.length} oll=0 omem=${omem} tot-mem=${totMem}` +
    ` events=r${
      omem > 0 ? "w" : ""
    } cmd=${client.lastCommand} user=${client.user} redir=${
      client.tracking?.redirect ?? -1
    } resp=${client.protocol}`;
}
