/**
 * Fuzzes a running server over TCP. Each batch opens one to three
 * connections at once and sends each a run of random and damaged frames
 * (see frames.ts), written in random pieces, then `RESET` and an `ECHO`
 * sentinel, and reads until the sentinel comes back, the server closes the
 * connection, or it goes quiet. Every reply must be well-formed RESP and
 * none may be tsredis's internal-error reply.
 *
 * After every batch a watchdog opens its own connection and checks that
 * the server still answers correctly: PING, a SET/GET round trip of a
 * fresh value, DBSIZE; and that the process is alive. Every few batches it
 * also checks the log for internal errors and that no closed connection
 * was left behind (`connected_clients`).
 *
 * A failure stops the run and comes back with the batches that led to it,
 * which `replay()` sends again (the corpus under tests/fuzz/corpus/).
 *
 * @module
 */
import { parseReply, RespClient } from "../_harness/resp_client.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";
import { CommandGen, toBytes } from "./commands.ts";
import { FrameGen, type FrameKind, multibulk } from "./frames.ts";
import { Rng } from "./rng.ts";

/** One connection's input in a batch. */
export type ConnInput = string;

/** The inputs of one batch, one string per concurrent connection. */
export type Batch = ConnInput[];

/** Why a run stopped. */
export interface FuzzFailure {
  kind:
    | "crash"
    | "hang"
    | "wrong-answer"
    | "internal-error"
    | "bad-reply"
    | "leak";
  detail: string;
  /** The last batches sent, oldest first; the last one triggered it. */
  batches: Batch[];
  seed: number;
}

/** Counts of a run. */
export interface ServerFuzzResult {
  batches: number;
  connections: number;
  frames: number;
  framesByKind: Partial<Record<FrameKind, number>>;
  bytesSent: number;
  bytesReceived: number;
  replies: number;
  watchdogChecks: number;
  failure: FuzzFailure | undefined;
}

/** Options of `fuzzServer`. */
export interface ServerFuzzOptions {
  seed: number;
  /** Stop after this many batches... */
  batches?: number;
  /** ...or at this time (ms since the epoch), whichever comes first. */
  until?: number;
  /** Extra server arguments. */
  args?: string[];
  /** Called every 100 batches. */
  progress?: (r: ServerFuzzResult) => void;
}

/** The arguments the fuzzed server runs with. */
export const FUZZ_SERVER_ARGS = [
  // SETBIT/SETRANGE/BITFIELD may then allocate 8 MB, not 512 MB, per key:
  // legal either way, but this machine is shared.
  "--proto-max-bulk-len",
  "8mb",
  "--lua-time-limit",
  "1000",
];

const QUIET_MS = 300;
const WATCHDOG_MS = 5000;
const KEEP_BATCHES = 20;

/** Starts a server and fuzzes it; stops at the first failure. */
export async function fuzzServer(
  opts: ServerFuzzOptions,
): Promise<ServerFuzzResult> {
  const server = await spawnServer({
    args: [...FUZZ_SERVER_ARGS, ...(opts.args ?? [])],
  });
  try {
    return await fuzzRunning(server, opts);
  } finally {
    await server.stop();
  }
}

/** Fuzzes a server already running. */
export async function fuzzRunning(
  server: ServerHandle,
  opts: ServerFuzzOptions,
): Promise<ServerFuzzResult> {
  const rng = new Rng(opts.seed);
  const commands = new CommandGen(rng.fork());
  commands.dumps = await collectDumps(server);
  const frames = new FrameGen(rng.fork(), commands);
  const result: ServerFuzzResult = {
    batches: 0,
    connections: 0,
    frames: 0,
    framesByKind: {},
    bytesSent: 0,
    bytesReceived: 0,
    replies: 0,
    watchdogChecks: 0,
    failure: undefined,
  };
  const recent: Batch[] = [];
  const watchdog = new Watchdog(server);
  const maxBatches = opts.batches ?? Infinity;
  const until = opts.until ?? Infinity;
  while (result.batches < maxBatches && Date.now() < until) {
    const batch: Batch = [];
    const conns = rng.chance(0.6) ? 1 : rng.range(2, 3);
    for (let c = 0; c < conns; c++) {
      // Connection state the commands then meet: RESP3, another
      // database, client-side caching.
      let text = "";
      if (rng.chance(0.3)) text += multibulk(["HELLO", "3"]);
      if (rng.chance(0.2)) text += multibulk(["SELECT", String(rng.int(3))]);
      if (rng.chance(0.1)) {
        text += multibulk(
          rng.chance(0.5)
            ? ["CLIENT", "TRACKING", "ON"]
            : ["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "{t}"],
        );
      }
      // Half the connections send only well-formed frames, so whole runs
      // of commands execute; a protocol error ends a connection early.
      frames.damage = rng.chance(0.5) ? 0 : rng.pick([0.02, 0.1, 0.3]);
      const n = rng.chance(0.1) ? rng.range(50, 200) : rng.range(1, 30);
      for (let i = 0; i < n; i++) {
        const f = frames.next();
        text += f.bytes;
        result.framesByKind[f.kind] = (result.framesByKind[f.kind] ?? 0) + 1;
      }
      result.frames += n;
      batch.push(text);
    }
    recent.push(batch);
    if (recent.length > KEEP_BATCHES) recent.shift();
    result.batches++;
    result.connections += conns;
    let problem = await runBatch(server, batch, rng, result) ??
      await watchdog.check(result.batches % 25 === 0);
    result.watchdogChecks++;
    if (problem?.kind === "internal-error") {
      // The reply names the command; the log has the stack.
      await sleep(100);
      const stack = /Internal error in '[^']*'[^\n]*(\n\s+at [^\n]*)*/.exec(
        server.output(),
      );
      if (stack !== null) problem = { ...problem, detail: stack[0] };
    }
    if (problem !== undefined) {
      result.failure = { ...problem, batches: [...recent], seed: opts.seed };
      break;
    }
    if (result.batches % 100 === 0) opts.progress?.(result);
  }
  watchdog.close();
  return result;
}

/**
 * Sends `batches` to a fresh server, as the run that found them did, and
 * returns the first problem (undefined when the server stays well).
 */
export async function replay(
  batches: Batch[],
  opts: { args?: string[]; seed?: number } = {},
): Promise<Omit<FuzzFailure, "batches" | "seed"> | undefined> {
  await using server = await spawnServer({
    args: [...FUZZ_SERVER_ARGS, ...(opts.args ?? [])],
  });
  const rng = new Rng(opts.seed ?? 1);
  const watchdog = new Watchdog(server);
  const counts = {
    bytesSent: 0,
    bytesReceived: 0,
    replies: 0,
  } as ServerFuzzResult;
  try {
    for (const batch of batches) {
      const problem = await runBatch(server, batch, rng, counts) ??
        await watchdog.check(true);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    watchdog.close();
  }
}

/** A failure without its reproducer. */
export type Problem = Omit<FuzzFailure, "batches" | "seed">;

let sentinelId = 0;

async function runBatch(
  server: ServerHandle,
  batch: Batch,
  rng: Rng,
  result: Pick<ServerFuzzResult, "bytesSent" | "bytesReceived" | "replies">,
): Promise<Problem | undefined> {
  const outcomes = await Promise.all(
    batch.map((text) => runConnection(server, text, rng.fork())),
  );
  for (const o of outcomes) {
    result.bytesSent += o.sent;
    result.bytesReceived += o.received.length;
    result.replies += o.replies;
    if (o.problem !== undefined) return o.problem;
  }
  return undefined;
}

interface ConnOutcome {
  sent: number;
  received: string;
  replies: number;
  problem: Problem | undefined;
}

async function runConnection(
  server: ServerHandle,
  text: string,
  rng: Rng,
): Promise<ConnOutcome> {
  const sentinel = `fuzz-sentinel-${++sentinelId}`;
  const tail = multibulk(["RESET"]) + multibulk(["ECHO", sentinel]);
  const bytes = toBytes(text + tail);
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  } catch (e) {
    return {
      sent: 0,
      received: "",
      replies: 0,
      problem: { kind: "crash", detail: `connect failed: ${e}` },
    };
  }
  const reader = readAll(conn, `$${sentinel.length}\r\n${sentinel}\r\n`);
  let sent = 0;
  try {
    while (sent < bytes.length) {
      const piece = rng.chance(0.5)
        ? bytes.length - sent
        : Math.min(bytes.length - sent, rng.range(1, 4096));
      let off = 0;
      while (off < piece) {
        off += await conn.write(bytes.subarray(sent + off, sent + piece));
      }
      sent += piece;
      if (rng.chance(0.05)) await sleep(rng.range(0, 5));
    }
  } catch {
    // The server closed the connection (a protocol error): read what it said.
  }
  const received = await reader;
  try {
    conn.close();
  } catch {
    // Already closed.
  }
  const { replies, problem } = checkReplies(received);
  return { sent, received, replies, problem };
}

// Reads until `sentinel` arrives, the peer closes, or QUIET_MS of silence.
async function readAll(conn: Deno.Conn, sentinel: string): Promise<string> {
  const buf = new Uint8Array(64 * 1024);
  let out = "";
  let pending: Promise<number | null> | undefined;
  for (;;) {
    pending ??= conn.read(buf).catch(() => null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quiet = new Promise<"quiet">((r) => {
      timer = setTimeout(() => r("quiet"), QUIET_MS);
    });
    const n = await Promise.race([pending, quiet]);
    clearTimeout(timer);
    if (n === "quiet" || n === null) return out;
    pending = undefined;
    for (let i = 0; i < n; i += 8192) {
      out += String.fromCharCode(...buf.subarray(i, Math.min(n, i + 8192)));
    }
    if (out.endsWith(sentinel)) return out;
  }
}

const INTERNAL = "ERR internal error in tsredis";

// Every complete reply must parse; an incomplete tail is allowed only
// where the connection was cut (the server closed it mid-stream or went
// quiet while writing is checked by the watchdog instead).
function checkReplies(
  received: string,
): { replies: number; problem: Problem | undefined } {
  let pos = 0;
  let replies = 0;
  while (pos < received.length) {
    let r;
    try {
      r = parseReply(received, pos);
    } catch (e) {
      return {
        replies,
        problem: {
          kind: "bad-reply",
          detail: `${(e as Error).message} at byte ${pos}: ${
            JSON.stringify(received.slice(Math.max(0, pos - 80), pos + 80))
          }`,
        },
      };
    }
    if (r === undefined) break;
    replies++;
    pos = r.end;
  }
  const internal = received.indexOf(INTERNAL);
  if (internal >= 0) {
    return {
      replies,
      problem: {
        kind: "internal-error",
        detail: received.slice(internal, received.indexOf("\r\n", internal)),
      },
    };
  }
  return { replies, problem: undefined };
}

/** Checks that the server answers correctly, on a connection of its own. */
export class Watchdog {
  readonly #server: ServerHandle;
  readonly #timeoutMs: number;
  #n = 0;
  #logChecked = 0;

  /** Watches `server`; an answer later than `timeoutMs` is a hang. */
  constructor(server: ServerHandle, timeoutMs = WATCHDOG_MS) {
    this.#server = server;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * One check (`deep` adds the log, leftover connections and memory);
   * returns the problem found, if any.
   */
  async check(deep: boolean): Promise<Problem | undefined> {
    const server = this.#server;
    const exited = await Promise.race([
      server.exited.then((s) => s),
      sleep(0).then(() => undefined),
    ]);
    if (exited !== undefined) {
      return {
        kind: "crash",
        detail: `server exited with ${exited.code}:\n${tail(server.output())}`,
      };
    }
    let client: RespClient | undefined;
    try {
      client = await withTimeout(server.connect(), this.#timeoutMs, "connect");
      const value = `wd-${++this.#n}-${"v".repeat(this.#n % 50)}`;
      const steps: [string[], (r: unknown) => boolean][] = [
        [["PING"], (r) => r === "PONG"],
        [["SET", "__watchdog__", value], (r) => r === "OK"],
        [["GET", "__watchdog__"], (r) => r === value],
        [["DBSIZE"], (r) => typeof r === "number" && r >= 1],
      ];
      for (const [argv, ok] of steps) {
        const reply = await withTimeout(
          client.call(...argv),
          this.#timeoutMs,
          argv[0]!,
        );
        if (!ok(reply)) {
          return {
            kind: "wrong-answer",
            detail: `${argv.join(" ")} answered ${JSON.stringify(reply)}\n${
              tail(server.output())
            }`,
          };
        }
      }
      if (deep) {
        const problem = await this.#deep(client);
        if (problem !== undefined) return problem;
      }
      return undefined;
    } catch (e) {
      const status = await Promise.race([server.exited, sleep(500)]);
      return {
        kind: status !== undefined ? "crash" : "hang",
        detail: `${(e as Error).message}\n${tail(server.output())}`,
      };
    } finally {
      client?.close();
    }
  }

  // The log, leftover connections and memory.
  async #deep(client: RespClient): Promise<Problem | undefined> {
    const output = this.#server.output();
    const fresh = output.slice(this.#logChecked);
    this.#logChecked = output.length;
    const m = /Internal error in '[^']*'[^\n]*(\n\s+at [^\n]*)*/.exec(fresh) ??
      /error: Uncaught[^\n]*(\n[^\n]*){0,10}/.exec(fresh);
    if (m !== null) return { kind: "internal-error", detail: m[0] };
    // Closed connections must be forgotten (the watchdog is the only one).
    let clients = 0;
    for (let attempt = 0; attempt < 20; attempt++) {
      const info = String(
        await withTimeout(
          client.call("INFO", "clients"),
          this.#timeoutMs,
          "INFO",
        ),
      );
      clients = Number(/connected_clients:(\d+)/.exec(info)?.[1]);
      if (clients === 1) break;
      await sleep(100);
    }
    if (clients !== 1) {
      const list = await client.call("CLIENT", "LIST");
      return {
        kind: "leak",
        detail:
          `connected_clients is ${clients} with one connection open:\n${list}`,
      };
    }
    const info = String(
      await withTimeout(client.call("INFO", "memory"), this.#timeoutMs, "INFO"),
    );
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
    // Keep the dataset small on a shared machine.
    if (used > 300 * 1024 * 1024) await client.call("FLUSHALL");
    return undefined;
  }

  /** Nothing to release: each check uses its own connection. */
  close(): void {}
}

// Keys of every type and encoding, and their DUMP payloads, for RESTORE.
async function collectDumps(server: ServerHandle): Promise<string[]> {
  const c = await server.connect();
  try {
    const setup: (string | number)[][] = [
      ["SET", "d:int", "12345"],
      ["SET", "d:str", "hello"],
      ["SET", "d:raw", "r".repeat(100)],
      ["SET", "d:lzf", "a".repeat(200)],
      ["RPUSH", "d:list", "a", "b", "1", "2"],
      ["RPUSH", "d:biglist", ...Array.from({ length: 300 }, (_, i) => `e${i}`)],
      ["HSET", "d:hash", "f", "v", "g", "1"],
      ["HSET", "d:bighash", ...Array.from({ length: 300 }, (_, i) => `f${i}`)],
      ["SADD", "d:intset", "1", "2", "300", "70000", "5000000000"],
      ["SADD", "d:set", "a", "b", "c"],
      ["SADD", "d:bigset", ...Array.from({ length: 600 }, (_, i) => `m${i}`)],
      ["ZADD", "d:zset", "1", "a", "2.5", "b", "-inf", "c"],
      [
        "ZADD",
        "d:bigzset",
        ...Array.from({ length: 300 }, (_, i) => [i, `z${i}`]).flat(),
      ],
      ["XADD", "d:stream", "1-1", "f", "v", "g", "w"],
      ["XADD", "d:stream", "2-1", "f", "v2"],
      ["XGROUP", "CREATE", "d:stream", "grp", "0"],
      [
        "XREADGROUP",
        "GROUP",
        "grp",
        "c1",
        "COUNT",
        "1",
        "STREAMS",
        "d:stream",
        ">",
      ],
      ["PFADD", "d:hll", "a", "b", "c"],
      [
        "PFADD",
        "d:densehll",
        ...Array.from({ length: 3000 }, (_, i) => `h${i}`),
      ],
    ];
    for (const argv of setup) await c.call(...argv);
    const dumps: string[] = [];
    for (const argv of setup) {
      const key = String(argv[0] === "XGROUP" ? argv[2] : argv[1]);
      const payload = await c.call("DUMP", key);
      if (typeof payload === "string") dumps.push(payload);
    }
    await c.call("FLUSHALL");
    return [...new Set(dumps)];
  } finally {
    c.close();
  }
}

function tail(text: string): string {
  return text.split("\n").slice(-30).join("\n");
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((r) => setTimeout(() => r(undefined), ms));
}

async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer to ${what} within ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
