/**
 * Leveled logger in Redis's format: `pid:M 21 Nov 2026 12:00:00.123 * text`.
 *
 * This is the only module that writes to the console or the log file.
 *
 * Each server may have a logger of its own (servers started in-process by
 * `mod.ts` do), so that one server's `loglevel`, `logfile` or role never
 * changes another's. The code that logs does not know its server: `log`
 * follows the async context the server was started in (its accept loops,
 * timers and connections inherit it), and falls back to the process's
 * logger, which is the one `main.ts` configures.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Log levels in Redis's order, least to most severe. */
export type LogLevel = "debug" | "verbose" | "notice" | "warning" | "nothing";

const LEVEL_RANK: Record<LogLevel, number> = {
  debug: 0,
  verbose: 1,
  notice: 2,
  warning: 3,
  nothing: 4,
};
const LEVEL_MARK = [".", "-", "*", "#"];
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

const encoder = new TextEncoder();

/** A Redis-style logger writing to stdout or to an append-only file. */
export class Logger {
  level: LogLevel = "notice";
  /** `M` for a master, `S` for a replica, as in Redis's log lines. */
  role = "M";
  #file: Deno.FsFile | undefined;
  #path = "";

  /** Sends lines to `path` (appending), or to stdout when `path` is empty. */
  setFile(path: string): void {
    if (path === this.#path) return;
    this.#file?.close();
    this.#file = path === ""
      ? undefined
      : Deno.openSync(path, { append: true, create: true });
    this.#path = path;
  }

  /** True when a message at `level` would be written. */
  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.level];
  }

  /** Writes one line at `level`, prefixed with pid, role, time and level mark. */
  log(level: Exclude<LogLevel, "nothing">, text: string): void {
    if (!this.enabled(level)) return;
    this.raw(
      `${Deno.pid}:${this.role} ${timestamp(new Date())} ${
        LEVEL_MARK[LEVEL_RANK[level]]
      } ${text}\n`,
    );
  }

  /**
   * Writes a line in the format of Redis's signal handler:
   * `pid:signal-handler (unix-seconds) text`.
   */
  fromSignal(level: Exclude<LogLevel, "nothing">, text: string): void {
    if (!this.enabled(level)) return;
    this.raw(
      `${Deno.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${text}\n`,
    );
  }

  /** Closes the log file, if any; later lines go to stdout. */
  close(): void {
    this.setFile("");
  }

  /** Writes text as it is when `level` is enabled (the start-up logo). */
  rawAt(level: Exclude<LogLevel, "nothing">, text: string): void {
    if (this.enabled(level)) this.raw(text);
  }

  /** Writes text as it is (the start-up banner). */
  raw(text: string): void {
    const bytes = encoder.encode(text);
    try {
      if (this.#file !== undefined) this.#file.writeSync(bytes);
      else Deno.stdout.writeSync(bytes);
    } catch {
      // A closed stdout must not take the server down with it.
    }
  }

  /** Logs at debug level. */
  debug(text: string): void {
    this.log("debug", text);
  }
  /** Logs at verbose level. */
  verbose(text: string): void {
    this.log("verbose", text);
  }
  /** Logs at notice level. */
  notice(text: string): void {
    this.log("notice", text);
  }
  /** Logs at warning level. */
  warning(text: string): void {
    this.log("warning", text);
  }
}

function timestamp(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${
    pad(d.getHours())
  }:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${
    pad(d.getMilliseconds(), 3)
  }`;
}

const processLogger = new Logger();
const context = new AsyncLocalStorage<Logger>();

/** The logger of the server whose work is running now (or the process's). */
export function currentLogger(): Logger {
  return context.getStore() ?? processLogger;
}

/**
 * Runs `fn` with `logger` as the current logger: everything `fn` starts
 * (promises, timers, accept loops) keeps logging to it.
 */
export function withLogger<T>(logger: Logger, fn: () => T): T {
  return context.run(logger, fn);
}

/**
 * The logger every module writes through: it forwards to `currentLogger()`,
 * so settings (`log.level = ...`) and lines go to the running server's.
 */
export class ContextLogger {
  /** The current logger's level. */
  get level(): LogLevel {
    return currentLogger().level;
  }
  set level(level: LogLevel) {
    currentLogger().level = level;
  }
  /** The current logger's role letter. */
  get role(): string {
    return currentLogger().role;
  }
  set role(role: string) {
    currentLogger().role = role;
  }
  /** See `Logger.setFile`. */
  setFile(path: string): void {
    currentLogger().setFile(path);
  }
  /** See `Logger.enabled`. */
  enabled(level: LogLevel): boolean {
    return currentLogger().enabled(level);
  }
  /** See `Logger.log`. */
  log(level: Exclude<LogLevel, "nothing">, text: string): void {
    currentLogger().log(level, text);
  }
  /** See `Logger.raw`. */
  raw(text: string): void {
    currentLogger().raw(text);
  }
  /** See `Logger.rawAt`. */
  rawAt(level: Exclude<LogLevel, "nothing">, text: string): void {
    currentLogger().rawAt(level, text);
  }
  /** See `Logger.fromSignal`. */
  fromSignal(level: Exclude<LogLevel, "nothing">, text: string): void {
    currentLogger().fromSignal(level, text);
  }
  /** Logs at debug level. */
  debug(text: string): void {
    currentLogger().log("debug", text);
  }
  /** Logs at verbose level. */
  verbose(text: string): void {
    currentLogger().log("verbose", text);
  }
  /** Logs at notice level. */
  notice(text: string): void {
    currentLogger().log("notice", text);
  }
  /** Logs at warning level. */
  warning(text: string): void {
    currentLogger().log("warning", text);
  }
}

/** The logger of whichever server is running (see `ContextLogger`). */
export const log: ContextLogger = new ContextLogger();
