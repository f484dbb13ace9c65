/**
 * The rate limiter's tests, against a real Redis protocol server with no
 * Redis installed: tsredis started in-process by `startServer()` from the
 * repository's `mod.ts` (in another project, import it from wherever you
 * keep tsredis).
 */
import { Redis } from "npm:ioredis@5.9.3";
import { startServer, type TsRedisServer } from "../../mod.ts";
import { assert, assertEquals } from "../../tests/_deps.ts";
import { RateLimiter, recordVisit } from "./limiter.ts";

/** A server and a connected ioredis client, closed together. */
async function redisForTest(): Promise<
  { server: TsRedisServer; redis: Redis } & AsyncDisposable
> {
  const started = performance.now();
  const server = await startServer({ port: 0 });
  // The point of running in-process: a fresh server costs milliseconds.
  const ms = performance.now() - started;
  assert(ms < 500, `tsredis took ${ms.toFixed(0)} ms to start`);
  const redis = new Redis({ port: server.port, lazyConnect: true });
  await redis.connect();
  return {
    server,
    redis,
    async [Symbol.asyncDispose]() {
      await redis.quit();
      await server.close();
    },
  };
}

const options = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...options,
  name:
    "RateLimiter allows `limit` requests per window, then says when to retry",
  async fn() {
    await using t = await redisForTest();
    const limiter = new RateLimiter(t.redis, { limit: 3, windowMs: 1000 });
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) {
      assertEquals(await limiter.hit("alice", now + i), {
        allowed: true,
        count: i,
        retryAfterMs: 0,
      });
    }
    assertEquals(await limiter.hit("alice", now + 10), {
      allowed: false,
      count: 3,
      retryAfterMs: 991,
    });
    // Other clients have their own window.
    assertEquals((await limiter.hit("bob", now + 10)).allowed, true);
    // Once the first request leaves the window there is room again.
    assertEquals((await limiter.hit("alice", now + 1002)).allowed, true);
    // The window's key expires with the window.
    const ttl = await t.redis.pttl("rate:alice");
    assert(ttl > 0 && ttl <= 1000, `pttl ${ttl}`);
  },
});

Deno.test({
  ...options,
  name:
    "recordVisit keeps the newest visitors, and flushAll starts a case afresh",
  async fn() {
    await using t = await redisForTest();
    for (const v of ["a", "b", "c", "d", "e", "f"]) {
      await recordVisit(t.redis, v, 5);
    }
    assertEquals(await recordVisit(t.redis, "g", 5), ["g", "f", "e", "d", "c"]);
    await t.server.flushAll();
    assertEquals(await t.redis.exists("visitors"), 0);
    assertEquals(await recordVisit(t.redis, "h", 5), ["h"]);
  },
});

Deno.test({
  ...options,
  name: "two in-process servers side by side do not see each other's keys",
  async fn() {
    await using one = await redisForTest();
    await using two = await redisForTest();
    await recordVisit(one.redis, "only-on-one");
    assertEquals(await two.redis.exists("visitors"), 0);
    assertEquals(await one.redis.lrange("visitors", 0, -1), ["only-on-one"]);
  },
});
