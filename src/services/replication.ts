/**
 * ReplicationService: master/replica replication as the rest of the server
 * sees it (REPLICAOF, SYNC/PSYNC, REPLCONF, ROLE, WAIT, FAILOVER, INFO
 * replication, the repl-* RDB aux fields). `src/replication/` provides it
 * and server.ts installs it on the server state.
 *
 * @module
 */
import type { Client } from "../client.ts";
import type { Argv, Reply } from "../protocol/types.ts";

/** What WAIT waits for (`ReplicationService.waitForAcks`). */
export interface WaitOptions {
  /** The replication offset to be acknowledged. */
  offset: number;
  /** How many replicas must acknowledge it. */
  numreplicas: number;
  /** Unix ms; 0 for none. */
  deadline: number;
  /** Called once with the count of replicas that acknowledged `offset`. */
  done: (count: number) => void;
}

/** FAILOVER's arguments. */
export interface FailoverOptions {
  /** TO host port: the replica to hand over to; any caught-up one otherwise. */
  host?: string;
  port?: number;
  /** FORCE: fail over when the timeout passes even if the target lags. */
  force: boolean;
  /** TIMEOUT in ms, 0 for none. */
  timeoutMs: number;
  /**
   * Releases the clients blocked on keys with an UNBLOCKED error (Redis's
   * disconnectAllBlockedClients), when this master turns into a replica.
   */
  releaseBlocked: () => void;
}

/** Counters for INFO stats. */
export interface ReplicationStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  /** Bytes read from our master's link / written to replicas. */
  netReplInput: number;
  netReplOutput: number;
  /** Instantaneous kbps, sampled by the cron. */
  inputKbps: number;
  outputKbps: number;
}

/** Replication, reached from handlers through `ctx.server.replication`. */
export interface ReplicationService {
  /** True while REPLICAOF host port is in effect (Redis's server.masterhost). */
  readonly isReplica: boolean;
  /** True while a FAILOVER is under way (REPLICAOF is refused). */
  readonly failingOver: boolean;
  /** True while a command of our master's stream runs (keys past their expiry are still there for it). */
  readonly applyingMaster: boolean;
  /**
   * REPLICAOF host port. Returns false, changing nothing, when this master
   * is already the one followed. Throws CommandError when not allowed.
   */
  replicaOf(
    host: string,
    port: number,
    opts: { client: Client; who: string; releaseBlocked: () => void },
  ): boolean;
  /**
   * REPLICAOF NO ONE: becomes a master (new replid, the old one kept as
   * replid2). `who` is the CLIENT INFO line of the client asking, for the log.
   */
  promote(who: string): void;
  /**
   * SYNC / PSYNC: `client`'s connection becomes a replica and the reply
   * (+FULLRESYNC, +CONTINUE, the RDB, the stream) is written to its socket
   * directly. Throws CommandError for Redis's refusals.
   */
  sync(client: Client, argv: Argv): void;
  /**
   * REPLCONF option value [option value ...]. Returns true when the reply
   * is +OK, false when there is none (ACK, GETACK). Throws CommandError.
   */
  replconf(client: Client, argv: Argv): boolean;
  /** ROLE's reply. */
  role(): Reply;
  /** INFO replication, in Redis 7.0's order. */
  info(): [string, string | number][];
  /** Counters for INFO stats. */
  stats(): ReplicationStats;
  /** Bytes held by the backlog and replica buffers (INFO memory). */
  memory(): number;
  /** The replication offset right after `client`'s last write (Redis's c->woff). */
  clientOffset(client: Client): number;
  /** Online replicas that acknowledged `offset` (WAIT). */
  ackedReplicas(offset: number): number;
  /**
   * WAIT blocked: calls `opts.done` with the count of replicas that
   * acknowledged `opts.offset`, once `opts.numreplicas` have, or when
   * `opts.deadline` (Unix ms, 0 for none) passes. Asks replicas for an ACK
   * before the event loop turns.
   */
  waitForAcks(
    client: Client,
    opts: WaitOptions,
  ): void;
  /**
   * Every replica acknowledged the whole stream, or there are none (Redis's
   * isReadyToShutdown: a shutdown waits for this, up to shutdown-timeout).
   */
  readonly replicasInSync: boolean;
  /**
   * A client of this replica (not its master) set an expiry on `key` of
   * database `db`: the replica expires it itself (replica-read-only no).
   */
  replicaKeyWithExpire(db: number, key: string): void;
  /** Asks the replicas for an ACK before the event loop turns. */
  requestAck(): void;
  /** Logs each lagging replica and how many are in sync, as a shutdown does. */
  logShutdownReplicas(): void;
  /** FAILOVER [TO host port [FORCE]] [TIMEOUT ms]. Throws CommandError. */
  failover(opts: FailoverOptions): void;
  /** FAILOVER ABORT. Throws CommandError when none is in progress. */
  abortFailover(): void;
  /** The repl-* aux fields an RDB file written now carries (none when not in a replication chain). */
  rdbAux(): [string, string | number][];
  /** An aux field seen while the start-up RDB load ran (repl-id, repl-offset, repl-stream-db). */
  loadedAux(key: string, value: string): void;
  /**
   * The start-up RDB load dropped `key` of database `db` because it had
   * expired: replicas that continue this master's history still hold it,
   * so a DEL for it goes into the backlog (see startupDone).
   */
  expiredAtLoad(db: number, key: string): void;
  /**
   * Start-up loading is over (`rdbLoaded`: the data came from the RDB
   * file): takes back the replication id and offset it carried, and starts
   * following the master of `replicaof`.
   */
  startupDone(rdbLoaded: boolean): void;
  /** The replication ids (INFO master_replid, DEBUG CHANGE-REPL-ID). */
  ids(): { replid: string; replid2: string };
  /** DEBUG CHANGE-REPL-ID: a new replid, and replid2 cleared. */
  changeReplicationId(): void;
}
