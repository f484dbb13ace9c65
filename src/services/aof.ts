/**
 * AofService: the append-only file as commands see it (BGREWRITEAOF,
 * CONFIG SET appendonly, DEBUG LOADAOF, INFO persistence). persistence/
 * provides it and server.ts installs it on the server state.
 *
 * @module
 */

/** The AOF, reached from handlers through `ctx.server.aof`. */
export interface AofService {
  /**
   * BGREWRITEAOF: starts (or schedules) a rewrite and returns the status
   * text. Throws CommandError when one cannot start.
   */
  rewrite(): string;
  /**
   * The `aof_*` fields of INFO persistence, in Redis's order (including
   * the ones Redis adds while the AOF is on).
   */
  info(): [string, string | number][];
}
