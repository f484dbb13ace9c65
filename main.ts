/**
 * tsredis entry point: `tsredis [/path/to/redis.conf] [-] [--directive value ...]`.
 *
 * Start-up and shutdown follow redis-server 7.0: the same log lines at the
 * same levels, `supervised` (systemd readiness notification, upstart),
 * `pidfile` written once the ports are bound and removed at exit, config
 * text from stdin with `-`, SIGINT/SIGTERM as `shutdown-on-sig*` says.
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
import {
  type DatagramSender,
  startSupervision,
  type SupervisedMode,
  type SupervisionEnv,
} from "./src/supervision.ts";

/** What a test may replace; a real start uses the process's. */
export interface MainOptions {
  /** Config text for `-` (default: all of stdin). */
  readStdin?: () => string;
  /** Environment for `supervised` (default: Deno.env). */
  env?: SupervisionEnv;
  /** How systemd messages are sent (default: a unix datagram socket). */
  send?: DatagramSender;
  /** Whether stdout is a terminal (the logo shows on one, as in Redis). */
  isTerminal?: boolean;
}

/** Runs the server until it is shut down; returns the exit code. */
export async function main(
  args: readonly string[],
  opts: MainOptions = {},
): Promise<number> {
  // Redis's role letter is C until the server is set up (its pid is not
  // yet known to the logger), M or S from then on.
  log.role = "C";
  let request;
  const config = new Config();
  try {
    request = parseCommandLine(
      args,
      opts.readStdin === undefined ? {} : { readStdin: opts.readStdin },
    );
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
    if (request.fromStdin) log.warning("Reading config from stdin");
    applyDirectives(config, request.directives);
    config.file = request.configFile;
  } catch (e) {
    if (e instanceof ConfigFileError) {
      if (e.line === 0) {
        // The file could not be read: Redis logs one line and exits.
        log.warning(e.message);
      } else {
        console.error(e.report());
      }
      return 1;
    }
    throw e;
  }
  try {
    log.setFile(config.get("logfile"));
  } catch (e) {
    const reason = (e as Error).message.replace(/ \(os error \d+\).*$/s, "");
    console.error(
      new ConfigFileError(
        `Can't open the log file: ${reason}`,
        request.directives.findLast((d) => d.name === "logfile")?.line ?? 1,
        `logfile ${config.get("logfile")}`,
      ).report(),
    );
    return 1;
  }
  log.level = config.get("loglevel") as LogLevel;
  config.onChange("loglevel", (v) => (log.level = v as LogLevel));

  const supervision = await startSupervision(
    config.get("supervised") as SupervisedMode,
    {
      ...(opts.env === undefined ? {} : { env: opts.env }),
      ...(opts.send === undefined ? {} : { send: opts.send }),
    },
  );
  // Redis daemonizes unless a supervisor runs it (Debian's redis.conf says
  // `daemonize yes`, its unit `--supervised systemd`); tsredis cannot fork.
  if (config.bool("daemonize") && !supervision.supervised) {
    supervision.close();
    const line = request.directives.findLast((d) => d.name === "daemonize");
    console.error(
      new ConfigFileError(
        "tsredis cannot daemonize itself; run it under a supervisor instead (supervised systemd or upstart), or with daemonize no",
        line?.line ?? 1,
        line?.text ?? "daemonize yes",
      ).report(),
    );
    return 1;
  }
  log.warning("oO0OoO0OoO0Oo tsredis is starting oO0OoO0OoO0Oo");
  log.warning(
    `tsredis version=${TSREDIS_VERSION}, redis_version=${REDIS_VERSION}, bits=64, deno=${Deno.version.deno}, pid=${Deno.pid}, just started`,
  );
  if (args.length === 0) {
    log.warning(
      "Warning: no config file specified, using the default config. In order to specify a config file use tsredis /path/to/redis.conf",
    );
  } else {
    log.warning("Configuration loaded");
  }
  const state = new ServerState(config);
  state.supervised = supervision.mode;
  state.notifySupervisor = (message) => void supervision.notify(message);
  log.role = "M";
  let server: Server;
  try {
    server = new Server(state);
  } catch (e) {
    supervision.close();
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
    supervision.close();
    // The cause, then what Redis says as it gives up, one line each.
    for (const line of (e as Error).message.split("\n")) log.warning(line);
    return 1;
  }
  writePidFile(config.get("pidfile"), server);

  // One shutdown per process: a second signal while the first is being
  // served changes nothing. `npx deno task start` shows why: Ctrl-C
  // reaches the server from the terminal and again from deno task, which
  // forwards it to its child.
  let signalled = false;
  const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
    if (server.stopped || signalled) return;
    signalled = true;
    log.fromSignal(
      "warning",
      state.loading
        ? "Received shutdown signal during loading, scheduling shutdown."
        : `Received ${name} scheduling shutdown...`,
    );
    // shutdown-on-sigint / shutdown-on-sigterm choose the SHUTDOWN flags.
    const mode = config.get(`shutdown-on-${name.toLowerCase()}`).split(" ");
    const outcome = state.shutdown({
      save: mode.includes("save"),
      nosave: mode.includes("nosave"),
      now: mode.includes("now"),
      force: mode.includes("force"),
    }, (aborted) => {
      // A shutdown that waited for replicas was aborted or failed: still
      // running, a later signal tries again.
      signalled = false;
      if (!aborted) logSignalFailure();
    });
    if (outcome === "failed") {
      signalled = false;
      logSignalFailure();
    }
  };
  const logSignalFailure = () =>
    log.warning(
      "SIGTERM received but errors trying to shut down the server, check the logs for more information",
    );
  const sigint = onSignal("SIGINT");
  const sigterm = onSignal("SIGTERM");
  Deno.addSignalListener("SIGINT", sigint);
  Deno.addSignalListener("SIGTERM", sigterm);
  const removeSignals = () => {
    Deno.removeSignalListener("SIGINT", sigint);
    Deno.removeSignalListener("SIGTERM", sigterm);
  };
  // Ready only once the signals are handled, so a supervisor never kills us raw.
  const showLogo = config.bool("always-show-logo") ||
    (!config.bool("syslog-enabled") && config.get("logfile") === "" &&
      (opts.isTerminal ?? Deno.stdout.isTerminal()));
  const port = state.port || config.number("tls-port");
  if (showLogo) log.rawAt("notice", logo(port));
  else log.notice(`Running mode=standalone, port=${port}.`);
  log.warning("Server initialized");
  let rdbLoaded = false;
  try {
    // With appendonly yes the AOF holds the data (the manifest is read
    // either way); otherwise the RDB file does, when there is one.
    const aofLoaded = await state.aof?.startup() ?? false;
    rdbLoaded = !aofLoaded && (await state.rdb?.loadAtStartup() ?? false);
  } catch {
    // Fatal, as for redis-server: the lines naming the cause are logged.
    removeSignals();
    supervision.close();
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
    void supervision.notify(
      config.get("replicaof") === ""
        ? "STATUS=Ready to accept connections\n"
        : "STATUS=Ready to accept connections in read-only mode. Waiting for MASTER <-> REPLICA sync\n",
    );
    void supervision.notify("READY=1\n");
    // A replica follows its master from here (from the offset its RDB had).
    state.replication?.startupDone(rdbLoaded);
  }
  await server.finished;
  removeSignals();
  // STOPPING=1 leaves before the process does.
  await supervision.idle();
  supervision.close();
  return 0;
}

// Redis's createPidFile (once the ports are bound, best effort: 7.0 says
// nothing when it cannot write it) and the unlink in finishShutdown.
function writePidFile(path: string, server: Server): void {
  if (path === "") return;
  try {
    Deno.writeTextFileSync(path, `${Deno.pid}\n`);
  } catch {
    // Best effort, as in redis-server.
  }
  server.exitHooks.push(() => {
    log.notice("Removing the pid file.");
    try {
      Deno.removeSync(path);
    } catch {
      // Never written, or removed by someone else.
    }
  });
}

/**
 * The start-up logo (`always-show-logo yes`, or stdout on a terminal):
 * tsredis's own drawing beside the lines redis-server's logo has, so what
 * reads them (`Port: `, `PID: `) finds them.
 */
export function logo(port: number): string {
  const info = [
    "",
    `tsredis ${TSREDIS_VERSION} (Redis ${REDIS_VERSION} compatible) 64 bit`,
    "",
    "Running in standalone mode",
    `Port: ${port}`,
    `PID: ${Deno.pid}`,
    "",
    "",
    "https://redis.io/docs (the specification)",
    "",
  ];
  const art = [
    "        ______________________",
    "       /                     /|",
    "      /  _____   ____       / |",
    "     /  |_   _| / ___|     /  |",
    "    /     | |   \\___ \\    /   |",
    "   /      |_|   |____/   /    |",
    "  /_____________________/  r  |",
    "  |                     |  e  /",
    "  |   t s r e d i s     |  d /",
    "  |_____________________|  i/",
    "                           s",
  ];
  const lines: string[] = [];
  for (let i = 0; i < art.length; i++) {
    const left = art[i]!.padEnd(38);
    const right = info[i] ?? "";
    lines.push(right === "" ? art[i]! : `${left}${right}`);
  }
  return `\n${lines.join("\n")}\n\n`;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
