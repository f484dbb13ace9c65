/**
 * Differential suite for SORT and SORT_RO against redis-server 7.0: every
 * option (BY with keys and hash fields, `nosort`, LIMIT, GET, ASC/DESC,
 * ALPHA, STORE) on lists, sets and sorted sets, Redis's weight parsing and
 * errors, and the keys COMMAND GETKEYS finds.
 *
 * Redis reads weights with strtod and checks errno without clearing it
 * first, so after a weight that overflows (ERANGE) every later SORT fails
 * until something else sets errno (accepting a connection does). tsredis
 * does not carry that C state between commands: cases put their ERANGE
 * step last, and every case starts on a new connection.
 */
import {
  differential,
  masks,
  type Script,
  type Step,
} from "../_harness/differential.ts";

const unordered = {
  mask: masks.sortArray,
  why: "a hash table set has no order of its own (Redis's is seeded at random)",
};

// SORT of a one-element list with a weight `w` next to a reference 1.
function weight(w: string): Script {
  return [
    ["RPUSH", "l", "x", "y"],
    ["SET", "w_x", w],
    ["SET", "w_y", "1"],
    ["SORT", "l", "BY", "w_*"],
  ];
}

// SORT with BY and GET as a user with the given key rules.
function aclCase(...rules: string[]): Script {
  return [
    ["ACL", "SETUSER", "u", "reset", "on", "nopass", "+@all", ...rules],
    ["AUTH", "u", "x"],
    ["SORT", "l", "BY", "w_*"],
    ["SORT", "l", "GET", "#"],
    ["SORT", "l", "BY", "nosort"],
    ["SORT_RO", "l", "BY", "w_*", "GET", "#"],
    ["AUTH", "default", "x"],
  ];
}

const keyspaceStats: Step = {
  cmd: ["INFO", "stats"],
  mask: (raw) => (raw.match(/keyspace_(hits|misses):\d+/g) ?? []).join(","),
  why: "only the lookups SORT counts are compared",
};

differential(import.meta.url, {
  "SORT orders numbers, ASC and DESC": [
    [
      "RPUSH",
      "l",
      "3",
      "1",
      "2",
      "10",
      "-5",
      "1.5",
      "1e2",
      "0x10",
      "inf",
      "-inf",
    ],
    ["SORT", "l"],
    ["SORT", "l", "ASC"],
    ["SORT", "l", "DESC"],
    ["sort", "l", "desc", "asc"],
    ["SORT_RO", "l", "DESC"],
    ["SORT", "missing"],
    ["SORT_RO", "missing", "ALPHA", "DESC"],
  ],

  "SORT with equal weights falls back to the elements' bytes": [
    ["RPUSH", "l", "1.0", "1", "01", "1e0", "+1", "0.1e1", "1"],
    ["SORT", "l"],
    ["SORT", "l", "DESC"],
  ],

  "SORT ALPHA compares bytes, up to a NUL unless it stores": [
    ["RPUSH", "l", "b", "a", "B", "\xff", "\x80", "a\x00c", "a\x00b", "ab", ""],
    ["SORT", "l", "ALPHA"],
    ["SORT", "l", "ALPHA", "DESC"],
    ["SORT", "l", "ALPHA", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l"],
  ],

  "SORT LIMIT takes a window of the sorted elements": [
    ["RPUSH", "l", "5", "3", "9", "1", "7"],
    ["SORT", "l", "LIMIT", "0", "2"],
    ["SORT", "l", "LIMIT", "1", "3"],
    ["SORT", "l", "LIMIT", "3", "100"],
    ["SORT", "l", "LIMIT", "-5", "2"],
    ["SORT", "l", "LIMIT", "2", "-1"],
    ["SORT", "l", "LIMIT", "2", "-7"],
    ["SORT", "l", "LIMIT", "2", "0"],
    ["SORT", "l", "LIMIT", "5", "1"],
    ["SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"],
    ["SORT", "l", "LIMIT", "-9223372036854775808", "1"],
    ["SORT", "l", "LIMIT", "1", "2", "DESC"],
    ["SORT", "l", "LIMIT", "0", "1", "LIMIT", "3", "2"],
    ["SORT", "missing", "LIMIT", "1", "2"],
    ["SORT", "l", "LIMIT", "1", "2", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
  ],

  "SORT BY weights from string keys and hash fields": [
    ["RPUSH", "l", "a", "b", "c", "d"],
    ["MSET", "w_a", "3", "w_b", "1", "w_c", "2"],
    ["HSET", "h_a", "f", "10", "g", "z"],
    ["HSET", "h_b", "f", "30", "g", "x"],
    ["HSET", "h_c", "f", "20"],
    ["SORT", "l", "BY", "w_*"],
    ["SORT", "l", "BY", "w_*", "DESC"],
    ["SORT", "l", "BY", "h_*->f"],
    ["SORT", "l", "BY", "h_*->g", "ALPHA"],
    ["SORT", "l", "BY", "h_*->g", "ALPHA", "DESC"],
    ["SORT", "l", "BY", "h_*->missing"],
    ["SORT", "l", "BY", "w_*->f"],
    ["SORT", "l", "BY", "h_*"],
    ["SORT", "l", "BY", "*_w"],
    ["SORT", "l", "BY", "w_*", "LIMIT", "1", "2"],
    ["SORT", "l", "BY", "h_*->g", "ALPHA", "LIMIT", "0", "3"],
    keyspaceStats,
  ],

  "SORT BY ALPHA keeps equal and missing weights in list order": [
    ["RPUSH", "l", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"],
    ["MSET", "w_e2", "b", "w_e5", "a", "w_e7", "b", "w_e9", "a"],
    ["SORT", "l", "BY", "w_*", "ALPHA"],
    ["SORT", "l", "BY", "w_*", "ALPHA", "DESC"],
    ["SORT", "l", "BY", "nokey_*", "ALPHA"],
    // With a LIMIT Redis uses its partial quicksort, which is not stable.
    ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "0", "7"],
    ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "2", "4", "DESC"],
    ["SORT", "l", "BY", "nokey_*", "ALPHA", "LIMIT", "1", "8"],
    ["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "1", "8", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
  ],

  "SORT BY with a pattern without * does not sort (BY nosort)": [
    ["RPUSH", "l", "3", "1", "2", "x"],
    ["SORT", "l", "BY", "nosort"],
    ["SORT", "l", "BY", "nosort", "DESC"],
    ["SORT", "l", "BY", "nosort", "LIMIT", "1", "2"],
    ["SORT", "l", "BY", "nosort", "LIMIT", "1", "2", "DESC"],
    ["SORT", "l", "BY", "nosort", "LIMIT", "9", "2"],
    ["SORT", "l", "BY", "constant", "ALPHA"],
    ["SORT", "l", "BY", "w_*", "BY", "nosort"],
    ["SORT", "l", "BY", "nosort", "BY", "w_*"],
    ["SORT", "l", "BY", "a\x00*"],
    ["SORT", "l", "BY", "nosort", "GET", "#", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
  ],

  "SORT GET returns keys, hash fields and the elements": [
    ["RPUSH", "l", "2", "1", "3"],
    ["MSET", "v_1", "one", "v_2", "two", "n_3", "x"],
    ["HSET", "h_1", "name", "a", "age", "9"],
    ["HSET", "h_2", "name", "b"],
    ["SET", "bin_1", "\x00\xff"],
    ["SORT", "l", "GET", "v_*"],
    ["SORT", "l", "GET", "#", "GET", "v_*", "GET", "h_*->name"],
    ["SORT", "l", "GET", "h_*->age", "DESC"],
    ["SORT", "l", "GET", "nostar"],
    ["SORT", "l", "GET", "#x"],
    ["SORT", "l", "GET", "v_*->"],
    ["SORT", "l", "GET", "bin_*", "LIMIT", "0", "1"],
    ["SORT", "l", "GET", "*_*"],
    ["SORT", "l", "GET", "h_*->name", "BY", "nosort"],
    ["SORT", "l", "GET", "#", "GET", "v_*", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "l", "GET", "v_*", "BY", "v_*", "ALPHA"],
  ],

  "SORT GET in RESP3 replies nulls for missing keys": {
    protocol: 3,
    steps: [
      ["RPUSH", "l", "2", "1"],
      ["SET", "v_1", "one"],
      ["SORT", "l", "GET", "v_*", "GET", "#"],
      ["SORT_RO", "l", "GET", "v_*"],
      ["SORT", "l", "STORE", "d"],
    ],
  },

  "SORT STORE writes a list and an empty result deletes the destination": [
    ["RPUSH", "l", "3", "1", "2"],
    ["SET", "d", "string"],
    ["EXPIRE", "d", "100"],
    ["SORT", "l", "STORE", "d"],
    ["TYPE", "d"],
    ["TTL", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["OBJECT", "ENCODING", "d"],
    ["SORT", "l", "STORE", "l"],
    ["LRANGE", "l", "0", "-1"],
    ["SORT", "missing", "STORE", "d"],
    ["EXISTS", "d"],
    ["SORT", "missing", "STORE", "d"],
    ["SORT", "l", "LIMIT", "0", "0", "STORE", "l"],
    ["EXISTS", "l"],
    ["RPUSH", "m", "2", "1"],
    ["SORT", "m", "STORE", "d", "STORE", "e"],
    ["EXISTS", "d", "e"],
    ["sort", "m", "store", "x\x00y"],
    ["LRANGE", "x\x00y", "0", "-1"],
  ],

  "SORT STORE wakes a client blocked on the destination": [
    ["RPUSH", "l", "b", "a"],
    { cmd: ["BLPOP", "d", "0"], conn: 1, noReply: true, after: "blocked" },
    { cmd: ["SORT", "l", "ALPHA", "STORE", "d"] },
    { readOnly: true, conn: 1 },
    ["LRANGE", "d", "0", "-1"],
  ],

  "SORT of sets: numbers, ALPHA, BY and STORE": [
    ["SADD", "s", "5", "-1", "3", "10"],
    ["SORT", "s"],
    ["SORT", "s", "DESC", "LIMIT", "1", "2"],
    ["SORT", "s", "BY", "nosort"],
    ["SORT", "s", "BY", "nosort", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SADD", "t", "pear", "apple", "fig", "kiwi", "banana"],
    ["SORT", "t", "ALPHA"],
    ["SORT", "t", "ALPHA", "DESC", "LIMIT", "0", "2"],
    { cmd: ["SORT", "t", "BY", "nosort"], ...unordered },
    ["SORT", "t", "BY", "nosort", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["SORT", "t", "BY", "nosort", "DESC", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["MSET", "w_pear", "1", "w_apple", "5", "w_fig", "3", "w_kiwi", "2"],
    ["SORT", "t", "BY", "w_*"],
    ["SORT", "t", "BY", "w_*", "GET", "w_*", "GET", "#"],
    ["SORT", "t"],
  ],

  "SORT of sorted sets: by member, BY nosort in score order, LIMIT": [
    ["ZADD", "z", "3", "c", "1", "10", "2", "2", "4", "-1", "5", "b"],
    ["OBJECT", "ENCODING", "z"],
    ["SORT", "z", "BY", "nosort"],
    ["OBJECT", "ENCODING", "z"],
    ["SORT", "z", "BY", "nosort", "DESC"],
    ["SORT", "z", "BY", "nosort", "LIMIT", "1", "2"],
    ["SORT", "z", "BY", "nosort", "LIMIT", "1", "2", "DESC"],
    ["SORT", "z", "BY", "nosort", "LIMIT", "4", "10", "DESC"],
    ["SORT", "z", "BY", "nosort", "LIMIT", "6", "1"],
    ["SORT", "z", "ALPHA"],
    ["SORT", "z", "ALPHA", "DESC", "LIMIT", "0", "3"],
    ["SORT", "z", "BY", "nosort", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["ZADD", "n", "1", "x"],
    ["SORT", "n", "BY", "nosort"],
    ["SORT", "z"],
  ],

  "SORT converts a listpack sorted set to a skiplist, even on error": [
    ["ZADD", "z", "1", "a", "2", "b"],
    ["OBJECT", "ENCODING", "z"],
    ["SORT", "z"],
    ["OBJECT", "ENCODING", "z"],
    ["ZADD", "y", "1", "1"],
    ["SORT_RO", "y", "LIMIT", "0", "0"],
    ["OBJECT", "ENCODING", "y"],
  ],

  "SORT errors: syntax, integers, types and SORT_RO STORE": [
    ["RPUSH", "l", "1"],
    ["SET", "s", "x"],
    ["HSET", "h", "f", "v"],
    ["SORT", "l", "NOPE"],
    ["SORT", "l", "LIMIT", "1"],
    ["SORT", "l", "LIMIT", "a", "1"],
    ["SORT", "l", "LIMIT", "1", "1.5"],
    ["SORT", "l", "LIMIT", "01", "1"],
    ["SORT", "l", "BY"],
    ["SORT", "l", "GET"],
    ["SORT", "l", "STORE"],
    ["SORT_RO", "l", "STORE", "d"],
    ["SORT", "s"],
    ["SORT", "h", "BY", "nosort"],
    ["SORT", "s", "NOPE"],
    ["SORT", "s", "LIMIT", "x", "1"],
    ["SORT"],
    ["SORT_RO"],
    ["SORT", "l", "ASC\x00x"],
  ],

  "SORT refuses weights that are not doubles": [
    ["RPUSH", "l", "1", "abc", "2"],
    ["SORT", "l"],
    ["SORT", "l", "ALPHA"],
    ["SORT", "l", "BY", "nosort"],
    ["SORT", "l", "STORE", "d"],
    ["EXISTS", "d"],
    ["RPUSH", "n", "1", "nan"],
    ["SORT", "n"],
  ],

  "SORT weights: blanks, empty strings, hex and a NUL end": [
    ["RPUSH", "l", " 5", "", "0x1p3", "7\x00x", "-0", "+.5", "5.", "1E1"],
    ["SORT", "l"],
    ["RPUSH", "m", "5 "],
    ["SORT", "m"],
    ["RPUSH", "n", "\t"],
    ["SORT", "n"],
  ],

  "SORT weight 1e400 overflows": weight("1e400"),
  "SORT weight 1e-400 underflows": weight("1e-400"),
  "SORT weight 1e-310 is subnormal": weight("1e-310"),
  "SORT weight 0x1p-1070 is an exact subnormal": weight("0x1p-1070"),
  "SORT weight 2.2250738585072014e-308 is the smallest normal": weight(
    "2.2250738585072014e-308",
  ),
  "SORT weight 0e500 is zero": weight("0e500"),
  "SORT weight -infinity": weight("-Infinity"),
  "SORT weight 0x1.fffffffffffff8p1023 overflows": weight(
    "0x1.fffffffffffff8p1023",
  ),

  "COMMAND GETKEYS finds the sorted key and the last STORE": [
    ["COMMAND", "GETKEYS", "SORT", "k"],
    ["COMMAND", "GETKEYS", "SORT", "k", "STORE", "d"],
    ["COMMAND", "GETKEYS", "SORT", "k", "BY", "store", "STORE", "d"],
    ["COMMAND", "GETKEYS", "SORT", "k", "STORE", "d", "GET", "#", "STORE", "e"],
    ["COMMAND", "GETKEYS", "SORT", "k", "LIMIT", "store", "store", "STORE"],
    ["COMMAND", "GETKEYS", "SORT", "k", "ASC", "store", "x"],
    ["COMMAND", "GETKEYS", "SORT_RO", "k", "STORE", "d"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT", "k", "STORE", "d"],
    ["COMMAND", "GETKEYSANDFLAGS", "SORT_RO", "k", "BY", "x"],
    ["COMMAND", "INFO", "sort", "sort_ro"],
  ],

  "SORT BY nosort of a set sorts it anyway inside a script": [
    ["SADD", "t", "pear", "apple", "fig", "kiwi", "banana"],
    ["EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "t"],
    [
      "EVAL",
      "return redis.call('sort_ro', KEYS[1], 'by', 'x', 'desc')",
      "1",
      "t",
    ],
    ["RPUSH", "l", "b", "c", "a"],
    ["EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "l"],
  ],

  "SORT BY and GET need a user who may read every key": [
    ["RPUSH", "l", "2", "1"],
    ...aclCase("~*"),
    ...aclCase("%R~*"),
    ...aclCase("%RW~*"),
    ...aclCase("allkeys"),
    ...aclCase("~l", "~w_*"),
    ...aclCase("resetkeys", "~l", "(~* -sort)"),
    ...aclCase("~l", "(~* +sort)"),
    ...aclCase("~*", "-sort", "(~l +sort)"),
    ["ACL", "DELUSER", "u"],
  ],

  "SORT BY inside a script follows the calling user's key rules": [
    ["RPUSH", "l", "2", "1"],
    ["ACL", "SETUSER", "u", "on", "nopass", "+@all", "~l"],
    ["AUTH", "u", "x"],
    ["EVAL", "return redis.call('sort', KEYS[1], 'by', 'w_*')", "1", "l"],
    ["EVAL", "return redis.call('sort', KEYS[1])", "1", "l"],
    ["AUTH", "default", "x"],
    ["EVAL", "return redis.call('sort', KEYS[1], 'by', 'w_*')", "1", "l"],
    ["ACL", "DELUSER", "u"],
  ],

  "SORT STORE inside MULTI": [
    ["RPUSH", "l", "2", "1"],
    ["MULTI"],
    ["SORT", "l", "STORE", "d"],
    ["SORT_RO", "d", "DESC"],
    ["SORT", "l", "NOPE"],
    ["EXEC"],
    ["MULTI"],
    ["SORT", "l", "STORE", "d"],
    ["LRANGE", "d", "0", "-1"],
    ["EXEC"],
  ],
});
