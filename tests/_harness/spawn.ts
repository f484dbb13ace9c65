/**
 * spawnServer(): starts tsredis (or, for checking expectations, the
 * reference redis-server) on a free port and waits until it is ready.
 *
 * `TSREDIS_BIN=./tsredis` runs the compiled binary instead of `main.ts`;
 * `TSREDIS_TARGET=redis-server` makes plain `spawnServer()` start the
 * reference server, so the conformance suite can check its own
 * expectations against real Redis.
 *
 * @module
 */
import { RespClient } from "./resp_client.ts";
import { freePort, REDIS_SERVER } from "./tools.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const READY = "Ready to accept connections";

/** Which server to start. */
export type Target = "tsredis" | "redis-server";

/** A running server process. */
export interface ServerHandle {
  readonly target: Target;
  readonly port: number;
  /** Everything the server printed so far. */
  readonly output: () => string;
  /** A new raw RESP connection. */
  connect(): Promise<RespClient>;
  /** Stops the process (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Resolves with the exit status when the process ends. */
  readonly exited: Promise<Deno.CommandStatus>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The target the suite runs against by default. */
export function defaultTarget(): Target {
  return Deno.env.get("TSREDIS_TARGET") === "redis-server"
    ? "redis-server"
    : "tsredis";
}

/** Options for `spawnServer`. */
export interface SpawnOptions {
  /** Extra command-line arguments (`["--requirepass", "x"]`). */
  args?: string[];
  target?: Target;
  /** A config file's text, written to a temp file and passed first. */
  configText?: string;
  /** Working directory (default: a fresh temp dir). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Don't wait for readiness (for start-up failure tests). */
  noWait?: boolean;
}

/** Starts a server on a free port and waits until it accepts connections. */
export async function spawnServer(
  opts: SpawnOptions = {},
): Promise<ServerHandle> {
  const target = opts.target ?? defaultTarget();
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await spawnOnce(target, opts);
    } catch (e) {
      lastError = e;
      if (!String((e as Error).message).includes("in use")) break;
    }
  }
  throw lastError;
}

async function spawnOnce(
  target: Target,
  opts: SpawnOptions,
): Promise<ServerHandle> {
  const port = freePort();
  const cwd = opts.cwd ?? await Deno.makeTempDir({ prefix: "tsredis-test-" });
  const ownsCwd = opts.cwd === undefined;
  const args: string[] = [];
  if (opts.configText !== undefined) {
    const file = `${cwd}/test.conf`;
    await Deno.writeTextFile(file, opts.configText);
    args.push(file);
  }
  args.push("--port", String(port), "--bind", "127.0.0.1");
  // DEBUG is available on both sides so suites can use DEBUG SLEEP and
  // SET-ACTIVE-EXPIRE; a test that needs it off passes the option again.
  args.push("--enable-debug-command", "yes");
  if (target === "redis-server") args.push("--save", "");
  args.push(...(opts.args ?? []));
  let command: Deno.Command;
  if (target === "redis-server") {
    if (REDIS_SERVER === undefined) {
      throw new Error("redis-server is not installed");
    }
    command = new Deno.Command(REDIS_SERVER, {
      args,
      cwd,
      stdout: "piped",
      stderr: "piped",
      env: opts.env ?? {},
    });
  } else {
    const bin = Deno.env.get("TSREDIS_BIN");
    const cmd = bin ?? Deno.execPath();
    const full = bin !== undefined
      ? args
      // --unstable-net as `deno task start` has it (systemd notification).
      : ["run", "--unstable-net", "--allow-all", MAIN, ...args];
    command = new Deno.Command(cmd, {
      args: full,
      cwd,
      stdout: "piped",
      stderr: "piped",
      env: opts.env ?? {},
    });
  }
  const child = command.spawn();
  let output = "";
  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      if (output.length > 1_000_000) output = output.slice(-500_000);
      if (output.includes(READY)) resolveReady();
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const exited = child.status.then(async (status) => {
    await drained.catch(() => {});
    rejectReady(
      new Error(
        `${target} exited (${status.code}) before it was ready:\n${output}`,
      ),
    );
    if (ownsCwd) await Deno.remove(cwd, { recursive: true }).catch(() => {});
    return status;
  });
  // Nobody waits for readiness: a start-up failure must not surface as an
  // unhandled rejection (the caller looks at `exited` and `output()`).
  if (opts.noWait) ready.catch(() => {});
  if (!opts.noWait) {
    const timer = setTimeout(
      () => rejectReady(new Error(`${target} not ready after 30s:\n${output}`)),
      30000,
    );
    try {
      await ready;
    } catch (e) {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await exited;
      const msg = (e as Error).message;
      throw new Error(
        msg.includes("Address already in use") || msg.includes("in use")
          ? `port in use: ${msg}`
          : msg,
      );
    } finally {
      clearTimeout(timer);
    }
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) {
      await exited;
      return;
    }
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    target,
    port,
    output: () => output,
    connect: () => RespClient.connect(port),
    stop,
    exited,
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * Runs tsredis in `cwd` with `--port 0` and `args` until it exits, for a
 * server that must refuse to start; returns its exit code and everything
 * it printed (stdout, then stderr). Honours `TSREDIS_BIN` as `spawnServer`
 * does.
 */
export async function startFailing(
  cwd: string,
  args: string[] = [],
): Promise<{ code: number; log: string }> {
  const bin = Deno.env.get("TSREDIS_BIN");
  const serverArgs = ["--port", "0", ...args];
  const out = await new Deno.Command(bin ?? Deno.execPath(), {
    args: bin !== undefined
      ? serverArgs
      : ["run", "--allow-all", MAIN, ...serverArgs],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    log: text.decode(out.stdout) + text.decode(out.stderr),
  };
}
