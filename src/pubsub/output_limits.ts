/**
 * client-output-buffer-limit: a client whose unsent output grows past the
 * hard limit, or stays past the soft limit for the configured seconds, is
 * disconnected, so a client that stops reading (a subscriber, a MONITOR,
 * or one that pipelines requests for big replies) can never make the
 * server hold unbounded memory or slow anyone else down.
 *
 * Limits are checked whenever output is added (after each command of a
 * limited client, see client_limits.ts; on each pub/sub push and MONITOR
 * line), and on every cron tick for the clients already over their soft
 * limit, so one is dropped on time even when no more output comes.
 *
 * Like Redis, which counts only the replies beyond its 16 KB static reply
 * buffer, the first 16 KB pending are not counted.
 *
 * @module
 */
import type { Client } from "../client.ts";
import type { ServerState } from "../state.ts";
import { log } from "../log.ts";
import { clientInfoLine } from "../commands/connection/client_info.ts";

/** One class's limits, in bytes and seconds. */
export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
  /** The lower of the non-zero byte limits: below it nothing can happen. */
  threshold: number;
}

/** A client-output-buffer-limit class. */
export type ClientClass = "normal" | "slave" | "pubsub";

// Redis's static reply buffer (PROTO_REPLY_CHUNK_BYTES): output that fits
// in it is not counted against the limits.
const STATIC_REPLY_BUFFER = 16 * 1024;

// Clients over their soft limit, checked by the cron.
const overSoft = new WeakMap<ServerState, Set<Client>>();

function overSoftOf(server: ServerState): Set<Client> {
  let set = overSoft.get(server);
  if (set === undefined) {
    set = new Set();
    overSoft.set(server, set);
  }
  return set;
}

const parsed = new WeakMap<
  ServerState,
  { text: string; limits: Map<ClientClass, OutputLimit> }
>();

function limitsOf(server: ServerState): Map<ClientClass, OutputLimit> {
  const text = server.config.get("client-output-buffer-limit");
  const cached = parsed.get(server);
  if (cached !== undefined && cached.text === text) return cached.limits;
  const words = text.split(" ");
  const limits = new Map<ClientClass, OutputLimit>();
  for (let i = 0; i + 3 < words.length; i += 4) {
    const hard = Number(words[i + 1]);
    const soft = Number(words[i + 2]);
    limits.set(words[i] as ClientClass, {
      hard,
      soft,
      softSeconds: Number(words[i + 3]),
      threshold: STATIC_REPLY_BUFFER +
        Math.min(hard || Infinity, soft || Infinity),
    });
  }
  parsed.set(server, { text, limits });
  return limits;
}

/** The limits of class `cls`, or undefined when it has none (`0 0 0`). */
export function outputLimitOf(
  server: ServerState,
  cls: ClientClass,
): OutputLimit | undefined {
  const limit = limitsOf(server).get(cls);
  return limit === undefined || (limit.hard === 0 && limit.soft === 0)
    ? undefined
    : limit;
}

/**
 * The output-limit class of a client (Redis's getClientType: MONITOR
 * clients are normal, subscribers are pub/sub in RESP2 and RESP3 alike).
 */
export function clientClass(client: Client): ClientClass {
  return client.subscriptions > 0 ? "pubsub" : "normal";
}

/**
 * Checks `client` against its class's limits after output was added;
 * closes it and returns true when a limit is exceeded.
 */
export function enforceOutputLimits(
  server: ServerState,
  client: Client,
  fromCron = false,
): boolean {
  if (client.closed) return true;
  const limit = limitsOf(server).get(clientClass(client));
  if (limit === undefined || (limit.hard === 0 && limit.soft === 0)) {
    if (client.softLimitSince !== 0) {
      client.softLimitSince = 0;
      overSoftOf(server).delete(client);
    }
    return false;
  }
  const used = client.out.length + client.outInFlight - STATIC_REPLY_BUFFER;
  let exceeded = limit.hard > 0 && used >= limit.hard;
  if (!exceeded && limit.soft > 0 && used >= limit.soft) {
    const now = server.clock.now();
    if (client.softLimitSince === 0) {
      client.softLimitSince = now;
      overSoftOf(server).add(client);
    } else if (now - client.softLimitSince > limit.softSeconds * 1000) {
      exceeded = true;
    }
  } else if (!exceeded && client.softLimitSince !== 0) {
    client.softLimitSince = 0;
    overSoftOf(server).delete(client);
  }
  if (!exceeded) return false;
  overSoftOf(server).delete(client);
  // Redis 7.0 counts these nowhere in INFO (evicted_clients is for
  // maxmemory-clients).
  log.warning(
    `Client ${clientInfoLine(server, client)} ${
      fromCron ? "closed" : "scheduled to be closed ASAP"
    } for overcoming of output buffer limits.`,
  );
  client.close("output buffer limit");
  return true;
}

/**
 * Re-checks the clients over their soft limit (a cron hook): one that has
 * stayed over it for the soft seconds is closed even if no output came.
 */
export function checkSoftLimits(server: ServerState): void {
  const set = overSoft.get(server);
  if (set === undefined || set.size === 0) return;
  for (const client of set) {
    if (client.closed) set.delete(client);
    else enforceOutputLimits(server, client, true);
  }
}
