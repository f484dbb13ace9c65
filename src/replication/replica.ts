/**
 * The replica side of replication, as Redis 7.0 runs it: the link to the
 * master (connectOutgoing: TLS with tls-replication, bind-source-addr),
 * the handshake (PING, AUTH, REPLCONF listening-port / ip-address / capa,
 * PSYNC), the full synchronisation (`$<len>` or `$EOF:<mark>` payloads, to
 * disk or to memory, `repl-diskless-load`), the partial one (+CONTINUE,
 * with a new replication id after a failover), and applying the stream
 * through the command pipeline as the master client, counting offsets,
 * proxying it to our own replicas and acknowledging it.
 *
 * One `MasterLink` follows one master (REPLICAOF host port) and reconnects
 * after failures; the cached master (replication id, offset and db of the
 * last link) makes the next PSYNC partial when the master still has the
 * data.
 *
 * @module
 */
import { Client } from "../client.ts";
import { dispatch, pipelineHooks } from "../commands/dispatch.ts";
import { loadingDataset } from "../errors.ts";
import { log } from "../log.ts";
import { loadRdbImage } from "../persistence/rdb_runtime.ts";
import { RespDecoder } from "../protocol/decoder.ts";
import type { Argv } from "../protocol/types.ts";
import type { ServerState } from "../state.ts";
import { Keyspace } from "../store/keyspace.ts";
import { connectOutgoing } from "../tls.ts";
import { bytesToLatin1, concatBytes, latin1ToBytes } from "../util/bytes.ts";
import { peerAddresses } from "../listeners.ts";
import { type Primary, writeAll } from "./primary.ts";

/** Redis's repl_state, as ROLE reports it. */
export type LinkState =
  | "connect"
  | "connecting"
  | "handshake"
  | "transfer"
  | "connected";

/** The master of a previous link, kept for a partial resync (cached_master). */
export interface CachedMaster {
  replid: string;
  reploff: number;
  /** The db its stream had selected (-1: any, the stream starts with SELECT). */
  db: number;
}

/** What the link needs from the rest of replication. */
export interface LinkHost {
  /** Our master side: ids, offset, backlog, sub-replicas. */
  readonly primary: Primary;
  /** A FAILOVER hands over to this master: PSYNC carries FAILOVER. */
  readonly failoverInProgress: boolean;
  /** PSYNC was answered (FAILOVER waits for it). */
  psyncAnswered(ok: boolean): void;
  /** Sets whether the master's stream is being applied. */
  setApplying(applying: boolean): void;
  /** A full sync replaced the dataset: the master owns every key again. */
  fullSyncDone(): void;
}

/** Bytes read from the link at once. */
const READ_SIZE = 64 * 1024;
/** While loading, give the event loop a turn at least this often (ms). */
const LOAD_YIELD_MS = 20;
/** Decoder limits for the master's stream (the master checked them). */
const STREAM_LIMITS = {
  maxBulkLen: Number.MAX_SAFE_INTEGER,
  maxQueryBuffer: Number.MAX_SAFE_INTEGER,
};

class Cancelled extends Error {}

/** Buffered reads over the link's socket. */
class LinkReader {
  readonly #conn: Deno.Conn;
  #buf = new Uint8Array(READ_SIZE);
  #start = 0;
  #end = 0;
  /** Called with the number of bytes of every read. */
  onRead: (n: number) => void = () => {};

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  get buffered(): number {
    return this.#end - this.#start;
  }

  async #fill(): Promise<void> {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buf.length) {
      if (this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else {
        const next = new Uint8Array(this.#buf.length * 2);
        next.set(this.#buf);
        this.#buf = next;
      }
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#end));
    if (n === null) throw new Error("connection lost");
    this.#end += n;
    this.onRead(n);
  }

  /** A line without its `\n` (and `\r`); "" for a keep-alive newline. */
  async line(): Promise<string> {
    for (;;) {
      const nl = this.#buf.subarray(this.#start, this.#end).indexOf(10);
      if (nl >= 0) {
        let end = this.#start + nl;
        const next = end + 1;
        if (end > this.#start && this.#buf[end - 1] === 13) end--;
        const line = bytesToLatin1(this.#buf.subarray(this.#start, end));
        this.#start = next;
        return line;
      }
      if (this.#end - this.#start > 64 * 1024) {
        throw new Error("line too long");
      }
      await this.#fill();
    }
  }

  /** Up to `max` bytes: what is buffered, or one read's worth. */
  async chunk(max: number): Promise<Uint8Array> {
    if (this.#start === this.#end) await this.#fill();
    const n = Math.min(max, this.#end - this.#start);
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /** Everything buffered, consumed. */
  rest(): Uint8Array {
    const out = this.#buf.slice(this.#start, this.#end);
    this.#start = this.#end = 0;
    return out;
  }
}

/** The link to our master; see the module comment. */
export class MasterLink {
  readonly host: string;
  readonly port: number;
  state: LinkState = "connect";
  /** server.master: the client applying the stream, while connected. */
  master: Client | undefined;
  /** server.cached_master. */
  cached: CachedMaster | undefined;
  /** The master client's replid (master_replid after FULLRESYNC). */
  masterReplid = "";
  /** Applied and read offsets of the master client (or the cached one). */
  reploff = 0;
  readReploff = 0;
  /** The master spoke the old SYNC protocol: no ACKs. */
  prePsync = false;
  /** RDB transfer progress (INFO master_sync_*). */
  readonly transfer = { size: -1, read: 0, lastIo: 0 };
  /** When the link went down (Unix ms), 0 if it never was up. */
  downSince = 0;
  /** The AOF was switched off for a full sync that has not finished. */
  aofSuspended = false;
  readonly #state: ServerState;
  readonly #host: LinkHost;
  #conn: Deno.Conn | undefined;
  #gen = 0;
  #lastIo = 0;
  #loadingNow = false;
  #ackChain: Promise<void> = Promise.resolve();
  #lastNewline = 0;
  #stopped = false;

  /** A link to `host:port`; `connect()` starts it. */
  constructor(
    state: ServerState,
    opts: { host: LinkHost; target: { host: string; port: number } },
  ) {
    this.#state = state;
    this.#host = opts.host;
    this.host = opts.target.host;
    this.port = opts.target.port;
  }

  /** True from the PING reply to the PSYNC reply (ROLE "handshake"). */
  get handshaking(): boolean {
    return this.state === "handshake";
  }

  /** True while the synchronisation payload loads. */
  get loading(): boolean {
    return this.#loadingNow;
  }

  /** Redis's connectWithMaster. */
  connect(): void {
    if (this.#stopped) return;
    const gen = ++this.#gen;
    this.state = "connecting";
    this.#lastIo = this.#state.clock.now();
    log.notice("MASTER <-> REPLICA sync started");
    this.#run(gen).catch((e) => {
      if (gen !== this.#gen) return;
      if (!(e instanceof Cancelled)) {
        log.warning(
          `Error condition on socket for SYNC: ${(e as Error).message}`,
        );
      }
      this.#failed(gen);
    });
  }

  // The attempt `gen` went wrong: back to CONNECT (the cron retries).
  #failed(gen: number): void {
    if (gen !== this.#gen) return;
    this.#closeConn();
    if (this.#loadingNow) this.#endLoading();
    this.state = "connect";
  }

  /**
   * Stops the link for good (REPLICAOF NO ONE, another master): the
   * master client is cached when `cache` (a new master may take a PSYNC).
   */
  stop(opts: { cache: boolean }): void {
    this.#stopped = true;
    this.#gen++;
    if (this.master !== undefined) {
      if (opts.cache) this.#cacheMaster();
      else this.#dropMasterClient();
    }
    this.#closeConn();
    if (this.#loadingNow) this.#endLoading();
    this.state = "connect";
  }

  /** Redis's cancelReplicationHandshake: abandons a connect, handshake or transfer. */
  cancelHandshake(reconnect: boolean): boolean {
    if (this.state === "connected" || this.#stopped) return false;
    if (this.state === "connect") return false;
    this.#gen++;
    this.#closeConn();
    if (this.#loadingNow) this.#endLoading();
    this.state = "connect";
    if (reconnect) {
      log.notice(
        `Reconnecting to MASTER ${this.host}:${this.port} after failure`,
      );
      this.connect();
    }
    return true;
  }

  #closeConn(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn === undefined) return;
    try {
      conn.close();
    } catch { /* closed */ }
  }

  #check(gen: number): void {
    if (gen !== this.#gen) throw new Cancelled();
  }

  async #run(gen: number): Promise<void> {
    const state = this.#state;
    const config = state.config;
    let conn: Deno.Conn;
    try {
      conn = await connectOutgoing(config, this.host, this.port);
    } catch (e) {
      if (gen !== this.#gen) throw new Cancelled();
      log.warning(`Unable to connect to MASTER: ${(e as Error).message}`);
      throw new Cancelled();
    }
    if (gen !== this.#gen) {
      try {
        conn.close();
      } catch { /* closed */ }
      throw new Cancelled();
    }
    this.#conn = conn;
    const reader = new LinkReader(conn);
    reader.onRead = (n) => {
      this.#lastIo = state.clock.now();
      this.#host.primary.stats.netReplInput += n;
    };
    log.notice("Non blocking connect for SYNC fired the event.");
    this.state = "handshake";
    this.#lastIo = state.clock.now();
    await writeAll(conn, command(["PING"]));
    let reply = await reader.line();
    this.#check(gen);
    if (
      !reply.startsWith("+") && !reply.startsWith("-NOAUTH") &&
      !reply.startsWith("-NOPERM") &&
      !reply.startsWith("-ERR operation not permitted")
    ) {
      log.warning(`Error reply to PING from master: '${reply}'`);
      throw new Cancelled();
    }
    log.notice("Master replied to PING, replication can continue...");
    // The handshake goes out at once; the replies are read in order.
    const auth = config.get("masterauth");
    const user = config.get("masteruser");
    const announceIp = config.get("replica-announce-ip");
    const announcePort = config.number("replica-announce-port");
    const tlsPort = config.number("tls-port");
    const port = announcePort !== 0
      ? announcePort
      : config.bool("tls-replication") && tlsPort !== 0
      ? tlsPort
      : state.port;
    const parts: Uint8Array[] = [];
    if (auth !== "") {
      parts.push(command(user !== "" ? ["AUTH", user, auth] : ["AUTH", auth]));
    }
    parts.push(command(["REPLCONF", "listening-port", String(port)]));
    if (announceIp !== "") {
      parts.push(command(["REPLCONF", "ip-address", announceIp]));
    }
    parts.push(command(["REPLCONF", "capa", "eof", "capa", "psync2"]));
    await writeAll(conn, concatBytes(parts));
    if (auth !== "") {
      reply = await reader.line();
      this.#check(gen);
      if (reply.startsWith("-")) {
        log.warning(`Unable to AUTH to MASTER: ${reply}`);
        throw new Cancelled();
      }
    }
    for (
      const what of announceIp !== ""
        ? ["listening-port", "ip-address", "capa"]
        : ["listening-port", "capa"]
    ) {
      reply = await reader.line();
      this.#check(gen);
      if (reply.startsWith("-")) {
        log.notice(
          `(Non critical) Master does not understand REPLCONF ${what}: ${reply}`,
        );
      }
    }
    // PSYNC: partial when a cached master says where we were.
    let psyncId = "?";
    let psyncOffset = "-1";
    const cached = this.cached;
    if (cached !== undefined) {
      psyncId = cached.replid;
      psyncOffset = String(cached.reploff + 1);
      log.notice(
        `Trying a partial resynchronization (request ${psyncId}:${psyncOffset}).`,
      );
    } else {
      log.notice("Partial resynchronization not possible (no cached master)");
    }
    await writeAll(
      conn,
      command(
        this.#host.failoverInProgress
          ? ["PSYNC", psyncId, psyncOffset, "FAILOVER"]
          : ["PSYNC", psyncId, psyncOffset],
      ),
    );
    // The master may send newlines to keep the link alive before replying.
    do {
      reply = await reader.line();
      this.#check(gen);
    } while (reply === "");
    if (reply.startsWith("+FULLRESYNC")) {
      const words = reply.split(" ");
      if (words.length < 3 || words[1]!.length !== 40) {
        log.warning("Master replied with wrong +FULLRESYNC syntax.");
        this.masterReplid = "";
      } else {
        this.masterReplid = words[1]!;
        this.prePsync = false;
        const offset = Number(words[2]);
        log.notice(`Full resync from master: ${this.masterReplid}:${offset}`);
        this.#host.psyncAnswered(true);
        await this.#fullSync(gen, conn, reader, offset);
        return;
      }
      this.#host.psyncAnswered(true);
      await this.#fullSync(gen, conn, reader, -1);
      return;
    }
    if (reply.startsWith("+CONTINUE")) {
      this.#host.psyncAnswered(true);
      await this.#partialSync(gen, conn, reader, reply);
      return;
    }
    if (reply.startsWith("-NOMASTERLINK") || reply.startsWith("-LOADING")) {
      log.notice(
        `Master is currently unable to PSYNC but should be in the future: ${reply}`,
      );
      this.#host.psyncAnswered(false);
      throw new Cancelled();
    }
    if (reply.startsWith("-ERR")) {
      log.notice(
        `Master does not support PSYNC or is in error state (reply: ${reply})`,
      );
    } else {
      log.warning(`Unexpected reply to PSYNC from master: ${reply}`);
    }
    if (this.#host.failoverInProgress) {
      this.#host.psyncAnswered(false);
      throw new Cancelled();
    }
    log.notice("Retrying with SYNC...");
    await writeAll(conn, latin1ToBytes("SYNC\r\n"));
    this.prePsync = true;
    await this.#fullSync(gen, conn, reader, -1);
  }

  // Redis's readSyncBulkPayload, then the stream.
  async #fullSync(
    gen: number,
    conn: Deno.Conn,
    reader: LinkReader,
    initialOffset: number,
  ): Promise<void> {
    const state = this.#state;
    const diskless = this.#disklessLoad();
    this.state = "transfer";
    const t = this.transfer;
    t.size = -1;
    t.read = 0;
    t.lastIo = state.clock.now();
    reader.onRead = (n) => {
      t.lastIo = state.clock.now();
      this.#host.primary.stats.netReplInput += n;
    };
    let line: string;
    for (;;) {
      line = await reader.line();
      this.#check(gen);
      if (line.startsWith("-")) {
        log.warning(
          `MASTER aborted replication with an error: ${line.slice(1)}`,
        );
        throw new Cancelled();
      }
      if (line === "") continue;
      if (!line.startsWith("$")) {
        log.warning(
          `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`,
        );
        throw new Cancelled();
      }
      break;
    }
    let mark: Uint8Array | undefined;
    if (line.startsWith("$EOF:") && line.length - 5 >= 40) {
      mark = latin1ToBytes(line.slice(5, 45));
      t.size = 0;
      log.notice(
        `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${
          diskless ? "to parser" : "to disk"
        }`,
      );
    } else {
      t.size = parseInt(line.slice(1), 10) || 0;
      log.notice(
        `MASTER <-> REPLICA sync: receiving ${t.size} bytes from master ${
          diskless ? "to parser" : "to disk"
        }`,
      );
    }
    let file: Deno.FsFile | undefined;
    let tmp = "";
    if (!diskless) {
      tmp = state.config.path(
        `temp-${Math.floor(state.clock.now() / 1000)}.${Deno.pid}.rdb`,
      );
      file = await Deno.open(tmp, {
        write: true,
        create: true,
        truncate: true,
      });
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.#readPayload(gen, reader, mark, file);
      if (file !== undefined) {
        await file.sync();
        file.close();
        file = undefined;
        await Deno.rename(
          tmp,
          state.config.path(state.config.get("dbfilename")),
        );
      }
    } catch (e) {
      if (file !== undefined) {
        try {
          file.close();
        } catch { /* closed */ }
        await Deno.remove(tmp).catch(() => {});
      }
      throw e;
    }
    this.#check(gen);
    const leftover = reader.rest();
    await this.#load(gen, bytes, diskless, initialOffset);
    this.#check(gen);
    // After a diskless payload the master waits for this ACK to stream.
    if (mark !== undefined) this.sendAck();
    await this.#stream(gen, conn, leftover);
  }

  // The payload: `t.size` bytes, or everything up to the EOF mark.
  async #readPayload(
    gen: number,
    reader: LinkReader,
    mark: Uint8Array | undefined,
    file: Deno.FsFile | undefined,
  ): Promise<Uint8Array> {
    const t = this.transfer;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (mark === undefined && total >= t.size) break;
      const max = mark === undefined ? t.size - total : READ_SIZE;
      const chunk = await reader.chunk(max);
      this.#check(gen);
      chunks.push(chunk);
      total += chunk.length;
      t.read = total;
      if (file !== undefined) await writeAll(file, chunk);
      if (mark !== undefined && endsWith(chunks, total, mark)) break;
    }
    const out = concatBytes(chunks);
    if (mark === undefined) return out;
    if (file !== undefined) await file.truncate(total - mark.length);
    return out.subarray(0, total - mark.length);
  }

  // Redis's useDisklessLoad.
  #disklessLoad(): boolean {
    const mode = this.#state.config.get("repl-diskless-load");
    return mode === "swapdb" ||
      (mode === "on-empty-db" && this.#state.keyspace.totalKeys === 0);
  }

  // Loads the payload into the dataset (into a new one swapped in at the
  // end with repl-diskless-load swapdb), then sets up the master client.
  async #load(
    gen: number,
    bytes: Uint8Array,
    diskless: boolean,
    initialOffset: number,
  ): Promise<void> {
    const state = this.#state;
    const primary = this.#host.primary;
    const aofWasOn = state.aof?.enabled === true;
    // The AOF must not log the load; it is rewritten from the new data.
    if (aofWasOn) {
      setAppendonly(state, false);
      this.aofSuspended = true;
    }
    if (state.rdb?.saving === true) {
      if (!diskless) {
        log.notice(
          `Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing process ${Deno.pid} and removing its temp file to avoid any race`,
        );
      }
      state.rdb.killBackgroundSave(true);
    }
    const swap = diskless &&
      state.config.get("repl-diskless-load") === "swapdb";
    if (!swap) {
      this.#attachToNewMaster();
      log.notice("MASTER <-> REPLICA sync: Flushing old data");
      emptyData(state);
    }
    log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
    const temp = swap
      ? new Keyspace(state.keyspace.count, state.keyspace.hooks)
      : undefined;
    const target = temp === undefined ? state : stateWithKeyspace(state, temp);
    let streamDb = -1;
    this.#beginLoading();
    try {
      if (temp !== undefined) state.functions?.flush();
      const load = loadRdbImage(target, bytes, {
        keepExpired: true,
        aux: (key, value) => {
          if (key === "repl-stream-db") streamDb = parseInt(value, 10);
        },
      });
      let last = performance.now();
      for (;;) {
        const r = load.next();
        if (r.done) break;
        if (performance.now() - last >= LOAD_YIELD_MS) {
          this.#newlineToMaster();
          await state.ioTurn.next();
          this.#check(gen);
          last = performance.now();
        }
      }
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      log.warning(
        `Failed trying to load the MASTER synchronization DB from ${
          diskless ? "socket" : "disk"
        }: ${(e as Error).message}`,
      );
      if (temp === undefined) emptyData(state);
      else {log.notice(
          "MASTER <-> REPLICA sync: Discarding temporary DB in background",
        );}
      throw new Cancelled();
    } finally {
      this.#endLoading();
    }
    if (temp !== undefined) {
      this.#attachToNewMaster();
      log.notice("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
      swapIn(state, temp);
      log.notice("MASTER <-> REPLICA sync: Discarding old DB in background");
    }
    if (diskless) state.dirty++;
    this.reploff = this.readReploff = initialOffset;
    this.#createMasterClient(streamDb);
    this.state = "connected";
    this.downSince = 0;
    primary.replid = this.masterReplid;
    primary.setOffset(initialOffset === -1 ? 0 : initialOffset);
    primary.clearReplicationId2();
    primary.createBacklog();
    this.#host.fullSyncDone();
    log.notice("MASTER <-> REPLICA sync: Finished with success");
    state.notifySupervisor(
      "STATUS=MASTER <-> REPLICA sync: Finished with success. Ready to accept connections in read-write mode.\n",
    );
    if (this.aofSuspended) {
      this.aofSuspended = false;
      setAppendonly(state, true);
    }
  }

  // Redis's replicationAttachToNewMaster: the new data is another history.
  #attachToNewMaster(): void {
    this.cached = undefined;
    this.#host.primary.disconnectReplicas();
    this.#host.primary.freeBacklog();
  }

  #beginLoading(): void {
    this.#loadingNow = true;
    this.#state.loading = true;
    pipelineHooks.gates.push(this.#loadingGate);
  }

  #endLoading(): void {
    if (!this.#loadingNow) return;
    this.#loadingNow = false;
    this.#state.loading = false;
    const gates = pipelineHooks.gates;
    const i = gates.indexOf(this.#loadingGate);
    if (i >= 0) gates.splice(i, 1);
  }

  readonly #loadingGate = (
    server: ServerState,
    client: Client,
    cmd: { flags: ReadonlySet<string> },
  ) =>
    server === this.#state && !client.internal && !cmd.flags.has("loading")
      ? loadingDataset()
      : undefined;

  // Keeps the master from timing us out while we load (once a second).
  #newlineToMaster(): void {
    const now = Math.floor(Date.now() / 1000);
    if (now === this.#lastNewline || this.#conn === undefined) return;
    this.#lastNewline = now;
    this.#conn.write(new Uint8Array([10])).catch(() => {});
  }

  // +CONTINUE [<replid>]: the cached master comes back.
  async #partialSync(
    gen: number,
    conn: Deno.Conn,
    reader: LinkReader,
    reply: string,
  ): Promise<void> {
    const primary = this.#host.primary;
    const cached = this.cached!;
    log.notice("Successful partial resynchronization with master.");
    const id = reply.slice(10).trim();
    if (id.length === 40 && id !== cached.replid) {
      log.warning(`Master replication ID changed to ${id}`);
      primary.replid2 = cached.replid;
      primary.secondOffset = primary.offset + 1;
      primary.replid = id;
      cached.replid = id;
      // Our replicas must learn the new id.
      primary.disconnectReplicas();
    }
    this.masterReplid = cached.replid;
    this.reploff = this.readReploff = cached.reploff;
    this.cached = undefined;
    this.#createMasterClient(cached.db);
    this.state = "connected";
    this.downSince = 0;
    primary.createBacklog();
    log.notice(
      "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.",
    );
    this.#state.notifySupervisor(
      "STATUS=MASTER <-> REPLICA sync: Partial Resynchronization accepted. Ready to accept connections in read-write mode.\n",
    );
    await this.#stream(gen, conn, reader.rest());
  }

  // Redis's replicationCreateMasterClient.
  #createMasterClient(db: number): void {
    const state = this.#state;
    const conn = this.#conn!;
    const peer = peerAddresses(conn);
    const client = new Client({
      id: state.nextClientId++,
      addr: peer.addr,
      laddr: peer.laddr,
      now: state.clock.now(),
      authenticated: true,
      internal: true,
      close: (reason) => this.#masterClosed(reason),
    });
    client.replRole = "master";
    client.replyMode = "off";
    client.lastCommand = "NULL";
    if (db >= 0 && db < state.keyspace.count) client.db = db;
    this.master = client;
    state.clients.set(client.id, client);
  }

  // CLIENT KILL of the master client, or the cron's timeout.
  #masterClosed(reason: string): void {
    const client = this.master;
    if (client === undefined || client.closed) return;
    log.verbose(`Closing the master link (${reason})`);
    this.#closeConn();
  }

  // Reads and applies the stream until the link breaks.
  async #stream(
    gen: number,
    conn: Deno.Conn,
    leftover: Uint8Array,
  ): Promise<void> {
    const decoder = new RespDecoder(STREAM_LIMITS);
    const applier = new StreamApplier(decoder);
    if (leftover.length !== 0) this.#apply(applier, leftover, leftover.length);
    const buf = new Uint8Array(READ_SIZE);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (gen !== this.#gen) return;
        if (n === null) break;
        this.#host.primary.stats.netReplInput += n;
        if (!this.#apply(applier, buf, n)) break;
      }
    } catch (e) {
      if (gen !== this.#gen) return;
      log.verbose(`Reading from master: ${(e as Error).message}`);
    }
    if (gen !== this.#gen) return;
    this.#linkLost();
  }

  // One read's worth of stream: runs its complete commands, advances the
  // offsets and proxies the applied bytes. False on a protocol error.
  #apply(applier: StreamApplier, chunk: Uint8Array, n: number): boolean {
    const master = this.master;
    if (master === undefined) return false;
    const state = this.#state;
    master.lastInteraction = state.clock.now();
    this.readReploff += n;
    const commands = applier.decoder.decode(chunk, 0, n);
    const base = this.reploff;
    this.#host.setApplying(true);
    try {
      for (const argv of commands) {
        if (master.closed) break;
        dispatch(state, master, argv);
        this.reploff += encodedLength(argv);
      }
    } finally {
      this.#host.setApplying(false);
    }
    const applied = applier.take(chunk, n);
    this.reploff = base + applied.length;
    this.#host.primary.feedRaw(applied);
    if (applier.decoder.error !== undefined) {
      log.warning(
        `Protocol error from MASTER: ${applier.decoder.error.message}`,
      );
      return false;
    }
    return true;
  }

  // The stream broke: cache the master for a PSYNC, reconnect at once.
  #linkLost(): void {
    if (this.master === undefined) return;
    log.notice("Connection with master lost.");
    this.#cacheMaster();
    this.#closeConn();
    this.state = "connect";
    this.downSince = this.#state.clock.now();
    if (!this.#stopped) {
      log.notice(`Reconnecting to MASTER ${this.host}:${this.port}`);
      this.connect();
    }
  }

  // Redis's replicationCacheMaster.
  #cacheMaster(): void {
    const master = this.master;
    if (master === undefined) return;
    log.notice("Caching the disconnected master state.");
    this.cached = {
      replid: this.masterReplid,
      reploff: this.reploff,
      db: master.db,
    };
    this.readReploff = this.reploff;
    this.#dropMasterClient();
  }

  #dropMasterClient(): void {
    const master = this.master;
    if (master === undefined) return;
    this.master = undefined;
    master.multi = undefined;
    master.closed = true;
    const state = this.#state;
    for (const hook of state.clientCloseHooks) hook(master);
    state.clients.delete(master.id);
  }

  /** REPLCONF ACK <offset> to the master (replicationSendAck). */
  sendAck(): void {
    const conn = this.#conn;
    if (conn === undefined || this.master === undefined) return;
    const bytes = command(["REPLCONF", "ACK", String(this.reploff)]);
    this.#ackChain = this.#ackChain.then(() => writeAll(conn, bytes)).catch(
      () => {},
    );
  }

  /** Redis's replica half of replicationCron; called once a second. */
  cron(): void {
    const now = this.#state.clock.now();
    const timeout = this.#state.config.number("repl-timeout") * 1000;
    if (
      (this.state === "connecting" || this.state === "handshake") &&
      now - this.#lastIo > timeout
    ) {
      log.warning("Timeout connecting to the MASTER...");
      this.cancelHandshake(true);
    }
    if (
      this.state === "transfer" && !this.#loadingNow &&
      now - this.transfer.lastIo > timeout
    ) {
      log.warning(
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      );
      this.cancelHandshake(true);
    }
    if (
      this.state === "connected" && this.master !== undefined &&
      now - this.master.lastInteraction > timeout
    ) {
      log.warning("MASTER timeout: no data nor PING received...");
      this.#closeConn();
    }
    if (this.state === "connect" && !this.#stopped) {
      log.notice(`Connecting to MASTER ${this.host}:${this.port}`);
      this.connect();
    }
    if (this.master !== undefined && !this.prePsync) this.sendAck();
  }

  /** The applied offset for INFO / ROLE (-1 before any: 1 for INFO, as Redis). */
  get offsets(): { reploff: number; readReploff: number } | undefined {
    if (this.master !== undefined) {
      return { reploff: this.reploff, readReploff: this.readReploff };
    }
    if (this.cached !== undefined) {
      return { reploff: this.cached.reploff, readReploff: this.cached.reploff };
    }
    return undefined;
  }
}

/**
 * Tracks the raw bytes of the stream so the applied part can be proxied
 * and counted exactly: the bytes of complete commands, as received.
 */
class StreamApplier {
  readonly decoder: RespDecoder;
  // Bytes of an incomplete command carried over from earlier reads.
  #pending = new Uint8Array(0);

  constructor(decoder: RespDecoder) {
    this.decoder = decoder;
  }

  /**
   * After `decoder` took `chunk[0..n)`: the bytes it consumed as complete
   * commands (the earlier carried-over bytes first). The rest is kept.
   */
  take(chunk: Uint8Array, n: number): Uint8Array {
    const total = this.#pending.length + n;
    const applied = total - this.decoder.buffered;
    let out: Uint8Array;
    if (this.#pending.length === 0) {
      out = chunk.slice(0, applied);
      this.#pending = chunk.slice(applied, n);
    } else {
      const all = new Uint8Array(total);
      all.set(this.#pending);
      all.set(chunk.subarray(0, n), this.#pending.length);
      out = all.subarray(0, applied);
      this.#pending = all.slice(applied);
    }
    return out;
  }
}

/** The length of `argv` as a RESP multibulk (what the master counted). */
function encodedLength(argv: Argv): number {
  let len = 3 + String(argv.length).length;
  for (const a of argv) len += 5 + String(a.length).length + a.length;
  return len;
}

/** `argv` as a RESP multibulk request. */
function command(argv: string[]): Uint8Array {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return latin1ToBytes(s);
}

// True when the last `mark.length` bytes of the chunks equal `mark`.
function endsWith(
  chunks: Uint8Array[],
  total: number,
  mark: Uint8Array,
): boolean {
  if (total < mark.length) return false;
  let i = chunks.length - 1;
  let j = chunks[i]!.length - 1;
  for (let k = mark.length - 1; k >= 0; k--) {
    while (j < 0) {
      i--;
      j = chunks[i]!.length - 1;
    }
    if (chunks[i]![j] !== mark[k]) return false;
    j--;
  }
  return true;
}

// emptyData: every database and the functions.
function emptyData(state: ServerState): void {
  state.keyspace.flushAll();
  state.functions?.flush();
}

// A view of `state` whose databases are those of `keyspace` (loading into
// a temporary dataset for repl-diskless-load swapdb).
function stateWithKeyspace(
  state: ServerState,
  keyspace: Keyspace,
): ServerState {
  const view = Object.create(state) as ServerState;
  Object.defineProperty(view, "keyspace", { value: keyspace });
  Object.defineProperty(view, "db", {
    value: (index: number) => keyspace.db(index),
  });
  return view;
}

// The loaded databases replace the live ones; WATCHes on keys of either
// side are invalidated and blocked clients hear about keys that arrived.
function swapIn(state: ServerState, temp: Keyspace): void {
  for (let i = 0; i < state.keyspace.count; i++) {
    const live = state.db(i);
    const loaded = temp.db(i);
    state.keyspace.flush(live);
    for (const key of live.watched.keys()) {
      if (loaded.dict.has(key)) live.hooks.keyModified(live, key);
    }
    live.swapWith(loaded);
    for (const key of live.blocking.keys()) {
      if (live.dict.has(key)) live.hooks.keyReady(live, key);
    }
  }
}

// Switches the AOF off and on around a full sync (Redis's stopAppendOnly
// and restartAOFAfterSYNC); switching on rewrites it from the new data.
function setAppendonly(state: ServerState, on: boolean): void {
  try {
    state.config.set("appendonly", on ? "yes" : "no");
  } catch (e) {
    log.warning(
      `Failed ${
        on ? "enabling" : "disabling"
      } the AOF around the master synchronization: ${(e as Error).message}`,
    );
  }
}
