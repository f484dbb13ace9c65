/**
 * The active expiry cycle, driven directly over a keyspace with a manual
 * clock.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { ManualClock } from "../util/clock.ts";
import { type Database, lruClock, type StoreHooks } from "./database.ts";
import { runExpireCycle } from "./expire.ts";
import { Keyspace } from "./keyspace.ts";

function seeded(seed: number) {
  let a = seed >>> 0;
  const float = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { float, int: (n: number) => Math.floor(float() * n) };
}

function setup(databases = 16) {
  const clock = new ManualClock(1_700_000_000_000);
  const expiredEvents: { db: number; key: string }[] = [];
  const hooks: StoreHooks = {
    clock,
    random: seeded(1),
    stats: { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 },
    keyExpired(db, key) {
      expiredEvents.push({ db: db.id, key });
    },
    keyModified() {},
    keyReady() {},
    keepExpired: false,
    accessPolicy: "lru",
    lruClock: () => lruClock(clock.now()),
    lfuInit: () => 5,
    lfuTouch: (m) => m,
  };
  const keyspace = new Keyspace(databases, hooks);
  return { clock, hooks, keyspace, expiredEvents };
}

function addKeys(db: Database, prefix: string, n: number, expireAt?: number) {
  for (let i = 0; i < n; i++) {
    db.add(`${prefix}${i}`, "v");
    if (expireAt !== undefined) db.setExpire(`${prefix}${i}`, expireAt);
  }
}

function runCycles(keyspace: Keyspace, n: number) {
  let expired = 0;
  for (let i = 0; i < n; i++) {
    expired += runExpireCycle(keyspace, 100, 1).expired;
  }
  return expired;
}

Deno.test("runExpireCycle frees expired keys that nobody touches, and only those", () => {
  const { clock, keyspace, hooks, expiredEvents } = setup();
  const db = keyspace.db(0);
  addKeys(db, "short", 5000, clock.now() + 100);
  addKeys(db, "long", 500, clock.now() + 1_000_000);
  addKeys(db, "plain", 500);
  assertEquals(runCycles(keyspace, 5), 0);
  assertEquals(db.size, 6000);
  clock.advance(101);
  // Mostly expired keys keep a cycle on the database: most go at once.
  const first = runExpireCycle(keyspace, 100, 1).expired;
  assertEquals(first > 1000, true);
  runCycles(keyspace, 200);
  assertEquals(db.size, 1000);
  assertEquals(db.expiresCount, 500);
  assertEquals(hooks.stats.expiredKeys, 5000);
  assertEquals(expiredEvents.length, 5000);
  assertEquals(expiredEvents.every((e) => e.key.startsWith("short")), true);
});

Deno.test("runExpireCycle eventually finds a lone expired key among many live ones", () => {
  const { clock, keyspace } = setup(1);
  const db = keyspace.db(0);
  addKeys(db, "live", 20000, clock.now() + 1_000_000);
  db.add("doomed", "v");
  db.setExpire("doomed", clock.now() + 10);
  clock.advance(11);
  // Each cycle looks at ~20 keys and stops (the expired share is low), but
  // the walk resumes where it stopped, so one pass over the table finds it.
  let cycles = 0;
  while (db.dict.has("doomed") && cycles < 5000) {
    runExpireCycle(keyspace, 100, 1);
    cycles++;
  }
  assertEquals(db.dict.has("doomed"), false);
  assertEquals(db.size, 20000);
});

Deno.test("runExpireCycle looks at few keys when few have expired", () => {
  const { clock, keyspace } = setup(1);
  const db = keyspace.db(0);
  addKeys(db, "live", 10000, clock.now() + 1_000_000);
  const r = runExpireCycle(keyspace, 100, 1);
  assertEquals(r.expired, 0);
  // One loop of about 20 keys (whole buckets), then it moves on.
  assertEquals(r.sampled >= 20 && r.sampled < 40, true);
});

Deno.test("runExpireCycle with a higher effort samples more keys per loop", () => {
  const { clock, keyspace } = setup(1);
  addKeys(keyspace.db(0), "live", 10000, clock.now() + 1_000_000);
  const r = runExpireCycle(keyspace, 100, 10);
  // 20 + 5 * 9 = 65 keys per loop.
  assertEquals(r.sampled >= 65 && r.sampled < 90, true);
});

Deno.test("runExpireCycle keeps avg_ttl as Redis does, and resets it when no key has a TTL", () => {
  const { clock, keyspace } = setup(1);
  const db = keyspace.db(0);
  addKeys(db, "k", 100, clock.now() + 100_000);
  runExpireCycle(keyspace, 100, 1);
  // First sample: avg = 100000; then (100000/50)*49 + 100000/50.
  assertEquals(db.avgTtl, 100_000);
  clock.advance(50_000);
  runExpireCycle(keyspace, 100, 1);
  assertEquals(db.avgTtl, 2000 * 49 + 1000);
  for (let i = 0; i < 100; i++) db.persist(`k${i}`);
  runExpireCycle(keyspace, 100, 1);
  assertEquals(db.avgTtl, 0);
});

Deno.test("runExpireCycle visits 16 databases per call, round robin", () => {
  const { clock, keyspace } = setup(32);
  for (const id of [3, 20]) {
    addKeys(keyspace.db(id), "k", 10, clock.now() + 10);
  }
  clock.advance(11);
  runExpireCycle(keyspace, 100, 1);
  assertEquals(keyspace.db(3).size, 0);
  assertEquals(keyspace.db(20).size, 10);
  runExpireCycle(keyspace, 100, 1);
  assertEquals(keyspace.db(20).size, 0);
});

Deno.test("runExpireCycle does nothing while expired keys must be kept (loading, replica)", () => {
  const { clock, hooks } = setup(1);
  const ks = new Keyspace(1, { ...hooks, keepExpired: true });
  addKeys(ks.db(0), "k", 10, clock.now() + 10);
  clock.advance(11);
  const r = runExpireCycle(ks, 100, 1);
  assertEquals(r.sampled, 0);
  assertEquals(ks.db(0).size, 10);
});
