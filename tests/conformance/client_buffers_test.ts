/**
 * CLIENT LIST / CLIENT INFO buffer fields against real redis-server 7.0:
 * qbuf and qbuf-free (the query buffer Redis allocates by 16 KB and gives
 * back after two idle seconds), argv-mem, multi-mem (inside MULTI and
 * EXEC), rbs and rbp (the reply buffer the cron shrinks to its peak and
 * grows when full), obl, tot-mem, cmd; DEBUG REPLYBUFFER and INFO
 * reply_buffer_shrinks/expands.
 *
 * Each case lets the cron settle first (it resets a new client's peak,
 * then shrinks its buffer), so the numbers do not depend on timing.
 */
import { differential, masks, type Step } from "../_harness/differential.ts";

// The fields that differ between servers for reasons of their own: ids,
// addresses, file descriptors and times.
const line = masks.replace(
  /id=\d+ addr=\S+ laddr=\S+ fd=\d+ name=\S* age=\d+ idle=\d+ /g,
  "",
);

// The same, and the reply-buffer peak of the client listing, which its
// previous CLIENT LIST reply set (its length depends on ids and ports).
function listLine(raw: string): string {
  const masked = line(raw).replace(
    /rbp=\d+( obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=\S+ cmd=client\|list )/,
    "rbp=<n>$1",
  );
  // The bulk's length header, from the text as masked (the peak's digits
  // differ between runs).
  const m = /^\$\d+\r\n/.exec(masked);
  if (m === null) return masked;
  const body = masked.slice(m[0].length, -2);
  return `$${body.length}\r\n${body}\r\n`;
}

function info(conn = 0, sleep?: number): Step {
  return {
    cmd: ["CLIENT", "INFO"],
    conn,
    mask: line,
    why: "ids, addresses and times",
    ...(sleep === undefined ? {} : { sleep }),
  };
}

function list(conn = 0, sleep?: number): Step {
  return {
    cmd: ["CLIENT", "LIST"],
    conn,
    mask: listLine,
    why: "ids, addresses and times; the lister's peak comes from its last list",
    ...(sleep === undefined ? {} : { sleep }),
  };
}

// CLIENT LIST for the query-buffer case: every reply-buffer peak masked, as
// the cron resets each client's every 5 s, at times that depend on when the
// connection was made.
function qbufList(conn = 0, sleep?: number): Step {
  return {
    ...list(conn, sleep),
    mask: (raw) => listLine(raw.replace(/rbp=\d+/g, "rbp=<n>")),
    why:
      "ids, addresses and times; reply-buffer peaks, reset by the cron every 5 s",
  };
}

const replyStats: Step = {
  cmd: ["INFO", "stats"],
  mask: (raw) =>
    raw.split("\r\n").filter((l) => l.startsWith("reply_buffer")).join("\n"),
  why: "only the reply buffer counters",
};

differential(import.meta.url, {
  "a new client's reply buffer shrinks to 1 KB and grows back when full": [
    info(0, 400),
    ["CONFIG", "RESETSTAT"],
    ["SET", "small", "x".repeat(600)],
    info(),
    ["GET", "small"],
    info(),
    ["SET", "big", "y".repeat(3000)],
    ["GET", "big"],
    info(0, 300),
    replyStats,
  ],
  "DEBUG REPLYBUFFER RESIZING 0 keeps 16 KB; PEAK-RESET-TIME": [
    ["DEBUG", "REPLYBUFFER", "RESIZING", "0"],
    info(1, 400),
    ["DEBUG", "REPLYBUFFER", "RESIZING", "1"],
    info(1, 400),
    ["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "NEVER"],
    ["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100"],
    ["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "abc"],
    ["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "RESET"],
    ["DEBUG", "REPLYBUFFER", "FOO", "1"],
    ["DEBUG", "REPLYBUFFER", "RESIZING"],
  ],
  "qbuf holds the command being run; an idle client gives its query buffer back":
    [
      { cmd: ["PING"], conn: 1 },
      qbufList(0, 400),
      qbufList(0, 3700),
      { cmd: ["PING"], conn: 1 },
      qbufList(0),
    ],
  "multi-mem and the transaction's own CLIENT INFO inside EXEC": [
    { cmd: ["PING"], sleep: 400 },
    ["MULTI"],
    ["SET", "a", "b"],
    ["GET", "a"],
    list(1),
    ["CLIENT", "INFO"],
    {
      cmd: ["EXEC"],
      mask: (raw) => line(raw).replace(/\$\d+(\r\nflags=)/, "$<n>$1"),
      why: "ids, addresses and times (and so the info line's length)",
    },
  ],
  "cmd shows the last command sent, looked up before any check": [
    { cmd: ["FOO"], conn: 1 },
    list(0, 400),
    { cmd: ["GET"], conn: 1 },
    list(0),
    { cmd: ["CLIENT", "FOO"], conn: 1 },
    list(0),
    { cmd: ["MULTI"], conn: 1 },
    { cmd: ["SET", "a", "b"], conn: 1 },
    list(0),
    { cmd: ["DISCARD"], conn: 1 },
    { cmd: ["BLPOP", "l", "0"], conn: 1, noReply: true },
    list(0, 200),
    ["LPUSH", "l", "x"],
    { readOnly: true, conn: 1 },
  ],
}, { args: ["--enable-debug-command", "yes"] });
