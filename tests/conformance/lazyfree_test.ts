/**
 * INFO lazyfreed_objects against real redis-server 7.0: which frees Redis
 * does in its background thread (UNLINK, DEL with lazyfree-lazy-user-del,
 * FLUSHALL/FLUSHDB ASYNC or lazyfree-lazy-user-flush, overwrites with
 * lazyfree-lazy-server-del, expiry with lazyfree-lazy-expire, eviction with
 * lazyfree-lazy-eviction) and which values are big enough to go there
 * (Redis's free effort: hash table sizes, quicklist nodes, a stream's
 * radix tree nodes with its consumer groups and PEL).
 */
import { differential, type Script } from "../_harness/differential.ts";

// The lazy-free lines of INFO memory, read once Redis's background thread
// is done.
const lazyfree = {
  cmd: ["INFO", "memory"],
  sleep: 100,
  mask: (raw: string) =>
    raw.split("\r\n").filter((l) => l.startsWith("lazyfree")).join("\n"),
  why: "only the lazy-free counters",
};

function xadds(key: string, n: number, from = 1): Script {
  const out: Script = [];
  for (let j = from; j < from + n; j++) {
    out.push(["XADD", key, `${j}-1`, j % 10 === 0 ? "bar" : "foo", String(j)]);
  }
  return out;
}

function members(cmd: string, key: string, n: number): Script {
  const words: string[] = [cmd, key];
  for (let j = 0; j < n; j++) {
    if (cmd === "ZADD") words.push(String(j));
    if (cmd === "HSET") words.push(`f${j}`);
    words.push(`m${j}`);
  }
  return [words];
}

differential(import.meta.url, {
  "UNLINK of a stream with groups, consumers and a PEL is freed lazily": [
    ["CONFIG", "RESETSTAT"],
    ["CONFIG", "SET", "stream-node-max-entries", "5"],
    ...xadds("stream", 1000),
    ["XGROUP", "CREATE", "stream", "mygroup", "0"],
    [
      "XREADGROUP",
      "GROUP",
      "mygroup",
      "Alice",
      "COUNT",
      "2",
      "STREAMS",
      "stream",
      ">",
    ],
    ["XDEL", "stream", "1-1"],
    ["XACK", "stream", "mygroup", "2-1"],
    ["UNLINK", "stream"],
    lazyfree,
    ["CONFIG", "SET", "stream-node-max-entries", "100"],
  ],
  "UNLINK of a small stream whose group was destroyed is freed at once": [
    ["CONFIG", "RESETSTAT"],
    ["XADD", "s", "1-1", "a", "b"],
    ["XGROUP", "CREATE", "s", "bla", "$"],
    ["XGROUP", "DESTROY", "s", "bla"],
    ["UNLINK", "s"],
    lazyfree,
  ],
  "streams around the threshold: radix tree nodes and groups count": [
    ["CONFIG", "RESETSTAT"],
    ["CONFIG", "SET", "stream-node-max-entries", "1"],
    ...xadds("s30", 30),
    ["UNLINK", "s30"],
    lazyfree,
    ...xadds("s40", 40),
    ["UNLINK", "s40"],
    lazyfree,
    ...xadds("g", 20),
    ["XGROUP", "CREATE", "g", "a", "0"],
    ["XGROUP", "CREATE", "g", "b", "0"],
    ["XREADGROUP", "GROUP", "a", "c", "COUNT", "15", "STREAMS", "g", ">"],
    ["UNLINK", "g"],
    lazyfree,
    ["CONFIG", "SET", "stream-node-max-entries", "100"],
  ],
  "UNLINK of sets, hashes and sorted sets: over 64 table entries only": [
    ["CONFIG", "RESETSTAT"],
    ...members("SADD", "set64", 64),
    ...members("SADD", "set65", 65),
    ...members("HSET", "hash65", 65),
    ...members("HSET", "hash200", 200),
    ...members("ZADD", "zset65", 65),
    ...members("ZADD", "zset200", 200),
    ["UNLINK", "set64", "set65", "hash65", "hash200", "zset65", "zset200"],
    lazyfree,
  ],
  "UNLINK of lists: over 64 quicklist nodes only": [
    ["CONFIG", "RESETSTAT"],
    ["CONFIG", "SET", "list-max-listpack-size", "1"],
    ...members("RPUSH", "l64", 64),
    ...members("RPUSH", "l65", 65),
    ["UNLINK", "l64", "l65"],
    lazyfree,
    ["CONFIG", "SET", "list-max-listpack-size", "-2"],
    ...members("RPUSH", "big", 1000),
    ["UNLINK", "big"],
    lazyfree,
  ],
  "DEL frees lazily only with lazyfree-lazy-user-del": [
    ["CONFIG", "RESETSTAT"],
    ...members("SADD", "a", 100),
    ["DEL", "a"],
    lazyfree,
    ["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"],
    ...members("SADD", "b", 100),
    ["DEL", "b"],
    lazyfree,
    ["CONFIG", "SET", "lazyfree-lazy-user-del", "no"],
  ],
  "FLUSHALL and FLUSHDB ASYNC count every key; lazyfree-lazy-user-flush": [
    ["CONFIG", "RESETSTAT"],
    ["MSET", "a", "1", "b", "2", "c", "3"],
    ["FLUSHALL", "ASYNC"],
    lazyfree,
    ["MSET", "a", "1", "b", "2"],
    ["FLUSHDB", "ASYNC"],
    lazyfree,
    ["MSET", "a", "1", "b", "2"],
    ["FLUSHALL", "SYNC"],
    ["MSET", "a", "1", "b", "2"],
    ["FLUSHDB"],
    lazyfree,
    ["CONFIG", "SET", "lazyfree-lazy-user-flush", "yes"],
    ["MSET", "a", "1", "b", "2", "c", "3", "d", "4"],
    ["FLUSHALL"],
    lazyfree,
    ["CONFIG", "SET", "lazyfree-lazy-user-flush", "no"],
  ],
  "overwrites with lazyfree-lazy-server-del, expiry with lazyfree-lazy-expire":
    [
      ["CONFIG", "RESETSTAT"],
      ...members("SADD", "a", 100),
      ["SET", "a", "x"],
      lazyfree,
      ["CONFIG", "SET", "lazyfree-lazy-server-del", "yes"],
      ...members("SADD", "b", 100),
      ["SET", "b", "x"],
      lazyfree,
      ["CONFIG", "SET", "lazyfree-lazy-server-del", "no"],
      ["CONFIG", "SET", "lazyfree-lazy-expire", "yes"],
      ...members("SADD", "c", 100),
      ["PEXPIRE", "c", "10"],
      { cmd: ["EXISTS", "c"], sleep: 50 },
      lazyfree,
      ["CONFIG", "SET", "lazyfree-lazy-expire", "no"],
    ],
});
