/**
 * CLIENT PAUSE / UNPAUSE / REPLY against real redis-server: paused
 * commands wait (they are not refused) and come back in order.
 */
import { differential } from "../_harness/differential.ts";

// Keeps the lines of an INFO reply that start with `prefix`.
function infoLines(prefix: string): (raw: string) => string {
  return (raw) =>
    raw.split("\r\n").filter((l) => l.startsWith(prefix)).join("\n");
}

// Each CLIENT LIST line's flags and cmd, sorted.
function flagsAndCmd(raw: string): string {
  return [...raw.matchAll(/ flags=(\S*) .* cmd=(\S*) /g)].map((m) =>
    `${m[1]} ${m[2]}`
  ).sort().join("\n");
}

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
  "Clients held by CLIENT PAUSE count as blocked (INFO blocked_clients, flag b, their command shown)":
    [
      ["CLIENT", "PAUSE", "400", "WRITE"],
      { cmd: ["SET", "k", "during"], conn: 1, noReply: true },
      { cmd: ["INCR", "n"], conn: 2, noReply: true },
      {
        cmd: ["INFO", "clients"],
        conn: 3,
        sleep: 50,
        mask: infoLines("blocked_clients"),
        why: "only the blocked count",
      },
      {
        cmd: ["CLIENT", "LIST"],
        conn: 3,
        mask: flagsAndCmd,
        why: "only flags and commands",
      },
      { readOnly: true, conn: 1 },
      { readOnly: true, conn: 2 },
      {
        cmd: ["INFO", "clients"],
        conn: 3,
        mask: infoLines("blocked_clients"),
        why: "only the blocked count",
      },
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
