/**
 * AofService: the append-only file as the rest of the server sees it
 * (BGREWRITEAOF, CONFIG SET appendonly, DEBUG LOADAOF, INFO persistence,
 * start-up, shutdown, connections). persistence/ provides it and
 * server.ts installs it on the server state.
 *
 * @module
 */

/** The AOF, reached from handlers through `ctx.server.aof`. */
export interface AofService {
  /** True while `appendonly` is on (including while the first base is written). */
  readonly enabled: boolean;
  /** True while a rewrite (BGREWRITEAOF, auto rewrite, switching on) runs. */
  readonly rewriting: boolean;
  /**
   * BGREWRITEAOF: starts (or schedules) a rewrite and returns the status
   * text. Throws CommandError when one cannot start.
   */
  rewrite(): string;
  /**
   * The `aof_*` fields of INFO persistence, in Redis's order: the ten
   * fields from `aof_enabled` to `aof_last_cow_size`, then (while
   * `appendonly` is on) `aof_current_size` to `aof_delayed_fsync`. Redis
   * prints `module_fork_in_progress` and `module_fork_last_cow_size`
   * between the two groups, after `aof_last_cow_size`.
   */
  info(): [string, string | number][];
  /**
   * Start-up, after the configuration and before clients are served: reads
   * the manifest (always, as Redis does), and when `appendonly` is yes
   * loads the AOF (upgrading a Redis 6 `appendonly.aof`), creates the base
   * and incr files as needed, opens the incr file for appending; deletes
   * history files. Resolves true when `appendonly` is yes (the RDB file
   * must then not be loaded). Rejects, with Redis's lines already logged,
   * when Redis would refuse to start.
   */
  startup(): Promise<boolean>;
  /**
   * Resolves once the commands propagated so far are written (and, with
   * `appendfsync always`, fsynced); undefined when nothing is waiting.
   * Connections await it before replies leave.
   */
  beforeReply(): Promise<void> | undefined;
  /**
   * Shutdown: stops a running rewrite, writes and fsyncs the AOF. Returns
   * false (after logging) when the server must not exit: the first base
   * is still being written and `force` is not set.
   */
  shutdown(force: boolean): boolean;
  /**
   * DEBUG LOADAOF: writes the AOF, empties the dataset and loads the AOF
   * files back. Exits the process if they cannot be loaded, as Redis does.
   */
  debugLoad(): void;
}
