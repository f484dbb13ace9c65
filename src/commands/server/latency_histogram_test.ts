import { assertEquals } from "../../../tests/_deps.ts";
import { defineCommand } from "../define.ts";
import {
  latencyPercentiles,
  recordLatency,
  resetLatencyHistograms,
} from "./latency_histogram.ts";

function testCommand() {
  return defineCommand({
    name: "x",
    group: "server",
    summary: "test",
    since: "1.0.0",
    arity: 1,
    flags: [],
    handler: () => null,
  });
}

Deno.test("latencyPercentiles reports the upper edge of HDR buckets, as Redis's INFO latencystats", () => {
  const cmd = testCommand();
  assertEquals(latencyPercentiles(cmd, [50]), undefined);
  // One 20 µs call: the 2-significant-digit bucket of 20000 ns ends at 20095 ns.
  recordLatency(cmd, 20);
  assertEquals(latencyPercentiles(cmd, [50, 99, 99.9]), [
    20.095,
    20.095,
    20.095,
  ]);
  // Below 256 ns buckets are exact; anything under 1 ns counts as 1 ns.
  const small = testCommand();
  recordLatency(small, 0);
  recordLatency(small, 0.2);
  assertEquals(latencyPercentiles(small, [50, 100]), [0.001, 0.2]);
  resetLatencyHistograms();
  assertEquals(latencyPercentiles(cmd, [50]), undefined);
});

Deno.test("latencyPercentiles picks the bucket holding the requested rank", () => {
  const cmd = testCommand();
  for (let i = 0; i < 99; i++) recordLatency(cmd, 1);
  recordLatency(cmd, 1000);
  const [p50, p99, p100] = latencyPercentiles(cmd, [50, 99, 100])!;
  assertEquals(p50, 1.003);
  assertEquals(p99, 1.003);
  assertEquals(p100, 1003.519);
  resetLatencyHistograms();
});
