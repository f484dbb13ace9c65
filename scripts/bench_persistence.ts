/**
 * The persistence part of `deno task bench`, tsredis and redis-server side
 * by side on the same dataset (about 950,000 keys of 16-byte values: three
 * million SETs over a million key names, so that the write load below
 * overwrites keys rather than adding them):
 *
 * - SAVE: the time the SAVE command takes, best of two.
 * - Load: the `DB loaded from disk: N seconds` each server logs when it
 *   starts on the dump it wrote.
 * - BGSAVE under writes: while a client writes without pause (SET at -c 10),
 *   a probe sends PING after PING and records the worst round trip from the
 *   BGSAVE to its end; the same probe over as long without a BGSAVE gives
 *   the machine's own worst case. Extra memory: tsredis's peak resident
 *   memory during the BGSAVE above what it had before (and, for scale, its
 *   growth over as long under the same writes without a BGSAVE, which is
 *   garbage not yet collected); for redis-server, the copy-on-write its
 *   child reports (`rdb_last_cow_size`), the memory the fork costs. Both as
 *   a share of the server's resident memory before.
 *
 * @module
 */
import {
  cli,
  loadKeys,
  pinned,
  rssBytes,
  type Running,
  type ServerKind,
  startServer,
} from "./bench_servers.ts";

/** One server's persistence measurements. */
export interface PersistenceResult {
  keys: number;
  saveSeconds: number;
  loadSeconds: number;
  /** Worst PING round trip (ms) during a BGSAVE under writes. */
  bgsaveWorstMs: number;
  /** Worst PING round trip (ms) under the same writes with no BGSAVE. */
  baselineWorstMs: number;
  bgsaveSeconds: number;
  /** Extra memory of the BGSAVE, bytes (see the module comment). */
  bgsaveExtraBytes: number;
  /** tsredis: RSS growth under the same writes with no BGSAVE. */
  baselineExtraBytes: number;
  rssBeforeBytes: number;
}

/** Measures both servers; returns [redis, tsredis]. */
export async function persistenceBench(
  keys: number,
): Promise<[PersistenceResult, PersistenceResult]> {
  const redis = await measure("redis", keys);
  const ours = await measure("tsredis", keys);
  return [redis, ours];
}

async function measure(
  kind: ServerKind,
  keys: number,
): Promise<PersistenceResult> {
  let server = await startServer(kind);
  const dir = server.dir;
  try {
    await fillKeyspace(server, keys);
    const count = Number((await cli(server, "DBSIZE")).trim());
    let saveSeconds = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      await cli(server, "SAVE");
      saveSeconds = Math.min(saveSeconds, (performance.now() - t0) / 1000);
    }
    await server.stop({ keepDir: true });
    server = await startServer(kind, [], { dir });
    const loaded = /DB loaded from disk: ([\d.]+) seconds/.exec(
      server.output(),
    );
    const loadSeconds = loaded === null ? NaN : Number(loaded[1]);
    const bg = await bgsaveUnderWrites(server, keys);
    return {
      keys: count,
      saveSeconds,
      loadSeconds,
      ...bg,
    };
  } finally {
    await server.stop();
  }
}

async function bgsaveUnderWrites(
  server: Running,
  keys: number,
): Promise<
  Pick<
    PersistenceResult,
    | "bgsaveWorstMs"
    | "baselineWorstMs"
    | "bgsaveSeconds"
    | "bgsaveExtraBytes"
    | "baselineExtraBytes"
    | "rssBeforeBytes"
  >
> {
  const load = pinned(1, [
    "redis-benchmark",
    "-p",
    String(server.port),
    "-c",
    "10",
    "-n",
    "100000000",
    "-r",
    String(keys),
    "-d",
    "16",
    "-t",
    "set",
    "-q",
  ]);
  // taskset execs redis-benchmark, so killing this pid stops the load.
  const writer = new Deno.Command(load[0]!, {
    args: load.slice(1),
    stdout: "null",
    stderr: "null",
  }).spawn();
  const probe = await Deno.connect({
    hostname: "127.0.0.1",
    port: server.port,
  });
  try {
    await sleep(1000); // the write load settles
    const rssStart = rssBytes(server.pid);
    let peak = rssStart;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(server.pid));
    }, 10);
    const baseline = await pingFor(probe, 3000);
    const baselineExtraBytes = peak - rssStart;
    const rssBeforeBytes = rssBytes(server.pid);
    peak = rssBeforeBytes;
    const t0 = performance.now();
    await cli(server, "BGSAVE");
    let worst = 0;
    for (;;) {
      worst = Math.max(worst, await pingFor(probe, 100));
      const info = await cli(server, "INFO", "persistence");
      if (/rdb_bgsave_in_progress:0/.test(info)) break;
    }
    const bgsaveSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const info = await cli(server, "INFO", "persistence");
    const cow = Number(/rdb_last_cow_size:(\d+)/.exec(info)?.[1] ?? NaN);
    return {
      bgsaveWorstMs: worst,
      baselineWorstMs: baseline,
      bgsaveSeconds,
      // redis-server's fork: what the child copied; tsredis: its own growth.
      bgsaveExtraBytes: server.name === "redis" ? cow : peak - rssBeforeBytes,
      baselineExtraBytes,
      rssBeforeBytes,
    };
  } finally {
    probe.close();
    try {
      writer.kill("SIGKILL");
    } catch { /* gone */ }
    await writer.status;
  }
}

const PING = new TextEncoder().encode("*1\r\n$4\r\nPING\r\n");

/** Sends PING after PING for `ms`; the worst round trip in ms. */
async function pingFor(conn: Deno.Conn, ms: number): Promise<number> {
  const buf = new Uint8Array(64);
  let worst = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    await conn.write(PING);
    let got = 0;
    while (got < 7) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("server closed the probe connection");
      got += n;
    }
    worst = Math.max(worst, performance.now() - t0);
  }
  return worst;
}

// Three SETs per key name on average: about 95% of the names get a key.
async function fillKeyspace(server: Running, keys: number): Promise<void> {
  await loadKeys(server, keys * 3, keys);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The results as Markdown table rows, redis-server first. */
export function persistenceRows(
  [r, t]: [PersistenceResult, PersistenceResult],
): string[] {
  const pct = (x: PersistenceResult) =>
    `${(x.bgsaveExtraBytes / 1048576).toFixed(0)} MiB (${
      (100 * x.bgsaveExtraBytes / x.rssBeforeBytes).toFixed(0)
    }%)`;
  return [
    `| persistence (${r.keys.toLocaleString("en-US")} / ${
      t.keys.toLocaleString("en-US")
    } keys) | redis-server 7.0 | tsredis | note |`,
    "| --- | ---: | ---: | --- |",
    `| SAVE | ${r.saveSeconds.toFixed(2)} s | ${
      t.saveSeconds.toFixed(2)
    } s | speed ${(r.saveSeconds / t.saveSeconds).toFixed(2)}x of Redis |`,
    `| load at start-up | ${r.loadSeconds.toFixed(2)} s | ${
      t.loadSeconds.toFixed(2)
    } s | speed ${(r.loadSeconds / t.loadSeconds).toFixed(2)}x of Redis |`,
    `| BGSAVE under writes: worst PING | ${r.bgsaveWorstMs.toFixed(1)} ms | ${
      t.bgsaveWorstMs.toFixed(1)
    } ms | same load without BGSAVE: ${r.baselineWorstMs.toFixed(1)} / ${
      t.baselineWorstMs.toFixed(1)
    } ms |`,
    `| BGSAVE under writes: duration | ${r.bgsaveSeconds.toFixed(1)} s | ${
      t.bgsaveSeconds.toFixed(1)
    } s | |`,
    `| BGSAVE under writes: extra memory | ${pct(r)} | ${
      pct(t)
    } | Redis: the child's copy-on-write; tsredis: RSS growth (${
      (t.baselineExtraBytes / 1048576).toFixed(0)
    } MiB over as long without BGSAVE) |`,
  ];
}
