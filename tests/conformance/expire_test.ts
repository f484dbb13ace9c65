/**
 * Expiry commands against real Redis: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT
 * (NX/XX/GT/LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST, lazy and
 * active expiry, and their keyspace events.
 *
 * Both servers run with `notify-keyspace-events KEA` for the event cases.
 * Times that depend on the clock are checked to within a tolerance (see
 * `near`); the few cases that must wait for time to pass sleep briefly.
 */
import { differential, type Step } from "../_harness/differential.ts";

const BIN = "k\r\n\x00\x80\xff";
// A Unix time in seconds far in the future (2286), and the same in ms.
const FAR = "9999999999";
const FAR_MS = "9999999999000";

/**
 * An integer reply within `tolerance` of `target` becomes `:~target`, so a
 * TTL read a few milliseconds after it was set compares equal.
 */
function near(target: number, tolerance: number) {
  return (raw: string): string => {
    const m = /^:(-?\d+)\r\n$/.exec(raw);
    if (m === null) return raw;
    return Math.abs(Number(m[1]) - target) <= tolerance
      ? `:~${target}\r\n`
      : raw;
  };
}

function pttl(key: string, target: number): Step {
  return {
    cmd: ["PTTL", key],
    mask: near(target, 1000),
    why: "milliseconds pass between setting and reading the TTL",
  };
}

function ttl(key: string, target: number): Step {
  return {
    cmd: ["TTL", key],
    mask: near(target, 1),
    why: "the TTL may cross a second boundary between setting and reading",
  };
}

differential(import.meta.url, {
  "EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT set a TTL": [
    ["SET", "a", "1"],
    ["SET", "b", "1"],
    ["SET", "c", "1"],
    ["SET", "d", "1"],
    ["EXPIRE", "a", "100"],
    ["PEXPIRE", "b", "100000"],
    ["EXPIREAT", "c", FAR],
    ["PEXPIREAT", "d", FAR_MS],
    ttl("a", 100),
    pttl("a", 100000),
    ttl("b", 100),
    pttl("b", 100000),
    ["EXPIRETIME", "c"],
    ["PEXPIRETIME", "c"],
    ["EXPIRETIME", "d"],
    ["PEXPIRETIME", "d"],
  ],
  "expire commands on a missing key reply 0": [
    ["EXPIRE", "nokey", "100"],
    ["PEXPIRE", "nokey", "100"],
    ["EXPIREAT", "nokey", FAR],
    ["PEXPIREAT", "nokey", FAR_MS],
    ["EXPIRE", "nokey", "-1"],
    ["EXPIRE", "nokey", "100", "XX"],
    ["EXISTS", "nokey"],
  ],
  "TTL family on missing keys and keys without expiry": [
    ["TTL", "nokey"],
    ["PTTL", "nokey"],
    ["EXPIRETIME", "nokey"],
    ["PEXPIRETIME", "nokey"],
    ["SET", "k", "v"],
    ["TTL", "k"],
    ["PTTL", "k"],
    ["EXPIRETIME", "k"],
    ["PEXPIRETIME", "k"],
    ["RPUSH", "l", "x"],
    ["EXPIRE", "l", "100"],
    ttl("l", 100),
  ],
  "EXPIRETIME rounds to the nearest second": [
    ["SET", "k", "v"],
    ["PEXPIREAT", "k", "1999999999999"],
    ["EXPIRETIME", "k"],
    ["PEXPIREAT", "k", "1999999999499"],
    ["EXPIRETIME", "k"],
    ["PEXPIREAT", "k", "1999999999500"],
    ["EXPIRETIME", "k"],
    ["PEXPIRETIME", "k"],
  ],
  "a time in the past deletes the key at once": [
    ["SET", "a", "1"],
    ["EXPIRE", "a", "-1"],
    ["EXISTS", "a"],
    ["SET", "b", "1"],
    ["EXPIRE", "b", "0"],
    ["EXISTS", "b"],
    ["SET", "c", "1"],
    ["PEXPIRE", "c", "-100000"],
    ["EXISTS", "c"],
    ["SET", "d", "1"],
    ["EXPIREAT", "d", "1"],
    ["EXISTS", "d"],
    ["SET", "e", "1"],
    ["PEXPIREAT", "e", "0"],
    ["GET", "e"],
    ["SET", "f", "1"],
    ["PEXPIREAT", "f", "-9223372036854775808"],
    ["DBSIZE"],
  ],
  "NX and XX": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "100", "XX"],
    ["TTL", "k"],
    ["EXPIRE", "k", "100", "NX"],
    ttl("k", 100),
    ["EXPIRE", "k", "200", "NX"],
    ttl("k", 100),
    ["EXPIRE", "k", "200", "XX"],
    ttl("k", 200),
    ["pexpire", "k", "300000", "xx"],
    pttl("k", 300000),
  ],
  "GT and LT against a key without expiry": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "100", "GT"],
    ["TTL", "k"],
    ["EXPIRE", "k", "100", "LT"],
    ttl("k", 100),
    ["SET", "k2", "v"],
    ["EXPIRE", "k2", "-5", "LT"],
    ["EXISTS", "k2"],
    ["SET", "k3", "v"],
    ["EXPIRE", "k3", "-5", "GT"],
    ["EXISTS", "k3"],
  ],
  "GT and LT against a key with expiry": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "100"],
    ["EXPIRE", "k", "50", "GT"],
    ["EXPIRE", "k", "99", "GT"],
    ["EXPIRE", "k", "200", "GT"],
    ttl("k", 200),
    ["EXPIRE", "k", "300", "LT"],
    ["EXPIRE", "k", "200", "LT"],
    ["EXPIRE", "k", "150", "LT"],
    ttl("k", 150),
    ["EXPIRE", "k", "-1", "GT"],
    ["EXISTS", "k"],
    ["EXPIRE", "k", "-1", "LT"],
    ["EXISTS", "k"],
  ],
  "XX combined with GT or LT": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "100", "XX", "GT"],
    ["EXPIRE", "k", "100", "LT", "XX"],
    ["TTL", "k"],
    ["EXPIRE", "k", "100"],
    ["EXPIRE", "k", "200", "XX", "GT"],
    ["EXPIRE", "k", "50", "xx", "lt"],
    ttl("k", 50),
    ["EXPIRE", "k", "60", "GT", "GT", "XX"],
  ],
  "option conflicts and unknown options": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "100", "NX", "XX"],
    ["EXPIRE", "k", "100", "NX", "GT"],
    ["EXPIRE", "k", "100", "LT", "NX"],
    ["EXPIRE", "k", "100", "GT", "LT"],
    ["EXPIRE", "k", "100", "gt", "xx", "lt"],
    ["EXPIRE", "k", "100", "NX", "NX"],
    ["EXPIRE", "k", "100", "foo"],
    ["EXPIRE", "k", "100", "NX", "foo"],
    ["EXPIRE", "k", "abc", "foo"],
    ["EXPIRE", "k", "abc", "NX", "XX"],
    ["PEXPIRE", "k", "100", "a\r\nb"],
    ["EXPIREAT", "k", FAR, "bar"],
    ["PEXPIREAT", "nokey", FAR_MS, "GT", "LT"],
    ["TTL", "k"],
  ],
  "invalid times": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "abc"],
    ["EXPIRE", "k", "1.5"],
    ["EXPIRE", "k", ""],
    ["EXPIRE", "k", " 1"],
    ["EXPIRE", "k", "01"],
    ["PEXPIRE", "k", "9223372036854775808"],
    ["EXPIRE", "nokey", "abc"],
    ["TTL", "k"],
  ],
  "overflowing times": [
    ["SET", "k", "v"],
    ["EXPIRE", "k", "9223372036854776"],
    ["EXPIRE", "k", "-9223372036854776"],
    ["EXPIRE", "k", "9223372036854775"],
    ["PEXPIRE", "k", "9223372036854775807"],
    ["PEXPIRE", "k", "9223372036854000000"],
    ["EXPIREAT", "k", "9223372036854776"],
    ["EXPIREAT", "k", "-9223372036854776"],
    ["EXPIRE", "nokey", "9223372036854776"],
    ["TTL", "k"],
  ],
  "huge expiry times read back exactly": [
    ["SET", "k", "v"],
    ["PEXPIREAT", "k", "9223372036854775807"],
    ["PEXPIRETIME", "k"],
    ["EXPIRETIME", "k"],
    ["EXPIREAT", "k", "9223372036854775"],
    ["PEXPIRETIME", "k"],
    ["EXPIRETIME", "k"],
    ["PEXPIREAT", "k", "9007199254740993"],
    ["PEXPIRETIME", "k"],
    ["EXPIRETIME", "k"],
    ["RENAME", "k", "k2"],
    ["PEXPIRETIME", "k2"],
    ["MOVE", "k2", "1"],
    ["SELECT", "1"],
    ["PEXPIRETIME", "k2"],
    ["COPY", "k2", "k3", "DB", "2"],
    ["SELECT", "2"],
    ["PEXPIRETIME", "k3"],
  ],
  "PERSIST removes the expiry": [
    ["PERSIST", "nokey"],
    ["SET", "k", "v"],
    ["PERSIST", "k"],
    ["EXPIRE", "k", "100"],
    ["PERSIST", "k"],
    ["TTL", "k"],
    ["PERSIST", "k"],
    ["PERSIST"],
    ["PERSIST", "k", "x"],
  ],
  "SET drops the TTL, RENAME keeps it": [
    ["SET", "k", "v"],
    ["EXPIREAT", "k", FAR],
    ["SET", "k", "v2"],
    ["TTL", "k"],
    ["EXPIREAT", "k", FAR],
    ["RENAME", "k", "k2"],
    ["EXPIRETIME", "k2"],
  ],
  "expiry of binary keys": [
    ["SET", BIN, "v"],
    ["EXPIREAT", BIN, FAR],
    ["EXPIRETIME", BIN],
    ["PERSIST", BIN],
    ["TTL", BIN],
    ["EXPIRE", BIN, "-1"],
    ["EXISTS", BIN],
  ],
  "expire commands arity": [
    ["EXPIRE", "k"],
    ["PEXPIRE", "k"],
    ["EXPIREAT", "k"],
    ["PEXPIREAT", "k"],
    ["TTL"],
    ["PTTL", "a", "b"],
    ["EXPIRETIME"],
    ["PEXPIRETIME", "a", "b"],
  ],
  "expire commands inside MULTI": [
    ["SET", "k", "v"],
    ["MULTI"],
    ["EXPIREAT", "k", FAR],
    ["EXPIRETIME", "k"],
    ["PERSIST", "k"],
    ["EXPIRE", "k", "-1"],
    ["EXPIRE", "k", "1", "NX", "XX"],
    ["EXEC"],
    ["EXISTS", "k"],
  ],
  "TTL replies in RESP3": {
    protocol: 3,
    steps: [
      ["SET", "k", "v"],
      ["TTL", "k"],
      ["TTL", "nokey"],
      ["EXPIREAT", "k", FAR],
      ["EXPIRETIME", "k"],
    ],
  },

  // Lazy and active expiry (these sleep past short TTLs).
  "an expired key is gone for every read": [
    ["SET", "k", "v"],
    ["RPUSH", "l", "x"],
    ["PEXPIRE", "k", "30"],
    ["PEXPIRE", "l", "30"],
    { sleep: 80 },
    ["GET", "k"],
    ["EXISTS", "k"],
    ["TTL", "k"],
    ["PTTL", "l"],
    ["TYPE", "l"],
    ["KEYS", "*"],
    ["EXPIRE", "k", "100"],
    ["PERSIST", "l"],
    ["RENAME", "k", "x"],
    ["DBSIZE"],
  ],
  "active expiry frees keys nobody reads": [
    ...Array.from(
      { length: 100 },
      (_, i): (string | number)[] => ["SET", `key:${i}`, "v"],
    ),
    ...Array.from(
      { length: 100 },
      (_, i): (string | number)[] => ["PEXPIRE", `key:${i}`, "20"],
    ),
    ["SET", "stays", "v"],
    { sleep: 700 },
    ["DBSIZE"],
  ],

  // Keyspace events (both servers run with notify-keyspace-events KEA).
  "expire, del, persist and expired events": [
    { cmd: ["PSUBSCRIBE", "__keyevent@0__:*"], conn: 1 },
    ["SET", "k", "v"],
    { readOnly: true, conn: 1 },
    ["EXPIRE", "k", "100"],
    { readOnly: true, conn: 1 },
    ["PERSIST", "k"],
    { readOnly: true, conn: 1 },
    ["PERSIST", "k"],
    ["EXPIRE", "k", "-1"],
    { readOnly: true, conn: 1 },
    ["SET", "k2", "v"],
    { readOnly: true, conn: 1 },
    ["PEXPIRE", "k2", "20"],
    { readOnly: true, conn: 1 },
    { sleep: 60 },
    ["GET", "k2"],
    { readOnly: true, conn: 1 },
    { cmd: ["PUNSUBSCRIBE"], conn: 1 },
  ],
}, { args: ["--notify-keyspace-events", "KEA"] });
