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

/**
 * Opens a TCP listener for every address in `bind` on `port` (none for
 * port 0). A leading `-` marks an address whose failure is not fatal.
 * Throws with Redis's text when a required address cannot be bound.
 */
export function openTcpListeners(
  bind: string,
  port: number,
  opts: { kind?: "TCP" | "TLS" } = {},
): Deno.Listener[] {
  if (port === 0) {
    if ((opts.kind ?? "TCP") === "TCP") {
      log.warning(
        "Port 0: not listening on TCP (as redis-server does with port 0)",
      );
    }
    return [];
  }
  const listeners: Deno.Listener[] = [];
  let dualStack = false;
  for (let addr of wildcardV6First(bind.split(" "))) {
    if (addr === "") continue;
    const optional = addr.startsWith("-");
    if (optional) addr = addr.slice(1);
    const hostname = addr === "*" ? "0.0.0.0" : addr === "::*" ? "::" : addr;
    try {
      listeners.push(Deno.listen({ hostname, port, transport: "tcp" }));
      if (hostname === "::") dualStack = true;
    } catch (e) {
      // Deno cannot set IPV6_V6ONLY, so where the system makes IPv6
      // sockets dual-stack (Linux's default) our "::" socket already takes
      // IPv4 connections and holds the port against "0.0.0.0".
      if (
        optional ||
        (hostname === "0.0.0.0" && dualStack &&
          e instanceof Deno.errors.AddrInUse)
      ) continue;
      for (const l of listeners) l.close();
      throw new Error(
        `Could not create server TCP listening socket ${hostname}:${port}: ${
          (e as Error).message
        }`,
      );
    }
  }
  return listeners;
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
