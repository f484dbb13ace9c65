/**
 * The master side of replication, as Redis 7.0 runs it: the replica
 * registry (SYNC/PSYNC, REPLCONF), the replication ids and offset, the
 * backlog, full synchronisations from a point-in-time snapshot (to disk or
 * straight to the sockets, several replicas sharing one snapshot), partial
 * resynchronisation from the backlog, streaming the writes, PINGs and
 * keep-alive newlines, ACKs, WAIT, min-replicas-to-write and the replica
 * output buffer limits.
 *
 * A replica's connection stays a normal client connection for what it
 * sends (REPLCONF ACK), but everything written to it (the +FULLRESYNC or
 * +CONTINUE line, the RDB payload, the stream) is written here, straight
 * to its socket, in order, through one promise chain per replica. Stream
 * bytes are written at most once per turn of the event loop, after the
 * commands of that turn, from the shared backlog (backlog.ts).
 *
 * The same object serves a replica with sub-replicas: it then feeds the
 * backlog with the bytes received from its own master (`feedRaw`) instead
 * of its own writes, so offsets are equal all along the chain.
 *
 * @module
 */
import type { Client } from "../client.ts";
import { pipelineHooks } from "../commands/dispatch.ts";
import { CommandError, notInteger, syntaxError } from "../errors.ts";
import { log } from "../log.ts";
import { rdbImage } from "../persistence/rdb_runtime.ts";
import {
  type RdbSnapshot,
  SNAPSHOT_SLICE_MS,
} from "../persistence/snapshot.ts";
import type { Argv } from "../protocol/types.ts";
import type { WaitOptions } from "../services/replication.ts";
import {
  PROPAGATE_REPL,
  type PropagationSink,
  type ServerState,
} from "../state.ts";
import { latin1ToBytes } from "../util/bytes.ts";
import { Backlog } from "./backlog.ts";

/** Redis's CONFIG_REPL_BACKLOG_MIN_SIZE. */
const BACKLOG_MIN_SIZE = 16 * 1024;
/** Bytes read from the RDB file per write when sending it to a replica. */
const FILE_CHUNK = 1024 * 1024;

/** What the rest of replication tells the master side. */
export interface PrimaryHost {
  /** REPLICAOF host port is in effect (server.masterhost). */
  readonly isReplica: boolean;
  /** The link with our master is up (repl_state connected). */
  readonly linkUp: boolean;
  /** A FAILOVER is under way (failover_state != no-failover). */
  readonly failingOver: boolean;
  /** A FAILOVER waits for a replica and holds writes: no PINGs then. */
  readonly failoverPaused: boolean;
  /**
   * PSYNC <replid> <offset> FAILOVER from our master: become a master when
   * `replid` is ours. Returns an error text, or undefined when done.
   */
  failoverRequest(client: Client, replid: string): string | undefined;
  /** The db of the stream for an RDB's repl-stream-db, when we are a replica. */
  replicaStreamDb(): number | undefined;
  /** REPLCONF GETACK reached us: our master gets an ACK now. */
  sendAckToMaster(): void;
}

/** What a connection told us with REPLCONF. */
interface ReplConf {
  port: number;
  ip: string | undefined;
  eof: boolean;
  psync2: boolean;
  rdbOnly: boolean;
  /** rdb-filter-only: bit 1 leaves the keys out, bit 2 the functions. */
  req: number;
}

const EXCLUDE_DATA = 1;
const EXCLUDE_FUNCTIONS = 2;

/** Redis's replica states, as INFO names them. */
type ReplicaState =
  | "wait_bgsave_start"
  | "wait_bgsave_end"
  | "send_bulk"
  | "online";

/** INFO's `state=` and `lag=` of a replica (Redis's replstateToString). */
function stateAndLag(r: Replica, nowSeconds: number): {
  state: string;
  lag: number;
} {
  const state = r.state === "wait_bgsave_start" || r.state === "wait_bgsave_end"
    ? "wait_bgsave"
    : r.state;
  const lag = r.state === "online"
    ? nowSeconds - Math.floor(r.ackTime / 1000)
    : 0;
  return { state, lag };
}

/** One replica connected to us. */
class Replica {
  readonly client: Client;
  readonly conn: Deno.Conn;
  readonly conf: ReplConf;
  state: ReplicaState = "wait_bgsave_start";
  /** Came with SYNC: no +FULLRESYNC line and no ACKs. */
  prePsync = false;
  ackOffset = 0;
  /** When the last ACK came (Unix ms). */
  ackTime: number;
  /** The offset the full sync started at (psync_initial_offset). */
  initialOffset = -1;
  /** The next stream byte to send; 0 while not fed (waiting for a snapshot). */
  next = 0;
  /** The stream may be written (online, and for a diskless sync, acknowledged). */
  streaming = false;
  /** Diskless sync done: the stream starts with the first ACK. */
  startOnAck = false;
  pumping = false;
  closed = false;
  softLimitSince = 0;
  chain: Promise<void> = Promise.resolve();

  constructor(client: Client, conn: Deno.Conn, conf: ReplConf, now: number) {
    this.client = client;
    this.conn = conn;
    this.conf = conf;
    this.ackTime = now;
  }

  /** The address replicas are listed with: REPLCONF ip-address, or the peer's. */
  get ip(): string {
    if (this.conf.ip !== undefined) return this.conf.ip;
    const addr = this.client.addr;
    const host = addr.slice(0, addr.lastIndexOf(":"));
    return host.startsWith("[") ? host.slice(1, -1) : host;
  }

  /** Redis's replicationGetSlaveName: `ip:port`. */
  get name(): string {
    const ip = this.ip;
    const host = ip.includes(":") ? `[${ip}]` : ip;
    return this.conf.port !== 0
      ? `${host}:${this.conf.port}`
      : `${host}:<unknown-replica-port>`;
  }
}

/** A snapshot being sent to replicas. */
interface SyncJob {
  readonly diskless: boolean;
  readonly req: number;
  readonly image: RdbSnapshot;
  readonly replicas: Replica[];
  /** Disk target: the file is written; replicas can no longer attach. */
  saved: boolean;
  cancelled: boolean;
}

/** A client blocked in WAIT. */
interface AckWaiter {
  client: Client;
  offset: number;
  numreplicas: number;
  done: (count: number) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Counters for INFO stats. */
export interface PrimaryStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  netReplOutput: number;
  netReplInput: number;
}

/** The master side of replication; see the module comment. */
export class Primary implements PropagationSink {
  /** The replicas' target of propagation (scripts' redis.set_repl). */
  readonly target = PROPAGATE_REPL;
  readonly #state: ServerState;
  readonly #host: PrimaryHost;
  /** master_replid, master_replid2 and second_repl_offset. */
  replid: string = randomHex(40);
  replid2: string = "0".repeat(40);
  secondOffset = -1;
  /** The backlog; undefined until a replica first connects (Redis's repl_backlog). */
  backlog: Backlog | undefined;
  // master_repl_offset while there is no backlog.
  #bareOffset = 0;
  /** The db the stream last selected (server.slaveseldb); -1 forces a SELECT. */
  selDb = -1;
  /** Replicas in arrival order (server.slaves). */
  readonly replicas: Replica[] = [];
  readonly #byClient = new Map<Client, Replica>();
  readonly #conf = new WeakMap<Client, ReplConf>();
  #lastObservedOffset = 0;
  #job: SyncJob | undefined;
  #flushScheduled = false;
  #getAck = false;
  readonly #waiters: AckWaiter[] = [];
  /** When the last replica left (repl_no_slaves_since, Unix ms). */
  noReplicasSince: number;
  /** Replicas online with a small enough lag (repl_good_slaves_count). */
  goodReplicas = 0;
  readonly stats: PrimaryStats = {
    syncFull: 0,
    syncPartialOk: 0,
    syncPartialErr: 0,
    netReplOutput: 0,
    netReplInput: 0,
  };
  #cronLoops = 0;
  // client-output-buffer-limit's `slave` class, parsed once per change.
  #limit: { hard: number; soft: number; softSeconds: number };
  readonly #observer = (
    server: ServerState,
    client: Client,
    cmd: { name: string },
    argv: Argv,
  ) => {
    if (server !== this.#state) return;
    // Outside cluster mode Redis sends PUBLISH to replicas (not to the
    // AOF), so their subscribers hear the master's messages.
    if (
      (cmd.name === "publish" || cmd.name === "spublish") &&
      !this.#host.isReplica
    ) {
      this.#feedCommand(client.db, argv);
    }
    const offset = this.offset;
    if (offset !== this.#lastObservedOffset) {
      this.#lastObservedOffset = offset;
      client.woff = offset;
    }
  };

  /** The master side of `state`'s replication. */
  constructor(state: ServerState, host: PrimaryHost) {
    this.#state = state;
    this.#host = host;
    this.noReplicasSince = state.clock.now();
    this.#limit = replicaLimit(state.config.get("client-output-buffer-limit"));
    state.config.onChange("client-output-buffer-limit", (v) => {
      this.#limit = replicaLimit(v);
    });
    state.clientCloseHooks.push((client) => this.#clientClosed(client));
    state.config.onChange("repl-backlog-size", (v) => {
      if (this.backlog !== undefined) {
        this.backlog.size = Math.max(BACKLOG_MIN_SIZE, Number(v));
        this.#trim();
      }
    });
  }

  /** master_repl_offset. */
  get offset(): number {
    return this.backlog?.offset ?? this.#bareOffset;
  }

  /** Sets master_repl_offset (a replica's, from its master; a restart). */
  setOffset(offset: number): void {
    if (this.backlog !== undefined) this.backlog.rebase(offset - this.offset);
    else this.#bareOffset = offset;
  }

  /** Redis's changeReplicationId. */
  changeReplicationId(): void {
    this.replid = randomHex(40);
  }

  /** Redis's clearReplicationId2. */
  clearReplicationId2(): void {
    this.replid2 = "0".repeat(40);
    this.secondOffset = -1;
  }

  /**
   * Redis's shiftReplicationId: the current id stays valid as replid2 up to
   * the current offset, and a new history starts (a replica promoted).
   */
  shiftReplicationId(): void {
    this.replid2 = this.replid;
    this.secondOffset = this.offset + 1;
    this.changeReplicationId();
    log.warning(
      `Setting secondary replication ID to ${this.replid2}, valid up to offset: ${this.secondOffset}. New replication ID is ${this.replid}`,
    );
  }

  /** Redis's createReplicationBacklog (a no-op when there is one). */
  createBacklog(): void {
    if (this.backlog !== undefined) return;
    const size = Math.max(
      BACKLOG_MIN_SIZE,
      this.#state.config.number("repl-backlog-size"),
    );
    this.backlog = new Backlog(size, this.#bareOffset);
    this.#lastObservedOffset = this.#bareOffset;
    const sinks = this.#state.sinks;
    if (!sinks.includes(this)) sinks.push(this);
    if (!pipelineHooks.observers.includes(this.#observer)) {
      pipelineHooks.observers.push(this.#observer);
    }
  }

  /** Redis's freeReplicationBacklog (only with no replica attached). */
  freeBacklog(): void {
    const backlog = this.backlog;
    if (backlog === undefined) return;
    this.#bareOffset = backlog.offset;
    this.backlog = undefined;
    const sinks = this.#state.sinks;
    const i = sinks.indexOf(this);
    if (i >= 0) sinks.splice(i, 1);
    const observers = pipelineHooks.observers;
    const j = observers.indexOf(this.#observer);
    if (j >= 0) observers.splice(j, 1);
  }

  // ------------------------------------------------------------- feeding

  /**
   * PropagationSink: a command ran in database `db` (Redis's
   * replicationFeedSlaves). A replica proxies its master's stream instead,
   * and nothing propagates while a dataset loads.
   */
  propagate(db: number, argv: Argv): void {
    if (this.#host.isReplica || this.#state.loading) return;
    this.#feedCommand(db, argv);
  }

  #feedCommand(db: number, argv: Argv): void {
    const backlog = this.backlog;
    if (backlog === undefined) return;
    if (db !== this.selDb) {
      backlog.appendCommand(["SELECT", String(db)]);
      this.selDb = db;
    }
    backlog.appendCommand(argv);
    this.#scheduleFlush();
  }

  /** A replica proxies what its master sent (replicationFeedStreamFromMasterStream). */
  feedRaw(bytes: Uint8Array): void {
    const backlog = this.backlog;
    if (backlog === undefined || bytes.length === 0) return;
    backlog.appendBytes(bytes);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // After every connection whose data arrived in this turn of the event
    // loop ran its commands: one write per replica for all of them (Redis
    // writes to replicas in beforeSleep).
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  // Once per turn: the GETACK WAIT asked for, the stream to each replica,
  // output limits, trimming, and WAIT clients that can go.
  #flush(): void {
    if (this.#getAck && !this.#host.failoverPaused) {
      this.#getAck = false;
      if (!this.#host.isReplica) {
        this.#feedCommand(this.selDb, ["REPLCONF", "GETACK", "*"]);
        // As in Redis, the clients whose WAIT asked for it count it as
        // their own last write.
        const offset = this.offset;
        for (const w of this.#waiters) w.client.woff = offset;
        this.#lastObservedOffset = offset;
      }
    }
    const backlog = this.backlog;
    if (backlog !== undefined) {
      for (const r of this.replicas) {
        if (r.next === 0 || r.closed) continue;
        if (this.#overLimit(r, backlog.offset + 1 - r.next)) continue;
        if (r.streaming) this.#pump(r);
      }
      this.#trim();
    }
    if (this.#waiters.length !== 0) this.#serveWaiters();
  }

  // Writes the stream to `r` from its next byte until it has everything.
  #pump(r: Replica): void {
    if (r.pumping || r.closed) return;
    r.pumping = true;
    r.chain = r.chain.then(async () => {
      try {
        for (;;) {
          const backlog = this.backlog;
          if (r.closed || backlog === undefined || r.next > backlog.offset) {
            break;
          }
          const piece = backlog.read(r.next);
          if (piece === undefined || piece.bytes.length === 0) {
            throw new Error("the stream it needs is no longer held");
          }
          await writeAll(r.conn, piece.bytes);
          r.next += piece.bytes.length;
          this.stats.netReplOutput += piece.bytes.length;
        }
      } catch (e) {
        this.#writeFailed(r, e);
      } finally {
        r.pumping = false;
      }
    });
  }

  // client-output-buffer-limit replica: closes `r` when what it has not
  // been sent is over the hard limit, or over the soft one for too long.
  #overLimit(r: Replica, pending: number): boolean {
    const limit = this.#limit;
    if (limit.hard === 0 && limit.soft === 0) return false;
    let over = limit.hard > 0 && pending >= limit.hard;
    const now = this.#state.clock.now();
    if (!over && limit.soft > 0 && pending >= limit.soft) {
      if (r.softLimitSince === 0) r.softLimitSince = now;
      else if (now - r.softLimitSince > limit.softSeconds * 1000) over = true;
    } else if (!over) {
      r.softLimitSince = 0;
    }
    if (!over) return false;
    log.warning(
      `Client id=${r.client.id} addr=${r.client.addr} laddr=${r.client.laddr} fd=${
        r.client.id + 7
      } name=${r.client.name} flags=S scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    r.closed = true;
    r.client.close("output buffer limit");
    return true;
  }

  #trim(): void {
    const backlog = this.backlog;
    if (backlog === undefined) return;
    let keepFrom = Infinity;
    for (const r of this.replicas) {
      if (r.next !== 0 && r.next < keepFrom) keepFrom = r.next;
    }
    backlog.trim(keepFrom);
  }

  // ---------------------------------------------------------- REPLCONF

  /**
   * REPLCONF option value ...: Redis's replconfCommand. Returns true for
   * an +OK reply, false for none (ACK, GETACK).
   */
  replconf(client: Client, argv: Argv): boolean {
    if (argv.length % 2 === 0) throw syntaxError();
    const conf = this.#confOf(client);
    for (let j = 1; j < argv.length; j += 2) {
      const option = argv[j]!.toLowerCase();
      const value = argv[j + 1]!;
      switch (option) {
        case "listening-port": {
          const port = parseLong(value);
          if (port === undefined) throw notInteger();
          conf.port = port;
          break;
        }
        case "ip-address":
          if (value.length >= 256) {
            throw new CommandError(
              "ERR",
              `REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`,
            );
          }
          conf.ip = value;
          break;
        case "capa":
          if (value.toLowerCase() === "eof") conf.eof = true;
          else if (value.toLowerCase() === "psync2") conf.psync2 = true;
          break;
        case "ack": {
          const r = this.#byClient.get(client);
          if (r === undefined) return false;
          const offset = parseLong(value);
          if (offset === undefined) return false;
          this.#ack(r, offset);
          return false;
        }
        case "getack":
          this.#host.sendAckToMaster();
          return false;
        case "rdb-only": {
          const v = parseLong(value);
          if (v === undefined) throw notInteger();
          if (v < 0 || v > 1) {
            // Redis's getRangeLongFromObjectOrReply text, as it spells it.
            throw new CommandError(
              "ERR",
              "value is out of range, value must between 0 and 1",
            );
          }
          conf.rdbOnly = v === 1;
          break;
        }
        case "rdb-filter-only": {
          conf.req |= EXCLUDE_DATA | EXCLUDE_FUNCTIONS;
          for (const f of value.split(" ").filter((w) => w !== "")) {
            if (f.toLowerCase() === "functions") conf.req &= ~EXCLUDE_FUNCTIONS;
            else {
              throw new CommandError(
                "ERR",
                `Unsupported rdb-filter-only option: ${f}`,
              );
            }
          }
          break;
        }
        default:
          throw new CommandError(
            "ERR",
            `Unrecognized REPLCONF option: ${argv[j]}`,
          );
      }
    }
    return true;
  }

  #confOf(client: Client): ReplConf {
    let conf = this.#conf.get(client);
    if (conf === undefined) {
      conf = {
        port: 0,
        ip: undefined,
        eof: false,
        psync2: false,
        rdbOnly: false,
        req: 0,
      };
      this.#conf.set(client, conf);
    }
    return conf;
  }

  #ack(r: Replica, offset: number): void {
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackTime = this.#state.clock.now();
    if (r.startOnAck && r.state === "online") this.#startStream(r);
    if (this.#waiters.length !== 0) this.#scheduleFlush();
  }

  // ------------------------------------------------------- SYNC / PSYNC

  /** SYNC and PSYNC (Redis's syncCommand). */
  sync(client: Client, argv: Argv): void {
    if (this.#byClient.has(client)) return; // already a replica
    const conn = this.#state.socketOf(client);
    if (conn === undefined) {
      throw new CommandError("ERR", "SYNC needs a network connection");
    }
    const psync = argv[0]!.toLowerCase() === "psync";
    if (psync && argv.length > 3 && argv[3]!.toLowerCase() === "failover") {
      log.warning(`Failover request received for replid ${argv[1]}.`);
      const error = this.#host.failoverRequest(client, argv[1]!);
      if (error !== undefined) throw new CommandError("ERR", error);
    }
    if (this.#host.failingOver) {
      throw new CommandError("NOMASTERLINK", "Can't SYNC while failing over");
    }
    if (this.#host.isReplica && !this.#host.linkUp) {
      throw new CommandError(
        "NOMASTERLINK",
        "Can't SYNC while not connected with my master",
      );
    }
    if (client.out.length !== 0 || client.outInFlight !== 0) {
      throw new CommandError(
        "ERR",
        "SYNC and PSYNC are invalid with pending output",
      );
    }
    const conf = this.#confOf(client);
    if ((conf.req & (EXCLUDE_DATA | EXCLUDE_FUNCTIONS)) !== 0 && !conf.eof) {
      throw new CommandError("ERR", "Filtered replica requires EOF capability");
    }
    const now = this.#state.clock.now();
    const r = new Replica(client, conn, conf, now);
    log.notice(`Replica ${r.name} asks for synchronization`);
    if (psync) {
      const offset = parseLong(argv[2]!);
      if (offset === undefined) {
        log.warning(
          `Replica ${r.name} asks for synchronization but with a wrong offset`,
        );
        throw notInteger();
      }
      if (this.#tryPartial(r, argv[1]!, offset)) {
        this.stats.syncPartialOk++;
        return;
      }
      if (argv[1] !== "?") this.stats.syncPartialErr++;
    } else {
      r.prePsync = true;
    }
    this.stats.syncFull++;
    this.#attach(r);
    if (this.replicas.length === 1 && this.backlog === undefined) {
      // A new history: no past one could be resumed from.
      this.changeReplicationId();
      this.clearReplicationId2();
      this.createBacklog();
      log.notice(
        `Replication backlog created, my new replication IDs are '${this.replid}' and '${this.replid2}'`,
      );
    }
    const job = this.#job;
    if (job !== undefined && !job.diskless) {
      const first = job.replicas.find((o) =>
        o.state === "wait_bgsave_end" && (!o.conf.rdbOnly || conf.rdbOnly)
      );
      if (
        !job.saved && first !== undefined && job.req === conf.req &&
        (!first.conf.eof || conf.eof) && (!first.conf.psync2 || conf.psync2)
      ) {
        this.#setupFullResync(r, first.initialOffset);
        job.replicas.push(r);
        log.notice("Waiting for end of BGSAVE for SYNC");
      } else {
        log.notice(
          "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
        );
      }
    } else if (job !== undefined) {
      log.notice(
        "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC",
      );
    } else if (
      this.#state.config.bool("repl-diskless-sync") && conf.eof &&
      this.#state.config.number("repl-diskless-sync-delay") > 0
    ) {
      log.notice("Delay next BGSAVE for diskless SYNC");
    } else {
      this.#startSync(conf.eof, conf.req);
    }
  }

  #attach(r: Replica): void {
    r.client.replRole = "replica";
    // Replicas get no replies, only the stream.
    r.client.replyMode = "off";
    this.replicas.push(r);
    this.#byClient.set(r.client, r);
  }

  // Redis's masterTryPartialResynchronization.
  #tryPartial(r: Replica, replid: string, offset: number): boolean {
    if (
      replid.toLowerCase() !== this.replid &&
      (replid.toLowerCase() !== this.replid2 || offset > this.secondOffset)
    ) {
      if (replid !== "?") {
        if (
          replid.toLowerCase() !== this.replid &&
          replid.toLowerCase() !== this.replid2
        ) {
          log.notice(
            `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${this.replid}' and '${this.replid2}')`,
          );
        } else {
          log.notice(
            `Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${this.secondOffset}`,
          );
        }
      } else {
        log.notice(`Full resync requested by replica ${r.name}`);
      }
      return false;
    }
    const backlog = this.backlog;
    if (backlog === undefined || !backlog.covers(offset)) {
      log.notice(
        `Unable to partial resync with replica ${r.name} for lack of backlog (Replica request was: ${offset}).`,
      );
      if (offset > this.offset) {
        log.warning(
          `Warning: replica ${r.name} tried to PSYNC with an offset that is greater than the master replication offset.`,
        );
      }
      return false;
    }
    this.#attach(r);
    r.state = "online";
    r.ackTime = this.#state.clock.now();
    this.#send(
      r,
      latin1ToBytes(
        r.conf.psync2 ? `+CONTINUE ${this.replid}\r\n` : "+CONTINUE\r\n",
      ),
    );
    r.next = offset;
    r.streaming = true;
    log.notice(
      `Partial resynchronization request from ${r.name} accepted. Sending ${
        backlog.offset - offset + 1
      } bytes of backlog starting from offset ${offset}.`,
    );
    this.#refreshGood();
    this.#pump(r);
    return true;
  }

  // Redis's replicationSetupSlaveForFullResync.
  #setupFullResync(r: Replica, offset: number): void {
    r.initialOffset = offset;
    r.state = "wait_bgsave_end";
    // rdb-only replicas (redis-cli --rdb) take no stream.
    if (!r.conf.rdbOnly) r.next = offset + 1;
    // The stream for the new replica must begin with a SELECT.
    this.selDb = -1;
    if (!r.prePsync) {
      this.#send(
        r,
        latin1ToBytes(`+FULLRESYNC ${this.replid} ${offset}\r\n`),
      );
    }
  }

  // Redis's startBgsaveForReplication: one snapshot for every replica
  // waiting with the same requirements.
  #startSync(mincapaEof: boolean, req: number): void {
    const state = this.#state;
    const diskless = (state.config.bool("repl-diskless-sync") || req !== 0) &&
      mincapaEof;
    log.notice(
      `Starting BGSAVE for SYNC with target: ${
        diskless ? "replicas sockets" : "disk"
      }`,
    );
    const waiting = this.replicas.filter((r) =>
      r.state === "wait_bgsave_start" && r.conf.req === req
    );
    if (this.#host.isReplica && this.#host.replicaStreamDb() === undefined) {
      log.warning(
        "BGSAVE for replication: replication information not available, can't generate the RDB file right now. Try later.",
      );
      log.warning("BGSAVE for replication failed");
      for (const r of waiting) {
        this.#detach(r);
        r.client.replyMode = "on";
        r.client.out.line(45, "ERR BGSAVE failed, replication can't continue");
        r.client.closeAfterReply = true;
        r.client.flush();
      }
      return;
    }
    const image = this.#image(req);
    const job: SyncJob = {
      diskless,
      req,
      image,
      replicas: [],
      saved: false,
      cancelled: false,
    };
    this.#job = job;
    const offset = this.offset;
    for (const r of waiting) {
      this.#setupFullResync(r, offset);
      job.replicas.push(r);
    }
    const run = diskless ? this.#sendToSockets(job) : this.#sendFromDisk(job);
    run.catch((e) => {
      log.warning(`Full synchronization failed: ${(e as Error).message}`);
      for (const r of job.replicas) r.client.close("sync failed");
    }).finally(() => {
      if (this.#job === job) this.#job = undefined;
      job.image.cancel();
      this.#startPendingSync();
    });
  }

  // The RDB image for a full sync: the whole dataset, or only what
  // rdb-filter-only keeps.
  #image(req: number): RdbSnapshot {
    // Redis writes a filtered RDB with the same aux fields; keys and
    // functions are left out as asked.
    return rdbImage(this.#state, {
      noKeys: (req & EXCLUDE_DATA) !== 0,
      noFunctions: (req & EXCLUDE_FUNCTIONS) !== 0,
    });
  }

  // Diskless: the snapshot goes straight to every replica's socket,
  // between `$EOF:<mark>` and the mark (Redis's rdbSaveToSlavesSockets).
  async #sendToSockets(job: SyncJob): Promise<void> {
    log.notice(`Background RDB transfer started by pid ${Deno.pid}`);
    const mark = randomHex(40);
    const alive = () => job.replicas.filter((r) => !r.closed);
    for (const r of alive()) this.#send(r, latin1ToBytes(`$EOF:${mark}\r\n`));
    const reader = job.image.stream(SNAPSHOT_SLICE_MS, this.#state.ioTurn)
      .getReader();
    try {
      for (;;) {
        if (alive().length === 0) {
          log.warning(
            "Diskless rdb transfer, last replica dropped, killing fork child.",
          );
          job.cancelled = true;
          return;
        }
        const { done, value } = await reader.read();
        if (done) break;
        await Promise.all(alive().map((r) => this.#send(r, value)));
      }
    } finally {
      reader.releaseLock();
    }
    const markBytes = latin1ToBytes(mark);
    await Promise.all(alive().map((r) => this.#send(r, markBytes)));
    log.warning(
      `Diskless rdb transfer, done reading from pipe, ${alive().length} replicas still up.`,
    );
    log.notice("Background RDB transfer terminated with success");
    for (const r of alive()) {
      log.notice(
        `Streamed RDB transfer with replica ${r.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
      );
      this.#putOnline(r);
      // The stream waits for the replica's first ACK, so the end of the
      // payload is found by the mark alone (redis-cli --replica sends one too).
      if (r.conf.rdbOnly) this.#startStream(r);
      else r.startOnAck = true;
    }
  }

  // Disk target: the snapshot is saved to the RDB file, which is then sent
  // to each replica as `$<length>` and the file (Redis's sendBulkToSlave).
  async #sendFromDisk(job: SyncJob): Promise<void> {
    const state = this.#state;
    log.notice(`Background saving started by pid ${Deno.pid}`);
    const tmp = state.config.path(`temp-${Deno.pid}-sync.rdb`);
    const target = state.config.path(state.config.get("dbfilename"));
    const file = await Deno.open(tmp, {
      write: true,
      create: true,
      truncate: true,
    });
    try {
      const reader = job.image.stream(SNAPSHOT_SLICE_MS, this.#state.ioTurn)
        .getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await writeAll(file, value);
        if (job.replicas.every((r) => r.closed)) {
          // Redis's child would finish the file anyway; there is no one
          // left to send it to, and the save is not a BGSAVE.
          job.cancelled = true;
          reader.releaseLock();
          file.close();
          await Deno.remove(tmp).catch(() => {});
          return;
        }
      }
      await file.sync();
      file.close();
    } catch (e) {
      try {
        file.close();
      } catch { /* closed */ }
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
    await Deno.rename(tmp, target);
    log.notice("Background saving terminated with success");
    job.saved = true;
    const size = (await Deno.stat(target)).size;
    await Promise.all(
      job.replicas.filter((r) => !r.closed).map((r) =>
        this.#sendFile(r, target, size)
      ),
    );
  }

  async #sendFile(r: Replica, path: string, size: number): Promise<void> {
    r.state = "send_bulk";
    const file = await Deno.open(path, { read: true });
    try {
      await this.#send(r, latin1ToBytes(`$${size}\r\n`));
      const buf = new Uint8Array(FILE_CHUNK);
      let sent = 0;
      while (sent < size && !r.closed) {
        const n = await file.read(buf);
        if (n === null) {
          log.warning("Read error sending DB to replica: premature EOF");
          r.client.close("premature EOF");
          return;
        }
        await this.#send(r, buf.slice(0, n));
        sent += n;
      }
    } finally {
      file.close();
    }
    if (r.closed) return;
    this.#putOnline(r);
    this.#startStream(r);
  }

  // Redis's replicaPutOnline.
  #putOnline(r: Replica): void {
    if (r.conf.rdbOnly) return;
    r.state = "online";
    r.ackTime = this.#state.clock.now();
    this.#refreshGood();
    log.notice(`Synchronization with replica ${r.name} succeeded`);
  }

  // Redis's replicaStartCommandStream.
  #startStream(r: Replica): void {
    r.startOnAck = false;
    if (r.conf.rdbOnly) {
      log.notice(
        `Close the connection with replica ${r.name} as RDB transfer is complete`,
      );
      r.chain = r.chain.then(() => r.client.close("rdb-only"));
      return;
    }
    r.streaming = true;
    this.#pump(r);
  }

  // Writes `bytes` to `r` after what is queued for it.
  #send(r: Replica, bytes: Uint8Array): Promise<void> {
    r.chain = r.chain.then(async () => {
      if (r.closed) return;
      try {
        await writeAll(r.conn, bytes);
        this.stats.netReplOutput += bytes.length;
      } catch (e) {
        this.#writeFailed(r, e);
      }
    });
    return r.chain;
  }

  #writeFailed(r: Replica, e: unknown): void {
    if (r.closed) return;
    log.warning(
      `Write error sending data to replica ${r.name}: ${(e as Error).message}`,
    );
    r.client.close("write error");
  }

  // Redis's shouldStartChildReplication + replicationStartPendingFork.
  #startPendingSync(): void {
    if (this.#job !== undefined) return;
    const state = this.#state;
    const now = state.clock.now();
    let first: Replica | undefined;
    let waiting = 0;
    let maxIdle = 0;
    let eof = true;
    for (const r of this.replicas) {
      if (r.state !== "wait_bgsave_start" || r.closed) continue;
      if (first === undefined) first = r;
      else if (r.conf.req !== first.conf.req) continue;
      waiting++;
      maxIdle = Math.max(
        maxIdle,
        Math.floor(now / 1000) - Math.floor(r.client.lastInteraction / 1000),
      );
      eof &&= r.conf.eof;
    }
    if (first === undefined) return;
    const maxReplicas = state.config.number("repl-diskless-sync-max-replicas");
    if (
      !state.config.bool("repl-diskless-sync") ||
      (maxReplicas > 0 && waiting >= maxReplicas) ||
      maxIdle >= state.config.number("repl-diskless-sync-delay")
    ) {
      this.#startSync(eof, first.conf.req);
    }
  }

  // ----------------------------------------------------------- leaving

  #clientClosed(client: Client): void {
    const r = this.#byClient.get(client);
    if (r !== undefined) {
      log.warning(`Connection with replica ${r.name} lost.`);
      this.#detach(r);
    }
    const i = this.#waiters.findIndex((w) => w.client === client);
    if (i >= 0) {
      const w = this.#waiters[i]!;
      if (w.timer !== undefined) clearTimeout(w.timer);
      this.#waiters.splice(i, 1);
    }
  }

  #detach(r: Replica): void {
    r.closed = true;
    this.#byClient.delete(r.client);
    const i = this.replicas.indexOf(r);
    if (i >= 0) this.replicas.splice(i, 1);
    if (r.client.replRole === "replica") r.client.replRole = undefined;
    if (this.replicas.length === 0) {
      this.noReplicasSince = this.#state.clock.now();
    }
    this.#refreshGood();
    this.#trim();
  }

  /** Closes every replica connection (Redis's disconnectSlaves). */
  disconnectReplicas(): void {
    for (const r of [...this.replicas]) r.client.close("disconnect replicas");
  }

  /** The online replica listening at `host:port` (FAILOVER TO). */
  findReplica(host: string, port: number): Replica | undefined {
    return this.replicas.find((r) =>
      r.ip.toLowerCase() === host.toLowerCase() && r.conf.port === port
    );
  }

  // --------------------------------------------------------------- WAIT

  /**
   * Called on every cron tick, after the work done outside commands (active
   * expiry, PINGs): what was fed meanwhile is no client's write.
   */
  outsideCommands(): void {
    this.#lastObservedOffset = this.offset;
  }

  /** The offset right after `client`'s last write (c->woff). */
  clientOffset(client: Client): number {
    return client.woff;
  }

  /** Online replicas that acknowledged `offset` (replicationCountAcksByOffset). */
  ackedReplicas(offset: number): number {
    let n = 0;
    for (const r of this.replicas) {
      if (r.state === "online" && r.ackOffset >= offset) n++;
    }
    return n;
  }

  /** A client blocked in WAIT; GETACK goes out before the event loop turns. */
  waitForAcks(
    client: Client,
    opts: WaitOptions,
  ): void {
    const waiter: AckWaiter = {
      client,
      offset: opts.offset,
      numreplicas: opts.numreplicas,
      done: opts.done,
      timer: undefined,
    };
    this.#waiters.unshift(waiter);
    if (opts.deadline > 0) {
      const delay = Math.max(0, opts.deadline - this.#state.clock.now());
      waiter.timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i < 0) return;
        this.#waiters.splice(i, 1);
        waiter.done(this.ackedReplicas(waiter.offset));
      }, Math.min(delay, 2 ** 31 - 1));
    }
    this.#getAck = true;
    this.#scheduleFlush();
  }

  // Redis's processClientsWaitingReplicas.
  #serveWaiters(): void {
    let lastOffset = 0;
    let lastCount = 0;
    for (const w of [...this.#waiters]) {
      let count: number;
      if (
        lastOffset !== 0 && lastOffset >= w.offset && lastCount >= w.numreplicas
      ) {
        count = lastCount;
      } else {
        count = this.ackedReplicas(w.offset);
        if (count < w.numreplicas) continue;
        lastOffset = w.offset;
        lastCount = count;
      }
      const i = this.#waiters.indexOf(w);
      if (i >= 0) this.#waiters.splice(i, 1);
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.done(count);
    }
  }

  /** Asks replicas for an ACK before the event loop turns (FAILOVER, WAIT). */
  requestAck(): void {
    this.#getAck = true;
    this.#scheduleFlush();
  }

  // ---------------------------------------------------------------- cron

  /** Redis's master half of replicationCron; called once a second. */
  cron(): void {
    const state = this.#state;
    const now = state.clock.now();
    const period = Math.max(1, state.config.number("repl-ping-replica-period"));
    if (
      this.#cronLoops % period === 0 && this.replicas.length !== 0 &&
      !this.#host.failoverPaused && !this.#host.isReplica
    ) {
      this.#feedCommand(this.selDb, ["PING"]);
    }
    this.#cronLoops++;
    const newline = new Uint8Array([10]);
    const diskJob = this.#job !== undefined && !this.#job.diskless;
    for (const r of this.replicas) {
      if (
        r.state === "wait_bgsave_start" ||
        (r.state === "wait_bgsave_end" && diskJob)
      ) {
        this.#send(r, newline);
      }
    }
    const timeout = state.config.number("repl-timeout") * 1000;
    for (const r of [...this.replicas]) {
      if (r.state !== "online" || r.prePsync) continue;
      const last = Math.max(r.ackTime, r.client.lastInteraction);
      if (now - last > timeout) {
        log.warning(
          `Disconnecting timedout replica (streaming sync): ${r.name}`,
        );
        r.client.close("timeout");
      }
    }
    const ttl = state.config.number("repl-backlog-ttl");
    if (
      this.replicas.length === 0 && ttl > 0 && this.backlog !== undefined &&
      !this.#host.isReplica && (now - this.noReplicasSince) / 1000 > ttl
    ) {
      this.changeReplicationId();
      this.clearReplicationId2();
      this.freeBacklog();
      log.notice(
        `Replication backlog freed after ${ttl} seconds without connected replicas.`,
      );
    }
    this.#startPendingSync();
    this.#refreshGood();
    // A soft limit that stays exceeded with no new writes.
    if (this.backlog !== undefined) this.#scheduleFlush();
  }

  // Redis's refreshGoodSlavesCount.
  #refreshGood(): void {
    const config = this.#state.config;
    const maxLag = config.number("min-replicas-max-lag");
    if (config.number("min-replicas-to-write") === 0 || maxLag === 0) return;
    const now = Math.floor(this.#state.clock.now() / 1000);
    let good = 0;
    for (const r of this.replicas) {
      const lag = now - Math.floor(r.ackTime / 1000);
      if (r.state === "online" && lag <= maxLag) good++;
    }
    this.goodReplicas = good;
  }

  /** Recounts the good replicas (CONFIG SET min-replicas-*). */
  refreshGood(): void {
    this.#refreshGood();
  }

  // ---------------------------------------------------------------- INFO

  /** The `slaveN:` lines and connected_slaves of INFO replication. */
  infoReplicas(): [string, string | number][] {
    const out: [string, string | number][] = [];
    const now = Math.floor(this.#state.clock.now() / 1000);
    let id = 0;
    for (const r of this.replicas) {
      const { state, lag } = stateAndLag(r, now);
      out.push([
        `slave${id++}`,
        `ip=${r.ip},port=${r.conf.port},state=${state},offset=${r.ackOffset},lag=${lag}`,
      ]);
    }
    return out;
  }

  /**
   * Redis's isReadyToShutdown: every replica acknowledged the whole stream
   * (true with none). A replica still syncing, or one that never ACKs
   * (SYNC), is not.
   */
  get replicasInSync(): boolean {
    const offset = this.offset;
    return this.replicas.every((r) => r.ackOffset === offset);
  }

  /** finishShutdown's lines: each lagging replica, then how many are in sync. */
  logShutdownReplicas(): void {
    if (this.replicas.length === 0) return;
    const offset = this.offset;
    const now = Math.floor(this.#state.clock.now() / 1000);
    let lagging = 0;
    for (const r of this.replicas) {
      if (r.ackOffset === offset) continue;
      lagging++;
      const { state, lag } = stateAndLag(r, now);
      log.warning(
        `Lagging replica ${r.name} reported offset ${
          offset - r.ackOffset
        } behind master, lag=${lag}, state=${state}.`,
      );
    }
    log.notice(
      `${
        this.replicas.length - lagging
      } of ${this.replicas.length} replicas are in sync when shutting down.`,
    );
  }

  /** ROLE's replica list: [ip, port, ack offset] of each online replica. */
  roleReplicas(): string[][] {
    return this.replicas.filter((r) => r.state === "online").map((r) => [
      r.ip,
      String(r.conf.port),
      String(r.ackOffset),
    ]);
  }

  /** Bytes held for replication (INFO mem_replication_backlog). */
  get memory(): number {
    return this.backlog?.allocated ?? 0;
  }

  /** Ack offsets of the replicas (FAILOVER looks for a caught-up one). */
  replicaAcks(): { host: string; port: number; offset: number }[] {
    return this.replicas.map((r) => ({
      host: r.ip,
      port: r.conf.port,
      offset: r.ackOffset,
    }));
  }
}

/** The `slave` class of client-output-buffer-limit. */
function replicaLimit(
  text: string,
): { hard: number; soft: number; softSeconds: number } {
  const words = text.split(" ");
  for (let i = 0; i + 3 < words.length; i += 4) {
    if (words[i] === "slave") {
      return {
        hard: Number(words[i + 1]),
        soft: Number(words[i + 2]),
        softSeconds: Number(words[i + 3]),
      };
    }
  }
  return { hard: 0, soft: 0, softSeconds: 0 };
}

/** 40 random hex characters (run ids, replication ids, EOF marks). */
function randomHex(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(n / 2)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, n);
}

/** Strict signed integer parse (getLongLongFromObject), or undefined. */
function parseLong(text: string): number | undefined {
  if (!/^-?(0|[1-9][0-9]*)$/.test(text) || text.length > 20) return undefined;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Writes all of `bytes` to `w`. */
export async function writeAll(
  w: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    off += await w.write(off === 0 ? bytes : bytes.subarray(off));
  }
}
