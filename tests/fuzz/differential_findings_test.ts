/**
 * Differences from redis-server that the fuzzer's commands showed when
 * sent to both servers, each pinned as a differential case.
 *
 * @module
 */
import { differential } from "../_harness/differential.ts";

const LIBRARY =
  "#!lua name=fz\nredis.register_function('f', function(keys, args) return 1 end)";

differential(import.meta.url, {
  "EVALSHA answers NOSCRIPT for a SHA of the wrong length before reading numkeys":
    [
      ["EVALSHA", "abc", "abc"],
      ["EVALSHA_RO", "abc", "abc"],
      ["EVALSHA", "0123456789012345678901234567890123456789", "abc"],
      ["EVALSHA", "0123456789012345678901234567890123456789", "0"],
    ],
  "FCALL looks the function up before numkeys, and calls a bad numkeys a bad number of keys":
    [
      ["FCALL", "nosuch", "abc"],
      ["FCALL_RO", "nosuch", "-1"],
      ["FUNCTION", "LOAD", LIBRARY],
      ["FCALL", "f", "abc"],
      ["FCALL", "f", "99999999999999999999"],
      ["FCALL", "f", "-1"],
      ["FCALL", "f", "5", "a"],
      ["FCALL_RO", "f", "1.5"],
      ["FCALL", "f", "0"],
      ["FUNCTION", "FLUSH"],
    ],
  "EXEC refused (wrong arity) answers EXECABORT and discards the transaction, in MULTI or not":
    [
      ["EXEC", "x"],
      ["MULTI"],
      ["SET", "k", "v"],
      ["EXEC", "x"],
      ["EXEC"],
      ["GET", "k"],
      ["INFO", "errorstats"],
    ],
  "XGROUP SETID checks its arguments and ENTRIESREAD before the key and group":
    [
      ["XGROUP", "SETID", "nokey", "g", "badid"],
      ["XGROUP", "SETID", "nokey", "g", "0", "ENTRIESREAD", "abc"],
      ["XGROUP", "SETID", "nokey", "g", "0", "ENTRIESREAD", "5"],
      ["XGROUP", "SETID", "nokey", "g", "0", "x"],
      ["XGROUP", "SETID", "nokey", "g", "0", "x", "y"],
      ["XADD", "s", "1-1", "f", "v"],
      ["XGROUP", "SETID", "s", "nog", "0", "x"],
      ["XGROUP", "CREATE", "s", "g", "0"],
      ["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "abc"],
      ["XGROUP", "SETID", "s", "g", "badid", "ENTRIESREAD", "abc"],
      ["XGROUP", "SETID", "s", "g", "badid", "ENTRIESREAD", "-5"],
      ["XGROUP", "SETID", "s", "g", "1-1", "ENTRIESREAD", "1"],
      ["XINFO", "GROUPS", "s"],
    ],
  "An option or subcommand holding a NUL byte is named up to the NUL in the error, as Redis's %s does, and line ends at the message's ends are trimmed":
    [
      ["PEXPIREAT", "k", "1", "X\0Y"],
      ["EXPIREAT", "k", "1", "*1\r\n"],
      ["EXPIREAT", "k", "1", "\n*1\r\nz"],
      ["OBJECT", "x\0y"],
      ["CONFIG", "\0"],
    ],
  "NOGROUP errors name the key and group up to a NUL byte, as Redis's %s does":
    [
      ["XADD", "s\0x", "1-1", "f", "v"],
      ["XGROUP", "CREATECONSUMER", "s\0x", "g\0h", "c"],
      ["XREADGROUP", "GROUP", "g\0h", "c", "STREAMS", "s\0x", "0"],
      ["XPENDING", "s\0x", "g\0h"],
      ["XINFO", "CONSUMERS", "s\0x", "g\0h"],
    ],
  "cmsgpack refuses what would overflow the Lua stack, with lua-cmsgpack's words, and scripts still run after":
    [
      [
        "EVAL",
        "return #{cmsgpack.unpack(ARGV[1])}",
        0,
        "y".repeat(8000),
      ],
      [
        "EVAL",
        "return #{cmsgpack.unpack(ARGV[1])}",
        0,
        "y".repeat(8001),
      ],
      ["EVAL_RO", "return cmsgpack.unpack(ARGV[1])", 0, "y".repeat(22323)],
      [
        "EVAL",
        "return type(cmsgpack.unpack(ARGV[1]))",
        0,
        "\x91".repeat(10000) + "\x01",
      ],
      [
        "EVAL",
        "return #cmsgpack.pack(unpack(ARGV))",
        0,
        ...Array.from({ length: 5000 }, () => "a"),
      ],
      ["EVAL", "return #cmsgpack.pack(unpack(ARGV))", 0, "a", "b"],
      ["SCRIPT", "LOAD", "1"],
      ["EVAL", "return 2", 0],
    ],
  "cmsgpack.unpack_limit and unpack_one return the next offset first and decode nested data as lua-cmsgpack does":
    [
      [
        "EVAL",
        "return {cmsgpack.unpack_limit(ARGV[1], 2)}",
        0,
        "\x01\x92\x02\x03\x04",
      ],
      [
        "EVAL",
        "return {cmsgpack.unpack_limit(ARGV[1], 0, 1)}",
        0,
        "\x01\x92\x02\x03\x04",
      ],
      ["EVAL", "return {cmsgpack.unpack_limit(ARGV[1], 0)}", 0, "\x01\x02"],
      ["EVAL", "return {cmsgpack.unpack_limit(ARGV[1], 5)}", 0, "\x01\x02"],
      ["EVAL", "return {cmsgpack.unpack_one(ARGV[1])}", 0, "\x01\x02"],
      ["EVAL", "return {cmsgpack.unpack_one(ARGV[1], 1)}", 0, "\x01\x02"],
      ["EVAL", "return {cmsgpack.unpack_one(ARGV[1], 2)}", 0, "\x01\x02"],
      [
        "EVAL",
        "return {cmsgpack.unpack_limit(ARGV[1], -1)}",
        0,
        "\x01\x02\x03",
      ],
      ["EVAL", "return {cmsgpack.unpack_one(ARGV[1], 9)}", 0, "\x01\x02"],
      ["EVAL", "return {cmsgpack.unpack(ARGV[1])}", 0, "\x92\x01"],
      ["EVAL", "return {cmsgpack.unpack(ARGV[1])}", 0, "\xc1"],
      [
        "EVAL",
        "local t = cmsgpack.unpack(ARGV[1]) return {t[1].k[3], t[2], #t[1].k}",
        0,
        "\x92\x81\xa1k\x93\x01\x02\xa1z\xc3",
      ],
    ],
  "struct.unpack of more values than the Lua stack holds is refused as Redis refuses it":
    [
      [
        "EVAL",
        "return select('#', struct.unpack(ARGV[1], ARGV[2]))",
        0,
        "b".repeat(7000),
        "x".repeat(7000),
      ],
      [
        "EVAL",
        "return select('#', struct.unpack(ARGV[1], ARGV[2]))",
        0,
        "b".repeat(9000),
        "x".repeat(9000),
      ],
      ["EVAL", "return 2", 0],
    ],
});
