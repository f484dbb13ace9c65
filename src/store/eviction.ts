/**
 * maxmemory eviction, as Redis 7.0's evict.c does it.
 *
 * While used_memory is over `maxmemory`, keys are removed according to
 * `maxmemory-policy`:
 *
 * - `allkeys-lru`, `volatile-lru`, `allkeys-lfu`, `volatile-lfu`,
 *   `volatile-ttl`: each round samples `maxmemory-samples` keys from every
 *   database (from the keys with a TTL only, for the volatile policies)
 *   into a pool of the 16 best candidates across databases, then evicts
 *   the best one that still exists. The score is the idle time from the
 *   per-key LRU clock, 255 minus the decayed LFU counter, or how soon the
 *   key expires.
 * - `allkeys-random`, `volatile-random`: a random key, visiting the
 *   databases in turn.
 * - `noeviction`: nothing is removed; commands that may add data fail.
 *
 * An evicted key counts in `evicted_keys`, fires the `evicted` keyspace
 * event, and is propagated as DEL (UNLINK with lazyfree-lazy-eviction).
 * One call spends at most the time `maxmemory-eviction-tenacity` allows;
 * the rest is left to the next command or cron tick, as Redis leaves it to
 * its eviction timer.
 *
 * @module
 */
import { lfuDecayed, NOTIFY_EVICTED, type ServerState } from "../state.ts";
import { LRU_CLOCK_MAX } from "./database.ts";
import { usedMemory } from "./memory.ts";

/** Memory is under the limit (or nothing to check). */
export const EVICT_OK = 0;
/** Over the limit; eviction goes on at the next command or cron tick. */
export const EVICT_RUNNING = 1;
/** Over the limit and nothing can be evicted. */
export const EVICT_FAIL = 2;

/** The eviction policies, as Redis's MAXMEMORY_* values. */
interface Policy {
  readonly allKeys: boolean;
  readonly kind: "lru" | "lfu" | "ttl" | "random" | "none";
}

function parsePolicy(name: string): Policy {
  if (name === "noeviction") return { allKeys: false, kind: "none" };
  const allKeys = name.startsWith("allkeys-");
  const rest = name.slice(name.indexOf("-") + 1);
  return { allKeys, kind: rest as Policy["kind"] };
}

const POOL_SIZE = 16;

/** What eviction keeps per server between calls. */
export interface EvictionState {
  /** `maxmemory`, 0 for no limit. */
  maxmemory: number;
  policy: Policy;
  samples: number;
  tenacity: number;
  // The eviction pool, best candidate last (Redis's EvictionPoolLRU).
  readonly poolKeys: (string | undefined)[];
  readonly poolDbs: number[];
  readonly poolScores: number[];
  /** Database the random policies visit next. */
  nextDb: number;
  /** True while over the limit after running out of time. */
  running: boolean;
  /** performance.now() when memory went over the limit, or 0. */
  exceededSince: number;
  /** Microseconds spent over the limit before the current spell (INFO total_eviction_exceeded_time). */
  exceededTotalUs: number;
}

const states = new WeakMap<ServerState, EvictionState>();
let lastServer: ServerState | undefined;
let lastState: EvictionState | undefined;

/** The eviction state of `server`, following its configuration. */
export function evictionState(server: ServerState): EvictionState {
  if (server === lastServer) return lastState!;
  let s = states.get(server);
  if (s === undefined) {
    const config = server.config;
    const st: EvictionState = {
      maxmemory: config.number("maxmemory"),
      policy: parsePolicy(config.get("maxmemory-policy")),
      samples: config.number("maxmemory-samples"),
      tenacity: config.number("maxmemory-eviction-tenacity"),
      poolKeys: new Array(POOL_SIZE).fill(undefined),
      poolDbs: new Array(POOL_SIZE).fill(0),
      poolScores: new Array(POOL_SIZE).fill(0),
      nextDb: 0,
      running: false,
      exceededSince: 0,
      exceededTotalUs: 0,
    };
    config.onChange("maxmemory", (v) => (st.maxmemory = Number(v)));
    config.onChange("maxmemory-policy", (v) => {
      st.policy = parsePolicy(v);
      st.poolKeys.fill(undefined);
    });
    config.onChange("maxmemory-samples", (v) => (st.samples = Number(v)));
    config.onChange(
      "maxmemory-eviction-tenacity",
      (v) => (st.tenacity = Number(v)),
    );
    states.set(server, st);
    s = st;
  }
  lastServer = server;
  lastState = s;
  return s;
}

/**
 * How long one call may evict, in microseconds (Redis's
 * evictionTimeLimitUs): 50 µs per step up to tenacity 10, then 15% more
 * per step, and no limit at 100.
 */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return 500 * Math.pow(1.15, tenacity - 10);
  return Infinity;
}

/** True when the server must not evict now (loading data). */
function unsafeToEvict(server: ServerState): boolean {
  return server.loading;
}

/** Bytes over `maxmemory` (0 when under it or without a limit). */
export function memoryToFree(server: ServerState): number {
  const max = evictionState(server).maxmemory;
  if (max === 0) return 0;
  const used = usedMemory(server);
  return used > max ? used - max : 0;
}

/**
 * Evicts keys until used_memory is under `maxmemory`, the policy forbids
 * it, no key is left, or the time limit is reached (Redis's
 * performEvictions). Returns EVICT_OK, EVICT_RUNNING or EVICT_FAIL.
 */
export function performEvictions(server: ServerState): number {
  const st = evictionState(server);
  const max = st.maxmemory;
  if (max === 0 || unsafeToEvict(server)) return EVICT_OK;
  let used = usedMemory(server);
  if (used <= max) return metrics(st, EVICT_OK);
  if (st.policy.kind === "none") return metrics(st, EVICT_FAIL);
  const limitMs = evictionTimeLimitUs(st.tenacity) / 1000;
  const start = performance.now();
  let freed = 0;
  let result = EVICT_OK;
  st.running = false;
  while (used > max) {
    if (!evictOne(server, st)) {
      result = EVICT_FAIL;
      break;
    }
    used = usedMemory(server);
    if (++freed % 16 === 0 && performance.now() - start > limitMs) {
      // Out of time: the next command or cron tick goes on.
      st.running = used > max;
      if (st.running) result = EVICT_RUNNING;
      break;
    }
  }
  return metrics(st, result);
}

// Redis's update_metrics: time spent over the limit.
function metrics(st: EvictionState, result: number): number {
  if (result === EVICT_OK) {
    if (st.exceededSince !== 0) {
      st.exceededTotalUs += Math.round(
        (performance.now() - st.exceededSince) * 1000,
      );
      st.exceededSince = 0;
    }
  } else if (st.exceededSince === 0) {
    st.exceededSince = performance.now();
  }
  return result;
}

/** Microseconds spent over the limit, in total and in the current spell (INFO stats). */
export function evictionExceededTime(
  server: ServerState,
): { total: number; current: number } {
  const st = evictionState(server);
  const current = st.exceededSince === 0
    ? 0
    : Math.round((performance.now() - st.exceededSince) * 1000);
  return { total: st.exceededTotalUs + current, current };
}

// Picks and removes one key; false when there is none to evict.
function evictOne(server: ServerState, st: EvictionState): boolean {
  const picked = st.policy.kind === "random"
    ? pickRandom(server, st)
    : pickFromPool(server, st);
  if (picked === undefined) return false;
  const [dbIndex, key] = picked;
  const db = server.db(dbIndex);
  const value = db.dict.get(key);
  db.delete(key, false);
  server.stats.evictedKeys++;
  server.notify(NOTIFY_EVICTED, "evicted", key, dbIndex);
  const lazy = server.config.bool("lazyfree-lazy-eviction");
  if (value !== undefined) server.countLazyFree(value, lazy);
  server.propagate(dbIndex, [lazy ? "UNLINK" : "DEL", key]);
  return true;
}

function pickRandom(
  server: ServerState,
  st: EvictionState,
): [number, string] | undefined {
  const dbs = server.keyspace.dbs;
  const rand = server.random.int;
  for (let i = 0; i < dbs.length; i++) {
    st.nextDb = (st.nextDb + 1) % dbs.length;
    const db = dbs[st.nextDb]!;
    const dict = st.policy.allKeys ? db.dict : db.expires;
    if (dict.size === 0) continue;
    const key = dict.randomKey(rand);
    if (key !== undefined) return [st.nextDb, key];
  }
  return undefined;
}

function pickFromPool(
  server: ServerState,
  st: EvictionState,
): [number, string] | undefined {
  const dbs = server.keyspace.dbs;
  const allKeys = st.policy.allKeys;
  const keys = st.poolKeys;
  for (;;) {
    let total = 0;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[i]!;
      const size = allKeys ? db.dict.size : db.expires.size;
      if (size === 0) continue;
      populate(server, st, i);
      total += size;
    }
    if (total === 0) return undefined;
    // From the best candidate down; keys that went away meanwhile are
    // skipped (Redis's "ghosts").
    for (let k = POOL_SIZE - 1; k >= 0; k--) {
      const key = keys[k];
      if (key === undefined) continue;
      const dbIndex = st.poolDbs[k]!;
      keys[k] = undefined;
      const db = dbs[dbIndex]!;
      if (allKeys ? db.dict.has(key) : db.expires.has(key)) {
        return [dbIndex, key];
      }
    }
  }
}

// Redis's evictionPoolPopulate: samples keys of database `dbIndex` and
// inserts the ones that score better than the pool's worst.
function populate(server: ServerState, st: EvictionState, dbIndex: number) {
  const db = server.db(dbIndex);
  const policy = st.policy;
  const sampleDict = policy.allKeys ? db.dict : db.expires;
  const sampled = sampleDict.sampleKeys(st.samples, server.random.int);
  const keys = st.poolKeys;
  const dbsOf = st.poolDbs;
  const scores = st.poolScores;
  const clock = server.lruClock;
  for (const key of sampled) {
    let score: number;
    if (policy.kind === "lru") {
      const lru = db.accessMeta(key);
      score = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
    } else if (policy.kind === "lfu") {
      score = 255 - lfuDecayed(db.accessMeta(key), server);
    } else {
      // volatile-ttl: the sooner the expiry, the better.
      score = -db.getExpire(key);
    }
    // The first empty slot, or the first candidate scoring at least as well.
    let k = 0;
    while (k < POOL_SIZE && keys[k] !== undefined && scores[k]! < score) k++;
    if (k === 0 && keys[POOL_SIZE - 1] !== undefined) {
      // Worse than everything in a full pool.
      continue;
    }
    if (k < POOL_SIZE && keys[k] === undefined) {
      // An empty slot: nothing to move.
    } else if (keys[POOL_SIZE - 1] === undefined) {
      // Room on the right: shift k.. one step right.
      for (let j = POOL_SIZE - 1; j > k; j--) {
        keys[j] = keys[j - 1];
        dbsOf[j] = dbsOf[j - 1]!;
        scores[j] = scores[j - 1]!;
      }
    } else {
      // Full: drop the worst (slot 0), shift ..k-1 one step left.
      k--;
      for (let j = 0; j < k; j++) {
        keys[j] = keys[j + 1];
        dbsOf[j] = dbsOf[j + 1]!;
        scores[j] = scores[j + 1]!;
      }
    }
    keys[k] = key;
    dbsOf[k] = dbIndex;
    scores[k] = score;
  }
}
