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

interface Histogram {
  total: number;
  /** Count by the lowest value of each bucket (ns). */
  counts: Map<number, number>;
}

const histograms = new Map<Command, Histogram>();
const tracking = new WeakMap<ServerState, boolean>();

// The bucket of `ns`: 256 sub-buckets, doubling in width past the first 256 ns.
function bucketOf(ns: number): { lowest: number; width: number } {
  const shift = 32 - Math.clz32(ns | 255) - 8;
  return { lowest: (ns >>> shift) << shift, width: 2 ** shift };
}

/** Records one call of `cmd` that took `usec` microseconds. */
export function recordLatency(cmd: Command, usec: number): void {
  const ns = Math.min(MAX_NS, Math.max(1, Math.round(usec * 1000)));
  let h = histograms.get(cmd);
  if (h === undefined) {
    h = { total: 0, counts: new Map() };
    histograms.set(cmd, h);
  }
  const { lowest } = bucketOf(ns);
  h.total++;
  h.counts.set(lowest, (h.counts.get(lowest) ?? 0) + 1);
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
  if (h === undefined || h.total === 0) return undefined;
  const buckets = [...h.counts.entries()].sort((a, b) => a[0] - b[0]);
  return percentiles.map((p) => {
    const wanted = Math.max(
      1,
      Math.floor((Math.min(p, 100) / 100) * h.total + 0.5),
    );
    let seen = 0;
    for (const [lowest, n] of buckets) {
      seen += n;
      if (seen >= wanted) {
        const { width } = bucketOf(lowest);
        return (lowest + width - 1) / 1000;
      }
    }
    return 0;
  });
}

/** Forgets every histogram (CONFIG RESETSTAT). */
export function resetLatencyHistograms(): void {
  histograms.clear();
}

function observe(
  server: ServerState,
  _client: Client,
  cmd: Command,
  _argv: Argv,
  usec: number,
): void {
  if (tracking.get(server) !== false) recordLatency(cmd, usec);
}

/** Starts recording command latencies for `server` (config latency-tracking). */
export function installLatencyTracking(server: ServerState): void {
  tracking.set(server, server.config.bool("latency-tracking"));
  server.config.onChange("latency-tracking", (v) => {
    tracking.set(server, v === "yes");
  });
  if (!pipelineHooks.timedObservers.includes(observe)) {
    pipelineHooks.timedObservers.push(observe);
  }
}
