/**
 * A writable replica (`replica-read-only no`) expires the keys its own
 * clients gave a TTL (Redis's slaveKeysWithExpire and expireSlaveKeys):
 * its master never heard of them, so no DEL would ever come. Keys the
 * master's stream sets expiries on are left to the master, as always.
 *
 * @module
 */
import type { Keyspace } from "../store/keyspace.ts";

/** Time given to one pass, per cron tick (ms), as Redis's 1 ms. */
const BUDGET_MS = 1;

/** The keys of a replica's own clients that carry a TTL, per database. */
export class ReplicaKeysWithExpire {
  /** `db\0key` → [db, key], oldest first; a pass moves kept keys to the end. */
  readonly #keys = new Map<string, [number, string]>();

  get size(): number {
    return this.#keys.size;
  }

  /** A client of this replica (not its master) set an expiry on `key`. */
  remember(db: number, key: string): void {
    this.#keys.set(`${db}\0${key}`, [db, key]);
  }

  /** The dataset was replaced (a full sync): the master owns every key again. */
  clear(): void {
    this.#keys.clear();
  }

  /**
   * Deletes the remembered keys whose time has come, for about a
   * millisecond; keys that lost their TTL are forgotten. Returns how many
   * were deleted.
   */
  expire(keyspace: Keyspace, now: number): number {
    const keys = this.#keys;
    if (keys.size === 0) return 0;
    const start = performance.now();
    // Kept keys go back in at the end: one pass looks at each key once.
    const total = keys.size;
    let deleted = 0;
    let n = 0;
    for (const [id, entry] of keys) {
      if (n++ === total) break;
      if (n % 16 === 0 && performance.now() - start > BUDGET_MS) break;
      keys.delete(id);
      const [dbId, key] = entry;
      if (dbId >= keyspace.count) continue;
      const db = keyspace.db(dbId);
      const when = db.expires.get(key);
      if (when === undefined) continue;
      if (when < now) {
        if (db.deleteExpired(key)) deleted++;
        continue;
      }
      // Not yet: to the back of the line, so the next pass starts elsewhere.
      keys.set(id, entry);
    }
    return deleted;
  }
}
