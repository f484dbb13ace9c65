/**
 * MEMORY USAGE key [SAMPLES count]
 * MEMORY STATS
 * MEMORY DOCTOR
 * MEMORY PURGE
 * MEMORY MALLOC-STATS
 * MEMORY HELP
 *
 * The figures come from the keyspace's memory accounting
 * (store/memory.ts). MEMORY USAGE is exact, so SAMPLES is checked and
 * otherwise ignored; the allocator figures describe V8's heap.
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { double, map, OK, simple, verbatim } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import {
  EXPIRES_SLOT,
  HEAP_NUMBER,
  KEYSPACE_SLOT,
  measureHeap,
  memoryOverhead,
  serverMemory,
  stringBytes,
  valueBytes,
} from "../../store/memory.ts";
import { defineCommand, keyAt } from "../define.ts";
import type { CommandSpec } from "../types.ts";

const TIPS = [
  "nondeterministic_output",
  "request_policy:all_shards",
  "response_policy:special",
];

function subcommand(
  spec:
    & Pick<CommandSpec, "name" | "summary" | "handler">
    & Partial<CommandSpec>,
) {
  return defineCommand({
    group: "server",
    since: "4.0.0",
    complexity: "O(1)",
    arity: 2,
    flags: [],
    ...spec,
  });
}

/** MEMORY USAGE: bytes of a key, its value and its share of the tables. */
const usage = subcommand({
  name: "usage",
  summary: "Estimate the memory usage of a key",
  complexity: "O(N) where N is the number of samples.",
  arity: -3,
  flags: ["readonly"],
  keys: [keyAt(2, "RO")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", token: "SAMPLES", optional: true },
    ],
  },
  handler(ctx, args): Reply {
    const key = args.key();
    while (args.more) {
      const word = args.option();
      if (word !== "samples" || !args.more) throw syntaxError();
      if (args.int() < 0n) throw syntaxError();
    }
    // Like Redis, the key is looked up as it is: no expiry, no stats.
    const db = ctx.db;
    const value = db.dict.get(key);
    if (value === undefined) return null;
    const slots = db.dict.slots;
    let bytes = stringBytes(key.length) + valueBytes(value) +
      (KEYSPACE_SLOT * slots) / db.dict.size;
    if (db.expires.size !== 0 && db.expires.has(key)) {
      bytes += HEAP_NUMBER + (EXPIRES_SLOT * db.expires.slots) /
          db.expires.size;
    }
    return Math.round(bytes);
  },
});

/** MEMORY STATS: Redis's getMemoryOverheadData, as a map. */
const stats = subcommand({
  name: "stats",
  summary: "Show memory usage details",
  tips: TIPS,
  handler(ctx): Reply {
    const o = memoryOverhead(ctx.server);
    const out: Reply[] = [
      "peak.allocated",
      o.peak,
      "total.allocated",
      o.total,
      "startup.allocated",
      o.startup,
      "replication.backlog",
      0,
      "clients.slaves",
      0,
      "clients.normal",
      o.clients,
      "cluster.links",
      0,
      "aof.buffer",
      0,
      "lua.caches",
      0,
      "functions.caches",
      0,
    ];
    for (const db of o.dbs) {
      out.push(
        `db.${db.id}`,
        map([
          "overhead.hashtable.main",
          db.main,
          "overhead.hashtable.expires",
          db.expires,
          "overhead.hashtable.slot-to-keys",
          0,
        ]),
      );
    }
    const frag = (a: number, b: number) =>
      double(Math.fround(b === 0 ? 0 : a / b));
    out.push(
      "overhead.total",
      o.overhead,
      "keys.count",
      o.keys,
      "keys.bytes-per-key",
      o.bytesPerKey,
      "dataset.bytes",
      o.dataset,
      "dataset.percentage",
      double(o.datasetPerc),
      "peak.percentage",
      double(o.peakPerc),
      "allocator.allocated",
      o.heapUsed,
      "allocator.active",
      o.heapTotal,
      "allocator.resident",
      o.resident,
      "allocator-fragmentation.ratio",
      frag(o.heapTotal, o.heapUsed),
      "allocator-fragmentation.bytes",
      o.heapTotal - o.heapUsed,
      "allocator-rss.ratio",
      frag(o.resident, o.heapTotal),
      "allocator-rss.bytes",
      o.resident - o.heapTotal,
      "rss-overhead.ratio",
      frag(o.rss, o.resident),
      "rss-overhead.bytes",
      o.rss - o.resident,
      "fragmentation",
      frag(o.resident, o.heapUsed),
      "fragmentation.bytes",
      o.resident - o.heapUsed,
    );
    return map(out);
  },
});

/** MEMORY DOCTOR: Redis's memory report, judged on what tsredis can see. */
const doctor = subcommand({
  name: "doctor",
  summary: "Outputs memory problems report",
  tips: TIPS,
  handler(ctx): Reply {
    return verbatim(doctorReport(ctx.server));
  },
});

const MB = 1024 * 1024;

/**
 * The MEMORY DOCTOR text. Redis's checks, adapted to a V8 process: an
 * instance counts as empty while its data is under 5 MB; the process
 * growth is compared with the data's growth since startup (the V8 runtime
 * itself has a large, fixed RSS); V8's reserved but unused heap stands for
 * allocator fragmentation.
 */
export function doctorReport(server: ServerState): string {
  const o = memoryOverhead(server);
  const m = serverMemory(server);
  const issues: string[] = [];
  const data = o.total - o.startup;
  const empty = data < 5 * MB;
  if (!empty) {
    if (o.peak / o.total > 1.5) {
      issues.push(
        " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The JavaScript garbage collector returns memory to the system only little by little after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the tsredis process Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n",
      );
    }
    const grown = o.rss - m.startupRss;
    if (grown > 1.4 * data && grown - data > 10 * MB) {
      issues.push(
        " * High total RSS: Since it started, this instance's Resident Set Size grew more than 1.4 times as much as the data it holds (this means that the process is much larger than the sum of the logical allocations tsredis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or to garbage the JavaScript engine did not collect yet, or to big client buffers. If the problem is a large peak memory, then there is no issue.\n\n",
      );
    }
    if (o.heapTotal / o.heapUsed > 1.1 && o.heapTotal - o.heapUsed > 10 * MB) {
      issues.push(
        " * High heap fragmentation: The JavaScript heap reserves more than 1.1 times the memory it holds. This is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or to a workload that frees many objects at once; the garbage collector gives the space back over time.\n\n",
      );
    }
    const clients = server.clients.size;
    if (clients > 0 && o.clients / clients > 200 * 1024) {
      issues.push(
        " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n",
      );
    }
  }
  if (empty) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
  }
  if (issues.length === 0) {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  }
  return "Sam, I detected a few issues in this tsredis instance memory implants:\n\n" +
    issues.join("") + "I'm here to keep you safe, Sam. I want to help you.\n";
}

/** MEMORY PURGE: a full garbage collection when the runtime allows one. */
const purge = subcommand({
  name: "purge",
  summary: "Ask the allocator to release memory",
  complexity: "Depends on how much memory is allocated, could be slow",
  tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
  handler(): Reply {
    measureHeap();
    return OK;
  },
});

/**
 * MEMORY MALLOC-STATS: what a Redis built without jemalloc answers (the
 * JavaScript heap is not a malloc arena; INFO memory has its figures).
 */
const mallocStats = subcommand({
  name: "malloc-stats",
  summary: "Show allocator internal stats",
  complexity: "Depends on how much memory is allocated, could be slow",
  tips: TIPS,
  handler(): Reply {
    return "Stats not supported for the current allocator";
  },
});

const HELP = [
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Prints this help.",
];

const help = subcommand({
  name: "help",
  summary: "Show helpful text about the different subcommands",
  flags: ["loading", "stale"],
  handler(ctx): Reply {
    const name = ctx.argv[0]!.toUpperCase();
    return [
      simple(
        `${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
      ),
      ...HELP.map(simple),
    ];
  },
});

/** MEMORY: memory introspection. */
export const memory = defineCommand({
  name: "memory",
  group: "server",
  summary: "A container for memory diagnostics commands",
  since: "4.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [doctor, mallocStats, stats, usage, purge, help],
});
