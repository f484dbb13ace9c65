/**
 * A small app on npm `ioredis`: a sliding-window rate limiter (a sorted set
 * of request times per client, trimmed and counted in one MULTI) and a
 * "recent visitors" feed (a capped list). Nothing here knows about tsredis:
 * it is ordinary Redis code, tested in `limiter_test.ts` against a tsredis
 * started in-process.
 *
 * @module
 */
import type { Redis } from "npm:ioredis@5.9.3";

/** What `RateLimiter.hit` decided. */
export interface Decision {
  allowed: boolean;
  /** Requests counted in the window, this one included when allowed. */
  count: number;
  /** Milliseconds until the oldest counted request leaves the window. */
  retryAfterMs: number;
}

/** At most `limit` requests per `windowMs` for each client id. */
export class RateLimiter {
  readonly #redis: Redis;
  readonly #limit: number;
  readonly #windowMs: number;

  /** Limits requests on `redis` to `limit` per `windowMs` milliseconds. */
  constructor(redis: Redis, opts: { limit: number; windowMs: number }) {
    this.#redis = redis;
    this.#limit = opts.limit;
    this.#windowMs = opts.windowMs;
  }

  /** Counts a request from `client` at `now` (ms) and says whether it may go on. */
  async hit(client: string, now = Date.now()): Promise<Decision> {
    const key = `rate:${client}`;
    const since = now - this.#windowMs;
    // Trim and count atomically, so two requests never both see room.
    const [, counted, oldest] = await this.#redis.multi()
      .zremrangebyscore(key, "-inf", since)
      .zcard(key)
      .zrange(key, 0, 0, "WITHSCORES")
      .exec() as [unknown, [null, number], [null, string[]]];
    const count = counted[1];
    if (count >= this.#limit) {
      const first = Number(oldest[1][1] ?? now);
      return {
        allowed: false,
        count,
        retryAfterMs: Math.max(0, first + this.#windowMs - now),
      };
    }
    await this.#redis.multi()
      .zadd(key, now, `${now}-${crypto.randomUUID()}`)
      .pexpire(key, this.#windowMs)
      .exec();
    return { allowed: true, count: count + 1, retryAfterMs: 0 };
  }
}

/** The last `size` visitors, newest first. */
export async function recordVisit(
  redis: Redis,
  visitor: string,
  size = 5,
): Promise<string[]> {
  const [, , [, recent]] = await redis.multi()
    .lpush("visitors", visitor)
    .ltrim("visitors", 0, size - 1)
    .lrange("visitors", 0, -1)
    .exec() as [unknown, unknown, [null, string[]]];
  return recent;
}
