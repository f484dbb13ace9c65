/**
 * RdbService: RDB snapshots as the rest of the server sees them (SAVE,
 * BGSAVE, LASTSAVE, SHUTDOWN, FLUSHALL, DEBUG RELOAD, INFO persistence,
 * start-up). persistence/ provides it and server.ts installs it on the
 * server state.
 *
 * @module
 */

/** DEBUG RELOAD's options. */
export interface ReloadOptions {
  /** Save first (no NOSAVE). */
  save: boolean;
  /** Empty the dataset first (no NOFLUSH). */
  flush: boolean;
  /** Keys in the file replace existing ones (MERGE); otherwise a duplicate fails. */
  merge: boolean;
}

/** RDB persistence, reached from handlers through `ctx.server.rdb`. */
export interface RdbService {
  /** True while a BGSAVE runs (an AOF rewrite then waits, as for a child). */
  readonly saving: boolean;
  /** SAVE: writes the dataset now, synchronously. Throws CommandError on failure. */
  save(): void;
  /**
   * BGSAVE [SCHEDULE]: starts a background save and returns the status
   * text (`Background saving started`, `Background saving scheduled`).
   * Throws CommandError when one cannot start.
   */
  bgsave(schedule: boolean): string;
  /** LASTSAVE: Unix time in seconds of the last successful save. */
  lastSave(): number;
  /**
   * DEBUG RELOAD: saves (unless NOSAVE), empties the dataset (unless
   * NOFLUSH) and loads the file back. Throws CommandError on failure.
   */
  reload(opts: ReloadOptions): void;
  /**
   * After FLUSHALL emptied the dataset: stops a running BGSAVE and, with
   * save points, saves the empty dataset. True when it saved (the change
   * count is then 0).
   */
  flushAll(): boolean;
  /** Stops a running BGSAVE (SHUTDOWN); `quiet` skips its log line. */
  killBackgroundSave(quiet?: boolean): void;
  /**
   * SHUTDOWN's final save: with save points (unless `nosave`) or `save`.
   * Returns false, after logging, when the server must not exit.
   */
  shutdownSave(
    opts: { save: boolean; nosave: boolean; force: boolean },
  ): boolean;
  /**
   * Start-up: loads `dbfilename` while clients get -LOADING. Resolves true
   * when a file was loaded, false when there is none (or a shutdown stopped
   * the load); rejects, with Redis's lines logged, when the server must
   * not start.
   */
  loadAtStartup(): Promise<boolean>;
  /** A shutdown during the start-up load: the load stops. */
  abortLoading(): void;
  /** INFO persistence from `loading` to `rdb_last_load_keys_loaded`, in Redis's order. */
  info(): [string, string | number][];
  /** The `loading_*` fields that end INFO persistence while a file loads. */
  loadingInfo(): [string, string | number][];
}
