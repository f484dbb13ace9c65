/**
 * Client: the state of one connection that commands can see and change
 * (selected database, protocol, name, MULTI queue, blocking, ...).
 *
 * The connection owns the socket; it gives the client the few callbacks
 * commands need (close, flush) so commands never touch I/O.
 *
 * @module
 */
import { RespWriter } from "./protocol/encoder.ts";
import type { Argv, Protocol } from "./protocol/types.ts";
import type { Command } from "./commands/types.ts";

/** A queued MULTI transaction. */
export interface MultiState {
  readonly queue: { command: Command; argv: Argv }[];
  /** A command failed to queue: EXEC must answer EXECABORT. */
  aborted: boolean;
}

/** What the client waits for while blocked (BLPOP, XREAD BLOCK, WAIT, ...). */
export interface BlockedState {
  readonly command: Command;
  readonly argv: Argv;
  readonly db: number;
  readonly keys: readonly string[];
  readonly deadline: number;
  readonly timeoutReply: unknown;
  timer: number | undefined;
}

/**
 * What the permission gate needs of a connection's ACL user
 * (`src/acl/user.ts` implements it).
 */
export interface ClientAclUser {
  readonly name: string;
  /** Every command, key and channel allowed: the gate has nothing to check. */
  readonly unrestricted: boolean;
}

/**
 * A client's CLIENT TRACKING settings while tracking is on (client-side
 * caching; src/tracking/ keeps the tables).
 */
export interface ClientTracking {
  /** Broadcasting mode: told of every change under `prefixes`. */
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  /** Not told about keys it changed itself. */
  readonly noloop: boolean;
  /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) given for the next command. */
  caching: boolean;
  /** Client id the messages go to, or 0 for this connection. */
  readonly redirect: number;
  /** The client `redirect` names is gone (CLIENT TRACKINGINFO `broken_redirect`). */
  brokenRedirect: boolean;
  /** BCAST prefixes, sorted by bytes. */
  readonly prefixes: string[];
}

// Until the ACL assigns a user (on the first command), the gate takes the
// slow path, which assigns `default`.
const UNASSIGNED_USER: ClientAclUser = Object.freeze({
  name: "default",
  unrestricted: false,
});

// Internal clients (AOF loading, the master link) run anything, as
// Redis's clients with no user do.
const INTERNAL_USER: ClientAclUser = Object.freeze({
  name: "default",
  unrestricted: true,
});

/** Per-connection state. */
export class Client {
  readonly id: number;
  /** `ip:port` of the peer. */
  readonly addr: string;
  /** `ip:port` of our end. */
  readonly laddr: string;
  readonly createdAt: number;
  lastInteraction: number;
  name = "";
  libName = "";
  libVer = "";
  /** Selected database number. */
  db = 0;
  protocol: Protocol = 2;
  /**
   * May run commands: AUTH succeeded, or the default user needs no password
   * (kept current by the ACL when the default user changes).
   */
  authenticated: boolean;
  /**
   * Redis's `c->authenticated`: AUTH succeeded, or the default user needed
   * no password when the connection began (HELLO without AUTH checks it).
   */
  authVerified: boolean;
  /** Name of the ACL user (CLIENT LIST `user`); `aclUser.name`. */
  user = "default";
  /** The ACL user the connection runs as (see `ClientAclUser`). */
  aclUser: ClientAclUser;
  /**
   * For a script's client while a script runs: the client that ran it
   * (ACL LOG shows its CLIENT INFO for a script's denied commands).
   */
  scriptCaller: Client | undefined = undefined;
  /** Lower-case full name of the last command run (CLIENT LIST `cmd`). */
  lastCommand = "NULL";
  multi: MultiState | undefined;
  /**
   * The transaction EXEC is running (client.multi is already gone), with
   * the replies so far: CLIENT LIST inside it shows what Redis shows.
   */
  execution: { state: MultiState; argv: Argv; replies: unknown[] } | undefined =
    undefined;
  /** Keys this client WATCHes, as `db:key` pairs. */
  watching: { db: number; key: string }[] = [];
  /** A WATCHed key changed: EXEC must fail. */
  dirtyCas = false;
  blocked: BlockedState | undefined;
  /** CLIENT REPLY: `on`, `off`, or `skip` (the next reply only). */
  replyMode: "on" | "off" | "skip" = "on";
  /** CLIENT REPLY SKIP: the next command's reply is dropped. */
  skipNextReply = false;
  noEvict = false;
  noTouch = false;
  /** CLIENT TRACKING settings while tracking is on. */
  tracking: ClientTracking | undefined = undefined;
  /** Close once pending replies are written (QUIT, protocol errors). */
  closeAfterReply = false;
  /** Set when the connection is gone. */
  closed = false;
  /** Server-internal clients (AOF loading, the master link) skip auth and replies. */
  readonly internal: boolean;
  /**
   * Replication: `master` for the link to our master, `replica` for a
   * replica of ours (after SYNC/PSYNC); CLIENT LIST flags M and S.
   */
  replRole: "master" | "replica" | undefined = undefined;
  /** The replication offset right after this client's last write (WAIT). */
  woff = 0;
  /** Connected through the unix socket: flag `U`, and always local. */
  readonly unixSocket: boolean;
  /** Replies waiting to be written. */
  readonly out: RespWriter;
  /** Bytes handed to the socket and not yet confirmed written (kept by the connection). */
  outInFlight = 0;
  /** When the output first went over the soft limit (client-output-buffer-limit), or 0. */
  softLimitSince = 0;
  /** Bytes received and sent (CLIENT LIST tot-net-in/out). */
  netIn = 0;
  netOut = 0;
  /** Commands processed (CLIENT LIST tot-cmds). */
  commands = 0;
  /** Size of the unparsed query buffer (CLIENT LIST qbuf), kept by the connection. */
  queryBuffer = 0;
  /** Room the query buffer holds (client memory), kept by the connection. */
  queryBufferRoom = 0;
  /**
   * Redis's view of the buffers (CLIENT LIST qbuf-free, rbs, rbp; see
   * commands/connection/client_buffers.ts): the query buffer's allocation,
   * the bytes it holds while a read's commands run, the reply buffer's
   * size and peak, and when the peak was last reset.
   */
  queryAlloc = 0;
  queryChunk = 0;
  replyBufferSize = 16 * 1024;
  replyBufferPeak = 16 * 1024;
  replyPeakResetAt = 0;
  /** Pub/sub channel and pattern subscriptions. */
  channels = new Set<string>();
  patterns = new Set<string>();
  shardChannels = new Set<string>();
  /** The command context dispatch keeps for this client (opaque here). */
  context: unknown = undefined;
  /** Reasons the connection was or will be closed, for logs. */
  killReason = "";

  #closer: (reason: string) => void;
  #flusher: () => void;

  /** Creates the client of one connection. */
  constructor(opts: {
    id: number;
    addr: string;
    laddr: string;
    now: number;
    authenticated: boolean;
    internal?: boolean;
    unixSocket?: boolean;
    close?: (reason: string) => void;
    flush?: () => void;
  }) {
    this.id = opts.id;
    this.addr = opts.addr;
    this.laddr = opts.laddr;
    this.createdAt = opts.now;
    this.lastInteraction = opts.now;
    this.authenticated = opts.authenticated;
    this.authVerified = opts.authenticated;
    this.internal = opts.internal ?? false;
    this.unixSocket = opts.unixSocket ?? false;
    this.aclUser = this.internal ? INTERNAL_USER : UNASSIGNED_USER;
    this.out = new RespWriter(opts.internal ? 256 : 1024);
    this.#closer = opts.close ?? (() => {});
    this.#flusher = opts.flush ?? (() => {});
  }

  /** Number of pub/sub subscriptions (channels + patterns + shard channels). */
  get subscriptions(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** Closes the connection now (CLIENT KILL, output limits). */
  close(reason: string): void {
    if (this.closed) return;
    this.killReason = reason;
    this.#closer(reason);
  }

  /** Writes pending output now, for replies produced outside the client's own batch. */
  flush(): void {
    if (!this.closed) this.#flusher();
  }
}

/**
 * A client of the server's own (the AOF loader's, `startServer().flushAll`'s):
 * authenticated, internal, and with replies off, since nothing reads them.
 */
export function internalClient(id: number, now: number): Client {
  const client = new Client({
    id,
    addr: "",
    laddr: "",
    now,
    authenticated: true,
    internal: true,
  });
  client.replyMode = "off";
  return client;
}
