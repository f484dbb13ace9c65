/**
 * RESTORE-ASKING against real redis-server 7.0 without cluster mode: the
 * same as RESTORE (payload checks, REPLACE, TTL, errors).
 */
import { differential } from "../_harness/differential.ts";

// DUMP of the string "hello" in Redis 7.0.
const HELLO = "\x00\x05hello\x0a\x00crß\x76\x65\x34\x20\x0a".replace(
  "ß",
  "\xdf",
);

differential(import.meta.url, {
  "RESTORE-ASKING creates keys as RESTORE does": [
    ["SET", "k", "hello"],
    ["DUMP", "k"],
    ["RESTORE-ASKING", "r", "0", HELLO],
    ["GET", "r"],
    ["TTL", "r"],
    ["RESTORE-ASKING", "r", "0", HELLO],
    ["RESTORE-ASKING", "r", "5000", HELLO, "REPLACE"],
    ["TTL", "r"],
    ["RESTORE-ASKING", "bad", "0", "garbage"],
    ["RESTORE-ASKING", "r", "-1", HELLO, "REPLACE"],
    ["RESTORE-ASKING", "r", "0", HELLO, "REPLACE", "FOO"],
    ["RESTORE-ASKING", "r"],
    ["EXISTS", "bad"],
  ],
});
