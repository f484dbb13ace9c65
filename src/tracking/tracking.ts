/**
 * Client-side caching (CLIENT TRACKING): which clients may hold which keys
 * in a local cache, and the invalidation messages they get when a key
 * changes, expires, is evicted or is flushed.
 *
 * As in Redis 7.0, the table maps each key a tracking client read to the
 * ids of those clients, for every database at once; an entry goes as soon
 * as its key changes (the clients are told once, then forget it). Clients
 * in BCAST mode are not in the table: they subscribe to key prefixes, and
 * the keys changed under each prefix are sent to them in one message per
 * prefix once the current turn of the event loop is over.
 *
 * Messages go to the client itself as RESP3 pushes (`invalidate`), or to
 * the client it redirects to: a RESP3 push there too, or in RESP2 a
 * `__redis__:invalidate` Pub/Sub message when that client is subscribed.
 * A message about a key the running client changed itself waits until its
 * reply is written, so replies and messages never interleave.
 *
 * Nothing here runs until a client first turns tracking on: then the
 * tracker is installed on the keyspace (every key change reaches it) and
 * in the command pipeline (reads register keys), and stays there, as
 * Redis keeps its tables once created.
 *
 * @module
 */
import type { Client, ClientTracking } from "../client.ts";
import type { ServerState } from "../state.ts";
import type { KeyTracker } from "../store/database.ts";
import type { Argv, Reply } from "../protocol/types.ts";
import { writeReply } from "../protocol/encoder.ts";
import { push } from "../protocol/reply.ts";
import {
  contextOf,
  pipelineHooks,
  type TrackingHooks,
} from "../commands/dispatch.ts";
import { getKeys } from "../commands/keys.ts";
import type { Command } from "../commands/types.ts";
import { enforceOutputLimits } from "../pubsub/output_limits.ts";

/** The channel RESP2 clients subscribe to for redirected invalidations. */
export const INVALIDATE_CHANNEL = "__redis__:invalidate";

/** What CLIENT TRACKING ON asks for. */
export interface TrackingOptions {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** Client id to redirect to, or 0. */
  redirect: number;
  /** BCAST prefixes as given (none means every key). */
  prefixes: readonly string[];
}

// A BCAST prefix: the clients subscribed to it, and the keys under it that
// changed in this turn of the event loop with the client that changed each
// last (undefined for expiry and eviction), for NOLOOP.
interface Broadcast {
  readonly clients: Set<Client>;
  keys: Map<string, Client | undefined>;
}

// Scripts run their commands on the script client, whose own commands are
// not the caller's reads: EVAL_RO and friends register no keys themselves.
const SCRIPT_RO = new Set(["eval_ro", "evalsha_ro", "fcall_ro"]);

/** The client-side caching state of one server. */
export class Tracker implements KeyTracker {
  readonly #server: ServerState;
  /** Keys some client may cache, with the ids of those clients. */
  readonly #table = new Map<string, Set<number>>();
  #totalItems = 0;
  /** BCAST prefixes, with their subscribers. */
  readonly #prefixes = new Map<string, Broadcast>();
  /** Clients with tracking on (INFO tracking_clients). */
  clients = 0;
  #installed = false;
  // The client whose command is being processed (Redis's current_client)
  // and the one running a command right now (a script's client inside
  // EVAL), undefined outside commands (active expiry, cron).
  #current: Client | undefined = undefined;
  #executing: Client | undefined = undefined;
  // Keys (null: a flush) the current client must hear about after its reply.
  #pending: (string | null)[] = [];
  #broadcastScheduled = false;
  // Rounds in a row that trimming could not get under the limit.
  #trimRounds = 0;

  /** Creates the tracker of `server`; nothing is installed until a client enables tracking. */
  constructor(server: ServerState) {
    this.#server = server;
  }

  /** Keys in the table (INFO tracking_total_keys). */
  get totalKeys(): number {
    return this.#table.size;
  }

  /** Client ids over all keys of the table (INFO tracking_total_items). */
  get totalItems(): number {
    return this.#totalItems;
  }

  /** BCAST prefixes in use (INFO tracking_total_prefixes). */
  get totalPrefixes(): number {
    return this.#prefixes.size;
  }

  /**
   * Turns tracking on for `client` with `options` (already checked by
   * CLIENT TRACKING), or updates its mode. BCAST prefixes add to those the
   * client has; CLIENT CACHING given before stays in force.
   */
  enable(client: Client, options: TrackingOptions): void {
    const was = client.tracking;
    if (was === undefined) this.clients++;
    const tracking: ClientTracking = {
      bcast: options.bcast,
      optin: options.optin,
      optout: options.optout,
      noloop: options.noloop,
      caching: was?.caching ?? false,
      redirect: options.redirect,
      brokenRedirect: false,
      prefixes: was?.bcast ? was.prefixes : [],
    };
    client.tracking = tracking;
    this.#install();
    if (options.bcast) {
      if (options.prefixes.length === 0) this.#subscribe(client, "");
      for (const prefix of options.prefixes) this.#subscribe(client, prefix);
    }
  }

  /**
   * Turns tracking off for `client` (CLIENT TRACKING OFF, RESET, when it
   * disconnects). Its entries in the table are left to go lazily, as in
   * Redis: they are skipped when their key changes.
   */
  disable(client: Client): void {
    const tracking = client.tracking;
    if (tracking === undefined) return;
    if (tracking.bcast) {
      for (const prefix of tracking.prefixes) {
        const b = this.#prefixes.get(prefix);
        if (b === undefined) continue;
        b.clients.delete(client);
        if (b.clients.size === 0) this.#prefixes.delete(prefix);
      }
    }
    client.tracking = undefined;
    this.clients--;
  }

  #subscribe(client: Client, prefix: string): void {
    let b = this.#prefixes.get(prefix);
    if (b === undefined) {
      b = { clients: new Set(), keys: new Map() };
      this.#prefixes.set(prefix, b);
    }
    if (b.clients.has(client)) return;
    b.clients.add(client);
    const own = client.tracking!.prefixes;
    if (!own.includes(prefix)) {
      own.push(prefix);
      own.sort();
    }
  }

  #install(): void {
    if (this.#installed) return;
    this.#installed = true;
    this.#server.keyspace.tracker = this;
    pipelineHooks.tracking = HOOKS;
  }

  /** `client` sent a command: it is the current client until `end`. */
  begin(client: Client): void {
    this.#current = client;
    // Redis bounds the table before each command it processes.
    if (this.clients !== 0) this.#trim();
  }

  /**
   * The command `client` sent was processed and its reply written: the
   * invalidations about keys it changed itself follow now, and CLIENT
   * CACHING is used up (unless queued in MULTI or given by CLIENT itself).
   */
  end(client: Client, argv: Argv): void {
    this.#current = undefined;
    if (this.#pending.length !== 0) {
      const pending = this.#pending;
      this.#pending = [];
      if (!client.closed) {
        for (const key of pending) {
          this.#send(client, key === null ? null : [key]);
        }
      }
    }
    const tracking = client.tracking;
    if (
      tracking !== undefined && tracking.caching &&
      client.multi === undefined && !isClientCommand(argv)
    ) {
      tracking.caching = false;
    }
  }

  /** `client` starts running a command; returns the client that ran before. */
  enter(client: Client): Client | undefined {
    const previous = this.#executing;
    this.#executing = client;
    return previous;
  }

  /**
   * `client` ran `cmd`. After a read-only command, the caller that tracks
   * keys (not in BCAST mode) may cache what it read. Redis 7.0 takes the
   * keys from the command the caller sent: inside a script, the keys
   * EVAL or FCALL declared, not those the script's commands read.
   */
  leave(
    client: Client,
    cmd: Command,
    argv: Argv,
    previous: Client | undefined,
  ): void {
    this.#executing = previous;
    if (!cmd.flags.has("readonly") || SCRIPT_RO.has(cmd.name)) return;
    const caller = client.scriptCaller ?? client;
    const tracking = caller.tracking;
    if (tracking === undefined || tracking.bcast) return;
    if (
      tracking.optin ? !tracking.caching : tracking.optout && tracking.caching
    ) {
      return;
    }
    if (caller === client) {
      this.#remember(caller, cmd, argv);
    } else {
      const ctx = contextOf(this.#server, caller);
      this.#remember(caller, ctx.command, ctx.argv);
    }
  }

  #remember(client: Client, cmd: Command, argv: Argv): void {
    const refs = getKeys(cmd, argv);
    for (let i = 0; i < refs.length; i++) {
      const key = argv[refs[i]!.pos]!;
      let ids = this.#table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.#table.set(key, ids);
      }
      if (!ids.has(client.id)) {
        ids.add(client.id);
        this.#totalItems++;
      }
    }
  }

  /** A key changed (Redis's trackingInvalidateKey with broadcasting). */
  keyChanged(key: string, byCommand: boolean): void {
    if (this.#prefixes.size !== 0) {
      this.#rememberForBroadcast(key, byCommand ? this.#executing : undefined);
    }
    this.#invalidate(key);
  }

  // Tells every client in the table entry of `key` and drops the entry.
  #invalidate(key: string): void {
    const ids = this.#table.get(key);
    if (ids === undefined) return;
    this.#table.delete(key);
    this.#totalItems -= ids.size;
    const clients = this.#server.clients;
    const current = this.#current;
    for (const id of ids) {
      const target = clients.get(id);
      const tracking = target?.tracking;
      // Entries from before a switch to BCAST mode are not sent.
      if (target === undefined || tracking === undefined || tracking.bcast) {
        continue;
      }
      if (target === current) {
        // NOLOOP: not told about keys that change during its own commands.
        if (tracking.noloop) continue;
        // During its command, after its reply; before it (eviction, the
        // table's limit), at once.
        if (this.#executing !== undefined) {
          this.#pending.push(key);
          continue;
        }
      }
      this.#send(target, [key]);
    }
  }

  #rememberForBroadcast(key: string, by: Client | undefined): void {
    for (const [prefix, b] of this.#prefixes) {
      if (key.startsWith(prefix)) b.keys.set(key, by);
    }
    if (!this.#broadcastScheduled) {
      this.#broadcastScheduled = true;
      // Redis broadcasts in beforeSleep: after the commands of this turn.
      queueMicrotask(() => this.#broadcast());
    }
  }

  #broadcast(): void {
    this.#broadcastScheduled = false;
    const prefixes = [...this.#prefixes.keys()].sort();
    for (const prefix of prefixes) {
      const b = this.#prefixes.get(prefix)!;
      if (b.keys.size === 0) continue;
      const changed = b.keys;
      b.keys = new Map();
      const keys = [...changed.keys()].sort();
      for (const client of b.clients) {
        if (client.closed) continue;
        if (client.tracking?.noloop) {
          const others = keys.filter((k) => changed.get(k) !== client);
          if (others.length !== 0) this.#send(client, others);
        } else {
          this.#send(client, keys);
        }
      }
    }
  }

  /** Every key went (FLUSHDB, FLUSHALL, a dataset loaded): every tracking client hears null. */
  flushed(): void {
    if (this.clients !== 0) {
      for (const client of this.#server.clients.values()) {
        if (client.tracking === undefined) continue;
        if (client === this.#current) this.#pending.push(null);
        else this.#send(client, null);
      }
    }
    this.#table.clear();
    this.#totalItems = 0;
  }

  // Redis's trackingLimitUsedSlots: over tracking-table-max-keys, keys are
  // dropped (their clients told, as if they changed) with an effort that
  // grows while the table stays over. Redis picks them at random; the
  // oldest entries go first here.
  #trim(): void {
    const max = this.#server.config.number("tracking-table-max-keys");
    if (max === 0 || this.#table.size <= max) {
      this.#trimRounds = 0;
      return;
    }
    let effort = 100 * (this.#trimRounds + 1);
    for (const key of this.#table.keys()) {
      if (effort-- <= 0) break;
      this.#invalidate(key);
      if (this.#table.size <= max) {
        this.#trimRounds = 0;
        return;
      }
    }
    this.#trimRounds++;
  }

  // Redis's sendTrackingMessage: `keys` null means every key.
  #send(client: Client, keys: string[] | null): void {
    const tracking = client.tracking;
    let target = client;
    if (tracking !== undefined && tracking.redirect !== 0) {
      const to = this.#server.clients.get(tracking.redirect);
      if (to === undefined || to.closed) {
        tracking.brokenRedirect = true;
        if (client.protocol === 3) {
          this.#write(
            client,
            push(["tracking-redir-broken", tracking.redirect]),
          );
        }
        return;
      }
      target = to;
    }
    if (target.protocol === 3) {
      this.#write(target, push(["invalidate", keys]));
    } else if (target !== client && target.subscriptions > 0) {
      this.#write(target, push(["message", INVALIDATE_CHANNEL, keys]));
    }
    // A RESP2 connection without redirection cannot receive anything.
  }

  #write(client: Client, frame: Reply): void {
    if (client.closed) return;
    // Pushes go out whatever CLIENT REPLY says, as Pub/Sub messages do.
    writeReply(client.out, frame, client.protocol);
    if (enforceOutputLimits(this.#server, client)) return;
    if (client !== this.#current) client.flush();
  }
}

function isClientCommand(argv: Argv): boolean {
  const name = argv[0]!;
  return name.length === 6 && name.toLowerCase() === "client";
}

const trackers = new WeakMap<ServerState, Tracker>();

/** The tracker of `server` (created on first use). */
export function trackingOf(server: ServerState): Tracker {
  let tracker = trackers.get(server);
  if (tracker === undefined) {
    tracker = new Tracker(server);
    trackers.set(server, tracker);
  }
  return tracker;
}

// The pipeline hooks are shared by every server in the process; each call
// finds its server's tracker.
const HOOKS: TrackingHooks = {
  begin(server, client) {
    trackers.get(server)?.begin(client);
  },
  end(server, client, argv) {
    trackers.get(server)?.end(client, argv);
  },
  enter(server, client) {
    return trackers.get(server)?.enter(client);
  },
  leave(server, client, cmd, argv, previous) {
    trackers.get(server)?.leave(client, cmd, argv, previous);
  },
};

/** Drops the tracking of clients that disconnect. */
export function installTracking(server: ServerState): void {
  server.clientCloseHooks.push((client) => {
    if (client.tracking !== undefined) trackingOf(server).disable(client);
  });
}
