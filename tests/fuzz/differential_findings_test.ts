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
});
