/**
 * DEBUG HELP against real redis-server 7.0 (every line Redis prints), and
 * the DEBUG subcommands about Redis's data layout that tools call: SDSLEN
 * (jemalloc sizes of a key and its string), LISTPACK, QUICKLIST,
 * STRUCTSIZE.
 */
import { differential } from "../_harness/differential.ts";

differential(import.meta.url, {
  "DEBUG HELP lists every subcommand as Redis 7.0 does": [
    ["DEBUG", "HELP"],
    ["DEBUG", "help"],
    ["DEBUG", "HELP", "x"],
    ["DEBUG", "NO-SUCH-SUBCOMMAND"],
  ],
  "DEBUG SDSLEN, LISTPACK, QUICKLIST and STRUCTSIZE": [
    ["SET", "s", "hello"],
    ["SET", "n", "12345"],
    ["RPUSH", "l", "a", "b", "c"],
    ["HSET", "h", "f", "v"],
    ["ZADD", "z", "1", "a"],
    ["SADD", "st", "a", "b"],
    ["XADD", "x", "1-1", "a", "1"],
    ["SET", "big", "a".repeat(100)],
    ["SET", "k2", "12345678901234567890123"],
    ["DEBUG", "SDSLEN", "s"],
    ["DEBUG", "SDSLEN", "n"],
    ["DEBUG", "SDSLEN", "l"],
    ["DEBUG", "SDSLEN", "nokey"],
    ["DEBUG", "SDSLEN", "big"],
    ["DEBUG", "SDSLEN", "k2"],
    ["APPEND", "k2", "x"],
    ["DEBUG", "SDSLEN", "k2"],
    ["APPEND", "k2", "y".repeat(54)],
    ["DEBUG", "SDSLEN", "k2"],
    ["SET", "a-key-with-a-name-longer-than-32-bytes", "v"],
    ["DEBUG", "SDSLEN", "a-key-with-a-name-longer-than-32-bytes"],
    ["DEBUG", "LISTPACK", "h"],
    ["DEBUG", "LISTPACK", "z"],
    ["DEBUG", "LISTPACK", "l"],
    ["DEBUG", "LISTPACK", "st"],
    ["DEBUG", "LISTPACK", "x"],
    ["DEBUG", "LISTPACK", "nokey"],
    ["DEBUG", "QUICKLIST", "l"],
    ["DEBUG", "QUICKLIST", "l", "1"],
    ["DEBUG", "QUICKLIST", "h"],
    ["DEBUG", "QUICKLIST", "nokey"],
    ["DEBUG", "STRUCTSIZE"],
    ["DEBUG", "STRUCTSIZE", "x"],
  ],
}, { args: ["--enable-debug-command", "yes"] });
