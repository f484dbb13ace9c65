/**
 * The abuse part of `deno task bench` (`--only abuse`): how much one
 * abusive client raises a well-behaved client's latency, tsredis and
 * redis-server side by side, each on a fresh server pinned to CPU 0.
 *
 * A probe process (this script with `--probe`, pinned to CPU 1) sends
 * PING after PING on its own connection and records every round trip
 * while the abuse runs; the table gives its p99 and worst round trip, and
 * the same probe with no abuse (the machine's own noise). Scenarios:
 *
 * - slow bulk: one client sends a 512 MB bulk (SET) at 64 MB/s;
 * - connections: one client opens 5,000 connections (each sends PING), then
 *   closes them all;
 * - unread replies: one client pipelines GETs of a 100 KB value for 300 MB
 *   of replies and never reads them;
 * - pipeline: one client pipelines two million INCRs (reading the replies);
 * - KEYS *: KEYS * three times over a million keys.
 *
 * Each scenario runs `--rounds` times (default 3) on fresh servers; the
 * figures are the medians. Run alone with `deno run -A
 * scripts/bench_abuse.ts [--quick] [--rounds N] [--only a,b] [--markdown]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  pinned,
  rssBytes,
  type Running,
  type ServerKind,
  startServer,
} from "./bench_servers.ts";

/** Round trips seen by the probe, in milliseconds. */
export interface ProbeStats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One scenario's figures on one server. */
export interface AbuseResult {
  probe: ProbeStats;
  /** How long the abuse ran, seconds. */
  seconds: number;
  /** Peak resident memory of the server during the abuse, bytes. */
  peakRss: number;
  /** What happened to the abuser (finished, disconnected, ...). */
  outcome: string;
}

/** A scenario with both servers' results. */
export interface AbuseRow {
  name: string;
  redis: AbuseResult;
  tsredis: AbuseResult;
}

interface Scenario {
  name: string;
  /** Extra server arguments. */
  args?: string[];
  /** Prepares the server (loads data), not measured. */
  setup?: (server: Running) => Promise<void>;
  /** The abuse; resolves when it is over, with what happened. */
  run: (server: Running) => Promise<string>;
}

const encoder = new TextEncoder();
const SELF = new URL(import.meta.url).pathname;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function connect(server: Running): Promise<Deno.TcpConn> {
  return Deno.connect({ hostname: "127.0.0.1", port: server.port });
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

function command(...argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

// Reads until `n` bytes ending with `suffix` arrived (or EOF); returns the count.
async function readUntil(
  conn: Deno.Conn,
  done: (tail: string, total: number) => boolean,
): Promise<number> {
  const buf = new Uint8Array(256 * 1024);
  let total = 0;
  let tail = "";
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return -1;
    total += n;
    tail = (tail + String.fromCharCode(...buf.subarray(Math.max(0, n - 64), n)))
      .slice(-64);
    if (done(tail, total)) return total;
  }
}

// Sends one command and waits for a reply line (small replies only).
async function call(server: Running, ...argv: string[]): Promise<string> {
  const conn = await connect(server);
  try {
    await writeAll(conn, encoder.encode(command(...argv)));
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
  } finally {
    conn.close();
  }
}

function scenarios(scale: number): Scenario[] {
  const bulk = Math.round(536_870_000 * scale);
  const connections = Math.round(5000 * scale);
  const unread = Math.round(3000 * scale);
  const pipeline = Math.round(2_000_000 * scale);
  const keys = Math.round(1_000_000 * scale);
  return [
    {
      name: `slow bulk: a ${Math.round(bulk / 1048576)} MB SET at 64 MB/s`,
      async run(server) {
        const conn = await connect(server);
        try {
          await writeAll(
            conn,
            encoder.encode(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${bulk}\r\n`),
          );
          const chunk = new Uint8Array(256 * 1024).fill(120);
          const start = performance.now();
          let sent = 0;
          while (sent < bulk) {
            const n = Math.min(chunk.length, bulk - sent);
            await writeAll(conn, chunk.subarray(0, n));
            sent += n;
            // 64 MB/s.
            const due = start + (sent / (64 * 1048576)) * 1000;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
          }
          await writeAll(conn, encoder.encode("\r\n"));
          const buf = new Uint8Array(256);
          const n = await conn.read(buf).catch(() => null);
          const reply = n === null
            ? "connection closed"
            : new TextDecoder().decode(buf.subarray(0, n)).trim();
          return `reply ${reply}`;
        } finally {
          conn.close();
          await call(server, "DEL", "big").catch(() => "");
        }
      },
    },
    {
      name: `connections: ${
        connections.toLocaleString("en-US")
      } opened, each PINGs, then all closed`,
      async run(server) {
        const conns: Deno.TcpConn[] = [];
        let refused = 0;
        const ping = encoder.encode("PING\r\n");
        for (let i = 0; i < connections; i += 100) {
          const batch = await Promise.all(
            Array.from(
              { length: Math.min(100, connections - i) },
              () => connect(server).catch(() => undefined),
            ),
          );
          await Promise.all(batch.map(async (c) => {
            if (c === undefined) {
              refused++;
              return;
            }
            conns.push(c);
            await writeAll(c, ping).catch(() => {});
            const buf = new Uint8Array(64);
            const n = await c.read(buf).catch(() => null);
            if (n === null || buf[0] !== 43) refused++;
          }));
        }
        await sleep(500);
        for (const c of conns) {
          try {
            c.close();
          } catch { /* closed */ }
        }
        await sleep(500);
        return refused === 0 ? "all served" : `${refused} refused`;
      },
    },
    {
      name: `unread replies: GET of 100 KB × ${
        unread.toLocaleString("en-US")
      }, never read`,
      async setup(server) {
        await call(server, "SET", "v100k", "v".repeat(100_000));
      },
      async run(server) {
        const conn = await connect(server);
        const get = encoder.encode(command("GET", "v100k").repeat(100));
        let sent = 0;
        let outcome = "kept, never read";
        try {
          for (; sent < unread; sent += 100) {
            // The server stops reading once its socket is full: writes
            // then wait, which must not stall anyone else.
            const w = writeAll(conn, get).then(() => true, () => false);
            const ok = await Promise.race([
              w,
              sleep(5000).then(() => undefined),
            ]);
            if (ok === false) {
              outcome = `disconnected after ${sent} GETs`;
              break;
            }
            if (ok === undefined) {
              outcome = `server stopped reading after ${sent} GETs`;
              break;
            }
          }
          await sleep(1000);
        } finally {
          conn.close();
        }
        return outcome;
      },
    },
    {
      name: `pipeline: ${
        (pipeline / 1e6).toLocaleString("en-US")
      } million INCRs in one stream`,
      async run(server) {
        const conn = await connect(server);
        try {
          const per = 10_000;
          const block = encoder.encode(command("INCR", "counter").repeat(per));
          const reader = readUntil(conn, (tail, total) => {
            void tail;
            // Replies are ":<n>\r\n": wait for the last one.
            return total > 0 && tail.includes(`:${pipeline}\r\n`);
          });
          for (let sent = 0; sent < pipeline; sent += per) {
            await writeAll(conn, block);
          }
          const got = await reader;
          return got < 0 ? "connection closed" : "all answered";
        } finally {
          conn.close();
        }
      },
    },
    {
      name: `KEYS * over ${
        (keys / 1e6).toLocaleString("en-US")
      } million keys, three times`,
      args: ["--enable-debug-command", "yes"],
      async setup(server) {
        await call(server, "DEBUG", "POPULATE", String(keys));
      },
      async run(server) {
        const conn = await connect(server);
        try {
          for (let i = 0; i < 3; i++) {
            await writeAll(conn, encoder.encode(command("KEYS", "*")));
            // The reply is an array of `keys` bulks: wait for its last byte.
            const got = await readUntil(
              conn,
              (_tail, total) => total >= keysReplyBytes(keys),
            );
            if (got < 0) return "connection closed";
          }
          return "3 replies";
        } finally {
          conn.close();
        }
      },
    },
  ];
}

// DEBUG POPULATE's keys are key:0..key:N-1.
function keysReplyBytes(n: number): number {
  let bytes = `*${n}\r\n`.length;
  for (let i = 0; i < n; i++) {
    const len = 4 + String(i).length;
    bytes += `$${len}\r\n`.length + len + 2;
  }
  return bytes;
}

// The probe: PING after PING until stdin closes; prints JSON stats.
async function probeMain(port: number): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  const ping = encoder.encode("*1\r\n$4\r\nPING\r\n");
  const buf = new Uint8Array(64);
  let stop = false;
  (async () => {
    for await (const _ of Deno.stdin.readable) { /* wait for EOF */ }
    stop = true;
  })();
  const once = async () => {
    const t = performance.now();
    await writeAll(conn, ping);
    let got = 0;
    while (got < 7) {
      const n = await conn.read(buf.subarray(got));
      if (n === null) throw new Error("probe connection closed");
      got += n;
    }
    return performance.now() - t;
  };
  for (let i = 0; i < 50; i++) await once();
  await Deno.stdout.write(encoder.encode("ready\n"));
  const rtts: number[] = [];
  while (!stop) rtts.push(await once());
  rtts.sort((a, b) => a - b);
  const at = (q: number) =>
    rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))] ?? NaN;
  const stats: ProbeStats = {
    count: rtts.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: rtts[rtts.length - 1] ?? NaN,
  };
  await Deno.stdout.write(encoder.encode(JSON.stringify(stats) + "\n"));
  conn.close();
}

// Runs `work` while a probe measures the server; returns both outcomes.
async function measured(
  server: Running,
  work: () => Promise<string>,
): Promise<AbuseResult> {
  const cmd = pinned(1, [
    Deno.execPath(),
    "run",
    "-A",
    SELF,
    "--probe",
    String(server.port),
  ]);
  const child = new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await out.read();
    if (done) throw new Error("the probe did not start");
    text += decoder.decode(value);
  }
  let peakRss = rssBytes(server.pid);
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, rssBytes(server.pid));
    } catch { /* gone */ }
  }, 50);
  const start = performance.now();
  let outcome: string;
  try {
    outcome = await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  await child.stdin.close();
  text = "";
  for (;;) {
    const { value, done } = await out.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await child.status;
  const probe = JSON.parse(text.trim().split("\n").pop()!) as ProbeStats;
  return { probe, seconds, peakRss, outcome };
}

async function runScenario(
  kind: ServerKind,
  s: Scenario,
): Promise<AbuseResult> {
  const server = await startServer(kind, s.args ?? []);
  try {
    await s.setup?.(server);
    return await measured(server, () => s.run(server));
  } finally {
    await server.stop();
  }
}

/**
 * Measures every scenario (or those whose names contain one of `only`) on
 * both servers, `rounds` times each (alternating which server goes first);
 * each figure is the median of the rounds.
 */
export async function abuseBench(
  opts: {
    scale?: number;
    rounds?: number;
    only?: string[];
    log?: (line: string) => void;
  } = {},
): Promise<AbuseRow[]> {
  const scale = opts.scale ?? 1;
  const rounds = Math.max(1, opts.rounds ?? 3);
  const log = opts.log ?? (() => {});
  const list: Scenario[] = [
    {
      name: "no abuse (the probe alone, 5 s)",
      run: () => sleep(5000).then(() => "-"),
    },
    ...scenarios(scale),
  ].filter((s) =>
    opts.only === undefined || s.name.startsWith("no abuse") ||
    opts.only.some((o) => s.name.toLowerCase().includes(o))
  );
  const rows: AbuseRow[] = [];
  for (const s of list) {
    const results: Record<ServerKind, AbuseResult[]> = {
      redis: [],
      tsredis: [],
    };
    for (let round = 0; round < rounds; round++) {
      const order: ServerKind[] = round % 2 === 0
        ? ["redis", "tsredis"]
        : ["tsredis", "redis"];
      for (const kind of order) results[kind].push(await runScenario(kind, s));
    }
    const row = {
      name: s.name,
      redis: median(results.redis),
      tsredis: median(results.tsredis),
    };
    rows.push(row);
    log(describe(row));
  }
  return rows;
}

function mid(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// The median of each figure over the rounds.
function median(results: AbuseResult[]): AbuseResult {
  const probe = (f: keyof ProbeStats) => mid(results.map((r) => r.probe[f]));
  return {
    probe: {
      count: probe("count"),
      p50: probe("p50"),
      p90: probe("p90"),
      p99: probe("p99"),
      max: probe("max"),
    },
    seconds: mid(results.map((r) => r.seconds)),
    peakRss: mid(results.map((r) => r.peakRss)),
    outcome: [...new Set(results.map((r) => r.outcome))].join("; "),
  };
}

function ms(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function describe(row: AbuseRow): string {
  const one = (r: AbuseResult) =>
    `p50 ${ms(r.probe.p50)} ms, p90 ${ms(r.probe.p90)} ms, p99 ${
      ms(r.probe.p99)
    } ms, worst ${ms(r.probe.max)} ms (${r.probe.count} PINGs in ${
      r.seconds.toFixed(1)
    } s, peak RSS ${Math.round(r.peakRss / 1048576)} MB, ${r.outcome})`;
  return `${row.name}\n  redis   ${one(row.redis)}\n  tsredis ${
    one(row.tsredis)
  }`;
}

/** The README table. */
export function abuseRows(rows: AbuseRow[]): string[] {
  return [
    "| abuse (one client) | redis-server 7.0: probe PING p99 / worst | tsredis: probe PING p99 / worst | peak RSS redis / tsredis | what the abuser got (redis / tsredis) |",
    "| --- | ---: | ---: | ---: | --- |",
    ...rows.map((r) =>
      `| ${r.name} | ${ms(r.redis.probe.p99)} / ${ms(r.redis.probe.max)} ms | ${
        ms(r.tsredis.probe.p99)
      } / ${ms(r.tsredis.probe.max)} ms | ${
        Math.round(r.redis.peakRss / 1048576)
      } / ${
        Math.round(r.tsredis.peakRss / 1048576)
      } MB | ${r.redis.outcome} / ${r.tsredis.outcome} |`
    ),
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      probe: { type: "string" },
      quick: { type: "boolean", default: false },
      rounds: { type: "string", default: "3" },
      only: { type: "string" },
      markdown: { type: "boolean", default: false },
    },
  });
  if (values.probe !== undefined) {
    await probeMain(Number(values.probe));
  } else {
    const rows = await abuseBench({
      scale: values.quick ? 0.1 : 1,
      rounds: Number(values.rounds),
      ...(values.only === undefined
        ? {}
        : { only: values.only.toLowerCase().split(",") }),
      log: (line) => {
        if (!values.markdown) console.log(line);
      },
    });
    console.log("\n" + abuseRows(rows).join("\n"));
  }
}
