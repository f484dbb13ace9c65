/**
 * `supervised no|upstart|systemd|auto`: telling a supervisor that the
 * server is ready, as redis-server does.
 *
 * - systemd (`Type=notify` units): datagrams to the unix socket named by
 *   `NOTIFY_SOCKET`, the messages of sd_notify(3): `STATUS=Redis is
 *   loading...` at start-up, `STATUS=Ready to accept connections` and
 *   `READY=1` once clients can connect, `STOPPING=1` when a shutdown
 *   begins. Deno has unix datagram sockets only with `--unstable-net`
 *   (`Deno.listenDatagram({ transport: "unixpacket" })`, which the start
 *   task and the compiled binary turn on); the socket is bound to a
 *   temporary path, unlinked at once, so the messages carry this process's
 *   credentials, as systemd's `NotifyAccess=main` requires.
 * - upstart (`expect stop` jobs): the process stops itself with SIGSTOP.
 * - auto: upstart when `UPSTART_JOB` is set, else systemd when
 *   `NOTIFY_SOCKET` is set, else neither.
 *
 * @module
 */
import { log } from "./log.ts";

/** What `supervised` asks for. */
export type SupervisedMode = "no" | "upstart" | "systemd" | "auto";

/** The environment variables supervision reads (Deno.env, or a test's). */
export interface SupervisionEnv {
  get(name: string): string | undefined;
  delete(name: string): void;
}

/** Sends one datagram to a unix socket path (replaceable in tests). */
export type DatagramSender = (path: string, data: Uint8Array) => Promise<void>;

/** The link to the supervisor, decided at start-up. */
export class Supervision {
  /**
   * Redis's supervised_mode after start-up: `systemd` whenever it was
   * asked for (every message then either goes out or logs why not), the
   * detected mode for `auto`, else `no`.
   */
  readonly mode: "no" | "upstart" | "systemd";
  /** True when a supervisor was found and told (Redis's server.supervised). */
  supervised: boolean;
  #socket: string | undefined;
  #send: DatagramSender;
  #queue: Promise<boolean> = Promise.resolve(true);
  #close: (() => void) | undefined;

  /** Use `startSupervision`. */
  constructor(
    mode: "no" | "upstart" | "systemd",
    supervised: boolean,
    socket: string | undefined,
    send?: DatagramSender,
  ) {
    this.mode = mode;
    this.supervised = supervised;
    this.#socket = socket;
    this.#send = send ?? ((path, data) => this.#sendDatagram(path, data));
  }

  /**
   * Sends `message` (lines such as `READY=1\n`) to systemd when in systemd
   * mode; a failure is logged as Redis logs it. Messages leave in order;
   * the promise resolves, true if it was sent, once it has been sent or
   * has failed.
   */
  notify(message: string): Promise<boolean> {
    if (this.mode !== "systemd") return Promise.resolve(false);
    const next = this.#queue.then(() => this.#deliver(message));
    this.#queue = next;
    return next;
  }

  /** Resolves once every message sent so far has left (or failed). */
  async idle(): Promise<void> {
    await this.#queue;
  }

  /** Closes the socket used for the messages. */
  close(): void {
    this.#close?.();
    this.#close = undefined;
  }

  async #deliver(message: string): Promise<boolean> {
    const socket = this.#socket;
    if (socket === undefined || socket === "") {
      log.warning("systemd supervision error: NOTIFY_SOCKET not found!");
      return false;
    }
    try {
      // A leading @ names a socket in the abstract namespace.
      const path = socket.startsWith("@") ? `\0${socket.slice(1)}` : socket;
      await this.#send(path, new TextEncoder().encode(message));
      return true;
    } catch (e) {
      log.warning(
        `systemd supervision error: sd_notify: ${(e as Error).message}`,
      );
      return false;
    }
  }

  async #sendDatagram(path: string, data: Uint8Array): Promise<void> {
    const listen = (Deno as unknown as {
      listenDatagram?: (
        opts: { transport: "unixpacket"; path: string },
      ) => Deno.DatagramConn;
    }).listenDatagram;
    if (typeof listen !== "function") {
      throw new Error(
        "unix datagram sockets need Deno's --unstable-net flag (deno task start and the compiled binary have it)",
      );
    }
    if (this.#conn === undefined) {
      const dir = Deno.env.get("TMPDIR") || "/tmp";
      const own = `${dir}/tsredis-notify-${Deno.pid}-${
        crypto.randomUUID().slice(0, 8)
      }.sock`;
      const conn = listen({ transport: "unixpacket", path: own });
      // Bound: the name is no longer needed, and nothing is left behind.
      try {
        Deno.removeSync(own);
      } catch {
        // Removed already.
      }
      this.#conn = conn;
      this.#close = () => {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
        this.#conn = undefined;
      };
    }
    await this.#conn.send(data, {
      transport: "unixpacket",
      path,
    } as Deno.Addr);
  }

  #conn: Deno.DatagramConn | undefined;
}

/**
 * Redis's redisIsSupervised: resolves `auto`, logs what it found, sends
 * systemd `STATUS=Redis is loading...` or stops for upstart. Call it
 * before the start-up lines, as redis-server does.
 */
export async function startSupervision(
  mode: SupervisedMode,
  opts: { env?: SupervisionEnv; send?: DatagramSender } = {},
): Promise<Supervision> {
  const env = opts.env ?? Deno.env;
  let want: "no" | "upstart" | "systemd" = mode === "auto" ? "no" : mode;
  if (mode === "auto") {
    if (env.get("UPSTART_JOB") !== undefined) {
      log.verbose("Upstart supervision detected.");
      want = "upstart";
    } else if (env.get("NOTIFY_SOCKET") !== undefined) {
      log.verbose("Systemd supervision detected.");
      want = "systemd";
    }
  }
  if (want === "upstart") {
    if (env.get("UPSTART_JOB") === undefined) {
      log.warning("upstart supervision requested, but UPSTART_JOB not found!");
      return new Supervision(mode === "auto" ? "no" : "upstart", false, "");
    }
    log.notice("supervised by upstart, will stop to signal readiness.");
    Deno.kill(Deno.pid, "SIGSTOP");
    env.delete("UPSTART_JOB");
    return new Supervision("upstart", true, undefined);
  }
  if (want === "systemd") {
    const supervision = new Supervision(
      "systemd",
      false,
      env.get("NOTIFY_SOCKET"),
      opts.send,
    );
    if (await supervision.notify("STATUS=Redis is loading...\n")) {
      supervision.supervised = true;
      log.notice(
        "Supervised by systemd. Please make sure you set appropriate values for TimeoutStartSec and TimeoutStopSec in your service unit.",
      );
    } else if (mode === "auto") {
      // Redis keeps an undetected mode: nothing more is sent, or logged.
      supervision.close();
      return new Supervision("no", false, undefined);
    }
    return supervision;
  }
  return new Supervision("no", false, undefined);
}
