/**
 * INFO [section [section ...]]
 *
 * Redis 7.0's sections, in its order and with its field names. Values come
 * from the server state; fields about machinery tsredis does not have
 * (forks, RDB, jemalloc, io-threads, defragmentation) report what Redis
 * reports when that machinery is idle.
 *
 * @module
 */
import { trackingOf } from "../../tracking/tracking.ts";
import { REDIS_VERSION, TSREDIS_VERSION } from "../../config.ts";
import { verbatim } from "../../protocol/reply.ts";
import type { ServerState } from "../../state.ts";
import { lruClock } from "../../store/database.ts";
import { evictionExceededTime } from "../../store/eviction.ts";
import { memoryInfo } from "../../store/memory.ts";
import { blockedClientCount } from "../blocking.ts";
import { defineCommand } from "../define.ts";
import { commandsOf } from "../table.ts";
import type { Command } from "../types.ts";
import { latencyPercentiles } from "./latency_histogram.ts";
import { nowMicros } from "./time.ts";
import { formatFixedTrimmed } from "../../util/number.ts";

/** One INFO field: `name:value`. */
export type InfoField = readonly [string, string | number];

/** What a section prints; subsystems may replace one (persistence, replication). */
export type InfoSection = (server: ServerState) => InfoField[];

// Per-server values INFO keeps between calls.
interface InfoState {
  replid: string;
  replid2: string;
  startupMemory: number;
  peakMemory: number;
  // Instantaneous metrics: samples every 100 ms, as Redis's trackInstantaneousMetric.
  lastSample: number;
  lastIn: number;
  lastOut: number;
  inKbps: number[];
  outKbps: number[];
}

const states = new WeakMap<ServerState, InfoState>();

function randomHex40(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(20)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

function memoryUsed(): number {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}

function stateOf(server: ServerState): InfoState {
  let s = states.get(server);
  if (s === undefined) {
    const used = memoryUsed();
    s = {
      replid: randomHex40(),
      replid2: "0".repeat(40),
      startupMemory: used,
      peakMemory: used,
      lastSample: performance.now(),
      lastIn: server.stats.netInput,
      lastOut: server.stats.netOutput,
      inKbps: [],
      outKbps: [],
    };
    states.set(server, s);
  }
  return s;
}

/** The replication ids (INFO master_replid, DEBUG CHANGE-REPL-ID). */
export function replicationIds(
  server: ServerState,
): { replid: string; replid2: string } {
  return server.replication?.ids() ?? stateOf(server);
}

/** A new replication id, the old one becoming the secondary (DEBUG CHANGE-REPL-ID). */
export function changeReplicationId(server: ServerState): void {
  if (server.replication !== undefined) {
    server.replication.changeReplicationId();
    return;
  }
  const s = stateOf(server);
  s.replid2 = s.replid;
  s.replid = randomHex40();
}

function sample(server: ServerState): void {
  const s = stateOf(server);
  const now = performance.now();
  const elapsed = now - s.lastSample;
  if (elapsed < 100) return;
  const push = (list: number[], bytes: number) => {
    list.push(bytes / 1024 / (elapsed / 1000));
    if (list.length > 16) list.shift();
  };
  push(s.inKbps, server.stats.netInput - s.lastIn);
  push(s.outKbps, server.stats.netOutput - s.lastOut);
  s.lastIn = server.stats.netInput;
  s.lastOut = server.stats.netOutput;
  s.lastSample = now;
  const used = memoryUsed();
  if (used > s.peakMemory) s.peakMemory = used;
}

/** Starts the samples INFO needs (memory peak, instantaneous kbps). */
export function installInfo(server: ServerState): void {
  stateOf(server);
  server.cronHooks.push(sample);
}

function mean(list: number[]): number {
  return list.length === 0 ? 0 : list.reduce((a, b) => a + b, 0) / list.length;
}

/** Bytes as Redis's bytesToHuman prints them (`1015.65K`). */
export function bytesToHuman(n: number): string {
  const units = ["B", "K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

function osName(): string {
  let release = "";
  try {
    release = Deno.osRelease();
  } catch {
    // No --allow-sys.
  }
  const os = Deno.build.os === "linux"
    ? "Linux"
    : Deno.build.os === "darwin"
    ? "Darwin"
    : Deno.build.os;
  return `${os} ${release} ${Deno.build.arch}`.replace(/ +/g, " ");
}

function executable(): string {
  try {
    return Deno.execPath();
  } catch {
    return "";
  }
}

function cpuUsage(): { user: number; system: number } {
  const fn = (Deno as { cpuUsage?: () => { user: number; system: number } })
    .cpuUsage;
  try {
    return fn === undefined ? { user: 0, system: 0 } : fn();
  } catch {
    return { user: 0, system: 0 };
  }
}

function server_(server: ServerState): InfoField[] {
  const now = server.clock.now();
  const uptime = Math.floor((now - server.startedAt) / 1000);
  const hz = server.config.number("hz");
  return [
    ["redis_version", REDIS_VERSION],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", osName()],
    ["arch_bits", 64],
    ["monotonic_clock", "performance.now"],
    ["multiplexing_api", Deno.build.os === "darwin" ? "kqueue" : "epoll"],
    ["atomicvar_api", "c11-builtin"],
    ["gcc_version", "0.0.0"],
    ["process_id", Deno.pid],
    ["process_supervised", server.supervised],
    ["run_id", server.runId],
    ["tcp_port", server.port],
    ["server_time_usec", nowMicros(server)],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", hz],
    ["configured_hz", hz],
    ["lru_clock", server.lruClock || lruClock(now)],
    ["executable", executable()],
    ["config_file", server.config.file],
    ["io_threads_active", 0],
    ["tsredis_version", TSREDIS_VERSION],
  ];
}

function clients(server: ServerState): InfoField[] {
  let connected = 0;
  let maxIn = 0;
  let maxOut = 0;
  let inTimeoutTable = 0;
  for (const c of server.clients.values()) {
    // Redis counts the master link but not replicas.
    if (c.internal && c.replRole !== "master") continue;
    if (c.replRole === "replica") continue;
    connected++;
    maxIn = Math.max(maxIn, c.queryBuffer);
    maxOut = Math.max(maxOut, c.out.length);
    if (c.blocked !== undefined && c.blocked.deadline > 0) inTimeoutTable++;
  }
  return [
    ["connected_clients", connected],
    ["cluster_connections", 0],
    ["maxclients", server.config.get("maxclients")],
    ["client_recent_max_input_buffer", maxIn],
    ["client_recent_max_output_buffer", maxOut],
    ["blocked_clients", blockedClientCount(server)],
    ["tracking_clients", trackingOf(server).clients],
    ["clients_in_timeout_table", inTimeoutTable],
  ];
}

function memory(server: ServerState): InfoField[] {
  return memoryInfo(server);
}

// The RDB runtime's fields, then the AOF's, then (while a file loads) the
// loading_* fields, as Redis orders them.
function persistence(server: ServerState): InfoField[] {
  return [
    ...(server.rdb?.info() ?? rdbFields(server)),
    ...aofFields(server),
    ...(server.rdb?.loadingInfo() ?? []),
  ];
}

// What Redis shows with no RDB activity (servers built without persistence).
function rdbFields(server: ServerState): InfoField[] {
  return [
    ["loading", server.loading ? 1 : 0],
    ["async_loading", 0],
    ["current_cow_peak", 0],
    ["current_cow_size", 0],
    ["current_cow_size_age", 0],
    ["current_fork_perc", "0.00"],
    ["current_save_keys_processed", 0],
    ["current_save_keys_total", 0],
    ["rdb_changes_since_last_save", server.dirty],
    ["rdb_bgsave_in_progress", 0],
    ["rdb_last_save_time", Math.floor(server.startedAt / 1000)],
    ["rdb_last_bgsave_status", "ok"],
    ["rdb_last_bgsave_time_sec", -1],
    ["rdb_current_bgsave_time_sec", -1],
    ["rdb_saves", 0],
    ["rdb_last_cow_size", 0],
    ["rdb_last_load_keys_expired", 0],
    ["rdb_last_load_keys_loaded", 0],
  ];
}

// The AOF's fields, with Redis's module_fork_* pair after aof_last_cow_size
// (the fields after it appear only while appendonly is on).
function aofFields(server: ServerState): InfoField[] {
  const aof = server.aof?.info() ?? [
    ["aof_enabled", 0],
    ["aof_rewrite_in_progress", 0],
    ["aof_rewrite_scheduled", 0],
    ["aof_last_rewrite_time_sec", -1],
    ["aof_current_rewrite_time_sec", -1],
    ["aof_last_bgrewrite_status", "ok"],
    ["aof_rewrites", 0],
    ["aof_rewrites_consecutive_failures", 0],
    ["aof_last_write_status", "ok"],
    ["aof_last_cow_size", 0],
  ];
  const at = aof.findIndex(([name]) => name === "aof_last_cow_size") + 1;
  return [
    ...aof.slice(0, at),
    ["module_fork_in_progress", 0],
    ["module_fork_last_cow_size", 0],
    ...aof.slice(at),
  ];
}

function stats(server: ServerState): InfoField[] {
  const st = server.stats;
  const s = stateOf(server);
  const pubsub = server.pubsub;
  const eviction = evictionExceededTime(server);
  const repl = server.replication?.stats();
  return [
    ["total_connections_received", st.totalConnections],
    ["total_commands_processed", st.totalCommands],
    ["instantaneous_ops_per_sec", server.opsPerSec],
    ["total_net_input_bytes", st.netInput],
    ["total_net_output_bytes", st.netOutput],
    ["total_net_repl_input_bytes", repl?.netReplInput ?? 0],
    ["total_net_repl_output_bytes", repl?.netReplOutput ?? 0],
    ["instantaneous_input_kbps", mean(s.inKbps).toFixed(2)],
    ["instantaneous_output_kbps", mean(s.outKbps).toFixed(2)],
    ["instantaneous_input_repl_kbps", (repl?.inputKbps ?? 0).toFixed(2)],
    ["instantaneous_output_repl_kbps", (repl?.outputKbps ?? 0).toFixed(2)],
    ["rejected_connections", st.rejectedConnections],
    ["sync_full", repl?.syncFull ?? 0],
    ["sync_partial_ok", repl?.syncPartialOk ?? 0],
    ["sync_partial_err", repl?.syncPartialErr ?? 0],
    ["expired_keys", st.expiredKeys],
    ["expired_stale_perc", st.expiredStalePerc.toFixed(2)],
    ["expired_time_cap_reached_count", st.expiredTimeCapReached],
    ["expire_cycle_cpu_milliseconds", Math.round(st.expireCycleCpuMs)],
    ["evicted_keys", st.evictedKeys],
    ["evicted_clients", st.evictedClients],
    ["total_eviction_exceeded_time", Math.floor(eviction.total / 1000)],
    ["current_eviction_exceeded_time", Math.floor(eviction.current / 1000)],
    ["keyspace_hits", st.keyspaceHits],
    ["keyspace_misses", st.keyspaceMisses],
    ["pubsub_channels", pubsub.channels.size],
    ["pubsub_patterns", pubsub.patterns.size],
    ["pubsubshard_channels", pubsub.shardChannels.size],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", server.migrate?.cachedSockets ?? 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", trackingOf(server).totalKeys],
    ["tracking_total_items", trackingOf(server).totalItems],
    ["tracking_total_prefixes", trackingOf(server).totalPrefixes],
    ["unexpected_error_replies", st.unexpectedErrorReplies],
    ["total_error_replies", st.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", st.totalReads],
    ["total_writes_processed", st.totalWrites],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", st.replyBufferShrinks],
    ["reply_buffer_expands", st.replyBufferExpands],
  ];
}

function replication(server: ServerState): InfoField[] {
  const fields = server.replication?.info();
  if (fields !== undefined) return fields;
  const ids = stateOf(server);
  return [
    ["role", "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", ids.replid],
    ["master_replid2", ids.replid2],
    ["master_repl_offset", 0],
    ["second_repl_offset", -1],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", server.config.get("repl-backlog-size")],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ];
}

function cpu(): InfoField[] {
  const u = cpuUsage();
  const secs = (us: number) => (us / 1e6).toFixed(6);
  return [
    ["used_cpu_sys", secs(u.system)],
    ["used_cpu_user", secs(u.user)],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", secs(u.system)],
    ["used_cpu_user_main_thread", secs(u.user)],
  ];
}

// Every command and subcommand, parents before their subcommands.
function walk(server: ServerState): Command[] {
  const out: Command[] = [];
  const visit = (cmds: Iterable<Command>) => {
    for (const cmd of cmds) {
      out.push(cmd);
      if (cmd.subcommands !== undefined) visit(cmd.subcommands.values());
    }
  };
  visit(commandsOf(server.commands));
  return out;
}

function commandstats(server: ServerState): InfoField[] {
  const out: InfoField[] = [];
  for (const cmd of walk(server)) {
    const s = cmd.stats;
    if (s.calls === 0 && s.failedCalls === 0 && s.rejectedCalls === 0) {
      continue;
    }
    // Redis divides in single precision before printing with %.2f.
    const perCall = s.calls === 0 ? 0 : Math.fround(s.usec / s.calls);
    out.push([
      `cmdstat_${cmd.fullName}`,
      `calls=${s.calls},usec=${s.usec},usec_per_call=${
        perCall.toFixed(2)
      },rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`,
    ]);
  }
  return out;
}

function errorstats(server: ServerState): InfoField[] {
  const codes = [...server.stats.errors.keys()].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0
  );
  return codes.map((
    code,
  ) => [`errorstat_${code}`, `count=${server.stats.errors.get(code)}`]);
}

function latencystats(server: ServerState): InfoField[] {
  const percentiles = server.config.get("latency-tracking-info-percentiles")
    .split(" ").filter((w) => w !== "").map(Number);
  const out: InfoField[] = [];
  if (!server.config.bool("latency-tracking")) return out;
  for (const cmd of walk(server)) {
    const values = latencyPercentiles(cmd, percentiles);
    if (values === undefined) continue;
    out.push([
      `latency_percentiles_usec_${cmd.fullName}`,
      percentiles.map((p, i) =>
        `p${formatFixedTrimmed(p)}=${values[i]!.toFixed(3)}`
      )
        .join(","),
    ]);
  }
  return out;
}

function keyspace(server: ServerState): InfoField[] {
  const out: InfoField[] = [];
  for (const db of server.keyspace.dbs) {
    if (db.size === 0 && db.expiresCount === 0) continue;
    out.push([
      `db${db.id}`,
      `keys=${db.size},expires=${db.expiresCount},avg_ttl=${db.avgTtl}`,
    ]);
  }
  return out;
}

/**
 * The sections in Redis's order, with their titles. `modules` prints an
 * empty section; persistence and replication may be replaced by the
 * subsystems that own those fields.
 */
export const INFO_SECTIONS: {
  name: string;
  title: string;
  inDefault: boolean;
  fields: InfoSection;
}[] = [
  { name: "server", title: "Server", inDefault: true, fields: server_ },
  { name: "clients", title: "Clients", inDefault: true, fields: clients },
  { name: "memory", title: "Memory", inDefault: true, fields: memory },
  {
    name: "persistence",
    title: "Persistence",
    inDefault: true,
    fields: persistence,
  },
  { name: "stats", title: "Stats", inDefault: true, fields: stats },
  {
    name: "replication",
    title: "Replication",
    inDefault: true,
    fields: replication,
  },
  { name: "cpu", title: "CPU", inDefault: true, fields: cpu },
  { name: "modules", title: "Modules", inDefault: true, fields: () => [] },
  {
    name: "commandstats",
    title: "Commandstats",
    inDefault: false,
    fields: commandstats,
  },
  {
    name: "errorstats",
    title: "Errorstats",
    inDefault: true,
    fields: errorstats,
  },
  {
    name: "latencystats",
    title: "Latencystats",
    inDefault: false,
    fields: latencystats,
  },
  {
    name: "cluster",
    title: "Cluster",
    inDefault: true,
    fields: () => [["cluster_enabled", 0]],
  },
  { name: "keyspace", title: "Keyspace", inDefault: true, fields: keyspace },
];

/** The INFO text for the requested section words (none: the default sections). */
export function infoText(
  server: ServerState,
  words: readonly string[],
): string {
  const wanted = new Set<string>();
  let all = false;
  if (words.length === 0) wanted.add("default");
  for (const w of words) {
    const lower = w.toLowerCase();
    if (lower === "all" || lower === "everything") all = true;
    else wanted.add(lower === "module_list" ? "modules" : lower);
  }
  const parts: string[] = [];
  for (const section of INFO_SECTIONS) {
    const included = all || wanted.has(section.name) ||
      (section.inDefault && wanted.has("default"));
    if (!included) continue;
    let text = `# ${section.title}\r\n`;
    for (const [name, value] of section.fields(server)) {
      text += `${name}:${value}\r\n`;
    }
    parts.push(text);
  }
  return parts.join("\r\n");
}

/** INFO: server information and statistics. */
export const info = defineCommand({
  name: "info",
  group: "server",
  summary: "Get information and statistics about the server",
  since: "1.0.0",
  complexity: "O(1)",
  arity: -1,
  flags: ["loading", "stale"],
  acl: ["dangerous"],
  tips: [
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special",
  ],
  docs: {
    history: [[
      "7.0.0",
      "Added support for taking multiple section arguments.",
    ]],
    arguments: [
      { name: "section", type: "string", optional: true, multiple: true },
    ],
  },
  handler(ctx, args) {
    return verbatim(infoText(ctx.server, args.rest()));
  },
});
