/**
 * The latency monitor against real redis-server 7.0: LATENCY GRAPH (the
 * sparkline, its labels and errors), LATENCY DOCTOR's report and advices,
 * RESET's case-insensitive names, and LATENCY HISTOGRAM of a container
 * command listing its subcommands.
 *
 * Latencies come from DEBUG SLEEP, so their milliseconds differ a little
 * between servers: masks replace the numbers, never the shape.
 */
import { differential, masks } from "../_harness/differential.ts";

// Milliseconds and periods vary with the machine; the text around them must not.
const numbers = masks.replace(/\d+(\.\d+)?/g, "N");

// The command names of a LATENCY HISTOGRAM reply, sorted (Redis lists a
// container's subcommands in hash-table order).
function histogramNames(raw: string): string {
  return [...raw.matchAll(/\$\d+\r\n([a-z-]+\|[a-z-]+|[a-z-]+)\r\n(?=[*%])/g)]
    .map((m) => m[1]).sort().join(",");
}

differential(import.meta.url, {
  "LATENCY GRAPH errors": [
    ["LATENCY", "GRAPH"],
    ["LATENCY", "GRAPH", "command", "x"],
    ["LATENCY", "GRAPH", "command"],
    ["LATENCY", "GRAPH", "no-such-event"],
  ],
  "LATENCY DOCTOR with monitoring off, and on without spikes": [
    ["LATENCY", "RESET"],
    ["LATENCY", "DOCTOR"],
    ["CONFIG", "SET", "latency-monitor-threshold", "1000"],
    ["LATENCY", "DOCTOR"],
    ["CONFIG", "SET", "latency-monitor-threshold", "0"],
  ],
  "LATENCY GRAPH and DOCTOR after command spikes": [
    ["LATENCY", "RESET"],
    ["CONFIG", "SET", "latency-monitor-threshold", "5"],
    ["DEBUG", "SLEEP", "0.02"],
    { cmd: ["LATENCY", "GRAPH", "command"], mask: numbers, why: "timing" },
    { cmd: ["LATENCY", "DOCTOR"], mask: numbers, why: "timing" },
    ["CONFIG", "SET", "slowlog-log-slower-than", "-1"],
    { cmd: ["LATENCY", "DOCTOR"], mask: numbers, why: "timing" },
    ["CONFIG", "SET", "slowlog-log-slower-than", "1000"],
    { cmd: ["LATENCY", "DOCTOR"], mask: numbers, why: "timing" },
    ["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
    { cmd: ["DEBUG", "SLEEP", "0.1"], sleep: 1100 },
    { cmd: ["LATENCY", "GRAPH", "command"], mask: numbers, why: "timing" },
    { cmd: ["LATENCY", "HISTORY", "command"], mask: numbers, why: "timing" },
    ["LATENCY", "GRAPH", "COMMAND"],
    ["LATENCY", "RESET", "COMMAND", "command"],
    ["LATENCY", "HISTORY", "command"],
    ["LATENCY", "DOCTOR"],
    ["CONFIG", "SET", "latency-monitor-threshold", "0"],
    ["LATENCY", "DOCTOR"],
  ],
  "LATENCY GRAPH in RESP3 is a verbatim string": {
    protocol: 3,
    steps: [
      ["LATENCY", "RESET"],
      ["CONFIG", "SET", "latency-monitor-threshold", "5"],
      ["DEBUG", "SLEEP", "0.02"],
      { cmd: ["LATENCY", "GRAPH", "command"], mask: numbers, why: "timing" },
      ["CONFIG", "SET", "latency-monitor-threshold", "0"],
      ["LATENCY", "RESET"],
    ],
  },
  "LATENCY HISTOGRAM of a container lists its subcommands": [
    ["CONFIG", "RESETSTAT"],
    ["CLIENT", "GETNAME"],
    ["CLIENT", "GETREDIR"],
    {
      cmd: ["LATENCY", "HISTOGRAM", "client"],
      mask: histogramNames,
      why: "timings, and Redis's hash-table order of subcommands",
    },
    {
      cmd: ["LATENCY", "HISTOGRAM", "client|getname", "nosuch", "CLIENT"],
      mask: histogramNames,
      why: "timings, and Redis's hash-table order of subcommands",
    },
    {
      cmd: ["LATENCY", "HISTOGRAM", "config", "get"],
      mask: histogramNames,
      why: "timings, and Redis's hash-table order of subcommands",
    },
  ],
}, { args: ["--enable-debug-command", "yes"] });
