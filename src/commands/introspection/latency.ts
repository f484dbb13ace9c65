/**
 * LATENCY LATEST | HISTORY event | RESET [event ...] | DOCTOR | HELP: the
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
    let n = 0;
    for (const e of args.rest()) if (events.delete(e)) n++;
    return n;
  },
});

function doctorReport(server: ServerState): string {
  const m = monitorOf(server);
  if (m.threshold <= 0) {
    return `I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n`;
  }
  if (m.events.size === 0) {
    return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
  }

  let text =
    "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let i = 1;
  for (const [event, s] of m.events) {
    const n = s.samples.length;
    const avg = s.samples.reduce((a, x) => a + x.latency, 0) / n;
    const dev = s.samples.reduce((a, x) => a + Math.abs(x.latency - avg), 0) /
      n;
    const period = n > 1
      ? (s.samples[n - 1]!.time - s.samples[0]!.time) / (n - 1)
      : 0;
    text += `${i++}. ${event}: ${n} latency spikes (average ${
      Math.round(avg)
    }ms, mean deviation ${Math.round(dev)}ms, period ${
      period.toFixed(2)
    } sec). Worst all time event ${s.max}ms.\n`;
  }
  text += "\nI have a few advices for you:\n\n";
  text +=
    "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n";
  text +=
    "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n";
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
      for (const name of args.rest()) {
        const [parent, sub] = asciiLower(name).split("|");
        const cmd = lookupCommand(ctx.server, parent!);
        const target = sub === undefined ? cmd : cmd?.subcommands?.get(sub);
        if (target !== undefined) add(target);
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
  subcommands: [doctor, help, histogram, history, latest, reset],
});
