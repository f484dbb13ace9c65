/**
 * Differential suite for DEBUG DIGEST and DEBUG DIGEST-VALUE: the same data
 * in every type and encoding gives the same digests in tsredis and in
 * redis-server 7.0 (Redis's own tests compare digests across restarts and
 * replicas, so they must agree bit for bit).
 */
import { differential, type Script } from "../_harness/differential.ts";

const FAR = "4102444800000"; // 2100-01-01, in ms
const BIN = "a\r\nb\x00\xff\x80\xfe";

function range(n: number, f: (i: number) => string): string[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

// 40 entries in nodes of 5 (stream-node-max-entries 5).
const BIG_STREAM: string[][] = Array.from(
  { length: 40 },
  (_, i) => ["XADD", "big", `${i + 1}-0`, "k", String(i)],
);

// DEBUG DIGEST of the dataset, then DEBUG DIGEST-VALUE of `keys`.
function digests(...keys: string[]): Script {
  return [["DEBUG", "DIGEST"], ["DEBUG", "DIGEST-VALUE", ...keys]];
}

differential(import.meta.url, {
  "an empty dataset digests to zeros": [
    ...digests("nosuch"),
    ["DEBUG", "DIGEST-VALUE"],
  ],
  "strings: int, embstr, raw, binary, edited in place": [
    ["SET", "int", "12345"],
    ["SET", "neg", "-9223372036854775808"],
    ["SET", "embstr", "hello"],
    ["SET", "raw", "x".repeat(100)],
    ["SET", "bin", BIN],
    ["SET", "empty", ""],
    ["SET", "appended", "abc"],
    ["APPEND", "appended", "def"],
    ["SETRANGE", "ranged", "5", "xyz"],
    ["SETBIT", "bits", "100", "1"],
    ["INCRBYFLOAT", "float", "1.5"],
    ...digests(
      "int",
      "neg",
      "embstr",
      "raw",
      "bin",
      "empty",
      "appended",
      "ranged",
      "bits",
      "float",
    ),
  ],
  "lists: small, large, with integers and binary": [
    ["RPUSH", "small", "a", "1", "-2", BIN, ""],
    ["RPUSH", "large", ...range(700, (i) => `element-${i}`)],
    ["LPUSH", "ints", ...range(300, (i) => String(i * 7919))],
    ["RPUSH", "reordered", "b", "a"],
    ["RPUSH", "reordered2", "a", "b"],
    ["RPUSH", "long", "y".repeat(9000), "z"],
    ...digests("small", "large", "ints", "reordered", "reordered2", "long"),
  ],
  "sets: intset and hashtable, converted": [
    ["SADD", "intset", "3", "1", "-2", "100000", "5000000000"],
    ["SADD", "strings", "a", "b", BIN],
    ["SADD", "mixed", "1", "2"],
    ["SADD", "mixed", "x"],
    ["SADD", "bigints", ...range(600, (i) => String(i))],
    ["SREM", "bigints", "5", "7"],
    ...digests("intset", "strings", "mixed", "bigints"),
  ],
  "hashes: listpack and hashtable": [
    ["HSET", "small", "f1", "v1", "f2", "2", "f3", ""],
    ["HSET", "big", ...range(600, (i) => i % 2 ? `v${i}` : `f${i}`)],
    ["HSET", "longval", "short", "x", "long", "y".repeat(65)],
    ["HSET", "bin", BIN, BIN],
    ["HINCRBYFLOAT", "small", "f4", "0.1"],
    ...digests("small", "big", "longval", "bin"),
  ],
  "sorted sets: listpack and skiplist, integral, fractional and infinite scores":
    [
      [
        "ZADD",
        "small",
        "1",
        "a",
        "2.5",
        "b",
        "inf",
        "c",
        "-inf",
        "d",
        "0.1",
        "e",
        "-0",
        "f",
        "1e300",
        "g",
        "123456789012345678",
        "h",
        "3.0000000000000004",
        "i",
      ],
      ["ZADD", "negzero", "-0", "a"],
      ["ZADD", "big", ...range(400, (i) => i % 2 ? `m${i}` : String(i / 3))],
      [
        "ZADD",
        "skip",
        "-0",
        "z",
        "0.1",
        "y",
        "inf",
        "x",
        "1e-310",
        "w",
        "1",
        "l".repeat(100),
      ],
      ["ZINCRBY", "small", "0.2", "e"],
      ["OBJECT", "ENCODING", "small"],
      ["OBJECT", "ENCODING", "skip"],
      ...digests("small", "negzero", "big", "skip"),
    ],
  "streams: deletions, several nodes and groups": [
    ["XADD", "s", "1-1", "a", "1", "b", "x"],
    ["XADD", "s", "1-2", "a", "2", "b", "y"],
    ["XADD", "s", "2-0", "c", "-7"],
    ["XADD", "s", "3-0", "a", BIN, "b", ""],
    ["XDEL", "s", "1-2"],
    ["XGROUP", "CREATE", "s", "g", "0"],
    ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"],
    ["XADD", "empty", "5-1", "a", "1"],
    ["XDEL", "empty", "5-1"],
    ["XGROUP", "CREATE", "mk", "g", "$", "MKSTREAM"],
    ["CONFIG", "SET", "stream-node-max-entries", "5"],
    ...BIG_STREAM,
    ["XTRIM", "big", "MAXLEN", "33"],
    ["CONFIG", "SET", "stream-node-max-entries", "100"],
    ...digests("s", "empty", "mk", "big"),
    ["XGROUP", "CREATE", "s", "h", "$"],
    ["DEBUG", "DIGEST-VALUE", "s"],
  ],
  "TTLs count only as present": [
    ["SET", "a", "v", "PXAT", FAR],
    ["SET", "b", "v"],
    ["RPUSH", "l", "x"],
    ["PEXPIREAT", "l", FAR],
    ...digests("a", "b", "l"),
    ["PEXPIREAT", "a", "4102444800001"],
    ...digests("a"),
    ["PERSIST", "a"],
    ...digests("a"),
  ],
  "databases: the same keys in another database digest differently": [
    ["SET", "k", "v"],
    ["DEBUG", "DIGEST"],
    ["SELECT", "3"],
    ["SET", "k", "v"],
    ["DEBUG", "DIGEST"],
    ["SELECT", "0"],
    ["DEL", "k"],
    ["DEBUG", "DIGEST"],
    ["SWAPDB", "0", "3"],
    ...digests("k"),
    ["SELECT", "15"],
    ["HSET", "h", "f", "v"],
    ...digests("h", "k"),
  ],
  "expired keys still stored are digested": [
    ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
    ["SET", "k", "v", "PX", "1"],
    ["SET", "other", "v"],
    { cmd: ["DEBUG", "DIGEST"], sleep: 50 },
    ["DEBUG", "DIGEST-VALUE", "k"],
    ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
  ],
  "wrong arguments": [
    ["DEBUG", "DIGEST", "extra"],
    ["DEBUG", "digest-VALUE"],
    ["SET", "k", "v"],
    ["debug", "Digest"],
  ],
}, { args: ["--enable-debug-command", "yes"] });
