/**
 * The AOF at run time (Redis 7.0's multi-part AOF): start-up loading and
 * the Redis 6 upgrade, the writer on the open incr file, BGREWRITEAOF and
 * automatic rewrites (a new incr file takes the writes while a new base is
 * built from a point-in-time snapshot, then the manifest is switched
 * atomically and history files are deleted), CONFIG SET appendonly,
 * DEBUG LOADAOF, shutdown and INFO. Log lines are Redis's.
 *
 * @module
 */
import type { ServerState } from "../../state.ts";
import type { AofService } from "../../services/aof.ts";
import {
  aofRewriteFailed,
  aofRewriteInProgress,
  aofWriteError,
  loadingDataset,
} from "../../errors.ts";
import { log } from "../../log.ts";
import { pipelineHooks } from "../../commands/dispatch.ts";
import {
  copyManifest,
  emptyManifest,
  type Manifest,
  ManifestError,
  markIncrAsHistory,
  newBase,
  newIncr,
  parseManifest,
  tempIncrName,
} from "./manifest.ts";
import { AofWriter, type FsyncPolicy } from "./writer.ts";
import { errorText } from "../io.ts";
import {
  type LoadStatus,
  replayFile,
  runToEnd,
  unexpectedEof,
} from "./loader.ts";
import {
  AofFatalError,
  aofFileSize,
  type AofPaths,
  dirExists,
  ensureDir,
  fileExists,
  fsPath,
  inDir,
  openAppend,
  openTruncated,
  pathsOf,
  persistManifest,
  readManifestText,
  unlinkInBackground,
} from "./files.ts";
import { aofBaseRdb, loadAofRdb } from "./rdb_bridge.ts";
import { startBaseWrite } from "./rewrite.ts";
import type { EventLoopTurn } from "../snapshot.ts";

/** A pipeline gate (dispatch's type, without importing commands/types.ts). */
type Gate = (typeof pipelineHooks.gates)[number];

/** Redis's aof_state: off, on, or on but waiting for the first rewrite. */
type AofState = "off" | "on" | "wait-rewrite";

// After this many consecutive failed rewrites, automatic ones back off
// (1, 2, 4, ... minutes, at most an hour), as Redis's aofRewriteLimited.
const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;
// While loading, give the event loop a turn this often (ms).
const LOAD_YIELD_MS = 20;

interface RewriteJob {
  readonly startMs: number;
  /** The snapshot's progress (copy-on-write bytes for aof_last_cow_size). */
  progress?: { readonly cowPeak: number };
  /** The temp base file, in the working directory as Redis writes it. */
  readonly tmp: string;
  readonly abort: AbortController;
}

/** Installs the AOF on `state` (`state.aof`). */
export function installAof(state: ServerState): void {
  const aof = new AofRuntime(state);
  state.aof = aof;
}

/** The AOF service of one server. */
export class AofRuntime implements AofService {
  readonly #state: ServerState;
  readonly #writer: AofWriter;
  #aofState: AofState = "off";
  #manifest: Manifest = emptyManifest();
  #job: RewriteJob | undefined;
  #scheduled = false;
  #lastRewriteSec = -1;
  #lastRewriteOk = true;
  #rewrites = 0;
  #failures = 0;
  /** aof_rewrite_base_size: the size right after the last rewrite. */
  #baseSize = 0;
  #limitDelayMinutes = 0;
  #limitUntil = 0;
  #gateInstalled = false;
  #lastCowSize = 0;
  #abortLoading = false;
  /** True while startup() runs (its load, then opening the files). */
  #booting = false;

  /** Reads the configuration; nothing is opened until `startup()`. */
  constructor(state: ServerState) {
    this.#state = state;
    const config = state.config;
    const writer = new AofWriter({ clock: state.clock });
    writer.fsync = config.get("appendfsync") as FsyncPolicy;
    writer.timestamps = config.bool("aof-timestamp-enabled");
    writer.skipFsync = () =>
      config.bool("no-appendfsync-on-rewrite") && this.#childActive();
    this.#writer = writer;
    config.onChange("appendfsync", (v, previous) => {
      writer.fsync = v as FsyncPolicy;
      // Switching to always: what was written so far is made durable now.
      if (v === "always" && previous !== "always") writer.syncNow();
    });
    config.onChange("aof-timestamp-enabled", (v) => {
      writer.timestamps = v === "yes";
    });
    config.onChange("appendonly", (v) => {
      if (this.#booting) return;
      if (v === "no" && this.#aofState !== "off") this.#stop();
      else if (v === "yes" && this.#aofState === "off") {
        if (!this.#start()) {
          throw new Error("Unable to turn on AOF. Check server logs.");
        }
      }
    });
    state.cronHooks.push(() => this.#cron());
  }

  /** appendonly is on. */
  get enabled(): boolean {
    return this.#aofState !== "off";
  }

  /** A rewrite is running. */
  get rewriting(): boolean {
    return this.#job !== undefined;
  }

  /** The writer (tests, INFO). */
  get writer(): AofWriter {
    return this.#writer;
  }

  /** The current manifest (tests). */
  get manifest(): Manifest {
    return this.#manifest;
  }

  #paths(): AofPaths {
    const config = this.#state.config;
    return pathsOf(
      config.path(config.get("appenddirname")),
      config.get("appendfilename"),
    );
  }

  // ---------------------------------------------------------------- start-up

  async startup(): Promise<boolean> {
    this.#booting = true;
    try {
      return await this.#startup();
    } finally {
      this.#booting = false;
    }
  }

  async #startup(): Promise<boolean> {
    this.#manifest = this.#loadManifest();
    const on = this.#state.config.bool("appendonly");
    if (on) {
      this.#aofState = "on";
      const start = performance.now();
      // Clients connected meanwhile get -LOADING, as from redis-server.
      const gates = pipelineHooks.gates;
      gates.push(this.#loadingGate);
      let status: LoadStatus | undefined;
      try {
        status = await drive(
          this.#loadFiles(this.#manifest),
          () => this.#abortLoading,
          this.#state.ioTurn,
        );
      } finally {
        gates.splice(gates.indexOf(this.#loadingGate), 1);
      }
      // A shutdown during the load: nothing more to open or write.
      if (status === undefined) return true;
      if (status === "failed" || status === "open-error") {
        throw new AofFatalError("AOF loading failed");
      }
      if (status !== "not-exist") {
        log.notice(
          `DB loaded from append only file: ${seconds(start)} seconds`,
        );
      }
      this.#openOnStart();
    }
    this.#deleteHistory();
    return on;
  }

  #loadManifest(): Manifest {
    const text = readManifestText(this.#paths());
    if (text === undefined) return emptyManifest();
    try {
      return parseManifest(text);
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      for (const line of e.report()) log.warning(line);
      throw new AofFatalError(e.message);
    }
  }

  // Redis's aofOpenIfNeededOnServerStart.
  #openOnStart(): void {
    const paths = this.#paths();
    const m = this.#manifest;
    const dirError = ensureDir(paths);
    if (dirError !== undefined) {
      return fatal(
        `Can't open or create append-only dir ${paths.dir}: ${dirError}`,
      );
    }
    const hadIncr = m.incr.length !== 0;
    let dirty = false;
    // Starting with nothing: the base is the (empty) dataset as it is now.
    if (m.base === undefined && !hadIncr) {
      const name = newBase(m, paths.filename, this.#preamble());
      if (!this.#writeBaseNow(inDir(paths, name))) {
        return fatal(`Can't create the AOF base file ${name}`);
      }
      log.notice(`Creating AOF base file ${name} on server start`);
      dirty = true;
    }
    let incr = m.incr[m.incr.length - 1]?.name;
    if (incr === undefined) {
      incr = newIncr(m, paths.filename);
      dirty = true;
    }
    let file: Deno.FsFile;
    try {
      file = openAppend(inDir(paths, incr));
    } catch (e) {
      return fatal(`Can't open the append-only file ${incr}: ${errorText(e)}`);
    }
    if (dirty && !persistManifest(paths, m)) {
      file.close();
      return fatal("Can't persist the AOF manifest");
    }
    const size = aofFileSize(paths, incr)?.size ?? 0;
    this.#writer.attach(file, size);
    this.#attachSink();
    log.notice(
      hadIncr
        ? `Opening AOF incr file ${incr} on server start`
        : `Creating AOF incr file ${incr} on server start`,
    );
  }

  // The base of an empty start, written synchronously as Redis's
  // rewriteAppendOnlyFile: a temp file in the working directory, fsync, rename.
  #writeBaseNow(path: string): boolean {
    const tmp = this.#state.config.path(`temp-rewriteaof-${Deno.pid}.aof`);
    try {
      const bytes = this.#preamble()
        ? aofBaseRdb(this.#state).toBytes()
        : new Uint8Array(0);
      const file = Deno.openSync(tmp, {
        write: true,
        create: true,
        truncate: true,
      });
      try {
        let off = 0;
        while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
        file.syncSync();
      } finally {
        file.close();
      }
      Deno.renameSync(tmp, path);
      return true;
    } catch (e) {
      log.warning(
        `Write error writing append only file on disk: ${errorText(e)}`,
      );
      try {
        Deno.removeSync(tmp);
      } catch { /* not created */ }
      return false;
    }
  }

  #preamble(): boolean {
    return this.#state.config.bool("aof-use-rdb-preamble");
  }

  // ----------------------------------------------------------------- loading

  /**
   * Loads the base and incr files of `m` into the dataset (Redis's
   * loadAppendOnlyFiles), upgrading a Redis 6 single file first.
   */
  *#loadFiles(m: Manifest): Generator<number, LoadStatus, void> {
    const paths = this.#paths();
    const oldName = paths.filename;
    if (fileExists(this.#state.config.path(fsPath(oldName)))) {
      const dirMissing = !dirExists(fsPath(paths.dir));
      if (
        dirMissing ||
        (m.base === undefined && m.incr.length === 0) ||
        (m.base !== undefined && m.incr.length === 0 &&
          m.base.name === oldName && !fileExists(inDir(paths, oldName)))
      ) {
        this.#upgrade(m, paths);
      }
    }
    if (m.base === undefined && m.incr.length === 0) return "not-exist";
    const files = m.base === undefined ? [...m.incr] : [m.base, ...m.incr];
    let total = 0;
    let baseSize = 0;
    for (const f of files) {
      const s = aofFileSize(paths, f.name);
      if (s === undefined || s.missing) return "failed";
      if (f === m.base) baseSize = s.size;
      total += s.size;
    }
    if (total === 0) return "empty";
    const state = this.#state;
    state.loading = true;
    this.#writer.accepting = false;
    let status: LoadStatus = "ok";
    try {
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        const last = i === files.length - 1;
        const start = performance.now();
        status = yield* this.#loadOne(paths, f.name);
        if (status === "ok" || (status === "truncated" && last)) {
          log.notice(
            `DB loaded from ${f === m.base ? "base" : "incr"} file ${f.name}: ${
              seconds(start)
            } seconds`,
          );
        }
        if (status === "empty") status = "ok";
        if (status === "truncated" && !last) {
          log.warning("Fatal error: the truncated file is not the last file");
          status = "failed";
        }
        if (status === "failed" || status === "open-error") return status;
      }
      this.#writer.currentSize = total;
      this.#writer.fsyncOffset = total;
      this.#baseSize = baseSize;
      return status;
    } finally {
      state.loading = false;
      this.#writer.accepting = true;
    }
  }

  // Redis's loadSingleAppendOnlyFile, around loader.ts's replay.
  *#loadOne(
    paths: AofPaths,
    name: string,
  ): Generator<number, LoadStatus, void> {
    const path = inDir(paths, name);
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        log.warning(
          `The append log file ${name} doesn't exist: ${errorText(e)}`,
        );
        return "not-exist";
      }
      log.warning(
        `Fatal error: can't open the append log file ${name} for reading: ${
          errorText(e)
        }`,
      );
      return "open-error";
    }
    if (bytes.length === 0) return "empty";
    const state = this.#state;
    const gen = replayFile(state, bytes, {
      name,
      loadTruncated: state.config.bool("aof-load-truncated"),
      oldStyle: name === paths.filename,
      rdb: (b) => loadAofRdb(state, b, name),
    });
    const result = yield* gen;
    if (result.status !== "truncated") return result.status;
    try {
      Deno.truncateSync(path, result.validUpTo);
    } catch (e) {
      log.warning(`Error truncating the AOF file ${name}: ${errorText(e)}`);
      log.warning(unexpectedEof(name));
      return "failed";
    }
    log.warning(
      `AOF ${name} loaded anyway because aof-load-truncated is enabled`,
    );
    return "truncated";
  }

  // Redis's aofUpgradePrepare: a Redis 6 `appendonly.aof` becomes the base
  // of a new multi-part AOF.
  #upgrade(m: Manifest, paths: AofPaths): void {
    const dirError = ensureDir(paths);
    if (dirError !== undefined) {
      return fatal(
        `Can't open or create append-only dir ${paths.dir}: ${dirError}`,
      );
    }
    m.base = { name: paths.filename, seq: 1, type: "b" };
    m.baseSeq = 1;
    if (!persistManifest(paths, m)) {
      return fatal("Can't persist the AOF manifest");
    }
    try {
      Deno.renameSync(
        this.#state.config.path(fsPath(paths.filename)),
        inDir(paths, paths.filename),
      );
    } catch (e) {
      return fatal(
        `Error trying to move the old AOF file ${paths.filename} into dir ${paths.dir}: ${
          errorText(e)
        }`,
      );
    }
    log.notice(
      `Successfully migrated an old-style AOF file (${paths.filename}) into the AOF directory (${paths.dir}).`,
    );
  }

  // Redis's aofDelHistoryFiles.
  #deleteHistory(): void {
    const m = this.#manifest;
    if (
      this.#state.config.bool("aof-disable-auto-gc") || m.history.length === 0
    ) return;
    const paths = this.#paths();
    for (const f of m.history) {
      log.notice(`Removing the history file ${f.name} in the background`);
      unlinkInBackground(inDir(paths, f.name));
    }
    m.history = [];
    persistManifest(paths, m);
  }

  // ----------------------------------------------------------------- writing

  #attachSink(): void {
    const sinks = this.#state.sinks;
    if (!sinks.includes(this.#writer)) sinks.push(this.#writer);
  }

  #detachSink(): void {
    const sinks = this.#state.sinks;
    const i = sinks.indexOf(this.#writer);
    if (i >= 0) sinks.splice(i, 1);
  }

  beforeReply(): Promise<void> | undefined {
    return this.#writer.beforeReply();
  }

  // ---------------------------------------------------------- on/off at run time

  // Redis's startAppendOnly (CONFIG SET appendonly yes).
  #start(): boolean {
    this.#aofState = "wait-rewrite";
    if (this.#bgsaveActive()) {
      this.#scheduled = true;
      log.warning(
        "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.",
      );
    } else if (inTransaction(this.#state)) {
      this.#scheduled = true;
      log.warning(
        "AOF was enabled during a transaction. An AOF background was scheduled to start when possible.",
      );
    } else {
      if (this.#job !== undefined) {
        log.warning(
          "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.",
        );
        this.#killRewrite();
      }
      if (!this.#startRewrite()) {
        this.#aofState = "off";
        log.warning(
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
        );
        return false;
      }
    }
    this.#writer.lastFsyncSec = Math.floor(this.#state.clock.now() / 1000);
    if (this.#writer.writeError !== undefined) {
      log.warning("AOF reopen, just ignore the last error.");
      this.#writer.writeError = undefined;
      this.#updateGate();
    }
    return true;
  }

  // Redis's stopAppendOnly (CONFIG SET appendonly no).
  #stop(): void {
    const writer = this.#writer;
    writer.syncNow();
    const file = writer.attach(undefined, 0);
    try {
      file?.close();
    } catch { /* already closed */ }
    this.#aofState = "off";
    this.#scheduled = false;
    this.#detachSink();
    this.#killRewrite();
    writer.discard();
    writer.writeError = undefined;
    this.#updateGate();
  }

  // ------------------------------------------------------------------ rewrite

  rewrite(): string {
    if (this.#job !== undefined) {
      throw aofRewriteInProgress();
    }
    if (this.#bgsaveActive() || inTransaction(this.#state)) {
      this.#scheduled = true;
      // A manual request runs as soon as it can, whatever failed before.
      this.#failures = 0;
      return "Background append only file rewriting scheduled";
    }
    if (this.#startRewrite()) {
      return "Background append only file rewriting started";
    }
    throw aofRewriteFailed();
  }

  // Redis's rewriteAppendOnlyFileBackground: switch the writes to a new
  // incr file and, at the same instant, start the base from a snapshot.
  #startRewrite(): boolean {
    if (this.#job !== undefined || this.#bgsaveActive()) return false;
    const paths = this.#paths();
    const dirError = ensureDir(paths);
    if (dirError !== undefined) {
      log.warning(
        `Can't open or create append-only dir ${paths.dir}: ${dirError}`,
      );
      this.#lastRewriteOk = false;
      return false;
    }
    this.#writer.resetSelectedDb();
    this.#writer.flush();
    if (!this.#openNewIncr(paths)) {
      this.#lastRewriteOk = false;
      return false;
    }
    this.#rewrites++;
    const job: RewriteJob = {
      startMs: this.#state.clock.now(),
      tmp: this.#state.config.path(`temp-rewriteaof-bg-${Deno.pid}.aof`),
      abort: new AbortController(),
    };
    let written: Promise<void>;
    try {
      // The snapshot is taken inside this call, before anything else runs.
      const base = startBaseWrite(this.#state, job.tmp, {
        preamble: this.#preamble(),
        timestamps: this.#state.config.bool("aof-timestamp-enabled"),
        incrementalFsync: this.#state.config.bool(
          "aof-rewrite-incremental-fsync",
        ),
        signal: job.abort.signal,
      });
      written = base.done;
      job.progress = base.progress;
    } catch (e) {
      log.warning(
        `Can't rewrite append only file in background: ${errorText(e)}`,
      );
      this.#lastRewriteOk = false;
      return false;
    }
    this.#job = job;
    if (this.#aofState === "wait-rewrite") this.#writer.accepting = true;
    log.notice(
      `Background append only file rewriting started by pid ${Deno.pid}`,
    );
    this.#scheduled = false;
    written.then(
      () => {
        if (this.#job !== job) return;
        log.notice(
          `Successfully created the temporary AOF base file ${job.tmp}`,
        );
        this.#rewriteDone(job, true);
      },
      (e) => {
        if (this.#job !== job) return;
        log.warning(
          `Write error writing append only file on disk: ${errorText(e)}`,
        );
        this.#rewriteDone(job, false);
      },
    );
    return true;
  }

  // Redis's openNewIncrAofForAppend.
  #openNewIncr(paths: AofPaths): boolean {
    if (this.#aofState === "off") return true;
    let temp: Manifest | undefined;
    let name: string;
    if (this.#aofState === "wait-rewrite") {
      name = tempIncrName(paths.filename);
    } else {
      temp = copyManifest(this.#manifest);
      name = newIncr(temp, paths.filename);
    }
    let file: Deno.FsFile;
    try {
      file = openTruncated(inDir(paths, name));
    } catch (e) {
      log.warning(`Can't open the append-only file ${name}: ${errorText(e)}`);
      return false;
    }
    if (temp !== undefined && !persistManifest(paths, temp)) {
      file.close();
      return false;
    }
    log.notice(`Creating AOF incr file ${name} on background rewrite`);
    const writer = this.#writer;
    const previous = writer.attach(file, 0);
    if (previous !== undefined) {
      // fsync and close the old file off the event loop; the writes it
      // holds were already fsynced with `always`.
      closeInBackground(previous);
      writer.fsyncOffset = writer.currentSize;
      writer.lastFsyncSec = Math.floor(this.#state.clock.now() / 1000);
    }
    this.#attachSink();
    if (temp !== undefined) this.#manifest = temp;
    return true;
  }

  // Redis's backgroundRewriteDoneHandler.
  #rewriteDone(job: RewriteJob, ok: boolean): void {
    const paths = this.#paths();
    const writer = this.#writer;
    // What the snapshot held for writes it had not reached (Redis: the fork's CoW).
    this.#lastCowSize = job.progress?.cowPeak ?? 0;
    if (ok) {
      log.notice("Background AOF rewrite terminated with success");
      this.#installBase(job, paths);
    } else {
      this.#lastRewriteOk = false;
      this.#failures++;
      log.warning("Background AOF rewrite terminated with error");
    }
    this.#job = undefined;
    try {
      Deno.removeSync(job.tmp);
    } catch { /* renamed, or never created */ }
    if (this.#aofState === "wait-rewrite") {
      // The writes since the switch-on are not covered by any base: they
      // are dropped with the temp incr file and the next rewrite starts over.
      writer.discard();
      writer.accepting = false;
      const name = tempIncrName(paths.filename);
      log.notice(`Removing the temp incr aof file ${name} in the background`);
      unlinkInBackground(inDir(paths, name));
      this.#scheduled = true;
    }
    this.#lastRewriteSec = Math.floor(
      (this.#state.clock.now() - job.startMs) / 1000,
    );
  }

  #installBase(job: RewriteJob, paths: AofPaths): void {
    const writer = this.#writer;
    const temp = copyManifest(this.#manifest);
    const baseName = newBase(temp, paths.filename, this.#preamble());
    const basePath = inDir(paths, baseName);
    const fail = () => {
      this.#lastRewriteOk = false;
      this.#failures++;
    };
    try {
      Deno.renameSync(job.tmp, basePath);
    } catch (e) {
      log.warning(
        `Error trying to rename the temporary AOF base file ${job.tmp} into ${basePath}: ${
          errorText(e)
        }`,
      );
      return fail();
    }
    log.notice(
      `Successfully renamed the temporary AOF base file ${job.tmp} into ${baseName}`,
    );
    let incrPath: string | undefined;
    if (this.#aofState === "wait-rewrite") {
      const tempName = tempIncrName(paths.filename);
      const incrName = newIncr(temp, paths.filename);
      incrPath = inDir(paths, incrName);
      try {
        Deno.renameSync(inDir(paths, tempName), incrPath);
      } catch (e) {
        log.warning(
          `Error trying to rename the temporary AOF incr file ${
            inDir(paths, tempName)
          } into ${incrPath}: ${errorText(e)}`,
        );
        unlinkInBackground(basePath);
        return fail();
      }
      log.notice(
        `Successfully renamed the temporary AOF incr file ${tempName} into ${incrName}`,
      );
    }
    markIncrAsHistory(temp, writer.file !== undefined);
    if (!persistManifest(paths, temp)) {
      unlinkInBackground(basePath);
      if (incrPath !== undefined) unlinkInBackground(incrPath);
      return fail();
    }
    this.#manifest = temp;
    if (writer.file !== undefined) {
      writer.resetSelectedDb();
      const baseSize = aofFileSize(paths, baseName)?.size ?? 0;
      writer.currentSize = baseSize + writer.incrSize;
      this.#baseSize = writer.currentSize;
      writer.fsyncOffset = writer.currentSize;
      writer.lastFsyncSec = Math.floor(this.#state.clock.now() / 1000);
    }
    this.#deleteHistory();
    this.#lastRewriteOk = true;
    this.#failures = 0;
    log.notice("Background AOF rewrite finished successfully");
    if (this.#aofState === "wait-rewrite") this.#aofState = "on";
  }

  // Redis's killAppendOnlyChild: the rewrite stops and leaves nothing behind.
  #killRewrite(): void {
    const job = this.#job;
    if (job === undefined) return;
    log.notice(`Killing running AOF rewrite child: ${Deno.pid}`);
    job.abort.abort();
    this.#job = undefined;
    unlinkInBackground(job.tmp);
  }

  // Redis's aofRewriteLimited.
  #rewriteLimited(): boolean {
    if (this.#failures < REWRITE_LIMIT_THRESHOLD) {
      this.#limitDelayMinutes = 0;
      this.#limitUntil = 0;
      return false;
    }
    const nowSec = Math.floor(this.#state.clock.now() / 1000);
    if (this.#limitUntil !== 0) {
      if (nowSec < this.#limitUntil) return true;
      this.#limitUntil = 0;
      return false;
    }
    this.#limitDelayMinutes = this.#limitDelayMinutes === 0
      ? 1
      : Math.min(this.#limitDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
    this.#limitUntil = nowSec + this.#limitDelayMinutes * 60;
    log.warning(
      `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.#limitDelayMinutes} minutes`,
    );
    return true;
  }

  // serverCron's AOF duties.
  #cron(): void {
    if (this.#booting) return;
    const config = this.#state.config;
    if (
      this.#job === undefined && this.#scheduled && !this.#bgsaveActive() &&
      !this.#rewriteLimited()
    ) {
      this.#startRewrite();
    }
    const writer = this.#writer;
    if (
      this.#aofState === "on" && this.#job === undefined &&
      !this.#bgsaveActive()
    ) {
      const perc = config.number("auto-aof-rewrite-percentage");
      if (
        perc !== 0 &&
        writer.currentSize > config.number("auto-aof-rewrite-min-size")
      ) {
        const base = this.#baseSize === 0 ? 1 : this.#baseSize;
        const growth = Math.floor((writer.currentSize * 100) / base) - 100;
        if (growth >= perc && !this.#rewriteLimited()) {
          log.notice(
            `Starting automatic rewriting of AOF on ${growth}% growth`,
          );
          this.#startRewrite();
        }
      }
    }
    if (this.#aofState !== "off") writer.cron();
    this.#updateGate();
  }

  // While the last write failed, writes (and PING) are refused with
  // MISCONF, as Redis does; the gate is only installed while it matters.
  #updateGate(): void {
    const failing = this.#aofState !== "off" &&
      this.#writer.writeError !== undefined;
    if (failing === this.#gateInstalled) return;
    const gates = pipelineHooks.gates;
    if (failing) gates.push(this.#gate);
    else gates.splice(gates.indexOf(this.#gate), 1);
    this.#gateInstalled = failing;
  }

  readonly #gate: Gate = (server, _client, cmd) => {
    if (server !== this.#state) return undefined;
    const reason = this.#writer.writeError;
    if (reason === undefined || (!cmd.isWrite && cmd.name !== "ping")) {
      return undefined;
    }
    return aofWriteError(reason);
  };

  readonly #loadingGate: Gate = (server, client, cmd) =>
    server === this.#state && server.loading && !client.internal &&
      !cmd.flags.has("loading")
      ? loadingDataset()
      : undefined;

  // True while a BGSAVE runs (Redis: another child process is active).
  #bgsaveActive(): boolean {
    return this.#state.rdb?.saving === true;
  }

  #childActive(): boolean {
    return this.#job !== undefined || this.#bgsaveActive();
  }

  // ----------------------------------------------------- shutdown, DEBUG, INFO

  shutdown(force: boolean): boolean {
    // During the start-up load: it stops at its next turn, nothing is written.
    if (this.#state.loading && this.#booting) this.#abortLoading = true;
    if (this.#job !== undefined) {
      if (this.#aofState === "wait-rewrite") {
        if (!force) {
          log.warning("Writing initial AOF, can't exit.");
          return false;
        }
        log.warning("Writing initial AOF. Exit anyway.");
      }
      log.warning("There is a child rewriting the AOF. Killing it!");
      this.#killRewrite();
    }
    if (this.#aofState !== "off" && this.#writer.file !== undefined) {
      log.notice("Calling fsync() on the AOF file.");
      this.#writer.syncNow();
    }
    return true;
  }

  debugLoad(): void {
    const state = this.#state;
    if (this.#aofState === "on") this.#writer.flush();
    // Redis's emptyData: the keys and the function libraries.
    state.keyspace.flushAll();
    state.functions?.flush();
    let status: LoadStatus;
    try {
      this.#manifest = this.#loadManifest();
      this.#deleteHistory();
      status = runToEnd(this.#loadFiles(this.#manifest));
    } catch {
      status = "failed";
    }
    if (status !== "ok" && status !== "empty") Deno.exit(1);
    state.dirty = 0;
    log.notice("Append Only File loaded by DEBUG LOADAOF");
  }

  info(): [string, string | number][] {
    const writer = this.#writer;
    const job = this.#job;
    const now = this.#state.clock.now();
    const fields: [string, string | number][] = [
      ["aof_enabled", this.#aofState !== "off" ? 1 : 0],
      ["aof_rewrite_in_progress", job !== undefined ? 1 : 0],
      ["aof_rewrite_scheduled", this.#scheduled ? 1 : 0],
      ["aof_last_rewrite_time_sec", this.#lastRewriteSec],
      [
        "aof_current_rewrite_time_sec",
        job !== undefined ? Math.floor((now - job.startMs) / 1000) : -1,
      ],
      ["aof_last_bgrewrite_status", this.#lastRewriteOk ? "ok" : "err"],
      ["aof_rewrites", this.#rewrites],
      ["aof_rewrites_consecutive_failures", this.#failures],
      ["aof_last_write_status", writer.writeError === undefined ? "ok" : "err"],
      ["aof_last_cow_size", this.#lastCowSize],
    ];
    if (this.#state.config.bool("appendonly")) {
      fields.push(
        ["aof_current_size", writer.currentSize],
        ["aof_base_size", this.#baseSize],
        ["aof_pending_rewrite", this.#scheduled ? 1 : 0],
        ["aof_buffer_length", writer.pending],
        ["aof_pending_bio_fsync", writer.syncing ? 1 : 0],
        ["aof_delayed_fsync", 0],
      );
    }
    return fields;
  }
}

function fatal(message: string): never {
  log.warning(message);
  throw new AofFatalError(message);
}

function seconds(startMs: number): string {
  return ((performance.now() - startMs) / 1000).toFixed(3);
}

// True inside EXEC (or anything else that batches propagation): a rewrite
// started now would see part of the transaction in its snapshot and the
// whole of it again in the incr file, so Redis schedules it instead.
function inTransaction(state: ServerState): boolean {
  const token = state.beginPropagationBatch();
  if (token === undefined) return true;
  state.endPropagationBatch(token);
  return false;
}

function closeInBackground(file: { syncData(): Promise<void>; close(): void }) {
  file.syncData().catch(() => {}).finally(() => {
    try {
      file.close();
    } catch { /* already closed */ }
  });
}

// Runs a loading generator to its end, giving the event loop a turn every
// LOAD_YIELD_MS so clients are answered (-LOADING) meanwhile. Returns
// undefined when `stop` says so after a turn (a shutdown during the load).
async function drive<T>(
  gen: Generator<unknown, T, void>,
  stop: () => boolean,
  turn: EventLoopTurn,
): Promise<T | undefined> {
  let last = performance.now();
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (performance.now() - last >= LOAD_YIELD_MS) {
      await turn.next();
      last = performance.now();
      if (stop()) {
        gen.return(undefined as T);
        return undefined;
      }
    }
  }
}
