/**
 * The active expiry cycle: frees expired keys nobody touches, the way
 * Redis's activeExpireCycle does. Each run samples keys that have a TTL,
 * deletes the expired ones, and repeats on a database while a large share
 * of the sample had expired, within a CPU budget.
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

const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;

let nextDb = 0;

/**
 * Runs one cycle over `keyspace`. `periodMs` is the cron period (1000/hz);
 * `effort` is `active-expire-effort` (1-10).
 */
export function runExpireCycle(
  keyspace: Keyspace,
  periodMs: number,
  effort: number,
): ExpireCycleResult {
  const extra = effort - 1;
  const perLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * extra;
  const budget = (periodMs * (SLOW_TIME_PERC + 2 * extra)) / 100;
  const stale = ACCEPTABLE_STALE - extra;
  const start = performance.now();
  const clock = keyspace.hooks.clock;
  const rand = keyspace.hooks.random.int;
  const result: ExpireCycleResult = {
    expired: 0,
    sampled: 0,
    timeCapReached: false,
    elapsedMs: 0,
  };
  const count = keyspace.count;
  for (let n = 0; n < count && !result.timeCapReached; n++) {
    const db = keyspace.db(nextDb);
    nextDb = (nextDb + 1) % count;
    for (let iteration = 0;; iteration++) {
      if (db.expires.size === 0) {
        db.avgTtl = 0;
        break;
      }
      const now = clock.now();
      const sample = db.expires.sampleKeys(perLoop, rand);
      let expired = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      for (const key of sample) {
        if (db.expireIfNeeded(key)) {
          expired++;
        } else {
          const when = db.expires.get(key);
          if (when !== undefined) {
            ttlSum += when - now;
            ttlSamples++;
          }
        }
      }
      result.expired += expired;
      result.sampled += sample.length;
      if (ttlSamples > 0) {
        // A running average, weighted toward the newest samples, as Redis keeps.
        const avg = ttlSum / ttlSamples;
        db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
      }
      if ((iteration & 15) === 0 && performance.now() - start > budget) {
        result.timeCapReached = true;
        break;
      }
      if (sample.length === 0 || (expired * 100) / sample.length <= stale) {
        break;
      }
    }
  }
  result.elapsedMs = performance.now() - start;
  return result;
}
