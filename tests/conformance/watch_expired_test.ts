/**
 * WATCH of keys that have logically expired but are still in the keyspace
 * (active expiry off), against real redis-server 7.0: FLUSHDB, FLUSHALL
 * and SWAPDB judge such keys by what the client could see, and a watched
 * key that expires, is deleted lazily or is set again fails EXEC exactly
 * when Redis fails it.
 */
import { differential, type Script } from "../_harness/differential.ts";

// Every case keeps expired keys in the keyspace until something touches them.
function withoutActiveExpiry(steps: Script): Script {
  return [
    { cmd: ["DEBUG", "SET-ACTIVE-EXPIRE", "0"], conn: 9 },
    ...steps,
    { cmd: ["DEBUG", "SET-ACTIVE-EXPIRE", "1"], conn: 9 },
  ];
}

differential(import.meta.url, {
  "WATCH: FLUSHDB of a key already expired when watched does not fail EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["FLUSHDB"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ]),
  "WATCH: FLUSHALL of a key already expired when watched does not fail EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["FLUSHALL"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ]),
  "WATCH: SWAPDB with an empty database: a watched expired key that goes does not fail EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["SWAPDB", "0", "1"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: SWAPDB bringing a live key in place of a watched expired one fails EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["SELECT", "1"], conn: 1 },
      { cmd: ["SET", "k", "fresh"], conn: 1 },
      { cmd: ["SELECT", "0"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["SWAPDB", "0", "1"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: SWAPDB bringing another expired key in place of a watched expired one does not fail EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["SELECT", "1"], conn: 1 },
      { cmd: ["SET", "k", "stale", "px", "50"], conn: 1 },
      { cmd: ["SELECT", "0"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["SWAPDB", "0", "1"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: SWAPDB bringing an expired key where a missing key was watched does not fail EXEC":
    withoutActiveExpiry([
      { cmd: ["SELECT", "1"], conn: 1 },
      { cmd: ["SET", "k", "stale", "px", "50"], conn: 1 },
      { cmd: ["SELECT", "0"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["SWAPDB", "0", "1"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: SET over a key that was expired when watched fails EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["SET", "k", "v2"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: a key expired when watched and then deleted lazily does not fail EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["GET", "k"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ]),
  "WATCH: a key expired when watched, deleted lazily, then set again fails EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["GET", "k"], conn: 1 },
      { cmd: ["SET", "k", "v3"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: a watched key that expires before EXEC fails it": withoutActiveExpiry(
    [
      { cmd: ["SET", "k", "v", "px", "100"], conn: 1 },
      ["WATCH", "k"],
      { cmd: ["MULTI"], sleep: 200 },
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ],
  ),
  "WATCH: a watched key that expires and is then deleted lazily fails EXEC":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "100"], conn: 1 },
      ["WATCH", "k"],
      { cmd: ["GET", "k"], conn: 1, sleep: 200 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: FLUSHDB of another database leaves the watched expired key alone":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["SELECT", "2"], conn: 1 },
      { cmd: ["FLUSHDB"], conn: 1 },
      { cmd: ["SELECT", "0"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
  "WATCH: FLUSHDB of a live watched key fails EXEC": withoutActiveExpiry([
    { cmd: ["SET", "k", "v"], conn: 1 },
    ["WATCH", "k"],
    { cmd: ["FLUSHDB"], conn: 1 },
    ["MULTI"],
    ["PING"],
    ["EXEC"],
  ]),
  "WATCH: two clients watching an expired key both fail after SET":
    withoutActiveExpiry([
      { cmd: ["SET", "k", "v", "px", "50"], conn: 1 },
      { cmd: ["WATCH", "k"], sleep: 100 },
      { cmd: ["WATCH", "k"], conn: 2 },
      { cmd: ["SET", "k", "new"], conn: 1 },
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      { cmd: ["MULTI"], conn: 2 },
      { cmd: ["PING"], conn: 2 },
      { cmd: ["EXEC"], conn: 2 },
      { cmd: ["FLUSHALL"], conn: 1 },
    ]),
}, { args: ["--enable-debug-command", "yes"] });
