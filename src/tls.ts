/**
 * TLS: the material the `tls-*` directives name (loaded and checked as
 * Redis's tlsConfigure does, reloaded on CONFIG SET), the listener on
 * `tls-port`, and outgoing connections for the replication link
 * (`tls-replication`, `bind-source-addr`).
 *
 * The listener is `node:tls`, because `Deno.listenTls` cannot ask a client
 * for a certificate (`tls-auth-clients yes|optional`). Its sockets are
 * wrapped in `NodeSocketConn`, so the connection code reads them as it
 * reads plain sockets; the TCP and unix paths stay native `Deno.Conn`s.
 *
 * @module
 */
import {
  connect as tlsConnect,
  createSecureContext,
  createServer as createTlsServer,
  type SecureContextOptions,
  type Server as TlsServer,
  type TLSSocket,
} from "node:tls";
import { connect as netConnect, type Socket } from "node:net";
import { createPrivateKey } from "node:crypto";
import type { Config } from "./config.ts";
import { log } from "./log.ts";
import { bindAddresses, osMessage } from "./listeners.ts";
import { denoError, NodeSocketConn } from "./node_socket_conn.ts";

// ---------------------------------------------------------------------------
// TLS material

/** Thrown when the TLS configuration cannot be applied; the cause is logged. */
export class TlsConfigError extends Error {
  /** `message` is what Redis logs about the cause. */
  constructor(message: string) {
    super(message);
    this.name = "TlsConfigError";
  }
}

/** Certificates and keys loaded from the `tls-*` directives. */
export interface TlsMaterial {
  /** The server certificate chain (PEM). */
  cert: string;
  /** The server private key, decrypted (PEM). */
  key: string;
  /** Trusted CA certificates (PEM each), from the CA file and directory. */
  ca: string[];
  /** The client certificate and key for outgoing links (default: the server's). */
  clientCert: string;
  clientKey: string;
  minVersion: "TLSv1.2" | "TLSv1.3";
  maxVersion: "TLSv1.2" | "TLSv1.3";
  /** The server-side context options built from the above (checked). */
  context: SecureContextOptions;
}

// What an OpenSSL-built Redis prints for a file it cannot open.
function fileError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) {
    return "error:80000002:system library::No such file or directory";
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return "error:8000000D:system library::Permission denied";
  }
  return osMessage(e);
}

function readPem(path: string, what: string): string {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new TlsConfigError(
      `Failed to load ${what}: ${path}: ${fileError(e)}`,
    );
  }
  return text;
}

function loadCertificate(path: string): string {
  const text = readPem(path, "certificate");
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new TlsConfigError(
      `Failed to load certificate: ${path}: no certificate found in the file`,
    );
  }
  return text;
}

function loadPrivateKey(path: string, pass: string): string {
  const text = readPem(path, "private key");
  try {
    // Decrypted here because a passphrase is all node:tls would need,
    // and a wrong one should fail now, not at the first handshake.
    return createPrivateKey(
      pass === "" ? { key: text } : { key: text, passphrase: pass },
    ).export({ type: "pkcs8", format: "pem" }) as string;
  } catch (e) {
    throw new TlsConfigError(
      `Failed to load private key: ${path}: ${(e as Error).message}`,
    );
  }
}

// Every certificate in `file` and in the files of `dir` (OpenSSL's
// c_rehash directories hold one certificate per hashed name).
function loadCaCertificates(file: string, dir: string): string[] {
  const out: string[] = [];
  try {
    if (file !== "") out.push(...splitPem(Deno.readTextFileSync(file)));
    if (dir !== "") {
      for (const entry of Deno.readDirSync(dir)) {
        if (!entry.isFile && !entry.isSymlink) continue;
        let text: string;
        try {
          text = Deno.readTextFileSync(`${dir}/${entry.name}`);
        } catch {
          continue;
        }
        out.push(...splitPem(text));
      }
    }
  } catch (e) {
    throw new TlsConfigError(
      `Failed to configure CA certificate(s) file/directory: ${fileError(e)}`,
    );
  }
  if (file !== "" && out.length === 0) {
    throw new TlsConfigError(
      `Failed to configure CA certificate(s) file/directory: no certificate found in ${file}`,
    );
  }
  return out;
}

function splitPem(text: string): string[] {
  return text.match(
    /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g,
  ) ?? [];
}

/**
 * Redis's parseProtocolsConfig: the enabled versions, TLSv1.2 and TLSv1.3
 * when empty. Deno's TLS (rustls) has only TLSv1.2 and TLSv1.3, so older
 * versions are dropped with a warning, and a list of only older versions
 * is an error.
 */
export function parseTlsProtocols(
  text: string,
): { min: "TLSv1.2" | "TLSv1.3"; max: "TLSv1.2" | "TLSv1.3" } {
  if (text === "") return { min: "TLSv1.2", max: "TLSv1.3" };
  const versions = new Set<string>();
  for (const token of text.split(" ")) {
    const t = token.toLowerCase();
    if (
      t !== "tlsv1" && t !== "tlsv1.1" && t !== "tlsv1.2" && t !== "tlsv1.3"
    ) {
      throw new TlsConfigError(
        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
      );
    }
    versions.add(t);
  }
  const has12 = versions.has("tlsv1.2");
  const has13 = versions.has("tlsv1.3");
  if (!has12 && !has13) {
    throw new TlsConfigError(
      "tls-protocols lists only TLSv1 and TLSv1.1, which tsredis cannot offer: its TLS supports TLSv1.2 and TLSv1.3",
    );
  }
  if (versions.has("tlsv1") || versions.has("tlsv1.1")) {
    log.warning(
      "TLSv1 and TLSv1.1 in tls-protocols are not available in tsredis and are ignored",
    );
  }
  return {
    min: has12 ? "TLSv1.2" : "TLSv1.3",
    max: has13 ? "TLSv1.3" : "TLSv1.2",
  };
}

/**
 * Redis's tlsConfigure: checks the `tls-*` directives and loads the files.
 * Throws `TlsConfigError` (after nothing is changed) with the line Redis
 * logs for the first problem.
 */
export function loadTlsMaterial(config: Config): TlsMaterial {
  const certFile = config.get("tls-cert-file");
  const keyFile = config.get("tls-key-file");
  if (certFile === "") throw new TlsConfigError("No tls-cert-file configured!");
  if (keyFile === "") throw new TlsConfigError("No tls-key-file configured!");
  const caFile = config.get("tls-ca-cert-file");
  const caDir = config.get("tls-ca-cert-dir");
  if (
    (config.get("tls-auth-clients") !== "no" || config.bool("tls-cluster") ||
      config.bool("tls-replication")) && caFile === "" && caDir === ""
  ) {
    throw new TlsConfigError(
      "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!",
    );
  }
  const { min, max } = parseTlsProtocols(config.get("tls-protocols"));
  const cert = loadCertificate(certFile);
  const key = loadPrivateKey(keyFile, config.get("tls-key-file-pass"));
  const ca = caFile === "" && caDir === ""
    ? []
    : loadCaCertificates(caFile, caDir);
  const dhFile = config.get("tls-dh-params-file");
  if (dhFile !== "") {
    // Read to report a missing file as Redis does; rustls negotiates
    // ECDHE only, so the parameters themselves are not used.
    try {
      Deno.readFileSync(dhFile);
    } catch (e) {
      throw new TlsConfigError(`Failed to load ${dhFile}: ${osMessage(e)}`);
    }
  }
  let clientCert = cert;
  let clientKey = key;
  const clientCertFile = config.get("tls-client-cert-file");
  const clientKeyFile = config.get("tls-client-key-file");
  if (clientCertFile !== "" && clientKeyFile !== "") {
    clientCert = loadCertificate(clientCertFile);
    clientKey = loadPrivateKey(
      clientKeyFile,
      config.get("tls-client-key-file-pass"),
    );
  }
  const context: SecureContextOptions = {
    cert,
    key,
    ...(ca.length === 0 ? {} : { ca }),
    minVersion: min,
    maxVersion: max,
  };
  try {
    createSecureContext(context);
  } catch (e) {
    throw new TlsConfigError(
      `Failed to load certificate: ${certFile}: ${(e as Error).message}`,
    );
  }
  return {
    cert,
    key,
    ca,
    clientCert,
    clientKey,
    minVersion: min,
    maxVersion: max,
    context,
  };
}

// ---------------------------------------------------------------------------
// TLS listener

/** `tls-auth-clients`: whether a client must, may or need not show a certificate. */
export type TlsAuthClients = "yes" | "no" | "optional";

/**
 * A `Deno.Listener` of TLS connections, over one `node:tls` server per
 * bound address. Connections come out of `accept()` after their
 * handshake; those that fail it are logged and never reach the server.
 */
export class TlsListener implements Deno.Listener<Deno.Conn, Deno.NetAddr> {
  readonly addr: Deno.NetAddr;
  #port: number;
  #context: SecureContextOptions;
  #servers = new Map<string, { server: TlsServer; bound: Promise<void> }>();
  #ready: Deno.Conn[] = [];
  #waiting: {
    resolve: (c: Deno.Conn) => void;
    reject: (e: Error) => void;
  }[] = [];
  #closed = false;
  #auth: TlsAuthClients;

  /**
   * Listens on `hostnames` at `port`. The caller has bound each address
   * once already (synchronously, to report errors as Redis does); node
   * binds again asynchronously (see `listening`), and a failure then is
   * logged.
   */
  constructor(
    hostnames: string[],
    port: number,
    opts: { context: SecureContextOptions; auth: TlsAuthClients },
  ) {
    this.addr = { transport: "tcp", hostname: hostnames[0] ?? "", port };
    this.#port = port;
    this.#context = opts.context;
    this.#auth = opts.auth;
    this.setHostnames(hostnames);
  }

  /** The addresses listened on. */
  get hostnames(): string[] {
    return [...this.#servers.keys()];
  }

  /** Resolves once every address is bound (or failed to, logged). */
  get listening(): Promise<void> {
    return Promise.all([...this.#servers.values()].map((s) => s.bound))
      .then(() => {});
  }

  /**
   * Listens on exactly `hostnames`: a server for each new one (bound once
   * by the caller already, as for the constructor), none for the others.
   */
  setHostnames(hostnames: string[]): void {
    for (const [hostname, { server }] of this.#servers) {
      if (hostnames.includes(hostname)) continue;
      server.close();
      this.#servers.delete(hostname);
    }
    const port = this.#port;
    for (const hostname of hostnames) {
      if (this.#servers.has(hostname)) continue;
      const server = createTlsServer({
        ...this.#context,
        requestCert: this.#auth !== "no",
        rejectUnauthorized: this.#auth === "yes",
      }, (socket) => this.#secured(socket));
      server.on("tlsClientError", (e: Error) => {
        log.warning(`Error accepting a client connection: ${e.message}`);
      });
      const bound = new Promise<void>((resolve) => {
        server.once("listening", resolve);
        server.on("error", (e: Error) => {
          log.warning(
            `Could not create server TLS listening socket ${hostname}:${port}: ${e.message}`,
          );
          resolve();
        });
      });
      server.listen(port, hostname);
      this.#servers.set(hostname, { server, bound });
    }
  }

  /** Uses `context` (certificates, CAs, versions) for new handshakes. */
  setContext(context: SecureContextOptions): void {
    this.#context = context;
    for (const { server } of this.#servers.values()) {
      server.setSecureContext(context);
    }
  }

  /** Applies a new `tls-auth-clients` to new handshakes. */
  setAuth(auth: TlsAuthClients): void {
    this.#auth = auth;
    for (const { server: s } of this.#servers.values()) {
      // node:tls reads these from the server for each new connection.
      const server = s as unknown as {
        requestCert: boolean;
        rejectUnauthorized: boolean;
      };
      server.requestCert = auth !== "no";
      server.rejectUnauthorized = auth === "yes";
    }
  }

  #secured(socket: TLSSocket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    // "optional": a client may come without a certificate, but one it
    // shows must verify (node:tls has no such mode: check it here).
    if (this.#auth === "optional" && !socket.authorized) {
      const peer = socket.getPeerCertificate();
      if (peer !== undefined && peer !== null && Object.keys(peer).length > 0) {
        log.warning(
          `Error accepting a client connection: ${
            String(socket.authorizationError)
          }`,
        );
        socket.destroy();
        return;
      }
    }
    const conn = new NodeSocketConn(socket);
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter.resolve(conn);
    else this.#ready.push(conn);
  }

  /** The next connection whose handshake succeeded. */
  accept(): Promise<Deno.Conn> {
    if (this.#closed) {
      return Promise.reject(new Deno.errors.BadResource("Listener closed"));
    }
    const conn = this.#ready.shift();
    if (conn !== undefined) return Promise.resolve(conn);
    return new Promise((resolve, reject) =>
      this.#waiting.push({ resolve, reject })
    );
  }

  /** Stops listening; connections already accepted stay open. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { server } of this.#servers.values()) server.close();
    for (const c of this.#ready) c.close();
    this.#ready = [];
    for (const w of this.#waiting) {
      w.reject(new Deno.errors.BadResource("Listener closed"));
    }
    this.#waiting = [];
  }

  /** Keeps the event loop alive while listening. */
  ref(): void {
    for (const { server } of this.#servers.values()) server.ref();
  }

  /** Lets the event loop end while listening. */
  unref(): void {
    for (const { server } of this.#servers.values()) server.unref();
  }

  /** Accepted connections until the listener closes. */
  async *[Symbol.asyncIterator](): AsyncIterableIterator<Deno.Conn> {
    for (;;) {
      try {
        yield await this.accept();
      } catch (e) {
        if (e instanceof Deno.errors.BadResource) return;
        throw e;
      }
    }
  }

  /** Closes the listener. */
  [Symbol.dispose](): void {
    this.close();
  }
}

// ---------------------------------------------------------------------------
// The TLS endpoint: configuration, reconfiguration, tls-port

// Directives whose change makes Redis rebuild its TLS context (applyTlsCfg).
const TLS_CONTEXT_DIRECTIVES = [
  "tls-session-cache-size",
  "tls-session-cache-timeout",
  "tls-cluster",
  "tls-replication",
  "tls-prefer-server-ciphers",
  "tls-session-caching",
  "tls-cert-file",
  "tls-key-file",
  "tls-key-file-pass",
  "tls-client-cert-file",
  "tls-client-key-file",
  "tls-client-key-file-pass",
  "tls-dh-params-file",
  "tls-ca-cert-file",
  "tls-ca-cert-dir",
  "tls-protocols",
  "tls-ciphers",
  "tls-ciphersuites",
];

/**
 * TLS for one server: the material from the `tls-*` directives (loaded
 * when TLS is first needed, reloaded when one of them changes, as Redis's
 * applyTlsCfg does) and the listener on `tls-port` (opened, moved and
 * closed as CONFIG SET changes it).
 */
export class TlsEndpoint {
  #config: Config;
  #start: (listener: Deno.Listener) => void;
  #material: TlsMaterial | undefined;
  #listener: TlsListener | undefined;
  #bind = "";
  #warnedCiphers = false;

  /**
   * `start` is called with each new listener (the server's accept loop).
   * Registers the CONFIG SET hooks for the `tls-*` directives.
   */
  constructor(config: Config, start: (listener: Deno.Listener) => void) {
    this.#config = config;
    this.#start = start;
    for (const name of TLS_CONTEXT_DIRECTIVES) {
      config.onChange(name, () => this.#reconfigure());
    }
    config.onChange("tls-port", (v) => this.#applyPort(Number(v)));
    config.onChange(
      "tls-auth-clients",
      (v) => this.#listener?.setAuth(v as TlsAuthClients),
    );
  }

  /** Resolves once the TLS listener (if any) has bound its addresses. */
  get listening(): Promise<void> {
    return this.#listener?.listening ?? Promise.resolve();
  }

  /** The loaded material, or undefined while TLS is unused. */
  get material(): TlsMaterial | undefined {
    return this.#material;
  }

  /**
   * Start-up: configures TLS when tls-port, tls-replication or
   * tls-cluster asks for it, then listens on tls-port at the `bind`
   * addresses. Throws with the lines Redis logs before exiting.
   */
  open(bind: string): void {
    const config = this.#config;
    this.#bind = bind;
    const port = config.number("tls-port");
    if (
      port !== 0 || config.bool("tls-replication") ||
      config.bool("tls-cluster")
    ) {
      try {
        this.#configure();
      } catch (e) {
        throw new Error(
          `${
            (e as Error).message
          }\nFailed to configure TLS. Check logs for more info.`,
        );
      }
    }
    if (port === 0) return;
    try {
      this.#listener = this.#listen(bind, port);
    } catch (e) {
      throw new Error(
        `Warning: ${
          (e as Error).message
        }\nFailed listening on port ${port} (TLS), aborting.`,
      );
    }
    this.#start(this.#listener);
  }

  /** How many addresses the TLS listener is bound to. */
  get count(): number {
    return this.#listener?.hostnames.length ?? 0;
  }

  /**
   * `bind` changed: listens on tls-port at the new addresses, keeping the
   * servers of addresses bound already (or opening the listener after
   * `close()`); throws, changing nothing, when one cannot be bound.
   */
  rebind(bind: string, opts: { strictInUse?: boolean } = {}): void {
    const port = this.#config.number("tls-port");
    const listener = this.#listener;
    if (port !== 0 && this.#material !== undefined) {
      if (listener === undefined) {
        this.#listener = this.#listen(bind, port);
        this.#start(this.#listener);
      } else {
        const { hostnames, opened } = bindAddresses(
          bind,
          port,
          new Set(listener.hostnames),
          opts,
        );
        for (const l of opened.values()) l.close();
        listener.setHostnames(hostnames);
      }
    }
    this.#bind = bind;
  }

  /** Stops listening (shutdown). */
  close(): void {
    this.#listener?.close();
    this.#listener = undefined;
  }

  // Loads the material and hands the new context to the listener; throws
  // TlsConfigError (logged) leaving everything as it was.
  #configure(): void {
    let material: TlsMaterial;
    try {
      material = loadTlsMaterial(this.#config);
    } catch (e) {
      if (e instanceof TlsConfigError) log.warning(e.message);
      throw e;
    }
    const config = this.#config;
    if (
      !this.#warnedCiphers &&
      (config.get("tls-ciphers") !== "" ||
        config.get("tls-ciphersuites") !== "")
    ) {
      this.#warnedCiphers = true;
      log.warning(
        "tls-ciphers and tls-ciphersuites are accepted but not applied: tsredis's TLS (rustls) offers its own modern cipher suites",
      );
    }
    this.#material = material;
    this.#listener?.setContext(material.context);
  }

  #reconfigure(): void {
    const config = this.#config;
    if (
      config.number("tls-port") === 0 && !config.bool("tls-replication") &&
      !config.bool("tls-cluster")
    ) return;
    try {
      this.#configure();
    } catch {
      throw new Error("Unable to update TLS configuration. Check server logs.");
    }
  }

  #applyPort(port: number): void {
    if (this.#material === undefined) {
      try {
        this.#configure();
      } catch {
        throw new Error(
          "Unable to update TLS configuration. Check server logs.",
        );
      }
    }
    let next: TlsListener | undefined;
    if (port !== 0) {
      try {
        next = this.#listen(this.#bind, port);
      } catch (e) {
        log.warning(`Warning: ${(e as Error).message}`);
        throw new Error("Unable to listen on this port. Check server logs.");
      }
    }
    this.#listener?.close();
    this.#listener = next;
    if (next !== undefined) this.#start(next);
  }

  #listen(bind: string, port: number): TlsListener {
    // Bound here first, synchronously, for Redis's errors and the same
    // address rules as TCP; node:tls then binds the addresses that worked.
    const { hostnames, opened } = bindAddresses(bind, port);
    for (const l of opened.values()) l.close();
    return new TlsListener(hostnames, port, {
      context: this.#material!.context,
      auth: this.#config.get("tls-auth-clients") as TlsAuthClients,
    });
  }
}

// ---------------------------------------------------------------------------
// Outgoing connections

/**
 * Connects to `host:port` as a replica connects to its primary: over TLS
 * when `tls` (default: `tls-replication`), presenting
 * `tls-client-cert-file` (or `tls-cert-file`) and trusting the configured
 * CAs, without checking the host name, as Redis does; from
 * `bind-source-addr` when it is set.
 */
export async function connectOutgoing(
  config: Config,
  host: string,
  port: number,
  opts: { tls?: boolean; material?: TlsMaterial } = {},
): Promise<Deno.Conn> {
  const useTls = opts.tls ?? config.bool("tls-replication");
  const source = config.get("bind-source-addr");
  if (!useTls) {
    if (source === "") return await Deno.connect({ hostname: host, port });
    const socket = netConnect({ host, port, localAddress: source });
    await settled(socket, "connect");
    return new NodeSocketConn(socket);
  }
  const material = opts.material ?? loadTlsMaterial(config);
  if (source === "") {
    return await Deno.connectTls({
      hostname: host,
      port,
      caCerts: material.ca,
      cert: material.clientCert,
      key: material.clientKey,
      unsafelyDisableHostnameVerification: true,
    });
  }
  // Deno.connectTls cannot choose the source address: a node socket
  // bound to it carries the TLS session instead.
  const raw = netConnect({ host, port, localAddress: source });
  await settled(raw, "connect");
  const socket = tlsConnect({
    socket: raw,
    ca: material.ca,
    cert: material.clientCert,
    key: material.clientKey,
    minVersion: material.minVersion,
    maxVersion: material.maxVersion,
    checkServerIdentity: () => undefined,
  });
  await settled(socket, "secureConnect");
  return new NodeSocketConn(socket);
}

function settled(socket: Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => reject(denoError(e));
    socket.once("error", fail);
    socket.once(event, () => {
      socket.off("error", fail);
      resolve();
    });
  });
}
