/**
 * client-output-buffer-limit: a client whose unsent output grows past the
 * hard limit, or stays past the soft limit for the configured seconds, is
 * disconnected, so a subscriber that stops reading can never make the
 * server hold unbounded memory or slow anyone else down.
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
    return false;
  }
  const used = client.out.length + client.outInFlight;
  let exceeded = limit.hard > 0 && used >= limit.hard;
  if (!exceeded && limit.soft > 0 && used >= limit.soft) {
    const now = server.clock.now();
    if (client.softLimitSince === 0) client.softLimitSince = now;
    else if (now - client.softLimitSince > limit.softSeconds * 1000) {
      exceeded = true;
    }
  } else if (!exceeded) {
    client.softLimitSince = 0;
  }
  if (!exceeded) return false;
  log.warning(
    `Client id=${client.id} addr=${client.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`,
  );
  server.stats.evictedClients++;
  client.close("output buffer limit");
  return true;
}
