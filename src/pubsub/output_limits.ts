/**
 * client-output-buffer-limit: a client whose unsent output grows past the
 * hard limit, or stays past the soft limit for the configured seconds, is
 * disconnected, so a subscriber that stops reading can never make the
 * server hold unbounded memory or slow anyone else down.
 *
 * Limits are checked whenever output is added, and (like Redis's
 * clientsCron) on every cron tick for the clients already over their soft
 * limit, so one is dropped on time even when no more messages come.
 *
 * @module
 */
import type { Client } from "../client.ts";
import type { ServerState } from "../state.ts";
import { log } from "../log.ts";

interface Limit {
  hard: number;
  soft: number;
  softSeconds: number;
}

type ClientClass = "normal" | "slave" | "pubsub";

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
  { text: string; limits: Map<ClientClass, Limit> }
>();

function limitsOf(server: ServerState): Map<ClientClass, Limit> {
  const text = server.config.get("client-output-buffer-limit");
  const cached = parsed.get(server);
  if (cached !== undefined && cached.text === text) return cached.limits;
  const words = text.split(" ");
  const limits = new Map<ClientClass, Limit>();
  for (let i = 0; i + 3 < words.length; i += 4) {
    limits.set(words[i] as ClientClass, {
      hard: Number(words[i + 1]),
      soft: Number(words[i + 2]),
      softSeconds: Number(words[i + 3]),
    });
  }
  parsed.set(server, { text, limits });
  return limits;
}

/** The output-limit class of a client (CLIENT LIST / client-output-buffer-limit). */
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
  const used = client.out.length + client.outInFlight;
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
    `Client id=${client.id} addr=${client.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`,
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
    else enforceOutputLimits(server, client);
  }
}
