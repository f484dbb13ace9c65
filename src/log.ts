/**
 * Leveled logger in Redis's format: `pid:M 21 Nov 2026 12:00:00.123 * text`.
 *
 * This is the only module that writes to the console or the log file.
 *
 * @module
 */

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

/** The process-wide logger. */
export const log: Logger = new Logger();
