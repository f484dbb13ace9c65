/**
 * The active expiry cycle: frees expired keys nobody touches, the way
 * Redis 7.0's activeExpireCycle (slow cycle) does. Each run walks the keys
 * that have a TTL bucket by bucket from where the last run stopped (so every
 * such key is looked at in turn), deletes the expired ones, and stays on a
 * database while more than a few percent of what it looked at had expired,
 * within a CPU budget. It also keeps each database's average TTL estimate
 * (INFO keyspace `avg_ttl`).
 *
 * @module
 */
import type { Keyspace } from "./keyspace.ts";

/** What one cycle did (INFO stats). */
export interface ExpireCycleResult {
  expired: number;
  sampled: number;
  timeCapReached: boolean;
  elapsedMs: number;
}

// Redis's ACTIVE_EXPIRE_CYCLE_* defaults, scaled by active-expire-effort.
const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;
// Redis's CRON_DBS_PER_CALL.
const DBS_PER_CALL = 16;

/** Where the next cycle starts, per keyspace (Redis keeps these as statics). */
interface CycleState {
  currentDb: number;
  timelimitExit: boolean;
}

const states = new WeakMap<Keyspace, CycleState>();

/**
 * Runs one cycle over `keyspace`. `periodMs` is the cron period (1000/hz);
 * `effort` is `active-expire-effort` (1-10).
 */
export function runExpireCycle(
  keyspace: Keyspace,
  periodMs: number,
  effort: number,
): ExpireCycleResult {
  let state = states.get(keyspace);
  if (state === undefined) {
    state = { currentDb: 0, timelimitExit: false };
    states.set(keyspace, state);
  }
  const extra = effort - 1;
  const perLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * extra;
  const budget = (periodMs * (SLOW_TIME_PERC + 2 * extra)) / 100;
  const stale = ACCEPTABLE_STALE - extra;
  const start = performance.now();
  const clock = keyspace.hooks.clock;
  const result: ExpireCycleResult = {
    expired: 0,
    sampled: 0,
    timeCapReached: false,
    elapsedMs: 0,
  };
  // Only a primary expires keys actively; a replica (or a loading server)
  // waits to be told.
  if (keyspace.hooks.keepExpired) return result;
  const count = keyspace.count;
  // After running out of time, look at every database next time.
  const dbsPerCall = state.timelimitExit || count < DBS_PER_CALL
    ? count
    : DBS_PER_CALL;
  state.timelimitExit = false;
  const bucketKeys: string[] = [];
  const bucketTimes: number[] = [];
  const collect = (key: string, when: number) => {
    bucketKeys.push(key);
    bucketTimes.push(when);
  };
  let iteration = 0;
  for (let n = 0; n < dbsPerCall && !state.timelimitExit; n++) {
    const db = keyspace.db(state.currentDb % count);
    state.currentDb = (state.currentDb + 1) % count;
    let expired: number;
    let sampled: number;
    do {
      iteration++;
      let num = db.expires.size;
      if (num === 0) {
        db.avgTtl = 0;
        break;
      }
      const now = clock.now();
      expired = 0;
      sampled = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      if (num > perLoop) num = perLoop;
      // Empty buckets are cheap but not free: bound them too.
      const maxBuckets = num * 20;
      let checkedBuckets = 0;
      while (sampled < num && checkedBuckets < maxBuckets) {
        bucketKeys.length = 0;
        bucketTimes.length = 0;
        db.expiresCursor = db.expires.scan(db.expiresCursor, collect);
        checkedBuckets++;
        for (let i = 0; i < bucketKeys.length; i++) {
          const ttl = bucketTimes[i]! - now;
          if (db.expireIfNeeded(bucketKeys[i]!)) expired++;
          // The average is over keys that have not expired yet.
          if (ttl > 0) {
            ttlSum += ttl;
            ttlSamples++;
          }
          sampled++;
        }
      }
      result.expired += expired;
      result.sampled += sampled;
      if (ttlSamples > 0) {
        // A running average: the newest sample weighs 2%, as in Redis
        // (integer arithmetic included).
        const avg = Math.trunc(ttlSum / ttlSamples);
        if (db.avgTtl === 0) db.avgTtl = avg;
        db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avg / 50);
      }
      if ((iteration & 0xf) === 0 && performance.now() - start > budget) {
        state.timelimitExit = true;
        result.timeCapReached = true;
        break;
      }
      // Stay on this database while too many of the keys looked at had
      // expired: there are probably many more.
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > stale);
  }
  result.elapsedMs = performance.now() - start;
  return result;
}
