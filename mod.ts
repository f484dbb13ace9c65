/**
 * tsredis in-process: a real Redis 7.0-compatible server inside your Deno
 * process, for tests. Nothing to install, a free port per server, started
 * in milliseconds.
 *
 * ```ts
 * import { startServer } from "<tsredis>/mod.ts";
 *
 * Deno.test("my cache talks to Redis", async () => {
 *   await using redis = await startServer({ port: 0 });
 *   // Point any client (ioredis, node-redis, ...) at redis.port.
 *   await redis.flushAll(); // between cases
 * });
 * ```
 *
 * Options are config directives, spelled as in redis.conf
 * (`{ maxmemory: "10mb", "maxmemory-policy": "allkeys-lru" }`); a boolean
 * is `yes`/`no`. Each server has its own keyspace, configuration, clients,
 * statistics and log; several can run in one process side by side.
 *
 * @module
 */
import {
  applyDirectives,
  Config,
  ConfigFileError,
  type ConfigLine,
  takesSeveralWords,
} from "./src/config.ts";
import { Logger, type LogLevel, withLogger } from "./src/log.ts";
import { ServerState } from "./src/state.ts";
import { Server } from "./src/server.ts";
import { internalClient } from "./src/client.ts";
import { dispatch } from "./src/commands/dispatch.ts";

/** Config directives for `startServer`, by redis.conf name. */
export type ServerOptions = Record<
  string,
  string | number | boolean | readonly string[] | undefined
>;

/** A tsredis server running in this process. */
export interface TsRedisServer {
  /** The TCP port it listens on (the one picked for `port: 0`). */
  readonly port: number;
  /** The address it listens on (`127.0.0.1` unless `bind` says otherwise). */
  readonly host: string;
  /** `redis://host:port`, for clients that take a URL. */
  readonly url: string;
  /** Empties every database, as FLUSHALL does (WATCHers and notifications included). */
  flushAll(): Promise<void>;
  /** Stops the server: closes its listeners and its clients' connections. */
  close(): Promise<void>;
  /** `await using server = await startServer()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

// What only a tsredis process can do, not a server inside another program.
const PROCESS_ONLY = ["daemonize", "supervised", "pidfile"];

// Where an in-process server differs from redis-server's defaults: a free
// port on the loopback interface, no snapshots (the test process's working
// directory is nobody's data directory). No log lines either, unless
// `loglevel` or `logfile` is given.
const DEFAULTS: Record<string, string> = {
  port: "0",
  bind: "127.0.0.1",
  save: "",
};

/**
 * Starts a server in this process and resolves once it accepts
 * connections. Throws a `TypeError` for an unknown directive or a bad
 * value (with redis-server's reason), or when the port is taken.
 *
 * The dataset starts empty: `dump.rdb` or an AOF is loaded only when
 * `dir`, `dbfilename` or `appendonly` is given.
 */
export async function startServer(
  options: ServerOptions = {},
): Promise<TsRedisServer> {
  const given = new Map<string, string>();
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (
      PROCESS_ONLY.includes(key) && !(key === "supervised" && value === "no")
    ) {
      throw new TypeError(
        `"${name}" is for a tsredis process (main.ts), not for a server started in-process`,
      );
    }
    given.set(key, text(value));
  }
  const merged = new Map([...Object.entries(DEFAULTS), ...given]);
  const bindFirst = merged.get("bind")!.split(" ")[0]!.replace(/^-/, "");
  const host = bindFirst === "*" || bindFirst === ""
    ? "127.0.0.1"
    : bindFirst === "::*"
    ? "::1"
    : bindFirst;
  // Port 0 means "no TCP" to redis-server; here it means "any free port".
  const fixed = merged.get("port") !== "0";
  for (let attempt = 1;; attempt++) {
    if (!fixed) merged.set("port", String(freePort(host)));
    try {
      return await start(merged, given, host);
    } catch (e) {
      // Someone took the free port before us: pick another.
      if (fixed || attempt === 5 || !/in use/i.test((e as Error).message)) {
        throw e;
      }
    }
  }
}

async function start(
  merged: Map<string, string>,
  given: Map<string, string>,
  host: string,
): Promise<TsRedisServer> {
  const lines: ConfigLine[] = [];
  for (const [name, value] of merged) {
    lines.push({
      name,
      args: takesSeveralWords(name)
        ? value.split(" ").filter((w) => w !== "")
        : [value],
      text: `${name} ${value}`,
      line: lines.length + 1,
    });
  }
  const config = new Config({ chdir: false });
  try {
    applyDirectives(config, lines);
  } catch (e) {
    if (e instanceof ConfigFileError) {
      throw new TypeError(`${e.text}: ${e.message}`);
    }
    throw e;
  }
  const logger = new Logger();
  logger.level = given.has("loglevel") || given.has("logfile")
    ? config.get("loglevel") as LogLevel
    : "nothing";
  logger.setFile(config.get("logfile"));
  config.onChange("loglevel", (v) => (logger.level = v as LogLevel));
  // Everything the server starts (accept loops, timers, connections)
  // inherits this context, so its lines go to its own logger.
  return await withLogger(logger, async () => {
    let server: Server;
    let state: ServerState;
    try {
      state = new ServerState(config);
      server = new Server(state);
      server.listen();
    } catch (e) {
      logger.close();
      if (e instanceof ConfigFileError) {
        throw new TypeError(`${e.text}: ${e.message}`);
      }
      throw new TypeError((e as Error).message.split("\n").join(": "));
    }
    await server.listening;
    const persisted = given.has("dir") || given.has("dbfilename") ||
      given.has("appendonly");
    let rdbLoaded = false;
    if (persisted) {
      const aofLoaded = await state.aof?.startup() ?? false;
      rdbLoaded = !aofLoaded && (await state.rdb?.loadAtStartup() ?? false);
    }
    state.replication?.startupDone(rdbLoaded);
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        // Called from the caller's context: the lines go to this server's log.
        withLogger(logger, () => server.stop());
        await server.finished;
        logger.close();
        // Closed sockets are released on the next turn of the event loop.
        await new Promise((r) => setTimeout(r, 0));
      })();
      return closing;
    };
    const port = state.port;
    return {
      port,
      host,
      url: `redis://${host.includes(":") ? `[${host}]` : host}:${port}`,
      flushAll() {
        withLogger(logger, () => {
          dispatch(
            state,
            internalClient(Number.MAX_SAFE_INTEGER - 1, state.clock.now()),
            ["flushall"],
          );
        });
        return Promise.resolve();
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  });
}

// A TCP port free on `host` right now.
function freePort(host: string): number {
  const listener = Deno.listen({ hostname: host, port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

// A directive's value as redis.conf spells it.
function text(value: string | number | boolean | readonly string[]): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join(" ");
  return String(value);
}
