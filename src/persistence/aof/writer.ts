/**
 * AofWriter: the propagation sink that appends commands to the open incr
 * file. Commands are encoded as RESP into one buffer (with a SELECT when
 * the database changes and `#TS:` annotations when aof-timestamp-enabled),
 * and the buffer is written with a single `write` per turn of the event
 * loop, before any reply of that turn leaves (connections await
 * `beforeReply()`), as Redis writes in beforeSleep.
 *
 * fsync policies: `always` fdatasyncs right after that write, before the
 * replies; `everysec` starts an asynchronous fdatasync at most once a
 * second (off the event loop); `no` leaves it to the OS.
 *
 * @module
 */
import { RespWriter } from "../../protocol/encoder.ts";
import type { Argv } from "../../protocol/types.ts";
import { PROPAGATE_AOF, type PropagationSink } from "../../state.ts";
import type { Clock } from "../../util/clock.ts";
import { log } from "../../log.ts";
import { errorText } from "../io.ts";

/** The `appendfsync` policies. */
export type FsyncPolicy = "always" | "everysec" | "no";

/** The file the writer appends to; a narrow view of `Deno.FsFile`. */
export interface AppendTarget {
  writeSync(p: Uint8Array): number;
  syncDataSync(): void;
  syncData(): Promise<void>;
  close(): void;
}

/** Options of an `AofWriter`. */
export interface AofWriterOptions {
  clock: Clock;
  /** Called when a write fails with `appendfsync always` (Redis exits). */
  fatal?: (message: string) => never;
}

// Redis logs a failing write at most once every 30 seconds.
const WRITE_ERROR_LOG_INTERVAL = 30_000;
const SELECT = "*2\r\n$6\r\nSELECT\r\n";

/** Encodes propagated commands and appends them to the AOF. */
export class AofWriter implements PropagationSink {
  /** The AOF target of propagation (scripts' redis.set_repl). */
  readonly target = PROPAGATE_AOF;
  readonly #out = new RespWriter(64 * 1024);
  readonly #clock: Clock;
  readonly #fatal: (message: string) => never;
  #file: AppendTarget | undefined;
  #selectedDb = -1;
  #timestampSec = 0;
  #barrier: Promise<void> | undefined;
  #sync: Promise<void> | undefined;
  #lastWriteErrorLog = -Infinity;

  /** `appendfsync`. */
  fsync: FsyncPolicy = "everysec";
  /** `aof-timestamp-enabled`: `#TS:<unix>` lines before commands. */
  timestamps = false;
  /** True while fsync is skipped (no-appendfsync-on-rewrite during a rewrite). */
  skipFsync: () => boolean = () => false;
  /** Whether propagated commands are taken (false while the AOF loads). */
  accepting = true;
  /** aof_current_size: bytes of the base and incr files. */
  currentSize = 0;
  /** Bytes of the incr file being written (aof_last_incr_size). */
  incrSize = 0;
  /** Size the files had at the last fsync (aof_fsync_offset). */
  fsyncOffset = 0;
  /** Unix seconds of the last fsync started. */
  lastFsyncSec = 0;
  /** The last write's error text, or undefined (aof_last_write_status). */
  writeError: string | undefined;

  /** A writer with nothing to write to yet (see `attach`). */
  constructor(opts: AofWriterOptions) {
    this.#clock = opts.clock;
    this.#fatal = opts.fatal ?? ((message) => {
      log.warning(message);
      Deno.exit(1);
    });
  }

  /** Bytes buffered and not yet written (aof_buffer_length). */
  get pending(): number {
    return this.#out.length;
  }

  /** True while an everysec fdatasync runs (aof_pending_bio_fsync). */
  get syncing(): boolean {
    return this.#sync !== undefined;
  }

  /** The file being appended to. */
  get file(): AppendTarget | undefined {
    return this.#file;
  }

  /**
   * Starts appending to `file` (whose current length is `size`); the next
   * command is preceded by a SELECT. Returns the previous file, which the
   * caller syncs and closes.
   */
  attach(
    file: AppendTarget | undefined,
    size: number,
  ): AppendTarget | undefined {
    const previous = this.#file;
    this.#file = file;
    this.#selectedDb = -1;
    this.incrSize = size;
    return previous;
  }

  /** Forces a SELECT before the next command (a new file, a rewrite). */
  resetSelectedDb(): void {
    this.#selectedDb = -1;
  }

  /** Drops what is buffered (the AOF was switched off, a failed switch-on). */
  discard(): void {
    this.#out.reset();
  }

  /** PropagationSink: `argv` ran in database `db`. */
  propagate(db: number, argv: Argv): void {
    if (!this.accepting) return;
    const out = this.#out;
    if (this.timestamps) {
      const now = Math.floor(this.#clock.now() / 1000);
      if (this.#timestampSec < now) {
        this.#timestampSec = now;
        out.ascii(`#TS:${now}\r\n`);
      }
    }
    if (db !== this.#selectedDb) {
      out.ascii(SELECT);
      out.bulk(String(db));
      this.#selectedDb = db;
    }
    out.header(42, argv.length); // '*'
    for (let i = 0; i < argv.length; i++) out.bulk(argv[i]!);
    // Written once per turn of the event loop: the first command of the
    // turn schedules the write, later ones (any client) join it.
    if (this.#barrier === undefined) this.#barrier = this.#scheduleFlush();
  }

  #scheduleFlush(): Promise<void> {
    return new Promise<void>((resolve) => {
      queueMicrotask(() => {
        this.#barrier = undefined;
        this.flush();
        resolve();
      });
    });
  }

  /**
   * Resolves once everything buffered so far is written (and fsynced with
   * `always`); undefined when nothing waits. Connections await it before
   * their replies leave.
   */
  beforeReply(): Promise<void> | undefined {
    return this.#barrier;
  }

  /**
   * Writes the buffer now (one write), then fsyncs as the policy says.
   * Returns false when the write failed (the data stays buffered and the
   * error is kept in `writeError`).
   */
  flush(): boolean {
    const out = this.#out;
    if (out.length === 0) {
      this.#everysecCatchUp();
      return true;
    }
    const file = this.#file;
    if (file === undefined) return true;
    const data = out.buf.subarray(0, out.length);
    let written = 0;
    try {
      while (written < data.length) {
        written += file.writeSync(
          written === 0 ? data : data.subarray(written),
        );
      }
    } catch (e) {
      this.#writeFailed(e, written, data.length);
      return false;
    }
    if (this.writeError !== undefined) {
      log.warning("AOF write error looks solved, Redis can write again.");
      this.writeError = undefined;
    }
    this.currentSize += written;
    this.incrSize += written;
    out.reset();
    this.#fsyncAfterWrite(file);
    return true;
  }

  #writeFailed(e: unknown, written: number, expected: number): void {
    const now = this.#clock.now();
    const canLog = now - this.#lastWriteErrorLog > WRITE_ERROR_LOG_INTERVAL;
    if (canLog) this.#lastWriteErrorLog = now;
    const reason = errorText(e);
    if (canLog) {
      log.warning(
        written === 0
          ? `Error writing to the AOF file: ${reason}`
          : `Short write while writing to the AOF file: (nwritten=${written}, expected=${expected})`,
      );
    }
    if (this.fsync === "always") {
      // The replies are about to leave and the writes cannot be undone:
      // acknowledging them without the log would break the contract.
      this.#fatal(
        "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
      );
    }
    this.writeError = reason;
    if (written > 0) {
      // Keep what did not make it; what did is now part of the file.
      const out = this.#out;
      out.buf.copyWithin(0, written, out.length);
      out.length -= written;
      this.currentSize += written;
      this.incrSize += written;
    }
  }

  #fsyncAfterWrite(file: AppendTarget): void {
    if (this.fsync === "no" || this.skipFsync()) return;
    const nowSec = Math.floor(this.#clock.now() / 1000);
    if (this.fsync === "always") {
      try {
        file.syncDataSync();
      } catch (e) {
        this.#fatal(
          `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${
            errorText(e)
          }. Exiting...`,
        );
      }
      this.fsyncOffset = this.currentSize;
      this.lastFsyncSec = nowSec;
      return;
    }
    if (nowSec > this.lastFsyncSec) {
      if (this.#sync === undefined) this.#backgroundSync(file);
      this.lastFsyncSec = nowSec;
    }
  }

  // everysec: data written in the last second with no write after it
  // still gets its fsync (Redis's check with an empty buffer).
  #everysecCatchUp(): void {
    const file = this.#file;
    if (
      this.fsync !== "everysec" || file === undefined ||
      this.fsyncOffset === this.currentSize || this.#sync !== undefined ||
      this.skipFsync()
    ) return;
    const nowSec = Math.floor(this.#clock.now() / 1000);
    if (nowSec <= this.lastFsyncSec) return;
    this.#backgroundSync(file);
    this.lastFsyncSec = nowSec;
  }

  #backgroundSync(file: AppendTarget): void {
    const offset = this.currentSize;
    this.#sync = file.syncData().then(
      () => {
        this.fsyncOffset = Math.max(this.fsyncOffset, offset);
      },
      (e) => {
        log.warning(`Fail to fsync the AOF file: ${errorText(e)}`);
      },
    ).finally(() => {
      this.#sync = undefined;
    });
  }

  /** Called from the cron: retries a failed write, catches up on everysec. */
  cron(): void {
    if (this.#out.length !== 0 && this.writeError !== undefined) this.flush();
    else if (this.#out.length === 0) this.#everysecCatchUp();
  }

  /** Writes and fdatasyncs now, whatever the policy (shutdown, switching off). */
  syncNow(): void {
    this.flush();
    const file = this.#file;
    if (file === undefined) return;
    try {
      file.syncDataSync();
      this.fsyncOffset = this.currentSize;
      this.lastFsyncSec = Math.floor(this.#clock.now() / 1000);
    } catch (e) {
      log.warning(`Fail to fsync the AOF file: ${errorText(e)}`);
    }
  }

  /** Waits for a running background fsync (tests, closing a file). */
  async settled(): Promise<void> {
    if (this.#sync !== undefined) await this.#sync;
  }
}
