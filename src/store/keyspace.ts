/**
 * Keyspace: the numbered databases of a server, with the operations that
 * span them (SWAPDB, FLUSHALL) and summary numbers for INFO.
 *
 * @module
 */
import { Database, type KeyTracker, type StoreHooks } from "./database.ts";

/** All databases of one server. */
export class Keyspace {
  readonly dbs: Database[];
  readonly hooks: StoreHooks;

  /** Creates `count` empty databases. */
  constructor(count: number, hooks: StoreHooks) {
    this.hooks = hooks;
    this.dbs = Array.from({ length: count }, (_, i) => new Database(i, hooks));
  }

  /** The client-side caching tracker every database reports key changes to. */
  get tracker(): KeyTracker | undefined {
    return this.dbs[0]?.tracker;
  }

  set tracker(tracker: KeyTracker | undefined) {
    for (const d of this.dbs) d.tracker = tracker;
  }

  /**
   * WATCH's handler for a database emptied or swapped as a whole (Redis's
   * touchAllWatchedKeysInDb), set by the transactions code: it judges
   * keys that had already expired when watched. Unset, every watched key
   * that exists on either side is signalled as modified.
   */
  watchedDbReplaced:
    | ((emptied: Database, replacedWith: Database | undefined) => void)
    | undefined = undefined;

  /** Number of databases. */
  get count(): number {
    return this.dbs.length;
  }

  /** Database `index`; the caller has checked the range. */
  db(index: number): Database {
    return this.dbs[index]!;
  }

  /** Total keys over all databases. */
  get totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }

  /**
   * Exchanges databases `a` and `b` (SWAPDB). Clients keep their database
   * number, so they see the other data from now on; WATCHed keys in both
   * are invalidated.
   */
  swap(a: number, b: number): void {
    // Redis's dbSwapDatabases does nothing at all for SWAPDB n n.
    if (a === b) return;
    const da = this.db(a);
    const db = this.db(b);
    if (this.watchedDbReplaced !== undefined) {
      this.watchedDbReplaced(da, db);
      this.watchedDbReplaced(db, da);
    } else {
      this.#touchWatched(da, db);
      this.#touchWatched(db, da);
    }
    da.signalStreamsGone();
    db.signalStreamsGone();
    da.swapWith(db);
    for (const d of [da, db]) {
      for (const key of d.blocking.keys()) {
        if (d.dict.has(key)) this.hooks.keyReady(d, key);
      }
    }
  }

  /** Empties every database (FLUSHALL). Returns the number of keys removed. */
  flushAll(): number {
    let removed = 0;
    for (const d of this.dbs) removed += this.#flush(d);
    // Clients that cache keys hear once that every key went.
    this.tracker?.flushed();
    return removed;
  }

  /** Empties one database (FLUSHDB), invalidating WATCHes on its keys. */
  flush(d: Database): number {
    const removed = this.#flush(d);
    this.tracker?.flushed();
    return removed;
  }

  #flush(d: Database): number {
    // Redis invalidates watched keys that existed before the flush.
    if (d.watched.size !== 0 && this.watchedDbReplaced !== undefined) {
      this.watchedDbReplaced(d, undefined);
    } else {
      for (const key of d.watched.keys()) {
        if (d.dict.has(key)) this.hooks.keyModified(d, key);
      }
    }
    d.signalStreamsGone();
    return d.flush();
  }

  // A watched key of `d` changes if it exists on either side of the swap.
  #touchWatched(d: Database, other: Database): void {
    for (const key of d.watched.keys()) {
      if (d.dict.has(key) || other.dict.has(key)) {
        this.hooks.keyModified(d, key);
      }
    }
  }
}
