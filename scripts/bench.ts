/**
 * `deno task bench`: runs the same redis-benchmark workloads against a real
 * redis-server and against tsredis, interleaved, and prints requests/s for
 * both with the ratio tsredis/redis, plus resident memory after loading one
 * million 16-byte values into each.
 *
 * Servers run pinned to CPU 0, and redis-benchmark and this script itself
 * (its probes and redis-cli calls) to CPU 1 (taskset), on free ports. Options:
 *   --quick            fewer requests per run (a smoke run, noisier)
 *   --only a,b         only the workloads whose names contain one of these
 *   --no-memory        skip the memory load
 *   --rounds N         repeat each workload N times and keep the best (default 2)
 *   --no-persistence   skip SAVE, load and BGSAVE-under-writes (bench_persistence.ts)
 *   --no-abuse         skip the abuse scenarios (bench_abuse.ts)
 *   --markdown         print only the Markdown tables (for the README)
 *   --help             this text
 * `--only persistence` runs only the persistence part, `--only memory` only
 * the memory load, `--only abuse` only the abuse scenarios.
 * Environment: TSREDIS_BIN runs a compiled binary instead of main.ts;
 * TSREDIS_IO=stream runs tsredis with the web-stream read path;
 * TSREDIS_V8_FLAGS replaces the V8 flags (default: those of `deno task start`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  loadKeys,
  pinned,
  pinSelf,
  rssBytes,
  run,
  type Running,
  startServer,
  which,
} from "./bench_servers.ts";
import {
  persistenceBench,
  type PersistenceResult,
  persistenceRows,
} from "./bench_persistence.ts";
import { abuseBench, type AbuseRow, abuseRows } from "./bench_abuse.ts";

interface Workload {
  name: string;
  /** redis-benchmark arguments (after -p/-c/-n). */
  args: string[];
  pipeline: number;
  requests: number;
  /** Run against servers with `--appendonly yes --appendfsync everysec`. */
  aof?: boolean;
  /** Commands sent (with redis-cli) before each run: scripts to load. */
  setup?: string[][];
}

// The scripting workloads: a short script of a few redis.call, as EVALSHA
// and as a FUNCTION library's function.
const SCRIPT =
  "redis.call('SET', KEYS[1], ARGV[1]) redis.call('INCR', KEYS[2]) return redis.call('GET', KEYS[1])";
const SCRIPT_SHA = Array.from(
  new Uint8Array(
    await crypto.subtle.digest("SHA-1", new TextEncoder().encode(SCRIPT)),
  ),
  (b) => b.toString(16).padStart(2, "0"),
).join("");
const LIBRARY =
  `#!lua name=bench\nredis.register_function('bench', function(KEYS, ARGV) ${SCRIPT} end)`;

/** The persistence settings of the AOF workloads, on both servers. */
const AOF_ARGS = ["--appendonly", "yes", "--appendfsync", "everysec"];

const USAGE = `Usage: deno task bench [options]

Runs the same workloads against redis-server and tsredis and prints both
with the ratio tsredis/redis (needs redis-server and redis-benchmark).

  --quick            fewer requests per run (a smoke run, noisier)
  --only a,b         only the workloads whose names contain one of these
                     ("persistence", "memory" and "abuse" name those parts)
  --no-memory        skip the memory load
  --no-persistence   skip SAVE, load and BGSAVE under writes
  --no-abuse         skip the abuse scenarios (a probe's PING latency
                     while one client abuses the server)
  --rounds N         repeat each workload N times and keep the best (default 2)
  --markdown         print only the Markdown tables (for the README)
  --help             this text`;

function parseOptions() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        "no-memory": { type: "boolean", default: false },
        "no-persistence": { type: "boolean", default: false },
        "no-abuse": { type: "boolean", default: false },
        rounds: { type: "string", default: "2" },
        markdown: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
}

const opts = parseOptions();
if (opts.help) {
  console.log(USAGE);
  Deno.exit(0);
}

const SCALE = opts.quick ? 0.1 : 1;
const ROUNDS = Math.max(1, Number(opts.rounds));

function workloads(): Workload[] {
  const list: Workload[] = [];
  const tests = [
    "ping_mbulk",
    "set",
    "get",
    "incr",
    "mset",
    "lpush",
    "lpop",
    "rpop",
    "sadd",
    "hset",
    "spop",
    "zadd",
    "zpopmin",
    "lrange_100",
  ];
  for (const pipeline of [1, 16]) {
    for (const t of tests) {
      const base = t === "lrange_100"
        ? 100_000
        : t === "mset"
        ? 150_000
        : 300_000;
      list.push({
        name: `${t.toUpperCase()} -P ${pipeline}`,
        args: ["-t", t, "-r", "100000"],
        pipeline,
        requests: Math.round(base * (pipeline === 16 ? 4 : 1) * SCALE),
      });
    }
    // redis-benchmark 7.0 has no built-in XADD test: run it as a command.
    list.push({
      name: `XADD -P ${pipeline}`,
      args: ["XADD", "mystream", "*", "myfield", "myvalue"],
      pipeline,
      requests: Math.round(300_000 * (pipeline === 16 ? 4 : 1) * SCALE),
    });
    // 100000 random elements: the HLL turns dense early, as real ones do.
    list.push({
      name: `PFADD -P ${pipeline}`,
      args: ["-r", "100000", "PFADD", "hll", "element:__rand_int__"],
      pipeline,
      requests: Math.round(300_000 * (pipeline === 16 ? 4 : 1) * SCALE),
    });
    // One dense HLL of 5000 elements; its count is cached after the first.
    list.push({
      name: `PFCOUNT -P ${pipeline}`,
      args: ["PFCOUNT", "hll"],
      pipeline,
      requests: Math.round(300_000 * (pipeline === 16 ? 4 : 1) * SCALE),
      setup: [[
        "PFADD",
        "hll",
        ...Array.from({ length: 5000 }, (_, i) => `element:${i}`),
      ]],
    });
  }
  for (const t of ["set", "get"]) {
    list.push({
      name: `${t.toUpperCase()} -d 1024 -P 1`,
      args: ["-t", t, "-d", "1024", "-r", "100000"],
      pipeline: 1,
      requests: Math.round(300_000 * SCALE),
    });
  }
  for (const pipeline of [1, 16]) {
    const requests = Math.round(200_000 * (pipeline === 16 ? 2 : 1) * SCALE);
    list.push({
      name: `EVALSHA -P ${pipeline}`,
      args: ["EVALSHA", SCRIPT_SHA, "2", "key:__rand_int__", "counter", "v"],
      pipeline,
      requests,
      setup: [["SCRIPT", "LOAD", SCRIPT]],
    });
    list.push({
      name: `FCALL -P ${pipeline}`,
      args: ["FCALL", "bench", "2", "key:__rand_int__", "counter", "v"],
      pipeline,
      requests,
      setup: [["FUNCTION", "LOAD", "REPLACE", LIBRARY]],
    });
  }
  // Writes with the AOF on: both servers append every SET to their
  // appendonlydir and fsync once a second.
  for (const pipeline of [1, 16]) {
    list.push({
      name: `SET AOF everysec -P ${pipeline}`,
      args: ["-t", "set", "-r", "100000"],
      pipeline,
      requests: Math.round(300_000 * (pipeline === 16 ? 4 : 1) * SCALE),
      aof: true,
    });
  }
  const only = opts.only?.split(",").map((s) => s.toLowerCase());
  return only === undefined
    ? list
    : list.filter((w) => only.some((o) => w.name.toLowerCase().includes(o)));
}

async function benchmark(server: Running, w: Workload): Promise<number> {
  const csv = await run(pinned(1, [
    "redis-benchmark",
    "-h",
    "127.0.0.1",
    "-p",
    String(server.port),
    "-c",
    "50",
    "-n",
    String(w.requests),
    "-P",
    String(w.pipeline),
    "--csv",
    ...w.args,
  ]));
  // The last row is the measured test (LRANGE prints its LPUSH fill first).
  const rows = csv.trim().split("\n").filter((l) => !l.startsWith('"test"'));
  const last = rows[rows.length - 1] ?? "";
  // A workload the server cannot run (unknown command) reports NaN, not a crash.
  return Number(last.split(",")[1]?.replaceAll('"', ""));
}

async function flush(server: Running): Promise<void> {
  await run(["redis-cli", "-p", String(server.port), "FLUSHALL"]);
}

async function memoryLoad(server: Running): Promise<number> {
  await flush(server);
  await loadKeys(server, Math.round(1_000_000 * SCALE));
  // Give a garbage-collected runtime a moment to settle before reading RSS.
  await new Promise((r) => setTimeout(r, 2000));
  return rssBytes(server.pid);
}

function fmt(n: number): string {
  return n > 0 ? Math.round(n).toLocaleString("en-US") : "error";
}

async function main(): Promise<void> {
  if (
    which("redis-server") === undefined ||
    which("redis-benchmark") === undefined
  ) {
    console.error(
      "deno task bench needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)",
    );
    Deno.exit(1);
  }
  await pinSelf(1);
  const rows: [string, number, number][] = [];
  const all = workloads();
  for (const aof of [false, true]) {
    const list = all.filter((w) => (w.aof ?? false) === aof);
    if (list.length === 0) continue;
    const extra = aof ? AOF_ARGS : [];
    const [redis, ours] = await Promise.all([
      startServer("redis", extra),
      startServer("tsredis", extra),
    ]);
    try {
      for (const w of list) rows.push(await runWorkload(w, redis, ours));
    } finally {
      await Promise.all([redis.stop(), ours.stop()]);
    }
  }
  const only = opts.only?.toLowerCase().split(",");
  let memory: [number, number] | undefined;
  if (!opts["no-memory"] && (only === undefined || only.includes("memory"))) {
    // Fresh servers: the measure is the load's, not that of the workloads before it.
    const [r, t] = await Promise.all([
      startServer("redis"),
      startServer("tsredis"),
    ]);
    try {
      memory = [await memoryLoad(r), await memoryLoad(t)];
    } finally {
      await Promise.all([r.stop(), t.stop()]);
    }
  }
  let persistence: [PersistenceResult, PersistenceResult] | undefined;
  if (
    !opts["no-persistence"] &&
    (only === undefined || only.includes("persistence"))
  ) {
    persistence = await persistenceBench(Math.round(1_000_000 * SCALE));
  }
  let abuse: AbuseRow[] | undefined;
  if (!opts["no-abuse"] && (only === undefined || only.includes("abuse"))) {
    abuse = await abuseBench({
      scale: SCALE,
      rounds: ROUNDS,
      log: (line) => {
        if (!opts.markdown) console.log(line);
      },
    });
  }
  printTable(rows, memory);
  if (persistence !== undefined) {
    console.log("\n" + persistenceRows(persistence).join("\n"));
  }
  if (abuse !== undefined) console.log("\n" + abuseRows(abuse).join("\n"));
}

async function runWorkload(
  w: Workload,
  redis: Running,
  ours: Running,
): Promise<[string, number, number]> {
  let bestRedis = 0;
  let bestOurs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first so warm-up and machine noise even out.
    const order = round % 2 === 0 ? [redis, ours] : [ours, redis];
    for (const server of order) {
      await flush(server);
      for (const cmd of w.setup ?? []) {
        await run(["redis-cli", "-p", String(server.port), ...cmd]);
      }
      const rps = await benchmark(server, w);
      if (server === redis) bestRedis = Math.max(bestRedis, rps || 0);
      else bestOurs = Math.max(bestOurs, rps || 0);
    }
  }
  if (!opts.markdown) {
    console.log(
      `${w.name.padEnd(22)} redis ${fmt(bestRedis).padStart(10)}  tsredis ${
        fmt(bestOurs).padStart(10)
      }  ratio ${(bestOurs / bestRedis).toFixed(2)}`,
    );
  }
  return [w.name, bestRedis, bestOurs];
}

function printTable(
  rows: [string, number, number][],
  memory: [number, number] | undefined,
): void {
  const lines = [
    "| workload (-c 50) | redis-server 7.0 req/s | tsredis req/s | tsredis/redis |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(([name, r, t]) =>
      `| ${name} | ${fmt(r)} | ${fmt(t)} | ${(t / r).toFixed(2)} |`
    ),
  ];
  if (memory !== undefined) {
    const [r, t] = memory;
    lines.push(
      `| RSS after ${
        SCALE === 1 ? "1M" : `${SCALE * 1000}k`
      } SETs of 16 B (-r 100000000 -P 32) | ${(r / 1048576).toFixed(0)} MiB | ${
        (t / 1048576).toFixed(0)
      } MiB | ${(t / r).toFixed(2)} |`,
    );
  }
  console.log("\n" + lines.join("\n"));
}

if (import.meta.main) await main();
