/**
 * The server: listeners from `bind`/`port`, the accept loop with
 * `maxclients` and protected mode, the cron (active expiry, client
 * timeouts, stats sampling), and orderly shutdown.
 *
 * @module
 */
import { Client } from "./client.ts";
import { Connection } from "./connection.ts";
import { ServerState } from "./state.ts";
import { log } from "./log.ts";
import { buildCommandTable } from "./commands/table.ts";
import { installFeatures } from "./features.ts";
import { aclOf } from "./acl/acl.ts";
import { runExpireCycle } from "./store/expire.ts";
import { installInfo } from "./commands/server/info.ts";
import { installLatencyTracking } from "./commands/server/latency_histogram.ts";
import { installPersistence } from "./persistence/install.ts";
import { installReplication } from "./replication/install.ts";
import {
  bindAddresses,
  openTcpListeners,
  openUnixListener,
  peerAddresses,
  removeUnixSocket,
} from "./listeners.ts";
import { TlsEndpoint } from "./tls.ts";
import { installClientLimits } from "./client_limits.ts";
import { installShutdown } from "./shutdown.ts";
import { isMonitor } from "./commands/introspection/monitor.ts";

const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

// Connections accepted in a row before other sockets are served.
const ACCEPTS_PER_TURN = 16;

/** A running server. */
export class Server {
  readonly state: ServerState;
  // TCP listeners by the host name each is bound to.
  #listeners = new Map<string, Deno.Listener>();
  #tls: TlsEndpoint;
  #unix: Deno.Listener | undefined;
  #connections = new Map<number, Connection>();
  #cron: ReturnType<typeof setInterval> | undefined;
  #done: Promise<void>;
  #resolveDone!: () => void;
  #stopping = false;
  /** Run by `stop()` before its last line (main.ts removes the pidfile). */
  readonly exitHooks: (() => void)[] = [];
  // TSREDIS_IO=stream selects the web-stream read path (for measurement).
  #ioMode: "read" | "stream" = readIoMode();

  /** Prepares a server for `state`; call `listen()` to start it. */
  constructor(state: ServerState) {
    this.state = state;
    state.commands = buildCommandTable();
    installFeatures(state);
    installInfo(state);
    installLatencyTracking(state);
    installPersistence(state);
    installReplication(state);
    installClientLimits(state);
    state.socketOf = (client) => this.#connections.get(client.id)?.conn;
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    installShutdown(state, () => this.stop());
    this.#tls = new TlsEndpoint(state.config, (l) => this.#acceptLoop(l));
    state.config.onChange(
      "port",
      (v) => this.#rebind(state.config.get("bind"), Number(v)),
    );
    state.config.onChange(
      "bind",
      (v, previous) => this.#changeBind(v, previous),
    );
    state.config.onChange("hz", () => this.#startCron());
  }

  /**
   * Resolves once every listener is bound: TLS binds asynchronously, after
   * `listen()` returns.
   */
  get listening(): Promise<void> {
    return this.#tls.listening;
  }

  /** True once `stop()` has run. */
  get stopped(): boolean {
    return this.#stopping;
  }

  /** Resolves when the server has stopped. */
  get finished(): Promise<void> {
    return this.#done;
  }

  /**
   * Binds the configured addresses (TCP, TLS, the unix socket) and starts
   * accepting clients. Throws with the lines Redis logs before exiting.
   */
  listen(): void {
    const config = this.state.config;
    const port = config.number("port");
    const bind = config.get("bind");
    try {
      this.#listeners = openTcpListeners(bind, port);
    } catch (e) {
      throw new Error(
        `Warning: ${
          (e as Error).message
        }\nFailed listening on port ${port} (TCP), aborting.`,
      );
    }
    this.state.port = port;
    try {
      this.#tls.open(bind);
      const path = config.get("unixsocket");
      if (path !== "") {
        this.#unix = openUnixListener(
          path,
          parseInt(config.get("unixsocketperm"), 8),
        );
      }
    } catch (e) {
      this.#closeListeners();
      throw e;
    }
    for (const l of this.#listeners.values()) this.#acceptLoop(l);
    if (this.#unix !== undefined) this.#acceptLoop(this.#unix);
    this.#startCron();
  }

  #closeListeners(): void {
    for (const l of this.#listeners.values()) {
      try {
        l.close();
      } catch {
        // Already closed.
      }
    }
    this.#tls.close();
    if (this.#unix !== undefined) {
      try {
        this.#unix.close();
      } catch {
        // Already closed.
      }
      this.#unix = undefined;
      removeUnixSocket(this.state.config.get("unixsocket"));
    }
  }

  // Redis's changeBindAddr: TCP and TLS move to the new addresses, or
  // neither does. Addresses bound already keep their listeners.
  #changeBind(bind: string, previous: string): void {
    try {
      this.#bindNow(bind, { strictInUse: true });
      return;
    } catch (e) {
      if (!addrInUse(e) || this.#listeners.size + this.#tls.count === 0) {
        log.warning(`Warning: ${(e as Error).message}`);
        log.warning("Failed to bind");
        throw new Error("Failed to bind to specified addresses.");
      }
    }
    // A new address overlaps one we leave (`*` after `127.0.0.1`, say).
    // Redis closes the old sockets and binds the new ones; Deno frees a
    // listening port only once its pending accept has ended, a moment
    // later, so the new addresses are bound then.
    this.#closeTcpAndTls();
    this.#bindSoon(bind, previous);
  }

  async #bindSoon(bind: string, previous: string): Promise<void> {
    for (const target of [bind, previous]) {
      for (let attempt = 0; attempt < 100; attempt++) {
        await pause(10);
        if (this.#stopping) return;
        try {
          this.#bindNow(target);
          if (target === previous) {
            log.warning("Failed to bind; the previous addresses are back");
          }
          return;
        } catch (e) {
          if (!addrInUse(e) || attempt === 99) {
            log.warning(`Warning: ${(e as Error).message}`);
            break;
          }
        }
      }
    }
    log.warning("Failed to bind");
  }

  // Binds TCP and TLS to `bind`, keeping the listeners of addresses bound
  // already and closing the others; throws, changing nothing, on failure.
  #bindNow(bind: string, opts: { strictInUse?: boolean } = {}): void {
    const port = this.state.config.number("port");
    const tcp = port === 0
      ? undefined
      : bindAddresses(bind, port, new Set(this.#listeners.keys()), opts);
    try {
      this.#tls.rebind(bind, opts);
    } catch (e) {
      for (const l of tcp?.opened.values() ?? []) l.close();
      throw e;
    }
    if (tcp === undefined) return;
    for (const [hostname, l] of this.#listeners) {
      if (tcp.hostnames.includes(hostname)) continue;
      l.close();
      this.#listeners.delete(hostname);
    }
    for (const [hostname, l] of tcp.opened) {
      this.#listeners.set(hostname, l);
      this.#acceptLoop(l);
    }
  }

  #closeTcpAndTls(): void {
    for (const l of this.#listeners.values()) {
      try {
        l.close();
      } catch {
        // Already closed.
      }
    }
    this.#listeners.clear();
    this.#tls.close();
  }

  #rebind(bind: string, port: number): void {
    if (this.#listeners.size === 0 && port === this.state.port) return;
    let next: Map<string, Deno.Listener>;
    try {
      next = openTcpListeners(bind, port);
    } catch {
      // Redis's texts for a port change and for a bind change.
      throw new Error(
        port !== this.state.port
          ? "Unable to listen on this port"
          : "Failed to bind to specified addresses.",
      );
    }
    for (const l of this.#listeners.values()) l.close();
    this.#listeners = next;
    this.state.port = port;
    for (const l of next.values()) this.#acceptLoop(l);
  }

  async #acceptLoop(listener: Deno.Listener): Promise<void> {
    let accepted = 0;
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (e) {
        // Only the listener's own close ends the loop. A peer that reset
        // its connection before we took it (NotConnected), or a shortage
        // of file descriptors, costs that one client, never the listener.
        if (listenerClosed(e)) return;
        log.verbose(`Accepting client connection: ${(e as Error).message}`);
        if (!(e instanceof Deno.errors.NotConnected)) await pause(10);
        continue;
      }
      this.#accept(conn);
      // Connections waiting in the backlog are accepted at once, without
      // going back to the event loop: after a few, the others get a turn.
      if (++accepted % ACCEPTS_PER_TURN === 0) await this.state.ioTurn.next();
    }
  }

  #accept(conn: Deno.Conn): void {
    const state = this.state;
    const connection = new Connection(state, conn, state.ioTurn);
    const peer = peerAddresses(conn);
    if (state.clients.size >= state.config.number("maxclients")) {
      state.stats.rejectedConnections++;
      connection.refuse("-ERR max number of clients reached\r\n");
      return;
    }
    if (
      !peer.unix &&
      protectedModeRefuses(state, (conn.remoteAddr as Deno.NetAddr).hostname)
    ) {
      state.stats.rejectedConnections++;
      connection.refuse(PROTECTED_MODE_DENIED);
      return;
    }
    try {
      (conn as Deno.TcpConn).setNoDelay(true);
      const keepalive = state.config.number("tcp-keepalive");
      if (keepalive > 0) (conn as Deno.TcpConn).setKeepAlive(true);
    } catch {
      // Not a TCP socket.
    }
    const client = new Client({
      id: state.nextClientId++,
      addr: peer.addr,
      laddr: peer.laddr,
      unixSocket: peer.unix,
      now: state.clock.now(),
      // In without AUTH while the default user is on and needs no password.
      authenticated: aclOf(state).defaultOpen,
      close: (reason) => connection.close(reason),
      flush: () => connection.wake(),
    });
    connection.client = client;
    state.clients.set(client.id, client);
    this.#connections.set(client.id, connection);
    state.stats.totalConnections++;
    log.verbose(
      peer.unix
        ? `Accepted connection to ${peer.laddr.slice(0, -2)}`
        : `Accepted ${client.addr}`,
    );
    connection.run(this.#ioMode).finally(() =>
      this.#connections.delete(client.id)
    );
  }

  #startCron(): void {
    if (this.#cron !== undefined) clearInterval(this.#cron);
    const hz = this.state.config.number("hz");
    let lastCommands = this.state.stats.totalCommands;
    let lastTime = performance.now();
    this.#cron = setInterval(() => {
      const state = this.state;
      state.refreshLruClock();
      if (state.activeExpire && !state.keyspace.hooks.keepExpired) {
        const r = runExpireCycle(
          state.keyspace,
          1000 / hz,
          state.config.number("active-expire-effort"),
        );
        if (r.timeCapReached) state.stats.expiredTimeCapReached++;
        state.stats.expireCycleCpuMs += r.elapsedMs;
        if (r.sampled > 0) {
          state.stats.expiredStalePerc = (r.expired / r.sampled) * 100;
        }
      }
      const now = performance.now();
      if (now - lastTime >= 100) {
        const done = state.stats.totalCommands - lastCommands;
        state.opsPerSec = Math.round((done * 1000) / (now - lastTime));
        lastCommands = state.stats.totalCommands;
        lastTime = now;
      }
      this.#closeIdleClients();
      for (const hook of state.cronHooks) hook(state);
    }, 1000 / hz);
    Deno.unrefTimer(this.#cron as unknown as number);
  }

  #closeIdleClients(): void {
    const timeout = this.state.config.number("timeout");
    if (timeout <= 0) return;
    const now = this.state.clock.now();
    for (const client of this.state.clients.values()) {
      // As in Redis: not subscribers, blocked clients, replicas or MONITORs.
      if (
        client.blocked === undefined && client.subscriptions === 0 &&
        client.replRole === undefined && !isMonitor(this.state, client) &&
        now - client.lastInteraction > timeout * 1000
      ) {
        log.verbose(`Closing idle client id=${client.id}`);
        client.close("idle timeout");
      }
    }
  }

  /** Stops accepting, closes every client and resolves `finished`. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#cron !== undefined) clearInterval(this.#cron);
    this.#closeListeners();
    for (const c of this.#connections.values()) c.close("server shutdown");
    this.state.ioTurn.close();
    for (const hook of this.state.stopHooks) hook(this.state);
    for (const hook of this.exitHooks) hook();
    log.warning("tsredis is now ready to exit, bye bye...");
    this.#resolveDone();
  }
}

// bindAddresses's error for an address some socket holds already.
function addrInUse(e: unknown): boolean {
  return (e as Error).cause instanceof Deno.errors.AddrInUse;
}

/** True for the error `accept()` throws once the listener has been closed. */
export function listenerClosed(e: unknown): boolean {
  return e instanceof Deno.errors.BadResource;
}

// Errors such as EMFILE repeat at once until a descriptor frees up; a short
// pause keeps the loop from spinning the CPU meanwhile.
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readIoMode(): "read" | "stream" {
  try {
    return Deno.env.get("TSREDIS_IO") === "stream" ? "stream" : "read";
  } catch {
    return "read"; // no --allow-env
  }
}

/** True for loopback peers, the only ones protected mode lets in. */
export function isLoopback(host: string): boolean {
  return host.startsWith("127.") || host === "::1" ||
    host.startsWith("::ffff:127.");
}

/**
 * Protected mode: with `protected-mode yes` while the default user needs no
 * password (`nopass`: no `requirepass`, and no `ACL SETUSER default >pw`),
 * connections from anywhere but the loopback interface are refused.
 */
export function protectedModeRefuses(
  state: ServerState,
  host: string,
): boolean {
  return state.config.bool("protected-mode") &&
    aclOf(state).defaultUser.nopass && !isLoopback(host);
}

/** Creates state from a configuration and starts serving. */
export function startServer(state: ServerState): Server {
  const server = new Server(state);
  server.listen();
  return server;
}
