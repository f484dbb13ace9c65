/**
 * Differential suite for the HyperLogLog commands (PFADD, PFCOUNT,
 * PFMERGE, PFDEBUG, PFSELFTEST) against redis-server 7.0: the HLL strings
 * must be byte-identical after the same adds, merges and promotions, and
 * counts, errors and encodings the same.
 */
import { differential, type Script } from "../_harness/differential.ts";

// e<from>..e<to-1>, split into PFADD commands of `batch` elements.
function adds(key: string, from: number, to: number, batch = 100): Script {
  const out: Script = [];
  for (let i = from; i < to; i += batch) {
    const els: string[] = [];
    for (let j = i; j < Math.min(to, i + batch); j++) els.push(`e${j}`);
    out.push(["PFADD", key, ...els]);
  }
  return out;
}

// The raw bytes of an HLL header with the given encoding byte, then `body`.
function hll(encoding: number, body: string, card = "\x00".repeat(7) + "\x80") {
  return "HYLL" + String.fromCharCode(encoding) + "\x00\x00\x00" + card + body;
}

const DENSE_ZEROS = "\x00".repeat(12288);

// A dense HLL compared through its digest (12 KB per GET would bloat the
// recording); DEBUG DIGEST-VALUE hashes the exact bytes.
function digest(key: string): string[] {
  return ["DEBUG", "DIGEST-VALUE", key];
}

differential(import.meta.url, {
  "PFADD creates a sparse HLL whose bytes match Redis's": [
    ["PFADD", "h", "a", "b", "c"],
    ["GET", "h"],
    ["PFADD", "h", "a"],
    ["PFADD", "h"],
    ["PFADD", "new"],
    ["GET", "new"],
    ["TYPE", "h"],
    ["OBJECT", "ENCODING", "h"],
    ["STRLEN", "h"],
    ["PFADD", "bin", "\x00\xff\r\n", "", "x".repeat(1000)],
    ["GET", "bin"],
    ["PFCOUNT", "bin"],
  ],

  "PFCOUNT caches the cardinality in the header": [
    ["PFADD", "h", "a", "b", "c", "d"],
    ["GETRANGE", "h", "8", "15"],
    ["PFCOUNT", "h"],
    ["GETRANGE", "h", "8", "15"],
    ["PFCOUNT", "h"],
    ["PFADD", "h", "e"],
    ["GETRANGE", "h", "8", "15"],
    ["PFCOUNT", "h"],
    ["PFCOUNT", "missing"],
  ],

  "PFADD promotes to dense as Redis does, byte for byte": [
    ...adds("h", 0, 1000),
    ["GET", "h"],
    ["PFCOUNT", "h"],
    ["PFDEBUG", "ENCODING", "h"],
    ...adds("h", 1000, 2500),
    ["PFDEBUG", "ENCODING", "h"],
    digest("h"),
    ["PFCOUNT", "h"],
    ...adds("h", 2500, 20000, 500),
    digest("h"),
    ["PFCOUNT", "h"],
    ["STRLEN", "h"],
  ],

  "hll-sparse-max-bytes decides when a sparse HLL turns dense": [
    ["CONFIG", "SET", "hll-sparse-max-bytes", "100"],
    ...adds("h", 0, 30, 1),
    ["PFDEBUG", "ENCODING", "h"],
    digest("h"),
    ["CONFIG", "SET", "hll-sparse-max-bytes", "20000"],
    ...adds("k", 0, 9000, 300),
    ["PFDEBUG", "ENCODING", "k"],
    digest("k"),
    ["PFCOUNT", "k"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
  ],

  "PFCOUNT of several keys counts the union without caching": [
    ...adds("a", 0, 300),
    ...adds("b", 200, 6000, 500),
    ["PFCOUNT", "a", "b"],
    ["PFCOUNT", "a", "missing", "b"],
    ["PFCOUNT", "missing", "missing2"],
    ["GETRANGE", "a", "8", "15"],
    ["PFCOUNT", "a", "a"],
  ],

  "PFMERGE keeps a sparse destination sparse and turns it dense for a dense source":
    [
      ...adds("a", 0, 100),
      ...adds("b", 50, 200),
      ["PFMERGE", "m", "a", "b"],
      ["GET", "m"],
      ["PFCOUNT", "m"],
      ["PFDEBUG", "ENCODING", "m"],
      ...adds("d", 0, 5000, 500),
      ["PFMERGE", "m", "d"],
      ["PFDEBUG", "ENCODING", "m"],
      digest("m"),
      ["PFCOUNT", "m"],
      ["PFMERGE", "empty"],
      ["GET", "empty"],
      ["PFMERGE", "e2", "missing"],
      ["GET", "e2"],
      ["PFMERGE", "a", "a"],
      ["GET", "a"],
    ],

  "PFMERGE of many sparse sources outgrows the sparse limit": [
    ...adds("a", 0, 700),
    ...adds("b", 700, 1400),
    ...adds("c", 1400, 2100),
    ["PFMERGE", "m", "a", "b", "c"],
    ["PFDEBUG", "ENCODING", "m"],
    digest("m"),
    ["PFCOUNT", "m"],
  ],

  "HLL commands reply WRONGTYPE for other types and for strings that are no HLL":
    [
      ["CONFIG", "RESETSTAT"],
      ["SET", "s", "hello"],
      ["RPUSH", "l", "x"],
      ["SET", "short", "HYLL"],
      ["SET", "badenc", hll(2, "\x7f\xff")],
      ["SET", "badlen", hll(0, "\x00\x00")],
      ["SET", "magic", "HYLX" + hll(1, "\x7f\xff").slice(4)],
      ["PFADD", "s", "a"],
      ["PFADD", "l", "a"],
      ["PFCOUNT", "s"],
      ["PFCOUNT", "l"],
      ["PFCOUNT", "missing", "s"],
      ["PFCOUNT", "l", "s"],
      ["PFMERGE", "d", "s"],
      ["PFMERGE", "s", "missing"],
      ["PFMERGE", "l"],
      ["PFADD", "short", "a"],
      ["PFADD", "badenc", "a"],
      ["PFADD", "badlen", "a"],
      ["PFADD", "magic", "a"],
      ["PFDEBUG", "GETREG", "s"],
      ["PFDEBUG", "GETREG", "l"],
      ["EXISTS", "d"],
      ["INFO", "errorstats"],
    ],

  "HLL commands reply INVALIDOBJ for corrupted sparse code": [
    ["CONFIG", "RESETSTAT"],
    // XZERO:16384 then VAL:1,1 (more registers than there are).
    ["SET", "over", hll(1, "\x7f\xff\x80")],
    // XZERO:16383 (one register short).
    ["SET", "short", hll(1, "\x7f\xfe")],
    ["SET", "empty", hll(1, "")],
    ["PFCOUNT", "over"],
    ["PFCOUNT", "short"],
    ["PFCOUNT", "empty"],
    ["PFCOUNT", "over", "short"],
    ["PFMERGE", "d", "over"],
    ["EXISTS", "d"],
    ["PFADD", "short", "a", "b"],
    ["PFADD", "empty", "a"],
    ["PFDEBUG", "GETREG", "over"],
    ["PFDEBUG", "TODENSE", "short"],
    ["PFDEBUG", "DECODE", "over"],
    ["GET", "over"],
    ["GET", "short"],
    ["INFO", "errorstats"],
  ],

  "PFADD on a corrupted HLL keeps the changes made before the corruption": [
    // One good register change, then a split that runs off the end.
    ["SET", "k", hll(1, "\x40\x00\x7f\xfd")],
    ["PFADD", "k", "a", "b", "c", "d", "e", "f"],
    ["GET", "k"],
    ["PFADD", "k", "a"],
    ["GET", "k"],
  ],

  "HLL strings copied with SET work and change encoding when unshared": [
    ["PFADD", "h", "a", "b", "c"],
    ["SET", "copy", hll(1, "\x7f\xff")],
    ["OBJECT", "ENCODING", "copy"],
    ["PFCOUNT", "copy"],
    ["OBJECT", "ENCODING", "copy"],
    ["SET", "copy2", hll(1, "\x7f\xff", "\x05" + "\x00".repeat(7))],
    ["PFCOUNT", "copy2"],
    ["OBJECT", "ENCODING", "copy2"],
    ["SET", "dense", hll(0, DENSE_ZEROS)],
    ["PFADD", "dense", "a", "b", "c"],
    ["PFCOUNT", "dense"],
    ["PFCOUNT", "dense", "h"],
    ["PFMERGE", "h", "dense"],
    ["PFDEBUG", "ENCODING", "h"],
    ["PFCOUNT", "h"],
    ["APPEND", "h", "x"],
    ["PFCOUNT", "h"],
  ],

  "PFCOUNT of registers past the estimator's range replies Redis's overflow": [
    // Every dense register at 50 (binary 110010 repeated).
    ["SET", "d", hll(0, "\xb2\x2c\xcb".repeat(4096))],
    ["PFCOUNT", "d"],
    ["GETRANGE", "d", "8", "15"],
    ["PFCOUNT", "d"],
    ["PFCOUNT", "d", "missing"],
  ],

  "PFDEBUG GETREG, DECODE, ENCODING and TODENSE answer as Redis does": [
    ["PFADD", "h", "a", "b", "c", "d"],
    ["PFDEBUG", "DECODE", "h"],
    ["PFDEBUG", "ENCODING", "h"],
    ["pfdebug", "encoding", "h"],
    ["PFDEBUG", "GETREG", "h"],
    ["PFDEBUG", "ENCODING", "h"],
    digest("h"),
    ["PFDEBUG", "DECODE", "h"],
    ["PFDEBUG", "TODENSE", "h"],
    ["PFADD", "s", "x"],
    ["PFDEBUG", "TODENSE", "s"],
    ["PFDEBUG", "TODENSE", "s"],
    digest("s"),
    ["PFDEBUG", "NOPE", "s"],
    ["PFDEBUG", "GETREG", "missing"],
    ["PFDEBUG", "NOPE", "missing"],
    ["PFDEBUG", "GETREG"],
    ["PFDEBUG", "GETREG", "s", "extra"],
    ["PFDEBUG", "DECODE", "empty-key"],
    ["SET", "z", hll(1, "")],
    ["PFDEBUG", "DECODE", "z"],
  ],

  "PFADD and PFCOUNT with wrong arity reply the arity error": [
    ["PFADD"],
    ["PFCOUNT"],
    ["PFMERGE"],
    ["PFSELFTEST", "x"],
  ],

  "PFCOUNT that refreshes the cache makes a WATCHing EXEC fail": {
    steps: [
      ["PFADD", "h", "a", "b"],
      { cmd: ["WATCH", "h"], conn: 1 },
      ["PFCOUNT", "h"],
      { cmd: ["MULTI"], conn: 1 },
      { cmd: ["PING"], conn: 1 },
      { cmd: ["EXEC"], conn: 1 },
      { cmd: ["WATCH", "h"], conn: 1 },
      ["PFCOUNT", "h"],
      { cmd: ["MULTI"], conn: 1 },
      { cmd: ["PING"], conn: 1 },
      { cmd: ["EXEC"], conn: 1 },
    ],
  },

  "DUMP and RESTORE carry HLL strings between servers unchanged": [
    ["PFADD", "h", "a", "b", "c"],
    ["DUMP", "h"],
    ...adds("big", 0, 3000, 500),
    ["DUMP", "big"],
    ["PFCOUNT", "big"],
    ["DUMP", "big"],
    // DUMP of PFADD h a b c from redis-server 7.0.15.
    [
      "RESTORE",
      "r",
      "0",
      "\x00\x1bHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
      "\x80\x60\xf3\x80\x50\xb1\x84\x4b\xfb\x80\x42\x5a" +
      "\x0a\x00\x9f\x59\x0c\x06\xb6\x49\x70\x49",
    ],
    ["PFCOUNT", "r"],
    ["PFADD", "r", "d", "e"],
    ["GET", "r"],
    ["OBJECT", "ENCODING", "r"],
  ],

  "PFCOUNT may write, so read-only scripts may not call it": [
    ["PFADD", "h", "a"],
    ["EVAL_RO", "return redis.call('pfcount', KEYS[1])", "1", "h"],
    ["EVAL", "return redis.call('pfcount', KEYS[1])", "1", "h"],
    ["EVAL_RO", "return redis.call('pfadd', KEYS[1], 'x')", "1", "h"],
  ],

  "PFCOUNT and PFADD in RESP3": {
    protocol: 3,
    steps: [
      ["PFADD", "h", "a"],
      ["PFCOUNT", "h"],
      ["PFCOUNT", "h", "x"],
      ["PFMERGE", "d", "h"],
      ["PFDEBUG", "ENCODING", "d"],
    ],
  },

  "PFSELFTEST passes": [
    ["PFSELFTEST"],
  ],
});
