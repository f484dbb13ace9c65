/**
 * The RDB file at run time, as redis-server 7.0 keeps it: SAVE, BGSAVE
 * [SCHEDULE] and the `save` points of the cron, LASTSAVE, the final save at
 * shutdown, DEBUG RELOAD, FLUSHALL's save, loading `dbfilename` at start-up
 * (clients get -LOADING meanwhile), and the fields of INFO persistence.
 *
 * A BGSAVE is a `RdbSnapshot` (snapshot.ts) pulled into `temp-<pid>.rdb`
 * in short slices while clients are served; SAVE writes the same image at
 * once. Either way the file is fsynced and renamed over `dbfilename`, so a
 * crash mid-save leaves the previous dump whole.
 *
 * @module
 */
import { dirname } from "node:path";
import { REDIS_VERSION } from "../config.ts";
import {
  bareError,
  bgsaveChildActive,
  bgsaveInProgress,
  bgsaveMisconf,
  CommandError,
  loadingDataset,
  rdbReloadFailed,
} from "../errors.ts";
import { log } from "../log.ts";
import { pipelineHooks } from "../commands/dispatch.ts";
import type { RdbService, ReloadOptions } from "../services/rdb.ts";
import { lfuDecayed, type ServerState } from "../state.ts";
import { type Database, LRU_CLOCK_MAX } from "../store/database.ts";
import { Keyspace } from "../store/keyspace.ts";
import { usedMemory } from "../store/memory.ts";
import { rdbReadOptions, rdbWriteOptions } from "./codec.ts";
import { RdbFormatError, RdbReader } from "./rdb/reader.ts";
import { LoadBatch } from "./load_batch.ts";
import { RdbSnapshot, SNAPSHOT_SLICE_MS } from "./snapshot.ts";
import { errorText, fsyncDir, fsyncDirAsync, renameOver } from "./io.ts";

/** A pipeline gate (dispatch's type). */
type Gate = (typeof pipelineHooks.gates)[number];

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed BGSAVE is retried. */
const BGSAVE_RETRY_DELAY = 5;
/** Redis's REDIS_AUTOSYNC_BYTES: fsync every 4 MB with rdb-save-incremental-fsync. */
const AUTOSYNC_BYTES = 4 * 1024 * 1024;
/** While loading at start-up, give the event loop a turn at least this often (ms). */
const LOAD_YIELD_MS = 50;
/** Redis's SIGUSR1: a save killed on purpose (FLUSHALL, DEBUG RELOAD). */
const SIGUSR1 = 10;

/** How an RDB image is loaded into the dataset. */
export interface RdbLoadOptions {
  /** The file's name, for messages. */
  file?: string;
  /** Replace keys that exist (DEBUG RELOAD MERGE); otherwise a duplicate is fatal. */
  merge?: boolean;
  /** Keep keys already expired (an AOF preamble, a replica); a master drops them. */
  keepExpired?: boolean;
  /** Called with each key dropped because it had expired. */
  expired?: (db: number, key: string) => void;
  /** Called with each aux field (INFO's loading_rdb_used_mem, replication). */
  aux?: (key: string, value: string) => void;
  /** Called with the bytes read so far, every few hundred keys. */
  progress?: (offset: number, keysLoaded: number) => void;
}

/** What a load did. */
export interface RdbLoadResult {
  /** Keys added to the dataset. */
  keysLoaded: number;
  /** Keys skipped because they had expired. */
  keysExpired: number;
  /** Where the image ended (an AOF preamble is followed by commands). */
  offset: number;
}

/**
 * Loads the RDB image at the start of `bytes` into the dataset (Redis's
 * rdbLoadRio), one item per step; yields the offset reached every few
 * hundred keys so a caller can give the event loop a turn. Throws
 * RdbFormatError (with the offset) on a malformed image.
 */
export function* loadRdbImage(
  state: ServerState,
  bytes: Uint8Array,
  opts: RdbLoadOptions = {},
): Generator<number, RdbLoadResult, void> {
  const reader = new RdbReader(bytes, rdbReadOptions(state));
  let db: Database = state.db(0);
  let loaded = 0;
  let expired = 0;
  const now = state.clock.now();
  const delayUs = state.config.number("key-load-delay");
  const lfu = db.hooks.accessPolicy === "lfu";
  const clock = state.lruClock;
  // Every key takes at least three bytes of the file.
  const batch = new LoadBatch(opts.merge ?? false, bytes.length / 3);
  for (let n = 1;; n++) {
    const item = reader.next();
    switch (item.kind) {
      case "aux":
        logAux(item.key, item.value, now);
        opts.aux?.(item.key, item.value);
        break;
      case "db":
        if (item.db >= state.keyspace.count) {
          throw new RdbFormatError(
            `FATAL: Data file was created with a Redis server configured to handle more than ${state.keyspace.count} databases. Exiting`,
            reader.offset,
          );
        }
        batch.flush(db);
        db = state.db(item.db);
        break;
      case "resize": {
        // A hint, as for Redis: a damaged one (four billion keys in a file
        // of a hundred bytes) must not size the tables. Every key takes at
        // least three bytes of what is left.
        const most = Math.floor((bytes.length - reader.offset) / 3);
        db.expandEmpty(Math.min(item.size, most), Math.min(item.expires, most));
        break;
      }
      case "function":
        loadFunction(state, item.code, opts.merge ?? false, reader.offset);
        break;
      case "key": {
        if (delayUs !== 0) spin(delayUs);
        // A master drops keys that expired while the file sat on disk.
        if (
          !opts.keepExpired && item.expireAt !== undefined &&
          item.expireAt < now
        ) {
          expired++;
          opts.expired?.(db.id, item.key);
          break;
        }
        let meta = -1;
        if (lfu) {
          if (item.freq !== undefined) {
            const minutes = Math.floor(now / 60000) & 0xffff;
            meta = (minutes << 8) | item.freq;
          }
        } else if (item.idle !== undefined) {
          // objectSetLRUOrLFU: an idle time beyond the clock's range wraps.
          meta = clock - item.idle;
          if (meta < 0) {
            meta = (clock + Math.floor(LRU_CLOCK_MAX / 2)) % LRU_CLOCK_MAX;
          }
        }
        batch.push(
          db,
          item.key,
          item.value,
          item.expireAt,
          meta,
          reader.offset,
        );
        loaded++;
        break;
      }
      case "end":
        batch.flush(db);
        opts.progress?.(reader.offset, loaded);
        log.notice(
          `Done loading RDB, keys loaded: ${loaded}, keys expired: ${expired}.`,
        );
        return {
          keysLoaded: loaded,
          keysExpired: expired,
          offset: reader.offset,
        };
    }
    if (n % 256 === 0) {
      opts.progress?.(reader.offset, loaded);
      yield reader.offset;
    }
  }
}

function loadFunction(
  state: ServerState,
  code: string,
  replace: boolean,
  offset: number,
): void {
  const functions = state.functions;
  if (functions === undefined) {
    throw new RdbFormatError(
      "Failed loading library: functions are not available",
      offset,
    );
  }
  try {
    functions.load(code, replace);
  } catch (e) {
    const text = e instanceof CommandError ? e.message : String(e);
    throw new RdbFormatError(`Failed loading library: ${text}`, offset);
  }
}

/** Runs a loading generator to its end at once (DEBUG RELOAD, AOF preambles). */
export function runToEnd<T>(gen: Generator<unknown, T, void>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

// rdbLoad's notes on the aux fields it knows.
function logAux(key: string, value: string, nowMs: number): void {
  switch (key) {
    case "redis-ver":
      log.notice(`Loading RDB produced by version ${value}`);
      break;
    case "ctime": {
      const age = Math.floor(nowMs / 1000) - (parseInt(value) || 0);
      log.notice(`RDB age ${Math.max(0, age)} seconds`);
      break;
    }
    case "used-mem":
      log.notice(
        `RDB memory usage when created ${
          ((parseInt(value) || 0) / (1024 * 1024)).toFixed(2)
        } Mb`,
      );
      break;
    case "aof-preamble":
      if ((parseInt(value) || 0) !== 0) log.notice("RDB has an AOF tail");
      break;
    case "aof-base":
      if ((parseInt(value) || 0) !== 0) log.notice("RDB is base AOF");
      break;
    case "redis-bits":
    case "repl-stream-db":
    case "repl-id":
    case "repl-offset":
    case "lua":
      break;
    default:
      log.debug(`Unrecognized RDB AUX field: '${key}'`);
  }
}

/**
 * The image `state` writes (rdbSaveRio): aux fields, functions, keys with
 * IDLE/FREQ under an LRU/LFU policy, taken at the moment of the call.
 * `noKeys` and `noFunctions` leave those out with the same aux fields (a
 * replica's REPLCONF rdb-filter-only).
 */
export function rdbImage(
  state: ServerState,
  opts: { aofBase?: boolean; noKeys?: boolean; noFunctions?: boolean } = {},
): RdbSnapshot {
  const now = state.clock.now();
  const policy = state.config.get("maxmemory-policy");
  const clock = state.lruClock;
  const accessMeta = policy.includes("lru")
    ? (at: number) => ({
      idle: at <= clock ? clock - at : LRU_CLOCK_MAX - at + clock,
    })
    : policy.includes("lfu")
    ? (meta: number) => ({ freq: lfuDecayed(meta, state) })
    : undefined;
  const keyDelay = state.config.number("rdb-key-save-delay");
  const keyspace = opts.noKeys
    ? new Keyspace(state.keyspace.count, state.keyspace.hooks)
    : state.keyspace;
  return new RdbSnapshot(keyspace, {
    write: rdbWriteOptions(state),
    aux: [
      ["redis-ver", REDIS_VERSION],
      ["redis-bits", 64],
      ["ctime", Math.floor(now / 1000)],
      ["used-mem", usedMemory(state)],
      // An AOF base carries no replication info (Redis saves it with no rsi).
      ...(opts.aofBase ? [] : state.replication?.rdbAux() ?? []),
      ["aof-base", opts.aofBase ? 1 : 0],
    ],
    functions: opts.noFunctions ? [] : state.functions?.libraries() ?? [],
    ...(accessMeta === undefined ? {} : { accessMeta }),
    ...(keyDelay === 0 ? {} : { keyDelayUs: () => keyDelay }),
  });
}

// A BGSAVE under way.
interface BgsaveJob {
  readonly image: RdbSnapshot;
  readonly startMs: number;
  readonly dirtyBefore: number;
  readonly tmp: string;
  killed: boolean;
  file: Deno.FsFile | undefined;
}

// What INFO shows while a file loads.
interface LoadingInfo {
  readonly startTime: number;
  readonly totalBytes: number;
  rdbUsedMem: number;
  loadedBytes: number;
}

/** RDB persistence of one server; see the module comment. */
export class RdbRuntime implements RdbService {
  readonly #state: ServerState;
  #lastSave: number;
  #lastBgsaveOk = true;
  #lastBgsaveTry = 0;
  #lastBgsaveTimeSec = -1;
  #saves = 0;
  #lastCowSize = 0;
  #job: BgsaveJob | undefined;
  #scheduled = false;
  #loadKeysLoaded = 0;
  #loadKeysExpired = 0;
  #loading: LoadingInfo | undefined;
  #abortLoading = false;
  #misconfGate = false;

  /** Reads nothing yet: `loadAtStartup()` loads the file. */
  constructor(state: ServerState) {
    this.#state = state;
    this.#lastSave = Math.floor(state.clock.now() / 1000);
    state.cronHooks.push(() => this.#cron());
    state.config.onChange("stop-writes-on-bgsave-error", () => {
      queueMicrotask(() => this.#updateMisconfGate());
    });
    state.config.onChange("save", () => {
      queueMicrotask(() => this.#updateMisconfGate());
    });
  }

  /** True while a BGSAVE runs (the AOF waits for it, as for a child). */
  get saving(): boolean {
    return this.#job !== undefined;
  }

  /** True while a BGSAVE is scheduled (BGSAVE SCHEDULE). */
  get scheduled(): boolean {
    return this.#scheduled;
  }

  // ------------------------------------------------------------------ save

  save(): void {
    if (this.#job !== undefined) throw bgsaveInProgress();
    this.#saves++;
    if (!this.saveNow()) throw bareError();
  }

  /**
   * Writes the dataset to `dbfilename` now, synchronously (Redis's
   * rdbSave). Returns false after logging why when it could not.
   */
  saveNow(): boolean {
    const state = this.#state;
    const tmp = state.config.path(`temp-${Deno.pid}.rdb`);
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
    } catch (e) {
      log.warning(
        `Failed opening the temp RDB file ${tmp} (in server root dir ${cwd()}) for saving: ${
          errorText(e)
        }`,
      );
      return false;
    }
    let op = "rdbSaveRio";
    try {
      const incremental = state.config.bool("rdb-save-incremental-fsync");
      let sinceSync = 0;
      rdbImage(state).writeSync((piece) => {
        writeAllSync(file, piece);
        sinceSync += piece.length;
        if (incremental && sinceSync >= AUTOSYNC_BYTES) {
          file.syncDataSync();
          sinceSync = 0;
        }
      });
      op = "fsync";
      file.syncSync();
      op = "fclose";
      file.close();
    } catch (e) {
      closeQuietly(file);
      removeQuietly(tmp);
      log.warning(`Write error saving DB on disk(${op}): ${errorText(e)}`);
      return false;
    }
    const target = state.config.path(state.config.get("dbfilename"));
    try {
      void renameOver(tmp, target);
    } catch (e) {
      log.warning(
        `Error moving temp DB file ${tmp} on the final destination ${target} (in server root dir ${cwd()}): ${
          errorText(e)
        }`,
      );
      removeQuietly(tmp);
      return false;
    }
    fsyncDir(dirname(target));
    log.notice("DB saved on disk");
    state.dirty = 0;
    this.#lastSave = Math.floor(state.clock.now() / 1000);
    this.#setBgsaveStatus(true);
    return true;
  }

  bgsave(schedule: boolean): string {
    if (this.#job !== undefined) throw bgsaveInProgress();
    if (this.#state.aof?.rewriting === true || inTransaction(this.#state)) {
      if (schedule || inTransaction(this.#state)) {
        this.#scheduled = true;
        return "Background saving scheduled";
      }
      throw bgsaveChildActive();
    }
    if (!this.#startBgsave()) throw bareError();
    return "Background saving started";
  }

  lastSave(): number {
    return this.#lastSave;
  }

  // Redis's rdbSaveBackground.
  #startBgsave(): boolean {
    const state = this.#state;
    this.#lastBgsaveTry = Math.floor(state.clock.now() / 1000);
    const job: BgsaveJob = {
      image: rdbImage(state),
      startMs: state.clock.now(),
      dirtyBefore: state.dirty,
      tmp: state.config.path(`temp-${Deno.pid}.rdb`),
      killed: false,
      file: undefined,
    };
    this.#job = job;
    this.#saves++;
    this.#scheduled = false;
    log.notice(`Background saving started by pid ${Deno.pid}`);
    this.#writeInBackground(job).then((ok) => this.#bgsaveDone(job, ok));
    return true;
  }

  async #writeInBackground(job: BgsaveJob): Promise<boolean> {
    const state = this.#state;
    try {
      job.file = await Deno.open(job.tmp, {
        write: true,
        create: true,
        truncate: true,
      });
    } catch (e) {
      if (job.killed) return false;
      log.warning(
        `Failed opening the temp RDB file ${job.tmp} (in server root dir ${cwd()}) for saving: ${
          errorText(e)
        }`,
      );
      job.image.cancel();
      return false;
    }
    const file = job.file;
    if (job.killed) {
      // Killed while the file was being opened: nothing else will close it.
      // A save started since then (SAVE, FLUSHALL's save, a new BGSAVE)
      // writes the same temp-<pid>.rdb: its file must not be removed.
      job.file = undefined;
      closeQuietly(file);
      if (this.#job === undefined) removeQuietly(job.tmp);
      return false;
    }
    const reader = job.image.stream(SNAPSHOT_SLICE_MS, state.ioTurn)
      .getReader();
    let op = "rdbSaveRio";
    try {
      const incremental = state.config.bool("rdb-save-incremental-fsync");
      let sinceSync = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (job.killed) return false;
        if (done) break;
        await writeAll(file, value);
        sinceSync += value.length;
        if (incremental && sinceSync >= AUTOSYNC_BYTES) {
          await file.syncData();
          sinceSync = 0;
        }
      }
      op = "fsync";
      await file.sync();
      if (job.killed) return false;
      op = "fclose";
      job.file = undefined;
      file.close();
      const target = state.config.path(state.config.get("dbfilename"));
      try {
        void renameOver(job.tmp, target);
      } catch (e) {
        log.warning(
          `Error moving temp DB file ${job.tmp} on the final destination ${target} (in server root dir ${cwd()}): ${
            errorText(e)
          }`,
        );
        removeQuietly(job.tmp);
        return false;
      }
      await fsyncDirAsync(dirname(target));
      log.notice("DB saved on disk");
      const cow = job.image.snapshot;
      log.notice(
        `Fork CoW for RDB: current ${mb(cow.cowBytes)} MB, peak ${
          mb(cow.cowPeak)
        } MB, average ${mb(cow.cowAverage)} MB`,
      );
      return true;
    } catch (e) {
      if (job.killed) return false;
      reader.cancel().catch(() => {});
      job.image.cancel();
      if (job.file !== undefined) {
        job.file = undefined;
        closeQuietly(file);
      }
      removeQuietly(job.tmp);
      log.warning(`Write error saving DB on disk(${op}): ${errorText(e)}`);
      return false;
    }
  }

  // Redis's backgroundSaveDoneHandlerDisk.
  #bgsaveDone(job: BgsaveJob, ok: boolean): void {
    if (this.#job !== job) return;
    const state = this.#state;
    this.#job = undefined;
    this.#lastCowSize = job.image.snapshot.cowPeak;
    this.#lastBgsaveTimeSec = Math.floor(
      (state.clock.now() - job.startMs) / 1000,
    );
    if (ok) {
      log.notice("Background saving terminated with success");
      state.dirty -= job.dirtyBefore;
      this.#lastSave = Math.floor(state.clock.now() / 1000);
      this.#setBgsaveStatus(true);
    } else {
      log.warning("Background saving error");
      this.#setBgsaveStatus(false);
    }
  }

  /**
   * Stops a running BGSAVE and removes its temp file (Redis's
   * killRDBChild). `quiet` skips the log line Redis's done handler writes
   * (SHUTDOWN logs its own).
   */
  killBackgroundSave(quiet = false): void {
    const job = this.#job;
    if (job === undefined) return;
    job.killed = true;
    job.image.cancel();
    if (job.file !== undefined) {
      closeQuietly(job.file);
      job.file = undefined;
    }
    removeQuietly(job.tmp);
    this.#job = undefined;
    this.#lastBgsaveTimeSec = Math.floor(
      (this.#state.clock.now() - job.startMs) / 1000,
    );
    // SIGUSR1 is how Redis kills a save on purpose: not an error.
    if (!quiet) {
      log.warning(`Background saving terminated by signal ${SIGUSR1}`);
    }
  }

  #setBgsaveStatus(ok: boolean): void {
    this.#lastBgsaveOk = ok;
    this.#updateMisconfGate();
  }

  // -MISCONF for writes (and PING) while the last BGSAVE failed, as
  // Redis's writeCommandsDeniedByDiskError; the gate is only installed then.
  #updateMisconfGate(): void {
    const want = !this.#lastBgsaveOk &&
      this.#state.config.bool("stop-writes-on-bgsave-error") &&
      savePoints(this.#state).length !== 0;
    if (want === this.#misconfGate) return;
    this.#misconfGate = want;
    const gates = pipelineHooks.gates;
    if (want) gates.push(this.#gate);
    else gates.splice(gates.indexOf(this.#gate), 1);
  }

  readonly #gate: Gate = (server, client, cmd) =>
    server === this.#state && !client.internal &&
      (cmd.isWrite || cmd.name === "ping")
      ? bgsaveMisconf()
      : undefined;

  readonly #loadingGate: Gate = (server, client, cmd) =>
    server === this.#state && server.loading && !client.internal &&
      !cmd.flags.has("loading")
      ? loadingDataset()
      : undefined;

  // ------------------------------------------------------------------ cron

  // serverCron's part: save points, and a scheduled BGSAVE.
  #cron(): void {
    const state = this.#state;
    if (state.loading || this.#job !== undefined) return;
    if (state.aof?.rewriting === true) return;
    const now = Math.floor(state.clock.now() / 1000);
    const retryOk = this.#lastBgsaveOk ||
      now - this.#lastBgsaveTry > BGSAVE_RETRY_DELAY;
    if (!retryOk) return;
    for (const [seconds, changes] of savePoints(state)) {
      if (state.dirty >= changes && now - this.#lastSave > seconds) {
        log.notice(`${changes} changes in ${seconds} seconds. Saving...`);
        this.#startBgsave();
        return;
      }
    }
    if (this.#scheduled) this.#startBgsave();
  }

  // ---------------------------------------------------------------- reload

  reload(opts: ReloadOptions): void {
    const state = this.#state;
    if (opts.save) {
      // The background save would write an older image after ours.
      this.killBackgroundSave();
      if (!this.saveNow()) throw bareError();
    }
    if (opts.flush) {
      state.keyspace.flushAll();
      state.functions?.flush();
    }
    const file = state.config.path(state.config.get("dbfilename"));
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(file);
    } catch (e) {
      log.warning(`Fatal error loading the DB: ${errorText(e)}. Exiting.`);
      throw rdbReloadFailed();
    }
    state.loading = true;
    try {
      const result = runToEnd(
        loadRdbImage(state, bytes, { file, merge: opts.merge }),
      );
      this.#loadKeysLoaded = result.keysLoaded;
      this.#loadKeysExpired = result.keysExpired;
    } catch (e) {
      reportLoadError(file, e);
      throw rdbReloadFailed();
    } finally {
      state.loading = false;
    }
    log.warning("DB reloaded by DEBUG RELOAD");
  }

  // -------------------------------------------------------------- flushall

  /**
   * FLUSHALL (Redis's flushAllDataAndResetRDB): a running BGSAVE is
   * stopped, and with save points the empty dataset is saved at once.
   * Returns true when it saved (the change count is then reset).
   */
  flushAll(): boolean {
    this.killBackgroundSave();
    if (savePoints(this.#state).length === 0) return false;
    return this.saveNow();
  }

  // -------------------------------------------------------------- shutdown

  /**
   * The RDB part of SHUTDOWN and SIGTERM (Redis's finishShutdown): saves
   * when save points are set (unless `nosave`) or `save` is asked for.
   * Returns false when the server must not exit.
   */
  shutdownSave(
    opts: { save: boolean; nosave: boolean; force: boolean },
  ): boolean {
    const state = this.#state;
    if (
      !((savePoints(state).length !== 0 && !opts.nosave) || opts.save)
    ) {
      return true;
    }
    log.notice("Saving the final RDB snapshot before exiting.");
    if (this.saveNow()) return true;
    if (opts.force) {
      log.warning("Error trying to save the DB. Exit anyway.");
      return true;
    }
    log.warning("Error trying to save the DB, can't exit.");
    return false;
  }

  /** A shutdown was asked for while loading: the load stops where it is. */
  abortLoading(): void {
    this.#abortLoading = true;
  }

  // --------------------------------------------------------------- loading

  /**
   * Loads `dbfilename` at start-up (Redis's loadDataFromDisk for RDB) while
   * clients are answered -LOADING. Resolves false when there is no file or
   * the load was stopped by a shutdown; throws after logging when Redis
   * would refuse to start.
   */
  async loadAtStartup(): Promise<boolean> {
    const state = this.#state;
    const file = state.config.path(state.config.get("dbfilename"));
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(file);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      log.warning(`Fatal error loading the DB: ${errorText(e)}. Exiting.`);
      throw new RdbLoadError(file, 0, errorText(e));
    }
    const start = performance.now();
    const loading: LoadingInfo = {
      startTime: Math.floor(state.clock.now() / 1000),
      totalBytes: bytes.length,
      rdbUsedMem: 0,
      loadedBytes: 0,
    };
    this.#loading = loading;
    this.#loadKeysLoaded = 0;
    this.#loadKeysExpired = 0;
    state.loading = true;
    const gates = pipelineHooks.gates;
    gates.push(this.#loadingGate);
    const interval = state.config.number(
      "loading-process-events-interval-bytes",
    );
    let lastLog = performance.now();
    try {
      const replication = state.replication;
      const gen = loadRdbImage(state, bytes, {
        file,
        // A replica keeps them: its master deletes them (Redis's iAmMaster()).
        keepExpired: replication?.isReplica ?? false,
        expired: (db, key) => replication?.expiredAtLoad(db, key),
        aux: (key, value) => {
          if (key === "used-mem") loading.rdbUsedMem = parseInt(value) || 0;
          state.replication?.loadedAux(key, value);
        },
        progress: (offset, keys) => {
          loading.loadedBytes = offset;
          this.#loadKeysLoaded = keys;
        },
      });
      let lastYield = performance.now();
      let lastOffset = 0;
      let result: RdbLoadResult;
      for (;;) {
        const r = gen.next();
        if (r.done) {
          result = r.value;
          break;
        }
        const t = performance.now();
        if (
          r.value - lastOffset >= interval || t - lastYield >= LOAD_YIELD_MS
        ) {
          if (t - lastLog >= 5000) {
            lastLog = t;
            log.verbose(
              `Loading RDB: ${
                ((r.value / bytes.length) * 100).toFixed(2)
              }% (${this.#loadKeysLoaded} keys)`,
            );
          }
          await state.ioTurn.next();
          lastYield = performance.now();
          lastOffset = r.value;
          if (this.#abortLoading) return false;
        }
      }
      this.#loadKeysLoaded = result.keysLoaded;
      this.#loadKeysExpired = result.keysExpired;
    } catch (e) {
      if (e instanceof RdbLoadError) throw e;
      const offset = e instanceof RdbFormatError ? e.offset : 0;
      reportLoadError(file, e);
      throw new RdbLoadError(file, offset, (e as Error).message);
    } finally {
      this.#loading = undefined;
      state.loading = false;
      gates.splice(gates.indexOf(this.#loadingGate), 1);
    }
    state.dirty = 0;
    log.notice(
      `DB loaded from disk: ${
        ((performance.now() - start) / 1000).toFixed(3)
      } seconds`,
    );
    return true;
  }

  // ------------------------------------------------------------------ INFO

  /** INFO persistence up to `rdb_last_load_keys_loaded`, in Redis's order. */
  info(): [string, string | number][] {
    const state = this.#state;
    const job = this.#job;
    const snap = job?.image.snapshot;
    const now = state.clock.now();
    const perc = snap === undefined || snap.keysTotal === 0
      ? 0
      : (snap.keysProcessed / snap.keysTotal) * 100;
    return [
      ["loading", state.loading ? 1 : 0],
      ["async_loading", 0],
      ["current_cow_peak", snap?.cowPeak ?? 0],
      ["current_cow_size", snap?.cowBytes ?? 0],
      ["current_cow_size_age", 0],
      ["current_fork_perc", perc.toFixed(2)],
      ["current_save_keys_processed", snap?.keysProcessed ?? 0],
      ["current_save_keys_total", snap?.keysTotal ?? 0],
      ["rdb_changes_since_last_save", state.dirty],
      ["rdb_bgsave_in_progress", job === undefined ? 0 : 1],
      ["rdb_last_save_time", this.#lastSave],
      ["rdb_last_bgsave_status", this.#lastBgsaveOk ? "ok" : "err"],
      ["rdb_last_bgsave_time_sec", this.#lastBgsaveTimeSec],
      [
        "rdb_current_bgsave_time_sec",
        job === undefined ? -1 : Math.floor((now - job.startMs) / 1000),
      ],
      ["rdb_saves", this.#saves],
      ["rdb_last_cow_size", this.#lastCowSize],
      ["rdb_last_load_keys_expired", this.#loadKeysExpired],
      ["rdb_last_load_keys_loaded", this.#loadKeysLoaded],
    ];
  }

  /** The `loading_*` fields INFO persistence ends with while a file loads. */
  loadingInfo(): [string, string | number][] {
    const state = this.#state;
    if (!state.loading) return [];
    const l = this.#loading ?? {
      startTime: Math.floor(state.clock.now() / 1000),
      totalBytes: 0,
      rdbUsedMem: 0,
      loadedBytes: 0,
    };
    let perc = 0;
    let remaining = 1;
    if (l.totalBytes !== 0) {
      perc = (l.loadedBytes / l.totalBytes) * 100;
      remaining = l.totalBytes - l.loadedBytes;
    } else if (l.loadedBytes !== 0) {
      perc = 100;
      remaining = 0;
    }
    const elapsed = Math.floor(state.clock.now() / 1000) - l.startTime;
    const eta = elapsed === 0
      ? 1
      : Math.floor((elapsed * remaining) / (l.loadedBytes + 1));
    return [
      ["loading_start_time", l.startTime],
      ["loading_total_bytes", l.totalBytes],
      ["loading_rdb_used_mem", l.rdbUsedMem],
      ["loading_loaded_bytes", l.loadedBytes],
      ["loading_loaded_perc", perc.toFixed(2)],
      ["loading_eta_seconds", eta],
    ];
  }
}

/** A fatal start-up load error, already logged. */
export class RdbLoadError extends Error {
  /** Byte offset in the file where reading failed. */
  readonly offset: number;

  /** `file` could not be loaded at `offset`. */
  constructor(file: string, offset: number, message: string) {
    super(`Cannot load "${file}" at offset ${offset}: ${message}`);
    this.name = "RdbLoadError";
    this.offset = offset;
  }
}

// rdbReportError's lines, naming the file and the offset.
function reportLoadError(file: string, e: unknown): void {
  if (!(e instanceof RdbFormatError)) {
    log.warning(
      `Fatal error loading the DB from ${file}: ${errorText(e)}. Exiting.`,
    );
    return;
  }
  if (/unexpected end|short read|eof/i.test(e.message)) {
    log.warning(
      "Short read or OOM loading DB. Unrecoverable error, aborting now.",
    );
  }
  log.warning(
    `Internal error in RDB reading offset ${e.offset} of ${file} -> ${e.message}`,
  );
  log.warning(
    `Fatal error loading the DB from ${file} at offset ${e.offset}: ${e.message}. Exiting.`,
  );
}

/** The `save` points: [seconds, changes] pairs. */
export function savePoints(state: ServerState): [number, number][] {
  const words = state.config.get("save").split(" ").filter((w) => w !== "");
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < words.length; i += 2) {
    out.push([Number(words[i]), Number(words[i + 1])]);
  }
  return out;
}

// True inside EXEC or a script (a propagation batch is open): Redis's
// server.in_exec, where BGSAVE is only scheduled.
function inTransaction(state: ServerState): boolean {
  const token = state.beginPropagationBatch();
  if (token === undefined) return true;
  state.endPropagationBatch(token);
  return false;
}

function mb(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}

function cwd(): string {
  try {
    return Deno.cwd();
  } catch {
    return "unknown";
  }
}

function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch { /* closed */ }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* not there */ }
}

function writeAllSync(file: Deno.FsFile, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

// key-load-delay: Redis's debugDelay, a busy wait of `us` microseconds.
function spin(us: number): void {
  if (us <= 0) return;
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // Busy wait, as Redis's debugDelay does.
  }
}

/** Installs RDB persistence on `state` (`state.rdb`). */
export function installRdb(state: ServerState): void {
  state.rdb = new RdbRuntime(state);
}
