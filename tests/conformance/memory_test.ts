/**
 * MEMORY and maxmemory against real Redis, where its replies are
 * deterministic: MEMORY USAGE of missing keys and its argument errors,
 * MEMORY HELP/PURGE/DOCTOR on an empty instance, the shape of MEMORY
 * STATS, the maxmemory directives, and the OOM error (with noeviction and
 * a limit below what any server uses, so both refuse the same commands).
 *
 * Every case that lowers maxmemory sets it back to 0.
 */
import { differential, masks, type Step } from "../_harness/differential.ts";

/** Numbers (integers and doubles sent as bulk strings) become `<n>`. */
function numbersMasked(raw: string): string {
  return masks.integers(raw)
    .replace(/\$\d+\r\n-?\d+(\.\d+)?(e[+-]?\d+)?\r\n/g, "$<n>\r\n<n>\r\n")
    .replace(/,-?\d+(\.\d+)?(e[+-]?\d+)?\r\n/g, ",<n>\r\n");
}

const usageBytes: Partial<Step> = {
  mask: masks.integers,
  why: "bytes are V8's, not jemalloc's",
};
const statsShape: Partial<Step> = {
  mask: numbersMasked,
  why: "the figures are V8's; the fields and their types must match",
};

const OOM_LIMIT = ["CONFIG", "SET", "maxmemory", "1"];
const NO_LIMIT = ["CONFIG", "SET", "maxmemory", "0"];

differential(import.meta.url, {
  "MEMORY USAGE of a missing key is null": [
    ["MEMORY", "USAGE", "nokey"],
    ["MEMORY", "USAGE", "nokey", "SAMPLES", "5"],
    ["MEMORY", "USAGE", "nokey", "samples", "0"],
  ],
  "MEMORY USAGE argument errors": [
    ["MEMORY", "USAGE"],
    ["MEMORY", "USAGE", "k", "SAMPLES"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "x"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "-1"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "1", "2"],
    ["MEMORY", "USAGE", "k", "EXTRA", "1"],
    ["MEMORY", "USAGE", "k", "SAMPLES", "99999999999999999999"],
  ],
  "MEMORY USAGE of existing keys of every type is an integer": [
    ["SET", "s", "value"],
    ["RPUSH", "l", "a", "b"],
    ["HSET", "h", "f", "v"],
    ["SADD", "set", "m"],
    ["ZADD", "z", "1", "m"],
    ["XADD", "x", "1-1", "f", "v"],
    { cmd: ["MEMORY", "USAGE", "s"], ...usageBytes },
    { cmd: ["MEMORY", "USAGE", "l", "SAMPLES", "0"], ...usageBytes },
    { cmd: ["MEMORY", "USAGE", "h"], ...usageBytes },
    { cmd: ["MEMORY", "USAGE", "set"], ...usageBytes },
    { cmd: ["MEMORY", "USAGE", "z"], ...usageBytes },
    { cmd: ["MEMORY", "USAGE", "x"], ...usageBytes },
  ],
  "MEMORY USAGE ignores expiry like Redis's dictFind": [
    // The active cycle could delete the key first, on either server.
    ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
    ["SET", "k", "v", "PX", "1"],
    { cmd: ["MEMORY", "USAGE", "k"], sleep: 20, ...usageBytes },
    ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
  ],
  "MEMORY subcommand errors": [
    ["MEMORY"],
    ["MEMORY", "NOPE"],
    ["MEMORY", "STATS", "extra"],
    ["MEMORY", "DOCTOR", "extra"],
    ["MEMORY", "PURGE", "extra"],
    ["MEMORY", "HELP", "extra"],
  ],
  "MEMORY HELP": [["MEMORY", "HELP"], ["memory", "help"]],
  "MEMORY PURGE": [["MEMORY", "PURGE"]],
  "MEMORY DOCTOR on an empty instance": [["MEMORY", "DOCTOR"]],
  "MEMORY DOCTOR on an empty instance (RESP3 verbatim)": {
    protocol: 3,
    steps: [["MEMORY", "DOCTOR"]],
  },
  "MEMORY STATS fields with one key": [
    ["SET", "k", "v"],
    { cmd: ["MEMORY", "STATS"], ...statsShape },
  ],
  "MEMORY STATS fields (RESP3 map and doubles)": {
    protocol: 3,
    steps: [["SET", "k", "v"], { cmd: ["MEMORY", "STATS"], ...statsShape }],
  },
  "maxmemory and maxmemory-policy directives": [
    ["CONFIG", "GET", "maxmemory"],
    ["CONFIG", "GET", "maxmemory-policy"],
    ["CONFIG", "SET", "maxmemory", "100mb"],
    ["CONFIG", "GET", "maxmemory"],
    ["CONFIG", "SET", "maxmemory", "1gb"],
    ["CONFIG", "GET", "maxmemory"],
    ["CONFIG", "SET", "maxmemory", "-1"],
    ["CONFIG", "SET", "maxmemory", "lots"],
    NO_LIMIT,
    ["CONFIG", "GET", "maxmemory"],
    ...[
      "volatile-lru",
      "allkeys-lru",
      "volatile-lfu",
      "allkeys-lfu",
      "volatile-random",
      "allkeys-random",
      "volatile-ttl",
      "NOEVICTION",
    ].flatMap((p) => [
      ["CONFIG", "SET", "maxmemory-policy", p],
      ["CONFIG", "GET", "maxmemory-policy"],
    ]),
    ["CONFIG", "SET", "maxmemory-policy", "lru"],
    ["CONFIG", "GET", "maxmemory-samples"],
    ["CONFIG", "SET", "maxmemory-samples", "0"],
    ["CONFIG", "SET", "maxmemory-samples", "10"],
    ["CONFIG", "GET", "maxmemory-samples"],
    ["CONFIG", "SET", "maxmemory-samples", "5"],
    ["CONFIG", "GET", "maxmemory-eviction-tenacity"],
    ["CONFIG", "SET", "maxmemory-eviction-tenacity", "101"],
    ["CONFIG", "SET", "maxmemory-eviction-tenacity", "10"],
  ],
  "noeviction over the limit: writes that may add data get OOM, the rest runs":
    [
      ["SET", "k", "v"],
      ["RPUSH", "l", "a"],
      ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
      OOM_LIMIT,
      ["SET", "k2", "v"],
      ["SET", "k", "other"],
      ["INCR", "n"],
      ["RPUSH", "l", "b"],
      ["HSET", "h", "f", "v"],
      ["GET", "k"],
      ["LRANGE", "l", "0", "-1"],
      ["EXISTS", "k", "nokey"],
      ["LPOP", "l"],
      ["DEL", "k"],
      ["EXPIRE", "nokey", "100"],
      ["PING"],
      ["DBSIZE"],
      NO_LIMIT,
      ["SET", "k2", "v"],
    ],
  "noeviction over the limit inside MULTI: every queued command is refused": [
    ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    OOM_LIMIT,
    ["MULTI"],
    ["GET", "k"],
    ["SET", "k", "v"],
    ["EXEC"],
    ["MULTI"],
    ["DISCARD"],
    NO_LIMIT,
    ["MULTI"],
    ["GET", "k"],
    ["SET", "k", "v"],
    { cmd: OOM_LIMIT, conn: 1 },
    ["EXEC"],
    ["EXEC"],
    ["MULTI"],
    ["GET", "k"],
    ["DEL", "k"],
    ["EXEC"],
    ["DISCARD"],
    { cmd: NO_LIMIT, conn: 1 },
    ["GET", "k"],
  ],
  "allkeys-lru with a limit below any usage evicts every key": [
    ["SET", "a", "1"],
    ["SET", "b", "2"],
    ["SELECT", "1"],
    ["SET", "c", "3"],
    ["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"],
    OOM_LIMIT,
    ["DBSIZE"],
    ["SELECT", "0"],
    ["DBSIZE"],
    ["SET", "d", "4"],
    NO_LIMIT,
    ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    ["SET", "d", "4"],
    ["GET", "d"],
  ],
  "volatile-ttl with a limit below any usage keeps keys without a TTL": [
    ["SET", "keep", "1"],
    ["SET", "go", "2", "EX", "100"],
    ["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"],
    OOM_LIMIT,
    ["EXISTS", "keep", "go"],
    ["SET", "more", "3"],
    NO_LIMIT,
    ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    ["EXISTS", "keep", "go", "more"],
  ],
});
