/**
 * What the benchmark scripts share: starting redis-server and tsredis side
 * by side (pinned to CPU 0, in temp dirs, on free ports), running tools
 * pinned to CPU 1, and reading a process's resident memory.
 *
 * @module
 */
import { SERVER_V8_FLAGS } from "./compile.ts";

/** Which server. */
export type ServerKind = "redis" | "tsredis";

/** A server started for a benchmark. */
export interface Running {
  name: ServerKind;
  port: number;
  pid: number;
  /** The server's working directory (its dump.rdb, appendonlydir). */
  dir: string;
  /** Everything the server logged so far. */
  output(): string;
  /** SIGTERM, wait, and remove the directory unless `keepDir`. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** The path of `name` on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

const TASKSET = which("taskset");

/** `cmd` run on CPU `cpu` when taskset is there. */
export function pinned(cpu: number, cmd: string[]): string[] {
  return TASKSET === undefined ? cmd : [TASKSET, "-c", String(cpu), ...cmd];
}

/**
 * Moves this process, every thread of it, to CPU `cpu` when taskset is
 * there: the bench's own work (the PING probe, redis-cli calls) then never
 * takes the servers' CPU.
 */
export async function pinSelf(cpu: number): Promise<void> {
  if (TASKSET === undefined) return;
  await new Deno.Command(TASKSET, {
    args: ["-a", "-p", "-c", String(cpu), String(Deno.pid)],
    stdout: "null",
    stderr: "null",
  }).output();
}

/**
 * Starts a server on a free port with `--save ""` (unless `extra` sets
 * another), in `opts.dir` or a new temp dir, and waits until it is ready.
 */
export async function startServer(
  kind: ServerKind,
  extra: string[] = [],
  opts: { dir?: string } = {},
): Promise<Running> {
  const port = freePort();
  const dir = opts.dir ??
    await Deno.makeTempDir({ prefix: "tsredis-bench-" });
  const common = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    ...extra,
  ];
  let cmd: string[];
  if (kind === "redis") {
    cmd = ["redis-server", "--appendonly", "no", ...common];
  } else {
    const bin = Deno.env.get("TSREDIS_BIN");
    const main = new URL("../main.ts", import.meta.url).pathname;
    // The same V8 settings as `deno task start` and the compiled binary.
    const v8 = Deno.env.get("TSREDIS_V8_FLAGS") ?? SERVER_V8_FLAGS;
    cmd = bin !== undefined
      ? [bin, ...common]
      : [Deno.execPath(), "run", "-A", `--v8-flags=${v8}`, main, ...common];
  }
  cmd = pinned(0, cmd);
  const child = new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    cwd: dir,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let out = "";
  while (!out.includes("Ready to accept connections")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${kind} exited before it was ready:\n${out}`);
    out += decoder.decode(value);
  }
  // Keep draining so the server never blocks on a full pipe.
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        out += decoder.decode(value);
      }
    } catch { /* closed */ }
  })();
  return {
    name: kind,
    port,
    pid: child.pid,
    dir,
    output: () => out,
    async stop(stopOpts = {}) {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
      if (!stopOpts.keepDir) {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  };
}

/** Runs a command to completion; its standard output. */
export async function run(cmd: string[]): Promise<string> {
  const out = await new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return new TextDecoder().decode(out.stdout);
}

/** `redis-cli -p <port> <args>`'s output. */
export function cli(server: Running, ...args: string[]): Promise<string> {
  return run(["redis-cli", "-p", String(server.port), ...args]);
}

/** Resident memory of process `pid` in bytes. */
export function rssBytes(pid: number): number {
  // The pid may be taskset's; it execs the server, so the pid is the same.
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m === null ? NaN : Number(m[1]) * 1024;
}

/**
 * Loads `count` SETs of 16-byte values on keys drawn at random from
 * `keyspace` names (redis-benchmark -r; 100 million by default, as the
 * memory bench does).
 */
export async function loadKeys(
  server: Running,
  count: number,
  keyspace = 100_000_000,
): Promise<void> {
  await run(pinned(1, [
    "redis-benchmark",
    "-p",
    String(server.port),
    "-t",
    "set",
    "-r",
    String(keyspace),
    "-n",
    String(count),
    "-d",
    "16",
    "-P",
    "32",
    "-q",
  ]));
}
