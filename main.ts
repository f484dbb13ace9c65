/**
 * tsredis entry point: `tsredis [/path/to/redis.conf] [--directive value ...]`.
 *
 * @module
 */
import {
  applyDirectives,
  Config,
  ConfigFileError,
  parseCommandLine,
  REDIS_VERSION,
  TSREDIS_VERSION,
  usage,
  versionLine,
} from "./src/config.ts";
import { log, type LogLevel } from "./src/log.ts";
import { ServerState } from "./src/state.ts";
import { Server } from "./src/server.ts";
import { AclStartupError } from "./src/acl/install.ts";

/** Runs the server until it is shut down; returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  let request;
  const config = new Config();
  try {
    request = parseCommandLine(args);
    if (request.kind === "help") {
      console.log(usage());
      return 0;
    }
    if (request.kind === "version") {
      console.log(versionLine());
      return 0;
    }
    if (request.kind === "cli") {
      const { runCli } = await import("./src/cli/main.ts");
      return await runCli(request.args);
    }
    applyDirectives(config, request.directives);
    config.file = request.configFile;
  } catch (e) {
    if (e instanceof ConfigFileError) {
      if (e.line === 0) {
        // The file could not be read: Redis logs one line and exits.
        log.role = "C";
        log.warning(e.message);
      } else {
        console.error(e.report());
      }
      return 1;
    }
    throw e;
  }
  log.level = config.get("loglevel") as LogLevel;
  log.setFile(config.get("logfile"));
  config.onChange("loglevel", (v) => (log.level = v as LogLevel));

  log.warning("oO0OoO0OoO0Oo tsredis is starting oO0OoO0OoO0Oo");
  log.warning(
    `tsredis version=${TSREDIS_VERSION}, redis_version=${REDIS_VERSION}, bits=64, deno=${Deno.version.deno}, pid=${Deno.pid}, just started`,
  );
  if (config.file === "") {
    log.warning(
      "Warning: no config file specified, using the default config. In order to specify a config file use tsredis /path/to/redis.conf",
    );
  } else {
    log.warning("Configuration loaded");
  }
  const state = new ServerState(config);
  let server: Server;
  try {
    server = new Server(state);
  } catch (e) {
    // ACL users (config `user` lines, the aclfile) load as the server is
    // built: a bad one stops start-up, already reported.
    if (e instanceof ConfigFileError) {
      console.error(e.report());
      return 1;
    }
    if (e instanceof AclStartupError) return 1;
    throw e;
  }
  try {
    server.listen();
  } catch (e) {
    // The cause, then what Redis says as it gives up, one line each.
    for (const line of (e as Error).message.split("\n")) log.warning(line);
    return 1;
  }

  const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
    log.warning(
      state.loading
        ? "Received shutdown signal during loading, scheduling shutdown."
        : `Received ${name} scheduling shutdown...`,
    );
    // shutdown-on-sigint / shutdown-on-sigterm choose the SHUTDOWN flags.
    const mode = config.get(`shutdown-on-${name.toLowerCase()}`);
    const error = state.shutdown({
      save: mode === "save",
      nosave: mode === "nosave",
      now: mode === "now",
      force: mode === "force",
    });
    if (error !== undefined) {
      log.warning(
        "SIGTERM received but errors trying to shut down the server, check the logs for more information",
      );
    }
  };
  const sigint = onSignal("SIGINT");
  const sigterm = onSignal("SIGTERM");
  Deno.addSignalListener("SIGINT", sigint);
  Deno.addSignalListener("SIGTERM", sigterm);
  // Ready only once the signals are handled, so a supervisor never kills us raw.
  log.notice(`Running mode=standalone, port=${config.get("port")}.`);
  log.warning("Server initialized");
  let rdbLoaded = false;
  try {
    // With appendonly yes the AOF holds the data (the manifest is read
    // either way); otherwise the RDB file does, when there is one.
    const aofLoaded = await state.aof?.startup() ?? false;
    rdbLoaded = !aofLoaded && (await state.rdb?.loadAtStartup() ?? false);
  } catch {
    // Fatal, as for redis-server: the lines naming the cause are logged.
    Deno.removeSignalListener("SIGINT", sigint);
    Deno.removeSignalListener("SIGTERM", sigterm);
    return 1;
  }
  // A shutdown during the load has already stopped the server.
  await server.listening;
  if (!server.stopped) {
    log.notice("Ready to accept connections");
    const unixsocket = config.get("unixsocket");
    if (unixsocket !== "") {
      log.notice(
        `The server is now ready to accept connections at ${unixsocket}`,
      );
    }
    // A replica follows its master from here (from the offset its RDB had).
    state.replication?.startupDone(rdbLoaded);
  }
  await server.finished;
  Deno.removeSignalListener("SIGINT", sigint);
  Deno.removeSignalListener("SIGTERM", sigterm);
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
