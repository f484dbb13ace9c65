/**
 * Per-command latency histograms (INFO latencystats), kept the way Redis
 * keeps them: an HDR histogram of 1 ns .. 1 s with two significant digits,
 * so percentiles come out as the upper edge of their bucket, as Redis
 * reports them (a single 20 µs call shows as p50=20.095).
 *
 * @module
 */
import type { ServerState } from "../../state.ts";
import type { Client } from "../../client.ts";
import type { Argv } from "../../protocol/types.ts";
import { pipelineHooks } from "../dispatch.ts";
import type { Command } from "../types.ts";

const MAX_NS = 1_000_000_000;
// Bucket i covers [lowest(i), lowest(i) + width(i)): 256 one-nanosecond
// buckets, then 128 buckets per power of two, each twice as wide as the last.
const BUCKETS = 23 * 256;

// Keyed by the command objects of one server's table (each server has
// copies of its own), so servers in one process keep separate histograms.
let histograms = new WeakMap<Command, Uint32Array>();
// Servers with latency-tracking off, and the last answer (one server per
// process is the usual case: no lookup per command).
const notTracking = new WeakSet<ServerState>();
let lastServer: ServerState | undefined;
let lastTracking = true;

// Runs for every command: no allocation, one Map lookup.
function bucketIndex(ns: number): number {
  const shift = 32 - Math.clz32(ns | 255) - 8;
  return (shift << 8) | (ns >>> shift);
}

function bucketLowest(index: number): number {
  return (index & 255) * 2 ** (index >>> 8);
}

function bucketWidth(index: number): number {
  return 2 ** (index >>> 8);
}

/** Records one call of `cmd` that took `usec` microseconds. */
export function recordLatency(cmd: Command, usec: number): void {
  const ns = Math.min(MAX_NS, Math.max(1, Math.round(usec * 1000)));
  let h = histograms.get(cmd);
  if (h === undefined) {
    h = new Uint32Array(BUCKETS);
    histograms.set(cmd, h);
  }
  h[bucketIndex(ns)]!++;
}

/**
 * The latency of `cmd` at each percentile in microseconds (hdr's
 * value_at_percentile), or undefined if it was never called.
 */
export function latencyPercentiles(
  cmd: Command,
  percentiles: readonly number[],
): number[] | undefined {
  const h = histograms.get(cmd);
  if (h === undefined) return undefined;
  let total = 0;
  for (let i = 0; i < BUCKETS; i++) total += h[i]!;
  if (total === 0) return undefined;
  return percentiles.map((p) => {
    const wanted = Math.max(
      1,
      Math.floor((Math.min(p, 100) / 100) * total + 0.5),
    );
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += h[i]!;
      if (seen >= wanted) return (bucketLowest(i) + bucketWidth(i) - 1) / 1000;
    }
    return 0;
  });
}

/**
 * Forgets the histograms of `commands` and their subcommands (CONFIG
 * RESETSTAT of one server), or every histogram.
 */
export function resetLatencyHistograms(commands?: Iterable<Command>): void {
  if (commands === undefined) {
    histograms = new WeakMap();
    return;
  }
  for (const cmd of commands) {
    histograms.delete(cmd);
    if (cmd.subcommands !== undefined) {
      resetLatencyHistograms(cmd.subcommands.values());
    }
  }
}

function observe(
  server: ServerState,
  _client: Client,
  cmd: Command,
  _argv: Argv,
  usec: number,
): void {
  if (server !== lastServer) {
    lastServer = server;
    lastTracking = !notTracking.has(server);
  }
  if (lastTracking) recordLatency(cmd, usec);
}

/** Starts recording command latencies (config latency-tracking). */
export function installLatencyTracking(server: ServerState): void {
  const apply = (on: boolean) => {
    if (on) notTracking.delete(server);
    else notTracking.add(server);
    lastServer = undefined;
  };
  apply(server.config.bool("latency-tracking"));
  server.config.onChange("latency-tracking", (v) => apply(v === "yes"));
  if (!pipelineHooks.timedObservers.includes(observe)) {
    pipelineHooks.timedObservers.push(observe);
  }
}

/**
 * Cumulative counts of `cmd`'s calls at power-of-two latency boundaries from
 * 1024 ns up, as Redis's LATENCY HISTOGRAM reports them: `[usec, calls]`
 * pairs, each boundary given by the top of its bucket in microseconds, and
 * only boundaries where the count grew. Undefined if never called.
 */
export function latencyCdf(
  cmd: Command,
): { calls: number; cdf: [number, number][] } | undefined {
  const h = histograms.get(cmd);
  if (h === undefined) return undefined;
  let total = 0;
  for (let i = 0; i < BUCKETS; i++) total += h[i]!;
  if (total === 0) return undefined;
  const cdf: [number, number][] = [];
  let cumulative = 0;
  let previous = 0;
  let i = 0;
  for (let boundary = 1024; cumulative < total; boundary *= 2) {
    const last = bucketIndex(boundary);
    for (; i <= last && i < BUCKETS; i++) cumulative += h[i]!;
    if (cumulative > previous) {
      cdf.push([
        Math.floor((bucketLowest(last) + bucketWidth(last) - 1) / 1000),
        cumulative,
      ]);
    }
    previous = cumulative;
    if (boundary > MAX_NS) break;
  }
  return { calls: total, cdf };
}
