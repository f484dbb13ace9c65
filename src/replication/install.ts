/**
 * Replication wired into a server: the `ReplicationService` commands use
 * (REPLICAOF, SYNC/PSYNC, REPLCONF, ROLE, WAIT, FAILOVER, INFO
 * replication), the pipeline gates (READONLY on a read-only replica,
 * MASTERDOWN with replica-serve-stale-data no, NOREPLICAS with
 * min-replicas-to-write), the coordinated FAILOVER, the once-a-second
 * replication cron, and the replication id and offset an RDB file carries
 * across a restart. server.ts calls `installReplication` once.
 *
 * The master side lives in primary.ts, the link to a master in
 * replica.ts; this module decides which of them is in charge.
 *
 * @module
 */
import { ReplicaKeysWithExpire } from "./replica_expiry.ts";
import type { Client } from "../client.ts";
import { pipelineHooks } from "../commands/dispatch.ts";
import {
  CommandError,
  masterLinkDown,
  noGoodReplicas,
  readOnlyReplica,
} from "../errors.ts";
import { log } from "../log.ts";
import type { Argv, Reply } from "../protocol/types.ts";
import type {
  FailoverOptions,
  ReplicationService,
  ReplicationStats,
  WaitOptions,
} from "../services/replication.ts";
import type { ServerState } from "../state.ts";
import { Primary, type PrimaryHost } from "./primary.ts";
import { type LinkHost, MasterLink } from "./replica.ts";

type Gate = (typeof pipelineHooks.gates)[number];
type Command = Parameters<Gate>[2];

/** A FAILOVER under way (Redis's failover_state and friends). */
interface Failover {
  state: "waiting-for-sync" | "failover-in-progress";
  host: string | undefined;
  port: number;
  /** Unix ms, 0 for no timeout. */
  endTime: number;
  force: boolean;
  releaseBlocked: () => void;
}

/** Replication of one server; see the module comment. */
export class ReplicationRuntime
  implements ReplicationService, PrimaryHost, LinkHost {
  readonly primary: Primary;
  readonly #state: ServerState;
  #link: MasterLink | undefined;
  #applying = false;
  #failover: Failover | undefined;
  #failoverPause: { until: number; all: boolean } | undefined;
  readonly #loadedAux = new Map<string, string>();
  /** A writable replica's own keys with a TTL, which it expires itself. */
  readonly #ownKeys = new ReplicaKeysWithExpire();
  /** Keys the start-up load dropped as expired: [db, key]. */
  #expiredAtLoad: [number, string][] = [];
  #gateInstalled = false;
  #lastSecond = 0;
  #sample = { at: 0, input: 0, output: 0, inKbps: 0, outKbps: 0 };

  /** Replication for `state`; `replicaof` from the config takes effect at `startupDone`. */
  constructor(state: ServerState) {
    this.#state = state;
    this.primary = new Primary(state, this);
    const of = parseReplicaOf(state.config.get("replicaof"));
    if (of !== undefined) {
      this.#link = new MasterLink(state, { host: this, target: of });
      log.role = "S";
    }
    state.cronHooks.push(() => this.#cron());
    for (
      const name of [
        "min-replicas-to-write",
        "min-replicas-max-lag",
        "replica-read-only",
        "replica-serve-stale-data",
      ]
    ) {
      state.config.onChange(name, () => {
        queueMicrotask(() => {
          this.primary.refreshGood();
          this.#updateGate();
        });
      });
    }
    this.#updateGate();
  }

  get isReplica(): boolean {
    return this.#link !== undefined;
  }

  get applyingMaster(): boolean {
    return this.#applying;
  }

  get linkUp(): boolean {
    return this.#link?.state === "connected";
  }

  get failingOver(): boolean {
    return this.#failover !== undefined;
  }

  get failoverPaused(): boolean {
    return this.#failover !== undefined &&
      this.#failoverPause !== undefined &&
      this.#state.pause === this.#failoverPause;
  }

  get failoverInProgress(): boolean {
    return this.#failover?.state === "failover-in-progress";
  }

  /** The link to our master, while we are a replica. */
  get link(): MasterLink | undefined {
    return this.#link;
  }

  setApplying(applying: boolean): void {
    this.#applying = applying;
  }

  fullSyncDone(): void {
    this.#ownKeys.clear();
  }

  replicaKeyWithExpire(db: number, key: string): void {
    this.#ownKeys.remember(db, key);
  }

  // ------------------------------------------------------------ REPLICAOF

  replicaOf(
    host: string,
    port: number,
    opts: { client: Client; who: string; releaseBlocked: () => void },
  ): boolean {
    if (this.#failover !== undefined) {
      throw new CommandError(
        "ERR",
        "REPLICAOF not allowed while failing over.",
      );
    }
    if (opts.client.replRole === "replica") {
      throw new CommandError(
        "ERR",
        "Command is not valid when client is a replica.",
      );
    }
    const link = this.#link;
    if (
      link !== undefined && link.host.toLowerCase() === host.toLowerCase() &&
      link.port === port
    ) {
      log.notice(
        "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.",
      );
      return false;
    }
    this.#setMaster(host, port, opts.releaseBlocked);
    log.notice(
      `REPLICAOF ${host}:${port} enabled (user request from '${opts.who}')`,
    );
    return true;
  }

  promote(who: string): void {
    if (this.#failover !== undefined) {
      throw new CommandError(
        "ERR",
        "REPLICAOF not allowed while failing over.",
      );
    }
    if (this.#link === undefined) return;
    this.#unsetMaster();
    log.notice(`MASTER MODE enabled (user request from '${who}')`);
  }

  // Redis's replicationSetMaster.
  #setMaster(host: string, port: number, releaseBlocked: () => void): void {
    const state = this.#state;
    const wasMaster = this.#link === undefined;
    // Clients blocked on a master have nothing to wait for on a replica.
    releaseBlocked();
    let cached = undefined;
    if (this.#link !== undefined) {
      // The old master is cached: the new one may accept a PSYNC with it.
      this.#link.stop({ cache: true });
      cached = this.#link.cached;
    }
    const link = new MasterLink(state, {
      host: this,
      target: { host, port },
    });
    this.#link = link;
    if (wasMaster) {
      log.notice(
        "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.",
      );
      link.cached = {
        replid: this.primary.replid,
        reploff: this.primary.offset,
        db: -1,
      };
    } else {
      link.cached = cached;
    }
    log.role = "S";
    setReplicaOfConfig(state, `${host} ${port}`);
    this.#updateGate();
    log.notice(`Connecting to MASTER ${host}:${port}`);
    link.connect();
  }

  // Redis's replicationUnsetMaster.
  #unsetMaster(): void {
    const link = this.#link;
    if (link === undefined) return;
    const state = this.#state;
    this.#link = undefined;
    link.stop({ cache: false });
    const primary = this.primary;
    primary.shiftReplicationId();
    // Replicas learn the new id by reconnecting (with a partial resync).
    primary.disconnectReplicas();
    primary.selDb = -1;
    primary.noReplicasSince = state.clock.now();
    log.role = "M";
    setReplicaOfConfig(state, "");
    this.#updateGate();
    if (
      state.config.get("appendonly") === "no" && link.aofSuspended
    ) {
      try {
        state.config.set("appendonly", "yes");
      } catch { /* logged by the AOF */ }
    }
  }

  // -------------------------------------------------------- SYNC / REPLCONF

  sync(client: Client, argv: Argv): void {
    this.primary.sync(client, argv);
  }

  replconf(client: Client, argv: Argv): boolean {
    return this.primary.replconf(client, argv);
  }

  sendAckToMaster(): void {
    if (this.#link?.master !== undefined) this.#link.sendAck();
  }

  failoverRequest(client: Client, replid: string): string | undefined {
    if (this.#link === undefined) {
      return "PSYNC FAILOVER can't be sent to a master.";
    }
    if (replid.toLowerCase() !== this.primary.replid) {
      return "PSYNC FAILOVER replid must match my replid.";
    }
    this.#unsetMaster();
    log.notice(
      `MASTER MODE enabled (failover request from '${client.addr}')`,
    );
    return undefined;
  }

  replicaStreamDb(): number | undefined {
    const link = this.#link;
    if (link === undefined) return undefined;
    if (link.master !== undefined) return link.master.db;
    if (link.cached !== undefined) return Math.max(0, link.cached.db);
    return undefined;
  }

  // ------------------------------------------------------------ ROLE/INFO

  role(): Reply {
    const link = this.#link;
    if (link === undefined) {
      return ["master", this.primary.offset, this.primary.roleReplicas()];
    }
    const state = link.handshaking
      ? "handshake"
      : link.state === "transfer"
      ? "sync"
      : link.state;
    return [
      "slave",
      link.host,
      link.port,
      state,
      link.master !== undefined ? link.reploff : -1,
    ];
  }

  info(): [string, string | number][] {
    const state = this.#state;
    const config = state.config;
    const primary = this.primary;
    const nowSec = Math.floor(state.clock.now() / 1000);
    const sec = (ms: number) => nowSec - Math.floor(ms / 1000);
    const out: [string, string | number][] = [];
    const link = this.#link;
    out.push(["role", link === undefined ? "master" : "slave"]);
    if (link !== undefined) {
      const offsets = link.offsets;
      out.push(
        ["master_host", link.host],
        ["master_port", link.port],
        ["master_link_status", link.state === "connected" ? "up" : "down"],
        [
          "master_last_io_seconds_ago",
          link.master !== undefined ? sec(link.master.lastInteraction) : -1,
        ],
        ["master_sync_in_progress", link.state === "transfer" ? 1 : 0],
        ["slave_read_repl_offset", offsets?.readReploff ?? 1],
        ["slave_repl_offset", offsets?.reploff ?? 1],
      );
      if (link.state === "transfer") {
        const t = link.transfer;
        const perc = t.size > 0 ? (t.read / t.size) * 100 : 0;
        out.push(
          ["master_sync_total_bytes", t.size],
          ["master_sync_read_bytes", t.read],
          ["master_sync_left_bytes", t.size - t.read],
          ["master_sync_perc", perc.toFixed(2)],
          ["master_sync_last_io_seconds_ago", sec(t.lastIo)],
        );
      }
      if (link.state !== "connected") {
        out.push([
          "master_link_down_since_seconds",
          link.downSince !== 0 ? sec(link.downSince) : -1,
        ]);
      }
      out.push(
        ["slave_priority", config.number("replica-priority")],
        ["slave_read_only", config.bool("replica-read-only") ? 1 : 0],
        ["replica_announced", config.bool("replica-announced") ? 1 : 0],
      );
    }
    out.push(["connected_slaves", primary.replicas.length]);
    if (
      config.number("min-replicas-to-write") !== 0 &&
      config.number("min-replicas-max-lag") !== 0
    ) {
      out.push(["min_slaves_good_slaves", primary.goodReplicas]);
    }
    out.push(...primary.infoReplicas());
    const backlog = primary.backlog;
    out.push(
      ["master_failover_state", this.#failover?.state ?? "no-failover"],
      ["master_replid", primary.replid],
      ["master_replid2", primary.replid2],
      ["master_repl_offset", primary.offset],
      ["second_repl_offset", primary.secondOffset],
      ["repl_backlog_active", backlog === undefined ? 0 : 1],
      [
        "repl_backlog_size",
        Math.max(16384, config.number("repl-backlog-size")),
      ],
      ["repl_backlog_first_byte_offset", backlog?.firstOffset ?? 0],
      ["repl_backlog_histlen", backlog?.histlen ?? 0],
    );
    return out;
  }

  stats(): ReplicationStats {
    const s = this.primary.stats;
    return {
      syncFull: s.syncFull,
      syncPartialOk: s.syncPartialOk,
      syncPartialErr: s.syncPartialErr,
      netReplInput: s.netReplInput,
      netReplOutput: s.netReplOutput,
      inputKbps: this.#sample.inKbps,
      outputKbps: this.#sample.outKbps,
    };
  }

  memory(): number {
    return this.primary.memory;
  }

  // ---------------------------------------------------------------- WAIT

  clientOffset(client: Client): number {
    return this.primary.clientOffset(client);
  }

  ackedReplicas(offset: number): number {
    return this.primary.ackedReplicas(offset);
  }

  waitForAcks(
    client: Client,
    opts: WaitOptions,
  ): void {
    this.primary.waitForAcks(client, opts);
  }

  // ------------------------------------------------------------ FAILOVER

  failover(opts: FailoverOptions): void {
    if (this.#failover !== undefined) {
      throw new CommandError("ERR", "FAILOVER already in progress.");
    }
    if (this.#link !== undefined) {
      throw new CommandError(
        "ERR",
        "FAILOVER is not valid when server is a replica.",
      );
    }
    if (this.primary.replicas.length === 0) {
      throw new CommandError("ERR", "FAILOVER requires connected replicas.");
    }
    if (opts.force && (opts.timeoutMs === 0 || opts.host === undefined)) {
      throw new CommandError(
        "ERR",
        "FAILOVER with force option requires both a timeout and target HOST and IP.",
      );
    }
    if (opts.host !== undefined) {
      const replica = this.primary.findReplica(opts.host, opts.port ?? 0);
      if (replica === undefined) {
        throw new CommandError(
          "ERR",
          "FAILOVER target HOST and PORT is not a replica.",
        );
      }
      if (replica.state !== "online") {
        throw new CommandError("ERR", "FAILOVER target replica is not online.");
      }
      log.notice(`FAILOVER requested to ${opts.host}:${opts.port}.`);
    } else {
      log.notice("FAILOVER requested to any replica.");
    }
    const now = this.#state.clock.now();
    this.#failover = {
      state: "waiting-for-sync",
      host: opts.host,
      port: opts.port ?? 0,
      endTime: opts.timeoutMs > 0 ? now + opts.timeoutMs : 0,
      force: opts.force,
      releaseBlocked: opts.releaseBlocked,
    };
    // Writes wait (CLIENT PAUSE WRITE) until the failover ends.
    const pause = { until: Number.MAX_SAFE_INTEGER, all: false };
    this.#failoverPause = pause;
    this.#state.pause = pause;
  }

  abortFailover(): void {
    if (this.#failover === undefined) {
      throw new CommandError("ERR", "No failover in progress.");
    }
    this.#abortFailover("Failover manually aborted");
  }

  // Redis's abortFailover.
  #abortFailover(reason: string): void {
    const f = this.#failover;
    if (f === undefined) return;
    if (f.host !== undefined) {
      log.notice(`FAILOVER to ${f.host}:${f.port} aborted: ${reason}`);
    } else {
      log.notice(`FAILOVER to any replica aborted: ${reason}`);
    }
    if (f.state === "failover-in-progress") this.#unsetMaster();
    this.#clearFailover();
  }

  // Redis's clearFailoverState: the pause ends with it.
  #clearFailover(): void {
    this.#failover = undefined;
    const state = this.#state;
    if (
      this.#failoverPause !== undefined && state.pause === this.#failoverPause
    ) {
      state.endPause();
    }
    this.#failoverPause = undefined;
  }

  psyncAnswered(ok: boolean): void {
    if (this.#failover?.state !== "failover-in-progress") return;
    if (ok) this.#clearFailover();
    else this.#abortFailover("Failover target rejected psync request");
  }

  // Redis's updateFailoverStatus (every cron tick).
  #updateFailover(): void {
    const f = this.#failover;
    if (f === undefined || f.state !== "waiting-for-sync") return;
    const now = this.#state.clock.now();
    if (f.endTime !== 0 && f.endTime <= now) {
      if (f.force) {
        log.notice(
          `FAILOVER to ${f.host}:${f.port} time out exceeded, failing over.`,
        );
        f.state = "failover-in-progress";
        this.#setMaster(f.host!, f.port, f.releaseBlocked);
      } else {
        this.#abortFailover("Replica never caught up before timeout");
      }
      return;
    }
    const offset = this.primary.offset;
    let target: { host: string; port: number; offset: number } | undefined;
    if (f.host !== undefined) {
      const r = this.primary.findReplica(f.host, f.port);
      if (r !== undefined) {
        target = { host: f.host, port: f.port, offset: r.ackOffset };
      }
    } else {
      target = this.primary.replicaAcks().find((r) => r.offset === offset);
      if (target !== undefined) {
        f.host = target.host;
        f.port = target.port;
      }
    }
    if (target !== undefined && target.offset === offset) {
      f.state = "failover-in-progress";
      log.notice(
        `Failover target ${f.host}:${f.port} is synced, failing over.`,
      );
      this.#setMaster(f.host!, f.port, f.releaseBlocked);
    }
  }

  // ------------------------------------------------------------ shutdown

  get replicasInSync(): boolean {
    return this.primary.replicasInSync;
  }

  requestAck(): void {
    this.primary.requestAck();
  }

  logShutdownReplicas(): void {
    this.primary.logShutdownReplicas();
  }

  // ----------------------------------------------------------- RDB aux

  rdbAux(): [string, string | number][] {
    const primary = this.primary;
    let db: number | undefined;
    if (this.#link === undefined) {
      if (primary.backlog === undefined) return [];
      db = primary.selDb === -1 ? 0 : primary.selDb;
    } else {
      db = this.replicaStreamDb();
      if (db === undefined) return [];
    }
    return [
      ["repl-stream-db", db],
      ["repl-id", primary.replid],
      ["repl-offset", primary.offset],
    ];
  }

  expiredAtLoad(db: number, key: string): void {
    this.#expiredAtLoad.push([db, key]);
  }

  loadedAux(key: string, value: string): void {
    if (key.startsWith("repl-")) this.#loadedAux.set(key, value);
  }

  startupDone(rdbLoaded: boolean): void {
    const aux = this.#loadedAux;
    const id = aux.get("repl-id");
    const offset = Number(aux.get("repl-offset") ?? -1);
    const db = Number(aux.get("repl-stream-db") ?? -1);
    const primary = this.primary;
    if (
      rdbLoaded && id !== undefined && id.length === 40 &&
      Number.isSafeInteger(offset) && offset !== -1 && db !== -1
    ) {
      const link = this.#link;
      if (link !== undefined) {
        // A replica restarted: PSYNC from where its file says it was.
        primary.replid = id;
        primary.setOffset(offset);
        log.notice(
          "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.",
        );
        link.cached = { replid: id, reploff: offset, db };
      } else {
        // A master restarted: replicas may still continue its history.
        primary.replid2 = id;
        primary.secondOffset = offset + 1;
        primary.createBacklog();
        primary.setOffset(offset);
        primary.noReplicasSince = this.#state.clock.now();
        // Redis's RDBFLAGS_FEED_REPL: replicas that PSYNC get the DELs of
        // the keys that expired while we were down.
        const del = this.#state.config.bool("lazyfree-lazy-expire")
          ? "UNLINK"
          : "DEL";
        for (const [db, key] of this.#expiredAtLoad) {
          primary.propagate(db, [del, key]);
        }
      }
    }
    this.#expiredAtLoad = [];
    aux.clear();
    if (this.#link !== undefined && this.#link.state === "connect") {
      log.notice(`Connecting to MASTER ${this.#link.host}:${this.#link.port}`);
      this.#link.connect();
    }
  }

  ids(): { replid: string; replid2: string } {
    return { replid: this.primary.replid, replid2: this.primary.replid2 };
  }

  changeReplicationId(): void {
    log.warning(
      "Changing replication IDs after receiving DEBUG change-repl-id",
    );
    this.primary.changeReplicationId();
    this.primary.clearReplicationId2();
  }

  // ---------------------------------------------------------------- cron

  #cron(): void {
    this.#updateFailover();
    const now = this.#state.clock.now();
    const second = Math.floor(now / 1000);
    if (second !== this.#lastSecond) {
      this.#lastSecond = second;
      this.#sampleKbps(now);
      this.primary.cron();
      this.#link?.cron();
    }
    const state = this.#state;
    if (
      this.#link !== undefined && this.#ownKeys.size !== 0 &&
      state.activeExpire && !state.loading && state.scripting?.busy !== true
    ) {
      this.#ownKeys.expire(state.keyspace, now);
    }
    this.primary.outsideCommands();
  }

  #sampleKbps(now: number): void {
    const s = this.#sample;
    const stats = this.primary.stats;
    if (s.at !== 0) {
      const secs = Math.max(0.001, (now - s.at) / 1000);
      s.inKbps = (stats.netReplInput - s.input) / 1024 / secs;
      s.outKbps = (stats.netReplOutput - s.output) / 1024 / secs;
    }
    s.at = now;
    s.input = stats.netReplInput;
    s.output = stats.netReplOutput;
  }

  // ---------------------------------------------------------------- gates

  // The gate is in the pipeline only while it can refuse something.
  #updateGate(): void {
    const config = this.#state.config;
    const want = this.#link !== undefined ||
      (config.number("min-replicas-to-write") !== 0 &&
        config.number("min-replicas-max-lag") !== 0);
    if (want === this.#gateInstalled) return;
    this.#gateInstalled = want;
    const gates = pipelineHooks.gates;
    if (want) gates.push(this.#gate);
    else gates.splice(gates.indexOf(this.#gate), 1);
  }

  // Redis's processCommand checks, in its order: NOREPLICAS, READONLY,
  // then MASTERDOWN. The master's own stream is never refused.
  readonly #gate: Gate = (server, client, cmd, _argv) => {
    if (server !== this.#state || client.internal) return undefined;
    const config = server.config;
    const link = this.#link;
    if (link === undefined) {
      if (
        writes(client, cmd) &&
        this.primary.goodReplicas < config.number("min-replicas-to-write")
      ) {
        return noGoodReplicas();
      }
      return undefined;
    }
    if (config.bool("replica-read-only") && writes(client, cmd)) {
      return readOnlyReplica();
    }
    if (
      link.state !== "connected" &&
      !config.bool("replica-serve-stale-data") && deniedWhenStale(client, cmd)
    ) {
      return masterLinkDown();
    }
    return undefined;
  };
}

// A write command, or an EXEC with one queued (Redis's is_write_command).
function writes(client: Client, cmd: Command): boolean {
  if (cmd.isWrite) return true;
  return cmd.name === "exec" && client.multi !== undefined &&
    client.multi.queue.some((q) => q.command.isWrite);
}

// Not flagged `stale`, or an EXEC with such a command queued.
function deniedWhenStale(client: Client, cmd: Command): boolean {
  if (!cmd.flags.has("stale")) return true;
  return cmd.name === "exec" && client.multi !== undefined &&
    client.multi.queue.some((q) => !q.command.flags.has("stale"));
}

function parseReplicaOf(
  text: string,
): { host: string; port: number } | undefined {
  const words = text.split(" ").filter((w) => w !== "");
  if (words.length !== 2) return undefined;
  return { host: words[0]!, port: Number(words[1]) };
}

// Keeps `replicaof` (CONFIG GET, CONFIG REWRITE) in line with the role.
function setReplicaOfConfig(state: ServerState, value: string): void {
  try {
    state.config.set("replicaof", value, { startup: true });
  } catch (e) {
    log.warning(`Cannot record replicaof: ${(e as Error).message}`);
  }
}

/** Installs replication on `state` (`state.replication`). */
export function installReplication(state: ServerState): ReplicationRuntime {
  const runtime = new ReplicationRuntime(state);
  state.replication = runtime;
  return runtime;
}
