/**
 * LoadBatch: the keys an RDB load has read but not yet put into the
 * dataset.
 *
 * Why not insert each key as it is read: the keyspace's slot arrays are
 * old, large objects, and every new key and value string stored in a
 * random slot of them is an old-to-new pointer that each young-generation
 * collection must visit, at a cache miss per slot, until the string is
 * promoted. Inserted one by one, a million-key load spent about half its
 * time in those collections. Read into plain arrays first (appended in
 * order, so cheap to scan), the strings are promoted by the time the batch
 * goes into the table, and the table's slots point at old objects.
 *
 * @module
 */
import type { Database } from "../store/database.ts";
import { emptySlots } from "../store/structures/dict.ts";
import type { RedisValue } from "../store/values.ts";
import { RdbFormatError } from "./rdb/reader.ts";

/**
 * Keys held before they go in, at most. Large enough that most strings of
 * a batch have been through the young generation's two collections when
 * it is inserted (a 4 MB semi-space holds some tens of thousands of keys),
 * small enough that the arrays stay a few MB.
 */
export const MAX_BATCH_KEYS = 1 << 17;

/** One database's keys, read and waiting to be inserted in order. */
export class LoadBatch {
  // Allocated once and reused: arrays grown by appending would leave their
  // old copies behind as garbage, batch after batch.
  readonly #keys: (string | undefined)[];
  readonly #values: (RedisValue | undefined)[];
  // NaN: no expiry.
  readonly #expireAt: Float64Array;
  // -1: the access meta data the database gives a new key.
  readonly #meta: Int32Array;
  // Where each key ended in the file, for a duplicate's message.
  readonly #offsets: Float64Array;
  // The newest keys a full batch keeps back, a quarter of it: about what
  // two young-generation collections see go by in a full-size batch.
  readonly #hold: number;
  #size = 0;

  /**
   * `merge`: replace keys that exist (DEBUG RELOAD MERGE) instead of
   * failing. `capacity`: keys held at most (a small file needs no more
   * than it can hold).
   */
  constructor(readonly merge: boolean, capacity = MAX_BATCH_KEYS) {
    const n = Math.max(4, Math.min(Math.floor(capacity), MAX_BATCH_KEYS));
    this.#keys = emptySlots(n);
    this.#values = emptySlots(n);
    this.#expireAt = new Float64Array(n);
    this.#meta = new Int32Array(n);
    this.#offsets = new Float64Array(n);
    this.#hold = n >> 2;
  }

  /**
   * Queues one key of `db`; `meta` is its LRU clock or LFU counter, or -1.
   * A full batch inserts all but its newest keys, which are likely still
   * young, and keeps those for the next one.
   */
  push(
    db: Database,
    key: string,
    value: RedisValue,
    expireAt: number | undefined,
    meta: number,
    offset: number,
  ): void {
    if (this.#size === this.#keys.length) {
      this.#insert(db, this.#size - this.#hold);
    }
    const i = this.#size++;
    this.#keys[i] = key;
    this.#values[i] = value;
    this.#expireAt[i] = expireAt ?? NaN;
    this.#meta[i] = meta;
    this.#offsets[i] = offset;
  }

  /**
   * Inserts every waiting key into `db`, in the order they were read. A key
   * the database holds already is fatal (Redis: "RDB has duplicated key")
   * unless merging.
   */
  flush(db: Database): void {
    this.#insert(db, this.#size);
  }

  // Inserts the first `n` keys and moves the rest to the front.
  #insert(db: Database, n: number): void {
    const keys = this.#keys;
    const values = this.#values;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const value = values[i]!;
      // Released as they go in, so the batch never keeps a value alive.
      keys[i] = values[i] = undefined;
      if (this.merge) {
        // The table itself: has() would call an expired key gone.
        if (db.dict.has(key)) db.delete(key);
        db.add(key, value);
      } else {
        // One probe per key: a duplicate shows as a table that did not
        // grow (the dataset is dropped then, so how add() left it does not
        // matter).
        const before = db.dict.size;
        db.add(key, value);
        if (db.dict.size === before) {
          throw new RdbFormatError(
            `RDB has duplicated key '${key}' in DB ${db.id}`,
            this.#offsets[i]!,
          );
        }
      }
      const at = this.#expireAt[i]!;
      if (!Number.isNaN(at)) db.setExpire(key, at);
      const meta = this.#meta[i]!;
      if (meta >= 0) db.setAccessMeta(key, meta);
    }
    const rest = this.#size - n;
    for (let i = 0; i < rest; i++) {
      keys[i] = keys[n + i];
      values[i] = values[n + i];
      keys[n + i] = values[n + i] = undefined;
    }
    this.#expireAt.copyWithin(0, n, this.#size);
    this.#meta.copyWithin(0, n, this.#size);
    this.#offsets.copyWithin(0, n, this.#size);
    this.#size = rest;
  }
}
