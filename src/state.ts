/**
 * ServerState: everything a command may need beyond its own client, shared
 * by all connections: configuration, the keyspace, the command table, the
 * client registry, statistics, and the hooks through which persistence,
 * replication and pub/sub hear about changes.
 *
 * `server.ts` creates it and wires the I/O; commands only see this object,
 * so they never import the network layer.
 *
 * @module
 */
import { Config } from "./config.ts";
import { IoTurn } from "./io_turn.ts";
import { Keyspace } from "./store/keyspace.ts";
import {
  type Database,
  lruClock,
  type StoreHooks,
  type StoreStats,
} from "./store/database.ts";
import type { Client } from "./client.ts";
import type { Command } from "./commands/types.ts";
import type { Argv } from "./protocol/types.ts";
import {
  type Clock,
  type Random,
  systemClock,
  systemRandom,
} from "./util/clock.ts";
import type { ClientLimitsHook } from "./client_limits.ts";
import type { DecoderLimits } from "./protocol/decoder.ts";
import { PubSub } from "./pubsub/pubsub.ts";
import { freedInBackground } from "./store/lazyfree.ts";
import type { RedisValue } from "./store/values.ts";
import type { RdbService } from "./services/rdb.ts";
import type { AofService } from "./services/aof.ts";
import type { ValueCodec } from "./services/codec.ts";
import type { MigrateService } from "./services/migrate.ts";
import type { ReplicationService } from "./services/replication.ts";
import type {
  FunctionsService,
  ScriptingService,
} from "./services/scripting.ts";

/** SHUTDOWN's modifiers (and shutdown-on-sigint/sigterm's). */
export interface ShutdownOptions {
  save?: boolean;
  nosave?: boolean;
  now?: boolean;
  force?: boolean;
}

/** Server-wide counters (INFO stats and friends). */
export interface ServerStats extends StoreStats {
  totalConnections: number;
  totalCommands: number;
  rejectedConnections: number;
  netInput: number;
  netOutput: number;
  evictedKeys: number;
  evictedClients: number;
  totalErrorReplies: number;
  unexpectedErrorReplies: number;
  totalReads: number;
  totalWrites: number;
  expiredStalePerc: number;
  expiredTimeCapReached: number;
  expireCycleCpuMs: number;
  /** Values Redis would have freed in its background thread (INFO lazyfreed_objects). */
  lazyfreedObjects: number;
  /** Reply buffers the cron shrank or grew (INFO reply_buffer_shrinks/expands). */
  replyBufferShrinks: number;
  replyBufferExpands: number;
  /** Error replies by code (INFO errorstats). */
  errors: Map<string, number>;
}

/** Encoding thresholds from the config, kept current for the hot path. */
export interface EncodingLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  listMaxListpackSize: number;
  listCompressDepth: number;
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

const ENCODING_DIRECTIVES: [keyof EncodingLimits, string][] = [
  ["hashMaxListpackEntries", "hash-max-listpack-entries"],
  ["hashMaxListpackValue", "hash-max-listpack-value"],
  ["setMaxIntsetEntries", "set-max-intset-entries"],
  ["zsetMaxListpackEntries", "zset-max-listpack-entries"],
  ["zsetMaxListpackValue", "zset-max-listpack-value"],
  ["listMaxListpackSize", "list-max-listpack-size"],
  ["listCompressDepth", "list-compress-depth"],
  ["streamNodeMaxBytes", "stream-node-max-bytes"],
  ["streamNodeMaxEntries", "stream-node-max-entries"],
];

/** Propagation targets, as Redis's PROPAGATE_AOF and PROPAGATE_REPL. */
export const PROPAGATE_AOF = 1;
/** The replicas (see PROPAGATE_AOF). */
export const PROPAGATE_REPL = 2;
/** Both targets: what every command propagates unless a script says otherwise. */
export const PROPAGATE_ALL = 3;

/** Receives every change to the dataset, in order (AOF, replicas). */
export interface PropagationSink {
  /** `argv` ran in database `db`. */
  propagate(db: number, argv: Argv): void;
  /**
   * Which target this sink is (PROPAGATE_AOF or PROPAGATE_REPL), for
   * scripts' `redis.set_repl`; a sink without one takes both.
   */
  readonly target?: number;
}

/** Listens for keyspace events (keyspace notifications). */
export type KeyspaceEventSink = (
  type: number,
  event: string,
  key: string,
  db: number,
) => void;

/** A client blocked on keys, as the blocking code registers it. */
export interface KeyWaiter {
  readonly client: Client;
}

function newStats(): ServerStats {
  return {
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    totalConnections: 0,
    totalCommands: 0,
    rejectedConnections: 0,
    netInput: 0,
    netOutput: 0,
    evictedKeys: 0,
    evictedClients: 0,
    totalErrorReplies: 0,
    unexpectedErrorReplies: 0,
    totalReads: 0,
    totalWrites: 0,
    expiredStalePerc: 0,
    expiredTimeCapReached: 0,
    expireCycleCpuMs: 0,
    lazyfreedObjects: 0,
    replyBufferShrinks: 0,
    replyBufferExpands: 0,
    errors: new Map(),
  };
}

/** The state shared by every connection of one server. */
export class ServerState {
  readonly config: Config;
  readonly clock: Clock;
  readonly random: Random;
  stats: ServerStats = newStats();
  readonly keyspace: Keyspace;
  /** Commands by lower-case name; filled by the command table. */
  commands: ReadonlyMap<string, Command> = new Map();
  /** Connected clients by id. */
  readonly clients = new Map<number, Client>();
  readonly startedAt: number;
  /** 40 hex characters, new at every start (INFO run_id). */
  readonly runId: string;
  /** Changes since the last save (INFO rdb_changes_since_last_save). */
  dirty = 0;
  /** Shared decoder limits, updated by CONFIG SET. */
  readonly limits: DecoderLimits;
  /** Encoding thresholds (OBJECT ENCODING), updated by CONFIG SET. */
  readonly encoding: EncodingLimits;
  /** Where changes go (AOF writer, replicas); empty until those exist. */
  readonly sinks: PropagationSink[] = [];
  /** Called when a client's connection closes (unblock, unwatch, unsubscribe). */
  readonly clientCloseHooks: ((client: Client) => void)[] = [];
  /** Called on every server cron tick (hz times a second). */
  readonly cronHooks: ((state: ServerState) => void)[] = [];
  /**
   * Called once when the server stops: what this process keeps per server
   * (the ACL and OOM gates' server sets) lets it go, for in-process servers.
   */
  readonly stopHooks: ((state: ServerState) => void)[] = [];
  /**
   * A turn of the event loop that polls the sockets (io_turn.ts). Work done
   * in slices (BGSAVE, an AOF rewrite, loading, a full sync) waits on it
   * between slices: clients are served in between, at a cost of some
   * microseconds where a timer costs a millisecond or more. The server
   * closes it when it stops.
   */
  readonly ioTurn = new IoTurn();
  /**
   * Set only while a client output limit (normal or pub/sub class) or
   * maxmemory-clients is on: the connection calls it after commands and
   * reads (client_limits.ts).
   */
  clientLimits: ClientLimitsHook | undefined = undefined;
  /** Keyspace event listeners. */
  readonly eventSinks: KeyspaceEventSink[] = [];
  /** Clients waiting on keys, by database then key, in arrival order. */
  readonly keyWaiters = new Map<Database, Set<string>>();
  /** Keys signalled ready since the last batch, served after each command. */
  readyKeys: { db: Database; key: string }[] = [];
  /** Channel and pattern subscriptions. */
  readonly pubsub: PubSub;
  /** CLIENT PAUSE: until when (Unix ms), and whether every command waits or only writes. */
  pause: { until: number; all: boolean } | undefined = undefined;
  /** Clients whose next command waits for the pause to end. */
  readonly pauseWaiters = new Set<Client>();

  /**
   * Ends the current pause (CLIENT UNPAUSE, a FAILOVER or a shutdown wait
   * that is over), putting `next` in its place, and lets the held clients
   * try their commands again.
   */
  endPause(next?: { until: number; all: boolean }): void {
    this.pause = next;
    const waiting = [...this.pauseWaiters];
    this.pauseWaiters.clear();
    for (const client of waiting) client.flush();
  }
  /** Next client id. */
  nextClientId = 1;
  /** Set while a client's command stream is replayed with no replies (AOF load). */
  loading = false;
  /** RDB snapshots; installed by server.ts from persistence/. */
  rdb: RdbService | undefined = undefined;
  /** The append-only file; installed by server.ts from persistence/. */
  aof: AofService | undefined = undefined;
  /** DUMP/RESTORE payloads and digests; installed by server.ts from persistence/. */
  codec: ValueCodec | undefined = undefined;
  /** Master/replica replication; installed by server.ts from replication/. */
  replication: ReplicationService | undefined = undefined;
  /** The socket of a client's connection (a replica's stream is written to it); set by server.ts. */
  socketOf: (client: Client) => Deno.Conn | undefined = () => undefined;
  /** Lua scripting (EVAL, FUNCTION); installed by features.ts from scripting/. */
  scripting: ScriptingService | undefined = undefined;
  /** MIGRATE's connections to other servers; installed by features.ts from migrate/. */
  migrate: MigrateService | undefined = undefined;
  /** The FUNCTION libraries (RDB FUNCTION2 records, AOF), once scripting is installed. */
  get functions(): FunctionsService | undefined {
    return this.scripting?.functions;
  }
  /** DEBUG SET-ACTIVE-EXPIRE. */
  activeExpire = true;
  /** Actual listening port, once bound (port 0 picks one). */
  port = 0;
  /**
   * Asks the server to shut down (Redis's prepareForShutdown); set by
   * server.ts. "stopping": it is on its way out; "failed": it could not
   * (the logs say why) and runs on; "waiting": for lagging replicas (up to
   * shutdown-timeout, writes paused) — `onCancel` is called if that
   * shutdown then fails or SHUTDOWN ABORT cancels it (`aborted`).
   */
  shutdown: (
    opts: ShutdownOptions,
    onCancel?: (aborted: boolean) => void,
  ) => "stopping" | "waiting" | "failed" = () => "failed";
  /** SHUTDOWN ABORT: cancels a shutdown waiting for replicas; false if none. */
  abortShutdown: () => boolean = () => false;
  /**
   * The supervisor found at start-up (`supervised`, INFO
   * process_supervised): set by main.ts.
   */
  supervised: "no" | "upstart" | "systemd" = "no";
  /**
   * Sends a status to the supervisor (systemd's sd_notify messages, such as
   * `STATUS=...\n`); does nothing unless main.ts found systemd.
   */
  notifySupervisor: (message: string) => void = () => {};
  /** The cached LRU clock (Redis's server.lruclock); see `refreshLruClock`. */
  lruClock = 0;
  /** Commands processed per second, sampled by the cron (INFO instantaneous_ops_per_sec). */
  opsPerSec = 0;
  /** Hook for the transactions code: a WATCHed key changed. */
  onKeyModified: (db: Database, key: string) => void = () => {};
  /** Hook for the blocking code: a key some client waits on may be ready. */
  onKeyReady: (db: Database, key: string) => void = () => {};

  /** Creates empty state from a configuration. */
  constructor(config: Config, opts: { clock?: Clock; random?: Random } = {}) {
    this.config = config;
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? systemRandom;
    this.startedAt = this.clock.now();
    this.runId = Array.from(
      crypto.getRandomValues(new Uint8Array(20)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    this.limits = {
      maxBulkLen: config.number("proto-max-bulk-len"),
      maxQueryBuffer: config.number("client-query-buffer-limit"),
    };
    config.onChange("proto-max-bulk-len", (v) => {
      this.limits.maxBulkLen = Number(v);
    });
    config.onChange("client-query-buffer-limit", (v) => {
      this.limits.maxQueryBuffer = Number(v);
    });
    const encoding = {} as EncodingLimits;
    for (const [field, directive] of ENCODING_DIRECTIVES) {
      encoding[field] = config.number(directive);
      config.onChange(directive, (v) => {
        encoding[field] = Number(v);
      });
    }
    this.encoding = encoding;
    this.refreshLruClock();
    this.pubsub = new PubSub(this);
    this.keyspace = new Keyspace(
      config.number("databases"),
      this.#storeHooks(),
    );
  }

  #storeHooks(): StoreHooks {
    // deno-lint-ignore no-this-alias
    const state = this;
    let policy: "lru" | "lfu" = "lru";
    const setPolicy = (v: string) => {
      policy = v.includes("lfu") ? "lfu" : "lru";
    };
    setPolicy(this.config.get("maxmemory-policy"));
    this.config.onChange("maxmemory-policy", setPolicy);
    // keymiss events are off unless asked for (the `m` class), so a read
    // that misses costs nothing by default.
    let keyMissEvents = false;
    const setKeyMiss = (v: string) => {
      keyMissEvents = v.includes("m");
    };
    setKeyMiss(this.config.get("notify-keyspace-events"));
    this.config.onChange("notify-keyspace-events", setKeyMiss);
    return {
      clock: this.clock,
      random: this.random,
      get stats() {
        return state.stats;
      },
      keyExpired(db, key) {
        // Redis's propagateDeletion: UNLINK when expired keys are freed lazily.
        const lazy = state.config.bool("lazyfree-lazy-expire");
        state.propagate(db.id, [lazy ? "UNLINK" : "DEL", key]);
        state.notify(NOTIFY_EXPIRED, "expired", key, db.id);
      },
      keyModified(db, key) {
        state.onKeyModified(db, key);
      },
      expireSet(db, key) {
        const repl = state.replication;
        if (
          repl?.isReplica === true && !repl.applyingMaster && !state.loading
        ) {
          repl.replicaKeyWithExpire(db.id, key);
        }
      },
      keyReady(db, key) {
        state.onKeyReady(db, key);
      },
      keyMiss(db, key) {
        if (keyMissEvents) {
          state.notify(NOTIFY_KEY_MISS, "keymiss", key, db.id);
        }
      },
      valueFreed(value, cause) {
        const lazy = state.config.bool(
          cause === "expire"
            ? "lazyfree-lazy-expire"
            : "lazyfree-lazy-server-del",
        );
        state.countLazyFree(value, lazy);
      },
      get keepExpired() {
        // While writes are paused nothing may change, expiry included.
        // A busy script lets other clients in but nothing may change.
        // A replica deletes expired keys only when its master says so.
        return state.loading || state.scripting?.busy === true ||
          (state.pause !== undefined &&
            state.clock.now() < state.pause.until) ||
          state.replication?.isReplica === true;
      },
      get expiredVisible() {
        // The master's own commands see keys past their expiry as present.
        return state.replication?.applyingMaster === true;
      },
      get accessPolicy() {
        return policy;
      },
      lruClock: () => state.lruClock,
      lfuInit: () => lfuInit(this.clock.now()),
      lfuTouch: (meta: number) => lfuTouch(meta, this),
    };
  }

  /** Re-reads the clock into the cached LRU clock (every cron tick). */
  refreshLruClock(): void {
    this.lruClock = lruClock(this.clock.now());
  }

  /** Database `index`. */
  db(index: number): Database {
    return this.keyspace.db(index);
  }

  #batch: { db: number; argv: Argv; targets: number }[] | undefined;

  /**
   * Where the commands being run propagate to (PROPAGATE_* bits): all of
   * them, unless a script's `redis.set_repl` narrows it for its commands.
   */
  propagationTargets = PROPAGATE_ALL;

  /**
   * Hands a change to the sinks of `targets` (AOF, replicas), or to the
   * open batch; a change with no target goes nowhere.
   */
  propagate(
    db: number,
    argv: Argv,
    targets: number = this.propagationTargets,
  ): void {
    if (targets === 0) return;
    if (this.#batch !== undefined) {
      this.#batch.push({ db, argv, targets });
      return;
    }
    for (const sink of this.sinks) {
      if (((sink.target ?? PROPAGATE_ALL) & targets) !== 0) {
        sink.propagate(db, argv);
      }
    }
  }

  /**
   * Starts collecting propagated commands so several reach AOF and replicas
   * as one MULTI/EXEC (EXEC, commands that propagate more than one command).
   * Returns a token for `endPropagationBatch`; nested batches join the outer one.
   */
  beginPropagationBatch(): object | undefined {
    if (this.#batch !== undefined) return undefined;
    this.#batch = [];
    return this.#batch;
  }

  /**
   * Emits what the batch collected: one command as is, several wrapped in
   * MULTI/EXEC. As in Redis's propagatePendingCommands, each command goes to
   * its own targets while MULTI and EXEC go to both.
   */
  endPropagationBatch(token: object | undefined): void {
    if (token === undefined || token !== this.#batch) return;
    const ops = this.#batch;
    this.#batch = undefined;
    if (ops.length === 0) return;
    if (ops.length === 1) {
      this.propagate(ops[0]!.db, ops[0]!.argv, ops[0]!.targets);
      return;
    }
    this.propagate(ops[0]!.db, ["MULTI"], PROPAGATE_ALL);
    for (const op of ops) this.propagate(op.db, op.argv, op.targets);
    this.propagate(ops[ops.length - 1]!.db, ["EXEC"], PROPAGATE_ALL);
  }

  /** Emits a keyspace event to listeners. */
  notify(type: number, event: string, key: string, db: number): void {
    for (const sink of this.eventSinks) sink(type, event, key, db);
  }

  /**
   * Counts a value freed `lazily` if Redis would free it in its background
   * thread (INFO lazyfreed_objects): a big enough one.
   */
  countLazyFree(value: RedisValue, lazily: boolean): void {
    if (lazily && freedInBackground(value, this.encoding.listMaxListpackSize)) {
      this.stats.lazyfreedObjects++;
    }
  }

  /** Counts an error reply by its code (INFO errorstats). */
  countError(code: string): void {
    this.stats.totalErrorReplies++;
    const errors = this.stats.errors;
    // Redis stops tracking new codes past 128 to bound memory.
    if (errors.has(code) || errors.size < 128) {
      errors.set(code, (errors.get(code) ?? 0) + 1);
    }
  }
}

/** Keyspace notification classes, as Redis's NOTIFY_* bits. */
export const NOTIFY_KEYSPACE = 1 << 0;
export const NOTIFY_KEYEVENT = 1 << 1;
export const NOTIFY_GENERIC = 1 << 2;
export const NOTIFY_STRING = 1 << 3;
export const NOTIFY_LIST = 1 << 4;
export const NOTIFY_SET = 1 << 5;
export const NOTIFY_HASH = 1 << 6;
export const NOTIFY_ZSET = 1 << 7;
export const NOTIFY_EXPIRED = 1 << 8;
export const NOTIFY_EVICTED = 1 << 9;
export const NOTIFY_STREAM = 1 << 10;
export const NOTIFY_KEY_MISS = 1 << 11;
export const NOTIFY_LOADED = 1 << 12;
export const NOTIFY_MODULE = 1 << 13;
export const NOTIFY_NEW = 1 << 14;

// LFU data as Redis packs it: 16 bits of minutes since the last decrement,
// then an 8-bit logarithmic counter, starting at LFU_INIT_VAL.
const LFU_INIT_VAL = 5;

function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 0xffff;
}

function lfuInit(nowMs: number): number {
  return (lfuMinutes(nowMs) << 8) | LFU_INIT_VAL;
}

/** Minutes elapsed since the LFU decrement time `ldt`, with 16-bit wraparound. */
export function lfuElapsed(ldt: number, nowMs: number): number {
  const now = lfuMinutes(nowMs);
  return now >= ldt ? now - ldt : 65535 - ldt + now;
}

/** The LFU counter after time decay (Redis's LFUDecrAndReturn). */
export function lfuDecayed(meta: number, state: ServerState): number {
  const ldt = meta >>> 8;
  const counter = meta & 0xff;
  const decay = state.config.number("lfu-decay-time");
  const periods = decay > 0
    ? Math.floor(lfuElapsed(ldt, state.clock.now()) / decay)
    : 0;
  return periods > counter ? 0 : counter - periods;
}

function lfuTouch(meta: number, state: ServerState): number {
  let counter = lfuDecayed(meta, state);
  // Logarithmic increment (Redis's LFULogIncr).
  if (counter < 255) {
    const base = Math.max(0, counter - LFU_INIT_VAL);
    const p = 1 / (base * state.config.number("lfu-log-factor") + 1);
    if (state.random.float() < p) counter++;
  }
  return (lfuMinutes(state.clock.now()) << 8) | counter;
}
