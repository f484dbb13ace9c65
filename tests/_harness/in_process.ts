/**
 * Runs a tsredis server inside the test process on a free port: fast to
 * start, and lets tests reach the server state (a `ManualClock`, say).
 *
 * @module
 */
import { applyDirectives, Config, parseCommandLine } from "../../src/config.ts";
import { ServerState } from "../../src/state.ts";
import { Server } from "../../src/server.ts";
import { type Clock, ManualClock, type Random } from "../../src/util/clock.ts";
import type { Argv } from "../../src/protocol/types.ts";
import { Logger, withLogger } from "../../src/log.ts";
import { RespClient } from "./resp_client.ts";
import { freePort } from "./tools.ts";

/** A server running in this process. */
export interface InProcessServer {
  readonly port: number;
  readonly state: ServerState;
  connect(): Promise<RespClient>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a server in this process with the given command-line arguments. */
export function startInProcess(
  args: string[] = [],
  opts: { clock?: Clock; random?: Random } = {},
): InProcessServer {
  // A silent logger of its own: the process's log level stays as it is.
  const logger = new Logger();
  logger.level = "nothing";
  const port = freePort();
  const request = parseCommandLine([
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    // No save points: the server shares the test runner's working
    // directory, where FLUSHALL or SHUTDOWN would otherwise write dump.rdb.
    // A test that wants them passes its own `--save`.
    "--save",
    "",
    ...args,
  ]);
  if (request.kind !== "run") throw new TypeError("Expected server arguments");
  const config = new Config();
  applyDirectives(config, request.directives);
  const { state, server } = withLogger(logger, () => {
    const state = new ServerState(config, opts);
    const server = new Server(state);
    server.listen();
    return { state, server };
  });
  const stop = async () => {
    withLogger(logger, () => server.stop());
    await server.finished;
    // Let closed sockets settle so Deno's resource sanitizer sees them gone.
    await new Promise((r) => setTimeout(r, 10));
  };
  return {
    port,
    state,
    connect: () => RespClient.connect(port),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * Records what `server` propagates to the AOF and replicas, one entry per
 * command: its argv, or what `format` makes of it and its database index.
 */
export function recordPropagation(server: InProcessServer): Argv[];
export function recordPropagation<T>(
  server: InProcessServer,
  format: (argv: Argv, db: number) => T,
): T[];
export function recordPropagation(
  server: InProcessServer,
  format: (argv: Argv, db: number) => unknown = (argv) => argv,
): unknown[] {
  const propagated: unknown[] = [];
  server.state.sinks.push({
    propagate(db, argv) {
      propagated.push(format(argv, db));
    },
  });
  return propagated;
}

/**
 * Records the keyspace events `server` emits, as `"<event> <key>"` (what a
 * `__keyevent@<db>__:<event>` subscriber hears).
 */
export function recordEvents(server: InProcessServer): string[] {
  const events: string[] = [];
  server.state.eventSinks.push((_type, event, key) => {
    events.push(`${event} ${key}`);
  });
  return events;
}

/**
 * A server on a `ManualClock` set to `start` (Unix ms), recording what it
 * propagates as `[db, ...argv]`.
 */
export function startRecording(start: number, args: string[] = []): {
  clock: ManualClock;
  server: InProcessServer;
  propagated: [number, ...Argv][];
} {
  const clock = new ManualClock(start);
  const server = startInProcess(args, { clock });
  const propagated = recordPropagation(
    server,
    (argv, db): [number, ...Argv] => [db, ...argv],
  );
  return { clock, server, propagated };
}
