/**
 * Database: one of the numbered keyspaces. Keys with their values, the
 * expiry times of keys that have one, lazy expiry on access, LRU/LFU data
 * per key, and the signals that WATCH and blocked clients depend on.
 *
 * @module
 */
import { wrongType } from "../errors.ts";
import type { Clock, Random } from "../util/clock.ts";
import { Dict } from "./structures/dict.ts";
import { MemCounter, noteUse, release, retain, stringBytes } from "./memory.ts";
import {
  type CollectionValue,
  isString,
  type RedisValue,
  type StringValue,
  type TypeName,
} from "./values.ts";

/** Counters the store updates (INFO stats). */
export interface StoreStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
}

/** How the store reaches the rest of the server, without importing it. */
export interface StoreHooks {
  readonly clock: Clock;
  readonly random: Random;
  readonly stats: StoreStats;
  /** A key was removed because it expired (propagate DEL, notify). */
  keyExpired(db: Database, key: string): void;
  /** A watched key changed (WATCH). Only called when `db.watched` has the key. */
  keyModified(db: Database, key: string): void;
  /** A key some client blocks on may now have data. */
  keyReady(db: Database, key: string): void;
  /** A read found no key (the `keymiss` keyspace event). */
  keyMiss?(db: Database, key: string): void;
  /** A key was created (the `new` keyspace event); set only while someone listens. */
  keyNew?(db: Database, key: string): void;
  /**
   * A collection value went because its key expired or was overwritten
   * (lazyfree-lazy-expire, lazyfree-lazy-server-del decide if Redis frees
   * it in the background: INFO lazyfreed_objects).
   */
  valueFreed?(value: RedisValue, cause: "expire" | "overwrite"): void;
  /** An expiry was set on `key` (a writable replica remembers its own). */
  expireSet?(db: Database, key: string): void;
  /** True while expired keys must be kept (loading, replicas). */
  readonly keepExpired: boolean;
  /**
   * True while a replica applies its master's stream: kept keys past their
   * expiry still count as present (Redis's expireIfNeeded for the master).
   */
  readonly expiredVisible?: boolean;
  /** `lfu` when an LFU eviction policy is set: per-key meta is a frequency counter. */
  readonly accessPolicy: "lru" | "lfu";
  /**
   * The current LRU clock (seconds, 24 bits). Cached and refreshed by the
   * server cron, as Redis does, so a lookup does not read the system clock.
   */
  lruClock(): number;
  /** The LFU data of a new key. */
  lfuInit(): number;
  /** The LFU data of a key after one more access. */
  lfuTouch(meta: number): number;
}

/**
 * Told before a key changes or goes while a point-in-time snapshot runs
 * (persistence/snapshot.ts: BGSAVE, AOF rewrite, replication), so the
 * snapshot can keep the key's old value first: copy on write without fork.
 */
export interface WriteObserver {
  /**
   * `key` in `db` is about to be changed, replaced, created, expired or
   * deleted. `db.dict` and `db.expires` still hold its current state.
   */
  beforeWrite(db: Database, key: string): void;
}

/**
 * Told of every key change while client-side caching is in use
 * (src/tracking/: CLIENT TRACKING), so clients that may cache a key hear
 * that it changed. Unset otherwise, so the write path pays one branch.
 */
export interface KeyTracker {
  /**
   * `key` changed (Redis's signalModifiedKey). `byCommand` is false when no
   * command made the change: the key expired or was evicted.
   */
  keyChanged(key: string, byCommand: boolean): void;
  /** Every key of one or all databases went at once (FLUSHDB, FLUSHALL, a dataset loaded). */
  flushed(): void;
}

/** Seconds-resolution LRU clock with 24 bits, as Redis keeps it. */
export const LRU_CLOCK_MAX = (1 << 24) - 1;

/** The LRU clock at `nowMs`. */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / 1000) & LRU_CLOCK_MAX;
}

/** A numbered database. */
export class Database {
  readonly id: number;
  /** Keys and values. */
  dict: Dict<RedisValue> = new Dict(0, true);
  /** Expiry time (Unix ms) of the keys that have one. */
  expires: Dict<number> = new Dict();
  /** Keys that some client WATCHes, with their watchers (owned by the transaction code). */
  watched: Map<string, Set<unknown>> = new Map();
  /** Keys that some client blocks on (owned by the blocking code). */
  blocking: Map<string, unknown[]> = new Map();
  /** Average TTL estimate kept by the active expiry cycle (INFO keyspace avg_ttl). */
  avgTtl = 0;
  /** Where the active expiry cycle resumes its walk over `expires` (a SCAN cursor). */
  expiresCursor = 0;
  // Expiry times beyond 2^53 ms, kept exactly (PEXPIREAT k 9223372036854775807
  // must read back the same); `expires` holds their nearest double, which is
  // exact enough for comparing with the clock.
  #exactExpires: Map<string, bigint> | undefined;
  readonly hooks: StoreHooks;
  /**
   * Set only while a snapshot runs (persistence/snapshot.ts): every write
   * primitive tells it first. Undefined otherwise, so the hot path pays one
   * predictable branch.
   */
  cow: WriteObserver | undefined = undefined;
  /** Set while some client tracks keys (client-side caching); see `KeyTracker`. */
  tracker: KeyTracker | undefined = undefined;
  /** Set by clients with CLIENT NO-TOUCH so their reads leave LRU data alone. */
  noTouch = false;
  /**
   * Bytes of the keys and values here (store/memory.ts); replaced by
   * FLUSHDB and exchanged by SWAPDB with the data it counts.
   */
  mem: MemCounter = new MemCounter();
  // The key string the main table holds for the key last stored with
  // set/add, so that setExpire right after (SET EX) shares it cheaply.
  #lastKey = "";
  #lastStoredKey = "";

  /** `id` is the database number. */
  constructor(id: number, hooks: StoreHooks) {
    this.id = id;
    this.hooks = hooks;
  }

  /** Number of keys (expired ones that were not yet removed included, as in Redis). */
  get size(): number {
    return this.dict.size;
  }

  /** Number of keys with an expiry time. */
  get expiresCount(): number {
    return this.expires.size;
  }

  /** True if `key` has an expiry time in the past. */
  isExpired(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    return when !== undefined && this.hooks.clock.now() > when;
  }

  // Lazy expiry: returns true if the key is (now) gone.
  #expireIfNeeded(key: string): boolean {
    if (!this.isExpired(key)) return false;
    if (this.hooks.keepExpired) return this.hooks.expiredVisible !== true;
    this.#deleteExpired(key);
    return true;
  }

  /**
   * Deletes `key` if it has expired, even where expired keys are kept (a
   * writable replica's own keys). Returns true if it did.
   */
  deleteExpired(key: string): boolean {
    if (!this.isExpired(key)) return false;
    this.#deleteExpired(key);
    return true;
  }

  #deleteExpired(key: string): void {
    const old = this.#remove(key);
    if (old !== undefined && !isString(old)) {
      this.hooks.valueFreed?.(old, "expire");
    }
    this.hooks.stats.expiredKeys++;
    this.hooks.keyExpired(this, key);
    this.#signalModified(key, false);
  }

  /** Deletes `key` if it has expired, reporting it as Redis does. Returns true if it had. */
  expireIfNeeded(key: string): boolean {
    return this.#expireIfNeeded(key);
  }

  /** The value at `key` after lazy expiry, with no side effect on stats or LRU. */
  peek(key: string): RedisValue | undefined {
    if (this.#expireIfNeeded(key)) return undefined;
    const v = this.dict.get(key);
    if (typeof v === "object") noteUse(v);
    return v;
  }

  /** Looks up `key` for reading: lazy expiry, keyspace hit/miss stats, LRU update. */
  lookupRead(key: string): RedisValue | undefined {
    return this.#lookupRead(key, !this.noTouch);
  }

  /**
   * Looks up `key` for reading without updating its LRU/LFU data (Redis's
   * LOOKUP_NOTOUCH: EXISTS, TYPE, TTL, OBJECT): lazy expiry and hit/miss
   * stats only, and a `keymiss` event unless `notify` is false (OBJECT).
   */
  lookupReadNoTouch(key: string, notify = true): RedisValue | undefined {
    return this.#lookupRead(key, false, notify);
  }

  #lookupRead(
    key: string,
    touch: boolean,
    notify = true,
  ): RedisValue | undefined {
    const i = this.expires.size !== 0 && this.#expireIfNeeded(key)
      ? -1
      : this.dict.indexOf(key);
    if (i < 0) {
      this.hooks.stats.keyspaceMisses++;
      if (notify) this.hooks.keyMiss?.(this, key);
      return undefined;
    }
    this.hooks.stats.keyspaceHits++;
    if (touch) this.#touchAccess(i);
    const v = this.dict.valueAt(i);
    if (typeof v === "object") noteUse(v);
    return v;
  }

  /** Looks up `key` for writing: lazy expiry and LRU update, no hit/miss stats. */
  lookupWrite(key: string): RedisValue | undefined {
    // The caller may change the value in place: a snapshot keeps it first.
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    if (this.expires.size !== 0 && this.#expireIfNeeded(key)) return undefined;
    const i = this.dict.indexOf(key);
    if (i < 0) return undefined;
    this.#touchAccess(i);
    const v = this.dict.valueAt(i);
    if (typeof v === "object") noteUse(v);
    return v;
  }

  #touchAccess(i: number): void {
    if (this.hooks.accessPolicy === "lru") {
      this.dict.setMetaAt(i, this.hooks.lruClock());
    } else {
      this.dict.setMetaAt(i, this.hooks.lfuTouch(this.dict.metaAt(i)));
    }
  }

  /** The string at `key` for reading; throws WRONGTYPE for other types. */
  getString(key: string): StringValue | undefined {
    const v = this.lookupRead(key);
    if (v === undefined || isString(v)) return v;
    throw wrongType();
  }

  /** The string at `key` for writing; throws WRONGTYPE for other types. */
  getStringForWrite(key: string): StringValue | undefined {
    const v = this.lookupWrite(key);
    if (v === undefined || isString(v)) return v;
    throw wrongType();
  }

  /** The collection of `type` at `key` for reading; throws WRONGTYPE for other types. */
  getCollection<T extends CollectionValue>(
    key: string,
    type: Exclude<TypeName, "string">,
  ): T | undefined {
    const v = this.lookupRead(key);
    if (v === undefined) return undefined;
    if (isString(v) || v.type !== type) throw wrongType();
    return v as T;
  }

  /** The collection of `type` at `key` for writing; throws WRONGTYPE for other types. */
  getCollectionForWrite<T extends CollectionValue>(
    key: string,
    type: Exclude<TypeName, "string">,
  ): T | undefined {
    const v = this.lookupWrite(key);
    if (v === undefined) return undefined;
    if (isString(v) || v.type !== type) throw wrongType();
    return v as T;
  }

  /**
   * Stores `value` at `key` (Redis's setKey): creates or overwrites, drops
   * the expiry unless `keepTtl`, and signals the change.
   */
  set(key: string, value: RedisValue, keepTtl = false): void {
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    const i = this.dict.probe(key);
    if (i >= 0) {
      const old = this.dict.valueAt(i);
      this.dict.setValueAt(i, value);
      if (old !== value) {
        this.#account(retain(value, this.mem) - release(old));
        if (!isString(old)) this.hooks.valueFreed?.(old, "overwrite");
      }
      this.#lastKey = key;
      this.#lastStoredKey = this.dict.keyAt(i);
      this.#touchAccess(i);
      if (!keepTtl && this.expires.size !== 0) this.#dropExpire(key);
      if (this.blocking.size !== 0) this.#streamGone(key, old);
    } else {
      const j = this.dict.insertAtFree(i, key, value);
      this.#account(stringBytes(key.length) + retain(value, this.mem));
      this.#lastKey = this.#lastStoredKey = key;
      this.#initAccess(j);
      this.hooks.keyNew?.(this, key);
    }
    this.touch(key);
  }

  /** Adds a key known not to exist (Redis's dbAdd), signalling blocked clients. */
  add(key: string, value: RedisValue): void {
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    const i = this.dict.probe(key);
    const j = i >= 0
      ? (this.dict.setValueAt(i, value), i)
      : this.dict.insertAtFree(i, key, value);
    this.#account(stringBytes(key.length) + retain(value, this.mem));
    this.#lastKey = this.#lastStoredKey = key;
    this.#initAccess(j);
    this.hooks.keyNew?.(this, key);
    this.touch(key);
    if (this.blocking.size !== 0 && !isString(value)) {
      this.hooks.keyReady(this, key);
    }
  }

  // Adds `delta` to the byte count; computed first, since retain() may
  // reconcile other values into the same counter.
  #account(delta: number): void {
    this.mem.used += delta;
  }

  #initAccess(i: number): void {
    if (this.hooks.accessPolicy === "lru") {
      this.dict.setMetaAt(i, this.hooks.lruClock());
    } else {
      this.dict.setMetaAt(i, this.hooks.lfuInit());
    }
  }

  /** Replaces the value of an existing key in place, keeping TTL and LRU data. */
  replace(key: string, value: RedisValue): void {
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    const i = this.dict.indexOf(key);
    if (i < 0) return;
    const old = this.dict.valueAt(i);
    this.dict.setValueAt(i, value);
    if (old !== value) this.#account(retain(value, this.mem) - release(old));
  }

  /**
   * Deletes `key` with its expiry. Returns true if it existed. `byCommand`
   * is false for eviction: no client changed the key (client-side caching).
   */
  delete(key: string, byCommand = true): boolean {
    if (this.#remove(key) === undefined) return false;
    this.#signalModified(key, byCommand);
    return true;
  }

  // Every removal goes through here: DEL, lazy and active expiry, eviction.
  // Returns the value removed, or undefined if there was none.
  #remove(key: string): RedisValue | undefined {
    const i = this.dict.indexOf(key);
    if (i < 0) return undefined;
    // The observer only reads the tables, so `i` stays valid.
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    const old = this.dict.valueAt(i);
    this.dict.deleteAt(i);
    this.#account(-(stringBytes(key.length) + release(old)));
    if (this.expires.size !== 0) this.#dropExpire(key);
    if (this.blocking.size !== 0) this.#streamGone(key, old);
    return old;
  }

  // Redis's signalDeletedKeyAsReady: clients blocked in XREADGROUP on a
  // stream that is deleted or overwritten must be told (UNBLOCKED error).
  #streamGone(key: string, old: RedisValue): void {
    if (!isString(old) && old.type === "stream" && this.blocking.has(key)) {
      this.hooks.keyReady(this, key);
    }
  }

  /** Signals blocked clients of every stream key here (FLUSHDB, SWAPDB: the streams go away). */
  signalStreamsGone(): void {
    for (const key of this.blocking.keys()) {
      const old = this.dict.get(key);
      if (old !== undefined) this.#streamGone(key, old);
    }
  }

  // Removes the expiry of `key`; returns true if it had one.
  #dropExpire(key: string): boolean {
    if (!this.expires.delete(key)) return false;
    const exact = this.#exactExpires;
    if (exact !== undefined && exact.size !== 0) exact.delete(key);
    return true;
  }

  /** True if `key` exists (after lazy expiry), without touching stats or LRU. */
  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** Expiry time of `key` in Unix ms, or -1 if it has none. */
  getExpire(key: string): number {
    if (this.expires.size === 0) return -1;
    return this.expires.get(key) ?? -1;
  }

  /**
   * Expiry time of `key` in Unix ms, exact over the whole signed 64-bit
   * range (TTL, PEXPIRETIME, RENAME), or -1n if it has none.
   */
  getExpireExact(key: string): bigint {
    const ms = this.getExpire(key);
    if (ms === -1) return -1n;
    if (!Number.isSafeInteger(ms)) {
      const exact = this.#exactExpires?.get(key);
      if (exact !== undefined) return exact;
    }
    return BigInt(ms);
  }

  /**
   * Sets the expiry time of an existing key (Unix ms). A bigint keeps times
   * beyond 2^53 exact for `getExpireExact`.
   */
  setExpire(key: string, whenMs: number | bigint): void {
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    // The expires table holds the main table's key string, as Redis shares
    // the key's sds: a second copy would cost as much as the key again.
    if (key === this.#lastKey) {
      key = this.#lastStoredKey;
    } else {
      const i = this.dict.indexOf(key);
      if (i >= 0) key = this.dict.keyAt(i);
    }
    let ms: number;
    if (typeof whenMs === "bigint") {
      ms = Number(whenMs);
      if (!Number.isSafeInteger(ms)) {
        (this.#exactExpires ??= new Map()).set(key, whenMs);
        this.expires.set(key, ms);
        this.touch(key);
        this.hooks.expireSet?.(this, key);
        return;
      }
    } else {
      ms = whenMs;
    }
    const exact = this.#exactExpires;
    if (exact !== undefined && exact.size !== 0) exact.delete(key);
    this.expires.set(key, ms);
    this.touch(key);
    this.hooks.expireSet?.(this, key);
  }

  /** Removes the expiry of `key`. Returns true if it had one. */
  persist(key: string): boolean {
    if (this.expires.size === 0) return false;
    if (this.cow !== undefined) this.cow.beforeWrite(this, key);
    if (!this.#dropExpire(key)) return false;
    this.touch(key);
    return true;
  }

  /** The per-key LRU clock or LFU counter, for OBJECT IDLETIME/FREQ. */
  accessMeta(key: string): number {
    const i = this.dict.indexOf(key);
    return i < 0 ? 0 : this.dict.metaAt(i);
  }

  /**
   * Sets the per-key LRU clock or LFU counter of an existing key: a value
   * that moves to another key or database (RENAME, MOVE) keeps its own.
   */
  setAccessMeta(key: string, meta: number): void {
    const i = this.dict.indexOf(key);
    if (i >= 0) this.dict.setMetaAt(i, meta);
  }

  /** Signals that `key` changed (Redis's signalModifiedKey): invalidates WATCH. */
  touch(key: string): void {
    this.#signalModified(key, true);
  }

  #signalModified(key: string, byCommand: boolean): void {
    if (this.watched.size !== 0 && this.watched.has(key)) {
      this.hooks.keyModified(this, key);
    }
    if (this.tracker !== undefined) this.tracker.keyChanged(key, byCommand);
  }

  /** Signals that a collection at `key` received elements (wakes blocked clients). */
  signalReady(key: string): void {
    if (this.blocking.size !== 0 && this.blocking.has(key)) {
      this.hooks.keyReady(this, key);
    }
  }

  /** A random key that has not expired, or undefined when there is none. */
  randomKey(): string | undefined {
    const rand = this.hooks.random.int;
    let tries = 0;
    for (;;) {
      const key = this.dict.randomKey(rand);
      if (key === undefined) return undefined;
      if (!this.isExpired(key)) return key;
      // Every key may have expired: after enough tries, give one back anyway
      // (Redis does the same to avoid looping forever).
      if (this.hooks.keepExpired && ++tries > 100) return key;
      this.#expireIfNeeded(key);
    }
  }

  /**
   * Sizes the tables of an empty database for `size` keys, `expires` of
   * them with an expiry time (RESIZEDB while loading, as Redis's
   * dictExpand), so the load does not grow them step by step.
   */
  expandEmpty(size: number, expires: number): void {
    if (this.dict.size !== 0 || this.dict.slots * 0.75 >= size) return;
    this.dict = new Dict(size, true);
    if (this.expires.size === 0) this.expires = new Dict(expires);
  }

  /** Removes every key. Returns the number removed. */
  flush(): number {
    const removed = this.dict.size;
    this.dict = new Dict(0, true);
    this.mem = new MemCounter();
    this.expires = new Dict();
    this.#exactExpires = undefined;
    this.avgTtl = 0;
    this.expiresCursor = 0;
    return removed;
  }

  /** Exchanges contents with `other` (SWAPDB). */
  swapWith(other: Database): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.mem, other.mem] = [other.mem, this.mem];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    [this.expiresCursor, other.expiresCursor] = [
      other.expiresCursor,
      this.expiresCursor,
    ];
    [this.#exactExpires, other.#exactExpires] = [
      other.#exactExpires,
      this.#exactExpires,
    ];
  }
}
