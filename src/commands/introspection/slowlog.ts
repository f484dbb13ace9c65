/**
 * SLOWLOG GET [count] | LEN | RESET | HELP: commands slower than
 * `slowlog-log-slower-than` microseconds, newest first, at most
 * `slowlog-max-len` entries.
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { commandError } from "../../errors.ts";
import { OK, simple } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import type { Client } from "../../client.ts";
import type { ServerState } from "../../state.ts";
import type { Command } from "../types.ts";
import { pipelineHooks } from "../dispatch.ts";
import { visibleArgv } from "./monitor.ts";

const MAX_ARGC = 32;
const MAX_STRING = 128;

interface Entry {
  id: number;
  time: number;
  usec: number;
  argv: string[];
  addr: string;
  name: string;
}

interface SlowLog {
  entries: Entry[];
  nextId: number;
  threshold: number;
  maxLen: number;
}

const logs = new WeakMap<ServerState, SlowLog>();

// The last server asked about: observers run on every command, and a
// WeakMap lookup there is measurable.
let lastServer: ServerState | undefined;
let lastLog: SlowLog | undefined;

function logOf(server: ServerState): SlowLog {
  if (server === lastServer) return lastLog!;
  lastLog = findLog(server);
  lastServer = server;
  return lastLog;
}

function findLog(server: ServerState): SlowLog {
  let log = logs.get(server);
  if (log === undefined) {
    log = {
      entries: [],
      nextId: 0,
      threshold: server.config.number("slowlog-log-slower-than"),
      maxLen: server.config.number("slowlog-max-len"),
    };
    const l = log;
    server.config.onChange(
      "slowlog-log-slower-than",
      (v) => (l.threshold = Number(v)),
    );
    server.config.onChange("slowlog-max-len", (v) => {
      l.maxLen = Number(v);
      if (l.entries.length > l.maxLen) l.entries.length = l.maxLen;
    });
    logs.set(server, log);
  }
  return log;
}

// Long commands are kept short: 32 words at most, 128 bytes per word.
function trimmed(argv: Argv): string[] {
  const argc = Math.min(argv.length, MAX_ARGC);
  const out: string[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`);
    } else {
      const a = argv[j]!;
      out.push(
        a.length > MAX_STRING
          ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)`
          : a,
      );
    }
  }
  return out;
}

function observe(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
  usec: number,
): void {
  const log = logOf(server);
  if (
    log.threshold < 0 || usec < log.threshold || cmd.skipSlowlog
  ) return;
  log.entries.unshift({
    id: log.nextId++,
    time: Math.floor(server.clock.now() / 1000),
    usec,
    argv: trimmed(visibleArgv(cmd, argv)),
    addr: client.addr,
    name: client.name,
  });
  if (log.entries.length > log.maxLen) log.entries.length = log.maxLen;
}

/** Installs the slow log observer. */
export function installSlowlog(server: ServerState): void {
  logOf(server);
  if (!pipelineHooks.timedObservers.includes(observe)) {
    pipelineHooks.timedObservers.push(observe);
  }
}

const get = defineCommand({
  name: "get",
  group: "server",
  summary: "Get the slow log's entries",
  since: "2.2.12",
  complexity: "O(N) where N is the number of entries returned",
  arity: -2,
  flags: ["admin", "loading", "stale"],
  tips: ["request_policy:all_nodes", "nondeterministic_output"],
  docs: {
    history: [[
      "4.0.0",
      "Added client IP address, port and name to the reply.",
    ]],
    arguments: [{ name: "count", type: "integer", optional: true }],
  },
  handler(ctx, args) {
    let count = 10;
    if (args.more) {
      const countError = () =>
        commandError("count should be greater than or equal to -1");
      const n = args.long(countError);
      if (n < -1) throw countError();
      count = n === -1 ? Infinity : n;
    }
    args.end();
    const out: Reply[] = [];
    for (const e of logOf(ctx.server).entries.slice(0, count)) {
      out.push([e.id, e.time, e.usec, e.argv, e.addr, e.name]);
    }
    return out;
  },
});

const len = defineCommand({
  name: "len",
  group: "server",
  summary: "Get the slow log's length",
  since: "2.2.12",
  complexity: "O(1)",
  arity: 2,
  flags: ["admin", "loading", "stale"],
  tips: [
    "request_policy:all_nodes",
    "response_policy:agg_sum",
    "nondeterministic_output",
  ],
  handler(ctx) {
    return logOf(ctx.server).entries.length;
  },
});

const reset = defineCommand({
  name: "reset",
  group: "server",
  summary: "Clear all entries from the slow log",
  since: "2.2.12",
  complexity: "O(N) where N is the number of entries in the slowlog",
  arity: 2,
  flags: ["admin", "loading", "stale"],
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  handler(ctx) {
    logOf(ctx.server).entries = [];
    return OK;
  },
});

const HELP = [
  "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
  "HELP",
  "    Prints this help.",
];

const help = defineCommand({
  name: "help",
  group: "server",
  summary: "Show helpful text about the different subcommands",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  handler() {
    return HELP.map(simple);
  },
});

/** SLOWLOG: the slow command log. */
export const slowlog = defineCommand({
  name: "slowlog",
  group: "server",
  summary: "A container for slow log commands",
  since: "2.2.12",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [get, help, len, reset],
});
