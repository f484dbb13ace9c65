/**
 * MONITOR, SLOWLOG and LATENCY against real redis-server. Times, durations
 * and client addresses differ between servers and runs, so those fields
 * are masked; everything else is compared byte for byte.
 */
import { differential, type Step } from "../_harness/differential.ts";

// `+1700000000.123456 [0 127.0.0.1:51234] "SET" ...` → `+<time> [0 <addr>] "SET" ...`
function monitorLine(raw: string): string {
  return raw.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, "+<time> [$1 <addr>]");
}
const MONITOR_MASK = {
  mask: monitorLine,
  why: "timestamps and client ports differ",
};

function monitorRead(): Step {
  return { readOnly: true, ...MONITOR_MASK };
}

// SLOWLOG GET entries: id, time, duration, args, addr, name → time/duration/addr masked.
function slowlogEntries(raw: string): string {
  return raw
    .replace(
      /\*6\r\n:(\d+)\r\n:\d+\r\n:\d+\r\n/g,
      "*6\r\n:$1\r\n:<time>\r\n:<usec>\r\n",
    )
    .replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, "$<n>\r\n<addr>\r\n");
}

function latencyRow(raw: string): string {
  return raw.replace(/:\d+\r\n/g, ":<n>\r\n");
}

differential(import.meta.url, {
  "MONITOR shows commands of other clients with their database": [
    ["MONITOR"],
    { cmd: ["SET", "k", "v"], conn: 1 },
    monitorRead(),
    { cmd: ["SELECT", "3"], conn: 1 },
    monitorRead(),
    { cmd: ["GET", 'bin\r\n\x01\xff"\\'], conn: 1 },
    monitorRead(),
    { cmd: ["MULTI"], conn: 1 },
    { cmd: ["INCR", "n"], conn: 1 },
    { cmd: ["EXEC"], conn: 1 },
    monitorRead(),
    monitorRead(),
    monitorRead(),
  ],
  "MONITOR hides admin commands and refuses keyspace commands from the monitor":
    [
      ["MONITOR"],
      { cmd: ["CONFIG", "GET", "hz"], conn: 1 },
      { cmd: ["DEBUG", "SLEEP", "0"], conn: 1 },
      { cmd: ["NOSUCHCOMMAND"], conn: 1 },
      { cmd: ["ECHO", "after"], conn: 1 },
      monitorRead(),
      ["GET", "k"],
      ["SET", "k", "v"],
    ],
  "SLOWLOG records commands over the threshold, newest first": [
    ["CONFIG", "SET", "slowlog-log-slower-than", "0"],
    ["SLOWLOG", "RESET"],
    ["SET", "k", "x".repeat(200)],
    ["GET", "k"],
    {
      cmd: ["SLOWLOG", "GET"],
      mask: slowlogEntries,
      why: "times, durations and ports differ",
    },
    ["SLOWLOG", "LEN"],
    {
      cmd: ["SLOWLOG", "GET", "1"],
      mask: slowlogEntries,
      why: "times, durations and ports differ",
    },
    ["SLOWLOG", "GET", "-2"],
    ["SLOWLOG", "GET", "x"],
    ["SLOWLOG", "RESET"],
    ["CONFIG", "SET", "slowlog-log-slower-than", "-1"],
    ["SET", "k", "v"],
    ["SLOWLOG", "LEN"],
    ["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
  ],
  "SLOWLOG trims long argument lists and long arguments": [
    ["CONFIG", "SET", "slowlog-log-slower-than", "0"],
    ["SLOWLOG", "RESET"],
    ["MSET", ...Array.from({ length: 40 }, (_, i) => `k${i}`)],
    {
      cmd: ["SLOWLOG", "GET", "1"],
      mask: slowlogEntries,
      why: "times, durations and ports differ",
    },
    ["SLOWLOG", "HELP"],
    ["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
  ],
  "LATENCY HISTOGRAM shape for named and missing commands": [
    ["CONFIG", "RESETSTAT"],
    ["SET", "a", "b"],
    {
      cmd: ["LATENCY", "HISTOGRAM", "set", "nosuch"],
      mask: (raw) =>
        raw.replace(
          /histogram_usec\r\n\*\d+\r\n(?::\d+\r\n)+$/,
          "histogram_usec\r\n<buckets>",
        ),
      why: "latency buckets depend on measured times",
    },
    ["LATENCY", "HISTOGRAM", "nosuch"],
  ],
  "LATENCY with the monitor off": [
    ["LATENCY", "LATEST"],
    ["LATENCY", "HISTORY", "command"],
    ["LATENCY", "RESET"],
    ["LATENCY", "DOCTOR"],
    ["LATENCY", "HELP"],
    ["LATENCY", "NOSUCH"],
  ],
  "LATENCY records a slow command above the threshold": [
    ["CONFIG", "SET", "latency-monitor-threshold", "5"],
    ["DEBUG", "SLEEP", "0.02"],
    {
      cmd: ["LATENCY", "LATEST"],
      mask: latencyRow,
      why: "times and measured milliseconds differ",
    },
    {
      cmd: ["LATENCY", "HISTORY", "command"],
      mask: latencyRow,
      why: "times and measured milliseconds differ",
    },
    ["LATENCY", "RESET", "command", "nosuch"],
    ["LATENCY", "LATEST"],
    ["CONFIG", "SET", "latency-monitor-threshold", "0"],
  ],
});
