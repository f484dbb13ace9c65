import { assertEquals } from "../../tests/_deps.ts";
import { ManualClock } from "../util/clock.ts";
import { lruClock, type StoreHooks } from "../store/database.ts";
import { Keyspace } from "../store/keyspace.ts";
import { ReplicaKeysWithExpire } from "./replica_expiry.ts";

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const expired: string[] = [];
  const hooks: StoreHooks = {
    clock,
    random: { int: () => 0, float: () => 0.5 },
    stats: { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 },
    keyExpired(db, key) {
      expired.push(`${db.id}:${key}`);
    },
    keyModified() {},
    keyReady() {},
    // A replica: nothing expires unless its own pass deletes it.
    keepExpired: true,
    accessPolicy: "lru",
    lruClock: () => lruClock(clock.now()),
    lfuInit: () => 5,
    lfuTouch: (m) => m,
  };
  return { clock, hooks, keyspace: new Keyspace(4, hooks), expired };
}

Deno.test("ReplicaKeysWithExpire deletes remembered keys once due, in their own database, and forgets keys that lost their TTL", () => {
  const { clock, hooks, keyspace, expired } = setup();
  const own = new ReplicaKeysWithExpire();
  const now = clock.now();
  const db0 = keyspace.db(0);
  const db2 = keyspace.db(2);
  for (
    const [db, key, ttl] of [[db0, "a", 100], [db2, "a", 100], [
      db0,
      "later",
      10_000,
    ], [db0, "persisted", 100]] as const
  ) {
    db.add(key, "v");
    db.setExpire(key, now + ttl);
    own.remember(db.id, key);
  }
  // A key of the master's with a TTL, never remembered: left alone.
  db0.add("master", "v");
  db0.setExpire("master", now + 100);
  db0.persist("persisted");
  assertEquals(own.expire(keyspace, clock.now()), 0);
  assertEquals(own.size, 3);
  clock.advance(200);
  assertEquals(own.expire(keyspace, clock.now()), 2);
  assertEquals(expired.sort(), ["0:a", "2:a"]);
  assertEquals(hooks.stats.expiredKeys, 2);
  assertEquals(db0.dict.has("master"), true);
  assertEquals(db0.dict.has("persisted"), true);
  assertEquals(own.size, 1);
  own.clear();
  clock.advance(20_000);
  assertEquals(own.expire(keyspace, clock.now()), 0);
  assertEquals(db0.dict.has("later"), true);
});
