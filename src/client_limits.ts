/**
 * Limits on what one client may make the server hold, as Redis 7.0 has
 * them:
 *
 * - `client-output-buffer-limit` for the replies of normal clients:
 *   checked after every command while a limit of the normal class is set
 *   (pub/sub pushes and MONITOR feeds check their class where they add
 *   output).
 * - `maxmemory-clients`: client eviction. Each connection's memory (query
 *   buffer, replies, MULTI queue, watched keys, subscriptions) is summed
 *   over the normal and pub/sub clients; while the sum is at or over the
 *   limit, the largest clients not protected by `CLIENT NO-EVICT on` are
 *   closed (`Evicting client: ...`, INFO `evicted_clients`).
 * - `maxclients` against the open files limit: lowered at start-up, and
 *   refused by CONFIG SET, when the process may not open that many files.
 *
 * Nothing here runs on a connection's path while no such limit is set:
 * the connection only checks that `state.clientLimits` is undefined.
 *
 * @module
 */
import type { Client } from "./client.ts";
import type { ServerState } from "./state.ts";
import { log } from "./log.ts";
import {
  clientClass,
  enforceOutputLimits,
  outputLimitOf,
} from "./pubsub/output_limits.ts";
import { clientInfoLine } from "./commands/connection/client_info.ts";
import { watchedKeyCount } from "./commands/transactions/watch.ts";

/** What the connection calls while some client limit is on. */
export interface ClientLimitsHook {
  /** After a command of `client`: true if it was closed for its output. */
  afterCommand(client: Client): boolean;
  /** After a read and the commands it brought (or after a wake-up). */
  afterBatch(client: Client): void;
  /**
   * False while an output limit of the normal class is set: the limit
   * then decides, as in Redis, and the connection does not hold a client's
   * commands back once a megabyte of its replies waits.
   */
  holdBack: boolean;
}

// The read buffer each connection reads into.
const READ_BUFFER = 16 * 1024;
// What a connection costs beyond its buffers (client object, decoder, context).
const CLIENT_OVERHEAD = 2048;
// Per watched key and per subscription (Redis's list nodes and dict
// entries, measured against redis-server 7.0: about 72 and 48 bytes).
const WATCH_OVERHEAD = 72;
const SUBSCRIPTION_OVERHEAD = 48;
// Redis never lets client eviction go below this (getClientEvictionLimit):
// a tiny setting must still let someone talk to the server.
const MIN_EVICTION_LIMIT = 128 * 1024;
// The file descriptors Redis keeps for itself (CONFIG_MIN_RESERVED_FDS).
const RESERVED_FDS = 32;

// The size of a client's MULTI queue, summed incrementally so each batch
// only adds what was queued since the last one.
interface Sums {
  multi: unknown;
  multiCount: number;
  multiBytes: number;
}
const sums = new WeakMap<Client, Sums>();

/**
 * The memory a client uses, as CLIENT LIST `tot-mem` shows it and
 * `maxmemory-clients` counts it: its read buffer, the room its query
 * buffer holds (a big argument's whole length once its header arrived, as
 * in Redis), its reply buffers and replies in flight, its MULTI queue,
 * watched keys and subscriptions.
 */
export function clientMemoryUsage(client: Client): number {
  let s = sums.get(client);
  if (s === undefined) {
    s = { multi: undefined, multiCount: 0, multiBytes: 0 };
    sums.set(client, s);
  }
  const queue = client.multi?.queue;
  if (client.multi !== s.multi || (queue?.length ?? 0) < s.multiCount) {
    s.multi = client.multi;
    s.multiCount = 0;
    s.multiBytes = 0;
  }
  if (queue !== undefined) {
    for (; s.multiCount < queue.length; s.multiCount++) {
      for (const word of queue[s.multiCount]!.argv) {
        s.multiBytes += word.length + 16;
      }
    }
  }
  return CLIENT_OVERHEAD + READ_BUFFER + client.queryBufferRoom +
    client.out.buf.length + client.outInFlight + s.multiBytes +
    watchedKeyCount(client) * WATCH_OVERHEAD +
    client.subscriptions * SUBSCRIPTION_OVERHEAD;
}

/** The effective `maxmemory-clients` in bytes (0: client eviction is off). */
export function clientEvictionLimit(state: ServerState): number {
  const text = state.config.get("maxmemory-clients");
  let limit: number;
  if (text.endsWith("%")) {
    const maxmemory = state.config.number("maxmemory");
    limit = Math.floor(maxmemory * Number(text.slice(0, -1)) / 100);
  } else limit = Number(text);
  if (!(limit > 0)) return 0;
  return Math.max(limit, MIN_EVICTION_LIMIT);
}

// Eviction only ever judges normal and pub/sub clients.
function evictable(client: Client): boolean {
  return !client.internal && client.replRole === undefined;
}

/** Client eviction's bookkeeping for one server. */
class ClientEviction {
  readonly #state: ServerState;
  limit = 0;
  // Last measured memory of each client counted, and their sum.
  readonly #memory = new Map<Client, number>();
  #total = 0;
  #lastWarning = 0;
  // An eviction pass could not get under the limit (only protected clients
  // left): the next pass waits for an evictable client to grow.
  #stuck = false;

  constructor(state: ServerState) {
    this.#state = state;
  }

  update(client: Client): void {
    if (client.closed || !evictable(client)) return;
    const now = clientMemoryUsage(client);
    const before = this.#memory.get(client) ?? 0;
    this.#memory.set(client, now);
    this.#total += now - before;
    if (this.#total < this.limit) this.#stuck = false;
    else if (!this.#stuck || (!client.noEvict && now > before)) this.evict();
  }

  forget(client: Client): void {
    const before = this.#memory.get(client);
    if (before === undefined) return;
    this.#memory.delete(client);
    this.#total -= before;
  }

  /** Measures every client again (the cron), then evicts if needed. */
  refresh(): void {
    this.#total = 0;
    for (const client of this.#memory.keys()) {
      if (client.closed) this.#memory.delete(client);
    }
    for (const client of this.#state.clients.values()) {
      if (client.closed || !evictable(client)) continue;
      const m = clientMemoryUsage(client);
      this.#memory.set(client, m);
      this.#total += m;
    }
    if (this.#total >= this.limit) this.evict();
  }

  clear(): void {
    this.#memory.clear();
    this.#total = 0;
  }

  // Redis's evictClients: the largest clients first, until under the limit.
  evict(): void {
    const state = this.#state;
    const candidates = [...this.#memory].filter(([c]) =>
      !c.noEvict && !c.closed
    )
      .sort((a, b) => b[1] - a[1]);
    for (const [client] of candidates) {
      if (this.#total < this.limit) return;
      log.notice(`Evicting client: ${clientInfoLine(state, client)}`);
      state.stats.evictedClients++;
      this.forget(client);
      client.close("client eviction");
    }
    this.#stuck = this.#total >= this.limit;
    if (this.#stuck) {
      const now = state.clock.now();
      if (now - this.#lastWarning >= 1000) {
        this.#lastWarning = now;
        log.warning(
          "Over client maxmemory after evicting all evictable clients",
        );
      }
    }
  }
}

/**
 * Installs the limits on `state`: keeps `state.clientLimits` set exactly
 * while an output limit of the normal class, or maxmemory-clients, is on;
 * adjusts maxclients to the open files limit.
 */
export function installClientLimits(state: ServerState): void {
  const eviction = new ClientEviction(state);
  let outputLimited = false;
  const hook: ClientLimitsHook = {
    holdBack: true,
    afterCommand(client) {
      if (!outputLimited || client.closed) return client.closed;
      // A replica's stream has the `replica` class, the replication's own.
      if (client.replRole !== undefined) return false;
      const limit = outputLimitOf(state, clientClass(client));
      if (limit === undefined) return false;
      const used = client.out.length + client.outInFlight;
      if (used < limit.threshold && client.softLimitSince === 0) return false;
      return enforceOutputLimits(state, client);
    },
    afterBatch(client) {
      if (eviction.limit !== 0) eviction.update(client);
    },
  };
  const refresh = () => {
    // Subscribers' pushes are checked where they are added; the hook is
    // only for the normal class (and a subscriber's own replies with it).
    outputLimited = outputLimitOf(state, "normal") !== undefined;
    hook.holdBack = !outputLimited;
    const limit = clientEvictionLimit(state);
    const was = eviction.limit;
    eviction.limit = limit;
    if (limit === 0) eviction.clear();
    state.clientLimits = outputLimited || limit !== 0 ? hook : undefined;
    // A lower limit takes effect at once (Redis evicts before its next sleep).
    if (limit !== 0 && (was === 0 || limit < was)) {
      queueMicrotask(() => eviction.refresh());
    }
  };
  refresh();
  for (
    const name of [
      "client-output-buffer-limit",
      "maxmemory-clients",
      "maxmemory",
    ]
  ) {
    state.config.onChange(name, refresh);
  }
  state.clientCloseHooks.push((client) => eviction.forget(client));
  // Redis's clientsCron measures every client about once a second.
  let ticks = 0;
  state.cronHooks.push(() => {
    if (eviction.limit === 0) return;
    const hz = state.config.number("hz");
    if (++ticks >= hz) {
      ticks = 0;
      eviction.refresh();
    }
  });
  adjustMaxclients(state);
}

/**
 * The soft limit on open files (RLIMIT_NOFILE), read from /proc; undefined
 * where that cannot be read.
 */
export function openFilesLimit(): number | undefined {
  try {
    const text = Deno.readTextFileSync("/proc/self/limits");
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
    if (m === null || m[1] === "unlimited") return undefined;
    return Number(m[1]);
  } catch {
    return undefined;
  }
}

// Redis's adjustOpenFilesLimit. Deno cannot raise its own limit, so the
// limit it started with is the one there is.
function adjustMaxclients(state: ServerState): void {
  const files = openFilesLimit();
  if (files === undefined) return;
  const wanted = state.config.number("maxclients");
  if (wanted + RESERVED_FDS > files) {
    const reduced = files - RESERVED_FDS;
    if (reduced < 1) {
      throw new Error(
        `Your current 'ulimit -n' of ${files} is not enough for the server to start. Please increase your open file limit to at least ${
          wanted + RESERVED_FDS
        }. Exiting.`,
      );
    }
    log.warning(
      `You requested maxclients of ${wanted} requiring at least ${
        wanted + RESERVED_FDS
      } max file descriptors.`,
    );
    log.warning(
      `Server can't set maximum open files to ${
        wanted + RESERVED_FDS
      } because of OS error: Operation not permitted.`,
    );
    log.warning(
      `Current maximum open files is ${files}. maxclients has been reduced to ${reduced} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
    );
    state.config.set("maxclients", String(reduced), { startup: true });
  }
  state.config.onChange("maxclients", (v) => {
    const limit = openFilesLimit();
    if (limit !== undefined && Number(v) + RESERVED_FDS > limit) {
      throw new Error(
        `The operating system is not able to handle the specified number of clients, try with ${
          limit - RESERVED_FDS
        }`,
      );
    }
  });
}
