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
});
