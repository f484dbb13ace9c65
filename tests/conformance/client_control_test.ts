/**
 * CLIENT PAUSE / UNPAUSE / REPLY against real redis-server: paused
 * commands wait (they are not refused) and come back in order.
 */
import { differential } from "../_harness/differential.ts";

differential(import.meta.url, {
  "CLIENT PAUSE argument errors": [
    ["CLIENT", "PAUSE", "abc"],
    ["CLIENT", "PAUSE", "-1"],
    ["CLIENT", "PAUSE", "10", "FOO"],
    ["CLIENT", "PAUSE", "10", "WRITE", "x"],
    ["CLIENT", "PAUSE"],
    ["CLIENT", "UNPAUSE", "x"],
    ["CLIENT", "UNPAUSE"],
  ],
  "CLIENT PAUSE WRITE holds writes but not reads": [
    ["SET", "k", "before"],
    ["CLIENT", "PAUSE", "300", "WRITE"],
    { cmd: ["SET", "k", "during"], conn: 1, noReply: true },
    { cmd: ["GET", "k"], conn: 2 },
    { cmd: ["MULTI"], conn: 2 },
    { cmd: ["GET", "k"], conn: 2 },
    { cmd: ["EXEC"], conn: 2 },
    { readOnly: true, conn: 1 },
    { cmd: ["GET", "k"], conn: 2 },
  ],
  "CLIENT UNPAUSE releases held writes at once": [
    ["CLIENT", "PAUSE", "5000", "WRITE"],
    { cmd: ["INCR", "n"], conn: 1, noReply: true },
    { cmd: ["CLIENT", "UNPAUSE"], conn: 2 },
    { readOnly: true, conn: 1 },
    { cmd: ["GET", "n"], conn: 2 },
  ],
  "CLIENT PAUSE ALL holds reads too, in order": [
    ["SET", "k", "v"],
    ["CLIENT", "PAUSE", "200", "ALL"],
    { cmd: ["GET", "k"], conn: 1, noReply: true },
    { cmd: ["PING"], conn: 1, noReply: true },
    { readOnly: true, conn: 1 },
    { readOnly: true, conn: 1 },
  ],
  "CLIENT REPLY OFF, ON and SKIP": [
    ["CLIENT", "REPLY", "FOO"],
    { cmd: ["CLIENT", "REPLY", "SKIP"], noReply: true },
    { cmd: ["SET", "a", "1"], noReply: true },
    ["GET", "a"],
    { cmd: ["CLIENT", "REPLY", "OFF"], noReply: true },
    { cmd: ["SET", "b", "2"], noReply: true },
    { cmd: ["GET", "b"], noReply: true },
    ["CLIENT", "REPLY", "ON"],
    ["GET", "b"],
  ],
});
