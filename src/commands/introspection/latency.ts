/**
 * LATENCY LATEST | HISTORY event | GRAPH event | RESET [event ...] | DOCTOR |
 * HISTOGRAM [command ...] | HELP: the
 * latency monitor. With `latency-monitor-threshold` > 0, every command
 * that takes at least that many milliseconds is sampled under the event
 * `command` (or `fast-command` for commands flagged fast); other events
 * (`expire-cycle`) are sampled by their owners through `addLatencySample`.
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { map, simple, verbatim } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import type { Client } from "../../client.ts";
import type { ServerState } from "../../state.ts";
import type { Command } from "../types.ts";
import { lookupCommand, pipelineHooks } from "../dispatch.ts";
import { latencyCdf } from "../server/latency_histogram.ts";
import { asciiLower } from "../../util/bytes.ts";
import { renderSparkline } from "../../util/sparkline.ts";
import { noLatencySamples } from "../../errors.ts";

const HISTORY_LEN = 160;

interface Series {
  samples: { time: number; latency: number }[];
  max: number;
}

interface Monitor {
  threshold: number;
  events: Map<string, Series>;
}

const monitors = new WeakMap<ServerState, Monitor>();

// Cached for the same reason as the slow log's: observers run per command.
let lastServer: ServerState | undefined;
let lastMonitor: Monitor | undefined;

function monitorOf(server: ServerState): Monitor {
  if (server === lastServer) return lastMonitor!;
  lastMonitor = findMonitor(server);
  lastServer = server;
  return lastMonitor;
}

function findMonitor(server: ServerState): Monitor {
  let m = monitors.get(server);
  if (m === undefined) {
    m = {
      threshold: server.config.number("latency-monitor-threshold"),
      events: new Map(),
    };
    const mm = m;
    server.config.onChange(
      "latency-monitor-threshold",
      (v) => (mm.threshold = Number(v)),
    );
    monitors.set(server, m);
  }
  return m;
}

/** Records `latencyMs` for `event` if it reaches the threshold. */
export function addLatencySample(
  server: ServerState,
  event: string,
  latencyMs: number,
): void {
  const m = monitorOf(server);
  if (m.threshold <= 0 || latencyMs < m.threshold) return;
  const time = Math.floor(server.clock.now() / 1000);
  let series = m.events.get(event);
  if (series === undefined) {
    series = { samples: [], max: 0 };
    m.events.set(event, series);
  }
  const last = series.samples[series.samples.length - 1];
  // Samples within the same second are merged, keeping the worst.
  if (last !== undefined && last.time === time) {
    last.latency = Math.max(last.latency, latencyMs);
  } else {
    series.samples.push({ time, latency: latencyMs });
    if (series.samples.length > HISTORY_LEN) series.samples.shift();
  }
  series.max = Math.max(series.max, latencyMs);
}

function observe(
  server: ServerState,
  _client: Client,
  cmd: Command,
  _argv: Argv,
  usec: number,
): void {
  const m = monitorOf(server);
  if (m.threshold <= 0) return;
  const ms = Math.floor(usec / 1000);
  if (ms >= m.threshold) {
    addLatencySample(
      server,
      cmd.isFast ? "fast-command" : "command",
      ms,
    );
  }
}

/** Installs the latency observer. */
export function installLatency(server: ServerState): void {
  monitorOf(server);
  if (!pipelineHooks.timedObservers.includes(observe)) {
    pipelineHooks.timedObservers.push(observe);
  }
}

const TIPS = [
  "nondeterministic_output",
  "request_policy:all_nodes",
  "response_policy:special",
];
const FLAGS = ["admin", "noscript", "loading", "stale"] as const;

const latest = defineCommand({
  name: "latest",
  group: "server",
  summary: "Return the latest latency samples for all events.",
  since: "2.8.13",
  complexity: "O(1)",
  arity: 2,
  flags: [...FLAGS],
  tips: TIPS,
  handler(ctx) {
    const out: Reply[] = [];
    for (const [event, s] of monitorOf(ctx.server).events) {
      const last = s.samples[s.samples.length - 1]!;
      out.push([event, last.time, last.latency, s.max]);
    }
    return out;
  },
});

const history = defineCommand({
  name: "history",
  group: "server",
  summary: "Return timestamp-latency samples for the event.",
  since: "2.8.13",
  complexity: "O(1)",
  arity: 3,
  flags: [...FLAGS],
  tips: TIPS,
  docs: { arguments: [{ name: "event", type: "string" }] },
  handler(ctx, args) {
    const s = monitorOf(ctx.server).events.get(args.next());
    return s === undefined ? [] : s.samples.map((x) => [x.time, x.latency]);
  },
});

const reset = defineCommand({
  name: "reset",
  group: "server",
  summary: "Reset latency data for one or more events.",
  since: "2.8.13",
  complexity: "O(1)",
  arity: -2,
  flags: [...FLAGS],
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  docs: {
    arguments: [{
      name: "event",
      type: "string",
      optional: true,
      multiple: true,
    }],
  },
  handler(ctx, args) {
    const events = monitorOf(ctx.server).events;
    if (!args.more) {
      const n = events.size;
      events.clear();
      return n;
    }
    // Event names match in any case here (strcasecmp), unlike HISTORY.
    let n = 0;
    for (const name of args.rest()) {
      const wanted = asciiLower(name);
      for (const e of [...events.keys()]) {
        if (asciiLower(e) === wanted && events.delete(e)) n++;
      }
    }
    return n;
  },
});

const graph = defineCommand({
  name: "graph",
  group: "server",
  summary: "Return a latency graph for the event.",
  since: "2.8.13",
  complexity: "O(1)",
  arity: 3,
  flags: [...FLAGS],
  tips: TIPS,
  docs: { arguments: [{ name: "event", type: "string" }] },
  handler(ctx, args) {
    const event = args.next();
    const s = monitorOf(ctx.server).events.get(event);
    if (s === undefined) throw noLatencySamples(event);
    return verbatim(latencyGraph(ctx.server, event, s));
  },
});

// Columns of LATENCY GRAPH.
const GRAPH_COLS = 80;

// Redis's latencyCommandGenSparkeline: a header, a rule, and a filled
// sparkline 4 rows high labelled with how long ago each sample was.
function latencyGraph(server: ServerState, event: string, s: Series): string {
  const now = Math.floor(server.clock.now() / 1000);
  let min = 0;
  let max = 0;
  const samples = s.samples.map((x, i) => {
    if (i === 0) {
      min = max = x.latency;
    } else {
      max = Math.max(max, x.latency);
      min = Math.min(min, x.latency);
    }
    const elapsed = now - x.time;
    const label = elapsed < 60
      ? `${elapsed}s`
      : elapsed < 3600
      ? `${Math.trunc(elapsed / 60)}m`
      : elapsed < 86400
      ? `${Math.trunc(elapsed / 3600)}h`
      : `${Math.trunc(elapsed / 86400)}d`;
    return { value: x.latency, label };
  });
  return `${event} - high ${max} ms, low ${min} ms (all time high ${s.max} ms)\n` +
    "-".repeat(GRAPH_COLS) + "\n" +
    renderSparkline(samples, GRAPH_COLS, 4, true);
}

// The events whose samples call for each advice (Redis's
// createLatencyReport), in the order the advices are printed.
const ADVICE_EVENTS: [string, string[]][] = [
  ["slowlog-inspect", ["command"]],
  ["scheduler", ["fast-command"]],
  ["local-disk", [
    "aof-write-pending-fsync",
    "aof-write-alone",
    "aof-fstat",
    "rdb-unlink-temp-file",
    "aof-rewrite-diff-write",
    "aof-rename",
  ]],
  ["ssd", [
    "aof-write-pending-fsync",
    "aof-write-active-child",
    "aof-write-alone",
    "aof-rewrite-diff-write",
    "aof-rename",
  ]],
  ["data-writeback", [
    "aof-write-pending-fsync",
    "aof-write-active-child",
    "aof-write-alone",
    "aof-rewrite-diff-write",
    "aof-rename",
  ]],
  ["disk-contention", [
    "aof-write-pending-fsync",
    "aof-fstat",
    "rdb-unlink-temp-file",
  ]],
  ["no-appendfsync", ["aof-write-active-child"]],
  ["relax-fsync", ["aof-fsync-always"]],
  ["write-load-info", ["aof-rewrite-diff-write", "aof-rename"]],
  ["hz", ["expire-cycle"]],
  ["large-objects", ["command", "expire-cycle", "eviction-del"]],
  ["mass-eviction", ["eviction-cycle"]],
];

const ADVICE_TEXT: Record<string, string> = {
  "slowlog-inspect":
    "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n",
  scheduler:
    "- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
    "  1) Lower the system load.\n" +
    "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n",
  "local-disk":
    "- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n",
  ssd:
    "- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage and smaller final AOF rewrite buffer flushes). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n",
  "data-writeback":
    "- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n",
  "disk-contention":
    "- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n",
  "no-appendfsync":
    "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n",
  "relax-fsync":
    "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n",
  "write-load-info":
    "- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n",
  hz:
    "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n",
  "large-objects":
    "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n",
  "mass-eviction":
    "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n",
};

// How many advices each event counts toward (Redis counts some twice), so
// the "no easy fix" text shows exactly when Redis shows it.
const ADVICE_COUNT: Record<string, number> = {
  "fast-command": 1,
  "aof-write-pending-fsync": 4,
  "aof-write-active-child": 3,
  "aof-write-alone": 3,
  "aof-fsync-always": 1,
  "aof-fstat": 2,
  "rdb-unlink-temp-file": 2,
  "aof-rewrite-diff-write": 4,
  "aof-rename": 4,
  "expire-cycle": 2,
  "eviction-del": 1,
  "eviction-cycle": 1,
};

// Redis's createLatencyReport, without the fork and transparent huge
// pages checks (tsredis never forks).
function doctorReport(server: ServerState): string {
  const m = monitorOf(server);
  if (m.events.size === 0 && m.threshold === 0) {
    return `I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n`;
  }
  const now = Math.floor(server.clock.now() / 1000);
  let text = "";
  let eventnum = 0;
  let advices = 0;
  const wanted = new Set<string>();
  let slowlogEnabled = false;
  let slowlogTuning = false;
  for (const [event, s] of m.events) {
    eventnum++;
    if (eventnum === 1) {
      text +=
        "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    }
    const n = s.samples.length;
    let sum = 0;
    let oldest = 0;
    for (const x of s.samples) {
      sum += x.latency;
      if (oldest === 0 || x.time < oldest) oldest = x.time;
    }
    const avg = n === 0 ? 0 : Math.floor(sum / n);
    let mad = 0;
    for (const x of s.samples) mad += Math.abs(avg - x.latency);
    mad = n === 0 ? 0 : Math.floor(mad / n);
    const period = n === 0 ? 0 : Math.max(1, now - oldest);
    text +=
      `${eventnum}. ${event}: ${n} latency spikes (average ${avg}ms, mean deviation ${mad}ms, period ${
        (period / n).toFixed(2)
      } sec). Worst all time event ${s.max}ms.\n`;
    const lower = asciiLower(event);
    if (lower === "command") {
      const slower = server.config.number("slowlog-log-slower-than");
      if (slower < 0) {
        slowlogEnabled = true;
        advices++;
      } else if (Math.trunc(slower / 1000) > m.threshold) {
        slowlogTuning = true;
        advices++;
      }
      advices += 2;
    }
    advices += ADVICE_COUNT[lower] ?? 0;
    for (const [advice, events] of ADVICE_EVENTS) {
      if (events.includes(lower)) wanted.add(advice);
    }
  }
  if (eventnum === 0 && advices === 0) {
    return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
  }
  if (advices === 0) {
    return text +
      "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
  }
  text += "\nI have a few advices for you:\n\n";
  const threshold = m.threshold * 1000;
  if (slowlogEnabled) {
    text +=
      `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  }
  if (slowlogTuning) {
    text +=
      `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold}'.\n`;
  }
  for (const [advice] of ADVICE_EVENTS) {
    if (!wanted.has(advice)) continue;
    if (
      advice === "relax-fsync" && server.config.get("appendfsync") !== "always"
    ) continue;
    if (advice === "hz" && server.config.number("hz") >= 100) continue;
    text += ADVICE_TEXT[advice];
  }
  return text;
}

const doctor = defineCommand({
  name: "doctor",
  group: "server",
  summary: "Return a human readable latency analysis report.",
  since: "2.8.13",
  complexity: "O(1)",
  arity: 2,
  flags: [...FLAGS],
  tips: TIPS,
  handler(ctx) {
    return verbatim(doctorReport(ctx.server));
  },
});

function histogramOf(cmd: Command): Reply | undefined {
  const data = latencyCdf(cmd);
  if (data === undefined) return undefined;
  return map(["calls", data.calls, "histogram_usec", map(data.cdf.flat())]);
}

const histogram = defineCommand({
  name: "histogram",
  group: "server",
  summary:
    "Return the cumulative distribution of latencies of a subset of commands or all.",
  since: "7.0.0",
  complexity:
    "O(N) where N is the number of commands with latency information being retrieved.",
  arity: -2,
  flags: [...FLAGS],
  tips: TIPS,
  docs: {
    arguments: [{
      name: "command",
      type: "string",
      optional: true,
      multiple: true,
    }],
  },
  handler(ctx, args) {
    const entries: Reply[] = [];
    const add = (cmd: Command) => {
      const h = histogramOf(cmd);
      if (h !== undefined) entries.push(cmd.fullName, h);
    };
    if (!args.more) {
      for (const cmd of new Set(ctx.server.commands.values())) {
        add(cmd);
        for (const sub of cmd.subcommands?.values() ?? []) add(sub);
      }
    } else {
      // Redis's latencySpecificCommandsFillCDF: each name in turn
      // (repeats included); a container lists its subcommands too.
      for (const name of args.rest()) {
        const [parent, sub] = asciiLower(name).split("|");
        const cmd = lookupCommand(ctx.server, parent!);
        const target = sub === undefined ? cmd : cmd?.subcommands?.get(sub);
        if (target === undefined) continue;
        add(target);
        for (const s of target.subcommands?.values() ?? []) add(s);
      }
    }
    return map(entries);
  },
});

const HELP = [
  "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return a human readable latency analysis report.",
  "GRAPH <event>",
  "    Return an ASCII latency graph for the <event> class.",
  "HISTORY <event>",
  "    Return time-latency samples for the <event> class.",
  "LATEST",
  "    Return the latest latency samples for all events.",
  "RESET [<event> ...]",
  "    Reset latency data of one or more <event> classes.",
  "    (default: reset all data for all event classes)",
  "HISTOGRAM [COMMAND ...]",
  "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
  "    If no commands are specified then all histograms are replied.",
  "HELP",
  "    Prints this help.",
];

const help = defineCommand({
  name: "help",
  group: "server",
  summary: "Show helpful text about the different subcommands.",
  since: "2.8.13",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  handler() {
    return HELP.map(simple);
  },
});

/** LATENCY: the latency monitor. */
export const latency = defineCommand({
  name: "latency",
  group: "server",
  summary: "A container for latency diagnostics commands",
  since: "2.8.13",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [doctor, graph, help, histogram, history, latest, reset],
});
