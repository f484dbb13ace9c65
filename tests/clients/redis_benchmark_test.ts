/**
 * A short redis-benchmark run against a spawned tsredis must finish with no
 * errors (redis-benchmark 7.0 exits non-zero at the first error reply).
 * Registered as ignored where redis-benchmark is not installed.
 *
 * @module
 */
import { assert, assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { REDIS_BENCHMARK } from "../_harness/tools.ts";
import { hasCommands, run } from "./_support.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

/** Runs redis-benchmark's `-t tests` on a fresh server and checks the summary. */
async function benchmark(tests: string, expected: string[]): Promise<void> {
  await using server = await spawnServer();
  const result = await run(REDIS_BENCHMARK!, [
    "-h",
    "127.0.0.1",
    "-p",
    String(server.port),
    "-t",
    tests,
    "-n",
    "20000",
    "-q",
  ], { timeoutMs: 120_000 });
  // Progress lines end in CR; the summary lines in LF.
  const summary = result.stdout.split("\n").map((l) => l.split("\r").pop()!)
    .filter((l) => l.trim() !== "");
  const output = result.stdout + result.stderr;
  assertEquals(result.code, 0, output);
  assert(!/error/i.test(output), `no error in:\n${output}`);
  // Without CONFIG GET redis-benchmark warns that it could not read the config.
  if (hasCommands("config|get")) {
    assert(!output.includes("WARNING"), `no warning in:\n${output}`);
  }
  assertEquals(
    summary.map((l) => l.slice(0, l.indexOf(":"))),
    expected,
    output,
  );
  for (const line of summary) {
    assert(/: [\d.]+ requests per second/.test(line), line);
  }
}

Deno.test({
  name:
    "redis-benchmark -t ping,set,get,incr,mset -n 20000 -q ends with no errors",
  ignore: REDIS_BENCHMARK === undefined || !hasCommands("incr", "mset"),
  ...options,
  async fn() {
    await benchmark("ping,set,get,incr,mset", [
      "PING_INLINE",
      "PING_MBULK",
      "SET",
      "GET",
      "INCR",
      "MSET (10 keys)",
    ]);
  },
});
