/**
 * RdbService: RDB snapshots as commands see them (SAVE, BGSAVE, LASTSAVE,
 * SHUTDOWN, DEBUG RELOAD, INFO persistence). persistence/ provides it and
 * server.ts installs it on the server state.
 *
 * @module
 */

/** RDB persistence, reached from handlers through `ctx.server.rdb`. */
export interface RdbService {
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
}
