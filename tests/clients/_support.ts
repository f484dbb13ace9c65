/**
 * Helpers for the real-client tests: which commands tsredis implements (so
 * a test of a feature that does not exist yet is registered as ignored, and
 * switches itself on when the command lands), and running a tool with a
 * time limit.
 *
 * @module
 */
import { ALL_COMMANDS } from "../../src/commands/table.ts";

const NAMES = new Set<string>();
for (const command of ALL_COMMANDS) {
  NAMES.add(command.name);
  for (const sub of command.subcommands?.values() ?? []) {
    NAMES.add(`${command.name}|${sub.name.split("|").pop()}`);
  }
}

// Against the reference server (TSREDIS_TARGET=redis-server) every test runs.
const REFERENCE = Deno.env.get("TSREDIS_TARGET") === "redis-server";

/**
 * True when the server under test has every named command (`"info"`,
 * `"command|docs"`): always for the reference redis-server.
 */
export function hasCommands(...names: string[]): boolean {
  return REFERENCE || names.every((n) => NAMES.has(n.toLowerCase()));
}

/** The named commands the server under test does not have yet. */
export function missingCommands(...names: string[]): string[] {
  return names.filter((n) => !hasCommands(n));
}

/** The result of a finished process. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for `run`. */
export interface RunOptions {
  /** Bytes or text written to the process's standard input, which is then closed. */
  stdin?: Uint8Array | string;
  /** Killed after this many ms (default 60 s). */
  timeoutMs?: number;
}

/** Runs `cmd` with `args`, feeding `stdin`, and collects its output. */
export async function run(
  cmd: string,
  args: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }, opts.timeoutMs ?? 60_000);
  try {
    // Collect output while writing, so a chatty process cannot block on a full pipe.
    const output = child.output();
    const writer = child.stdin.getWriter();
    if (opts.stdin !== undefined) {
      const data = typeof opts.stdin === "string"
        ? new TextEncoder().encode(opts.stdin)
        : opts.stdin;
      await writer.write(data).catch(() => {});
    }
    await writer.close().catch(() => {});
    const out = await output;
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}
