/**
 * The sockets tsredis listens on: TCP from `bind`/`port` and the unix
 * socket from `unixsocket`/`unixsocketperm` (TLS is in `tls.ts`), and the
 * addresses CLIENT LIST shows for a connection.
 *
 * @module
 */
import { log } from "./log.ts";

// ---------------------------------------------------------------------------
// TCP

/** What `bindAddresses` did. */
export interface BoundAddresses {
  /** Every host name the port is bound to now, in binding order. */
  hostnames: string[];
  /** The listeners it opened, by host name (the others were bound already). */
  opened: Map<string, Deno.Listener>;
}

/**
 * Binds `port` on every address in `bind` that is not in `bound` (host
 * names the caller holds listeners for already, which it keeps). A leading
 * `-` marks an address whose failure is not fatal; `*` is 0.0.0.0 and
 * `::*` is `::`. Throws with Redis's text, closing what it opened, when a
 * required address cannot be bound, or with `strictInUse` when any
 * address is in use (the caller may hold it: see Server's changeBind).
 */
export function bindAddresses(
  bind: string,
  port: number,
  bound: ReadonlySet<string> = new Set(),
  opts: { strictInUse?: boolean } = {},
): BoundAddresses {
  const hostnames: string[] = [];
  const opened = new Map<string, Deno.Listener>();
  let dualStack = false;
  for (let addr of wildcardV6First(bind.split(" "))) {
    if (addr === "") continue;
    const optional = addr.startsWith("-");
    if (optional) addr = addr.slice(1);
    const hostname = addr === "*" ? "0.0.0.0" : addr === "::*" ? "::" : addr;
    if (hostnames.includes(hostname)) continue;
    if (bound.has(hostname)) {
      hostnames.push(hostname);
      if (hostname === "::") dualStack = true;
      continue;
    }
    try {
      opened.set(hostname, Deno.listen({ hostname, port, transport: "tcp" }));
      hostnames.push(hostname);
      if (hostname === "::") dualStack = true;
    } catch (e) {
      // Deno cannot set IPV6_V6ONLY, so where the system makes IPv6
      // sockets dual-stack (Linux's default) our "::" socket already takes
      // IPv4 connections and holds the port against "0.0.0.0".
      const inUse = e instanceof Deno.errors.AddrInUse;
      if (
        (optional && !(inUse && opts.strictInUse)) ||
        (hostname === "0.0.0.0" && dualStack && inUse)
      ) continue;
      for (const l of opened.values()) l.close();
      throw new Error(
        `Could not create server TCP listening socket ${hostname}:${port}: ${
          (e as Error).message
        }`,
        { cause: e },
      );
    }
  }
  return { hostnames, opened };
}

/**
 * Opens a TCP listener for every address in `bind` on `port`, by host
 * name (none for port 0, as redis-server). Throws as `bindAddresses`.
 */
export function openTcpListeners(
  bind: string,
  port: number,
): Map<string, Deno.Listener> {
  if (port === 0) {
    log.warning(
      "Port 0: not listening on TCP (as redis-server does with port 0)",
    );
    return new Map();
  }
  return bindAddresses(bind, port).opened;
}

// The IPv6 wildcard is bound before the IPv4 one: bound second it would
// fail on a dual-stack system, leaving the server on IPv4 only.
function wildcardV6First(addrs: string[]): string[] {
  const isV6Wildcard = (a: string) => a === "::*" || a === "-::*";
  return [
    ...addrs.filter(isV6Wildcard),
    ...addrs.filter((a) => !isV6Wildcard(a)),
  ];
}

// ---------------------------------------------------------------------------
// Unix socket

/**
 * Listens on the unix socket at `path`, as Redis does: whatever file is
 * there is removed first (a stale socket from a killed server), and the
 * socket gets mode `perm` when it is not 0. Throws with Redis's text.
 */
export function openUnixListener(path: string, perm: number): Deno.Listener {
  try {
    Deno.removeSync(path);
  } catch {
    // Nothing there, or not ours to remove: binding will tell.
  }
  let listener: Deno.Listener;
  try {
    listener = Deno.listen({ transport: "unix", path });
  } catch (e) {
    throw new Error(`Failed opening Unix socket: bind: ${osMessage(e)}`);
  }
  if (perm !== 0) {
    try {
      Deno.chmodSync(path, perm);
    } catch {
      // Redis ignores a failed chmod too.
    }
  }
  return listener;
}

/** Removes the unix socket file at shutdown, logging it as Redis does. */
export function removeUnixSocket(path: string): void {
  log.notice("Removing the unix socket file.");
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      log.warning(
        `Error removing the unix socket file: ${osMessage(e)}`,
      );
    }
  }
}

/** An OS error's text as strerror words it ("No such file or directory"). */
export function osMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(
    / \(os error \d+\).*$/s,
    "",
  );
}

// ---------------------------------------------------------------------------
// Client addresses

/** What CLIENT LIST shows for a connection's two ends. */
export interface PeerAddresses {
  /** `ip:port` of the peer, or `<unixsocket>:0`. */
  addr: string;
  /** `ip:port` of our end, or `<unixsocket>:0`. */
  laddr: string;
  /** True for a unix socket connection (flag `U`, always local). */
  unix: boolean;
}

/**
 * The addresses of an accepted connection as Redis prints them. A unix
 * socket client is `<unixsocket>:0` on both ends (the path the server
 * listens on, since the peer's own end has no name).
 */
export function peerAddresses(conn: Deno.Conn): PeerAddresses {
  if (conn.localAddr.transport === "unix") {
    const addr = `${(conn.localAddr as Deno.UnixAddr).path ?? ""}:0`;
    return { addr, laddr: addr, unix: true };
  }
  return {
    addr: formatAddr(conn.remoteAddr as Deno.NetAddr),
    laddr: formatAddr(conn.localAddr as Deno.NetAddr),
    unix: false,
  };
}

function formatAddr(addr: Deno.NetAddr): string {
  // IPv4 peers of a dual-stack socket arrive as IPv4-mapped IPv6
  // addresses; Redis, with separate sockets, shows them as plain IPv4.
  const host = addr.hostname.startsWith("::ffff:") &&
      addr.hostname.includes(".")
    ? addr.hostname.slice(7)
    : addr.hostname;
  return host.includes(":") ? `[${host}]:${addr.port}` : `${host}:${addr.port}`;
}
