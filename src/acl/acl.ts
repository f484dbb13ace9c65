/**
 * The ACL of one server: its users, the default user, the ACL log, and the
 * permission check every command goes through.
 *
 * The check is a dispatch gate (`aclGate`). A connection whose user may
 * run everything (the default user as shipped) costs one field load and
 * one branch per command; every other connection gets the full check of
 * its user's selectors, Redis's ACLCheckAllUserCommandPerm. The same check
 * runs for queued commands when EXEC runs them (`aclExecGate`) and for the
 * commands of scripts (`aclScriptCheck`).
 *
 * @module
 */
import type { Client } from "../client.ts";
import { getKeys, hasKeys } from "../commands/keys.ts";
import type { Command } from "../commands/types.ts";
import { clientInfoLine } from "../commands/connection/client_info.ts";
import { discardTransaction } from "../commands/transactions/multi.ts";
import {
  type CommandError,
  commandError,
  execAbortBecause,
  noPermChannel,
  noPermCommand,
  noPermInExec,
  noPermKey,
  oneLine,
} from "../errors.ts";
import type { Argv, ReplyNode } from "../protocol/types.ts";
import type { ServerState } from "../state.ts";
import { pipelineHooks } from "../commands/dispatch.ts";
import { type CommandIndex, commandIndex } from "./command_index.ts";
import { AclLog, type AclLogContext, type AclLogReason } from "./log.ts";
import {
  ACL_DENIED_CHANNEL,
  ACL_DENIED_CMD,
  ACL_DENIED_KEY,
  ACL_OK,
  channelAllowed,
  KEY_READ,
  KEY_WRITE,
  type KeyCache,
} from "./selector.ts";
import { User } from "./user.ts";

/** The result of checking a command: ACL_OK or a denial, and the argument at fault. */
export interface AclCheck {
  result: number;
  /** The key or channel argument that was denied (0 for commands). */
  pos: number;
}

const REASONS: Record<number, AclLogReason> = {
  [ACL_DENIED_CMD]: "command",
  [ACL_DENIED_KEY]: "key",
  [ACL_DENIED_CHANNEL]: "channel",
};

// The access a key spec's flags ask for (Redis's ACLSelectorCheckKey).
function keyNeeds(flags: readonly string[]): number {
  let need = 0;
  for (const f of flags) {
    if (f === "ACCESS") need |= KEY_READ;
    else if (f === "INSERT" || f === "DELETE" || f === "UPDATE") {
      need |= KEY_WRITE;
    }
  }
  return need;
}

/** Users and permissions of one server. */
export class Acl {
  readonly server: ServerState;
  /** Every user by name (the default user included). */
  users = new Map<string, User>();
  /** The `default` user: new connections run as it. Never replaced, only changed in place. */
  readonly defaultUser: User;
  readonly log: AclLog;
  /** acl-pubsub-default is `allchannels`. */
  pubsubAllChannels: boolean;
  // The argv EXEC is about to run, so AUTH inside EXEC logs "multi".
  #execArgv: Argv | undefined = undefined;

  /** The ACL of `server`, configured from its config (requirepass, acl-pubsub-default, acllog-max-len). */
  constructor(server: ServerState) {
    this.server = server;
    const config = server.config;
    this.pubsubAllChannels = config.get("acl-pubsub-default") === "allchannels";
    this.log = new AclLog(config.number("acllog-max-len"));
    this.defaultUser = createDefaultUser();
    this.users.set("default", this.defaultUser);
    const requirepass = config.get("requirepass");
    if (requirepass !== "") this.setDefaultPassword(requirepass);
    config.onChange("requirepass", (v) => this.setDefaultPassword(v));
    config.onChange("acllog-max-len", (v) => {
      this.log.maxLen = Number(v);
    });
    server.stopHooks.push(() => updateGate(server, false));
    config.onChange("acl-pubsub-default", (v) => {
      this.pubsubAllChannels = v === "allchannels";
    });
  }

  /** The command table as the ACL indexes it. */
  get index(): CommandIndex {
    return commandIndex(this.server.commands);
  }

  /** A new user as ACL SETUSER creates it (not registered). */
  newUser(name: string): User {
    return new User(name, this.pubsubAllChannels);
  }

  /** Applies one rule to `user` (throws AclRuleError). */
  apply(user: User, rule: string): void {
    user.apply(rule, this.index, this.pubsubAllChannels);
  }

  /**
   * requirepass: the default user's only password, or `nopass` when empty
   * (Redis's ACLUpdateDefaultUserPassword).
   */
  setDefaultPassword(password: string): void {
    this.apply(this.defaultUser, "resetpass");
    this.apply(this.defaultUser, password === "" ? "nopass" : ">" + password);
    this.refreshAuthentication();
  }

  /** True when connections need no AUTH: the default user is on and needs no password. */
  get defaultOpen(): boolean {
    return this.defaultUser.nopass && this.defaultUser.enabled;
  }

  /**
   * Recomputes every connection's `authenticated` after the default user
   * changed: a connection that never authenticated may run commands
   * exactly while the default user needs no password (Redis's authRequired).
   */
  refreshAuthentication(): void {
    const open = this.defaultOpen;
    for (const c of this.server.clients.values()) {
      c.authenticated = c.authVerified || open;
    }
  }

  /** The user a connection runs as, assigning `default` to a new connection. */
  userOf(client: Client): User {
    const u = client.aclUser;
    if (u instanceof User) return u;
    return this.#assign(client, this.defaultUser);
  }

  #assign(client: Client, user: User): User {
    client.aclUser = user;
    client.user = user.name;
    return user;
  }

  /** Puts a connection back to the default user, as a new connection (RESET). */
  resetClient(client: Client): void {
    this.#assign(client, this.defaultUser);
    client.authVerified = this.defaultOpen;
    client.authenticated = client.authVerified;
  }

  /**
   * AUTH / HELLO AUTH: makes `client` run as `username` if `password`
   * opens it. A failure is logged (reason `auth`); returns whether it
   * succeeded.
   */
  authenticate(
    client: Client,
    username: string,
    password: string,
    argv: Argv,
  ): boolean {
    const user = this.users.get(username);
    if (user !== undefined && user.checkPassword(password)) {
      this.#assign(client, user);
      client.authVerified = true;
      client.authenticated = true;
      return true;
    }
    const inMulti = client.multi !== undefined || this.#execArgv === argv;
    this.addLogEntry(client, {
      reason: "auth",
      context: inMulti ? "multi" : "toplevel",
      object: argv[0]!,
      username,
    }, argv);
    return false;
  }

  /**
   * Redis's ACLCheckAllUserCommandPerm: allowed when one selector allows
   * the command, its keys and its channels. Otherwise the denial to report:
   * a command denial only if no selector got past the command; else the
   * key or channel denial with the highest argument position.
   */
  check(user: User, cmd: Command, argv: Argv): AclCheck {
    const entry = this.index.of(cmd);
    if (entry === undefined) return { result: ACL_DENIED_CMD, pos: 0 };
    let result = ACL_DENIED_CMD;
    let pos = 0;
    const cache: KeyCache = { keys: undefined };
    const findKeys = this.#keyFinder(cmd);
    const at = { pos: 0 };
    for (const s of user.selectors) {
      const r = s.check(entry, argv, cache, findKeys, at);
      if (r === ACL_OK) return { result: ACL_OK, pos: 0 };
      if (r > result || (r === result && at.pos > pos)) {
        result = r;
        pos = at.pos;
      }
    }
    return { result, pos };
  }

  /**
   * Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess for read access: some
   * selector allows the command and may read every key (SORT's BY and GET
   * patterns read keys no key spec names).
   */
  canReadAllKeys(client: Client, cmd: Command, argv: Argv): boolean {
    const user = client.aclUser;
    if (user.unrestricted || !(user instanceof User)) return true;
    const entry = this.index.of(cmd);
    if (entry === undefined) return false;
    const cache: KeyCache = { keys: undefined };
    const at = { pos: 0 };
    for (const s of user.selectors) {
      const readsAll = s.allKeys ||
        s.keys.some((k) => k.pattern === "*" && (k.flags & KEY_READ) !== 0);
      if (!readsAll) continue;
      if (s.check(entry, argv, cache, this.#keyFinder(cmd), at) === ACL_OK) {
        return true;
      }
    }
    return false;
  }

  #keyFinder(cmd: Command): (argv: Argv) => { pos: number; need: number }[] {
    return (argv) =>
      hasKeys(cmd)
        ? getKeys(cmd, argv).map((k) => ({
          pos: k.pos,
          need: keyNeeds(k.flags),
        }))
        : [];
  }

  /** The full gate for a connection whose user is not unrestricted. */
  gate(client: Client, cmd: Command, argv: Argv): CommandError | undefined {
    const user = this.userOf(client);
    if (user.unrestricted) return undefined;
    // An internal client with a real user is a script's client, running
    // redis.call as the script's caller.
    if (client.internal) {
      const text = this.scriptCheck(
        client,
        client.scriptCaller ?? client,
        cmd,
        argv,
      );
      return text === undefined ? undefined : commandError(text);
    }
    // Redis refuses a no_multi command inside MULTI before the ACL sees it.
    if (client.multi !== undefined && cmd.flags.has("no_multi")) {
      return undefined;
    }
    const { result, pos } = this.check(user, cmd, argv);
    if (result === ACL_OK) return undefined;
    client.lastCommand = cmd.fullName;
    this.logDenial(
      client,
      result,
      client.multi !== undefined ? "multi" : "toplevel",
      { cmd, argv, pos },
    );
    const error = deniedError(result, cmd);
    // A refused EXEC aborts the transaction (Redis's execCommandAbort).
    if (cmd.name === "exec" && cmd.parent === undefined) {
      discardTransaction(client);
      return execAbortBecause(error);
    }
    return error;
  }

  /**
   * EXEC re-checks each queued command before running it, in case the
   * rules changed after it was queued. Returns the error reply to put in
   * its place, or undefined to run it.
   */
  execGate(client: Client, cmd: Command, argv: Argv): ReplyNode | undefined {
    this.#execArgv = argv;
    // Internal clients (an AOF's MULTI/EXEC) have no user and run anything.
    if (client.aclUser.unrestricted) return undefined;
    const user = this.userOf(client);
    if (user.unrestricted) return undefined;
    const { result, pos } = this.check(user, cmd, argv);
    if (result === ACL_OK) return undefined;
    this.logDenial(client, result, "multi", { cmd, argv, pos });
    const reason = result === ACL_DENIED_CMD
      ? "no permission to execute the command or subcommand"
      : result === ACL_DENIED_KEY
      ? "no permission to touch the specified keys"
      : "no permission to access one of the channels used as arguments";
    const error = noPermInExec(reason);
    this.server.countError(error.code);
    return { kind: "error", line: oneLine(error.line) };
  }

  /**
   * The check of a script's `redis.call`: `client` is the client the
   * script's commands run as (its user the caller's), `caller` the client
   * that ran the script (for the log's client-info). Returns Redis's error
   * text for the script, or undefined when allowed.
   */
  scriptCheck(
    client: Client,
    caller: Client,
    cmd: Command,
    argv: Argv,
  ): string | undefined {
    const user = client.aclUser;
    if (user.unrestricted || !(user instanceof User)) return undefined;
    const { result, pos } = this.check(user, cmd, argv);
    if (result === ACL_OK) return undefined;
    this.logDenial(caller, result, "lua", { cmd, argv, pos }, user.name);
    return result === ACL_DENIED_CMD
      ? "The user executing the script can't run this command or subcommand"
      : result === ACL_DENIED_KEY
      ? "The user executing the script can't access at least one of the keys mentioned in the command arguments"
      : "The user executing the script can't publish to the channel mentioned in the command";
  }

  /** Records a denied command in the ACL log. */
  logDenial(
    client: Client,
    result: number,
    context: AclLogContext,
    what: { cmd: Command; argv: Argv; pos: number },
    username = this.userOf(client).name,
  ): void {
    this.addLogEntry(client, {
      reason: REASONS[result]!,
      context,
      object: result === ACL_DENIED_CMD
        ? what.cmd.fullName
        : what.argv[what.pos]!,
      username,
    }, what.argv);
  }

  /** Adds an ACL LOG entry with `client`'s CLIENT INFO line. */
  addLogEntry(
    client: Client,
    entry: {
      reason: AclLogReason;
      context: AclLogContext;
      object: string;
      username: string;
    },
    argv: Argv,
  ): void {
    this.log.add({
      ...entry,
      time: this.server.clock.now(),
      clientInfo: clientInfoLine(this.server, client, argv),
    });
  }

  /**
   * Replaces `user`'s rules with `staged`'s (ACL SETUSER), first closing
   * the user's pub/sub connections that lose a channel or pattern they
   * are subscribed to. `caller` is the connection running the command.
   */
  commit(user: User, staged: User, caller: Client): void {
    if (this.users.get(user.name) === user) {
      this.#killPubsubClients(staged, user, caller);
    }
    user.copyFrom(staged);
    this.users.set(user.name, user);
    if (user === this.defaultUser) this.refreshAuthentication();
    this.refreshGate();
  }

  // Redis's ACLKillPubsubClientsIfNeeded.
  #killPubsubClients(next: User, original: User, caller: Client): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming: string[] = [];
    for (const s of next.selectors) upcoming.push(...s.channels);
    const kept = original.selectors.every((s) =>
      s.channels.every((c) => upcoming.includes(c))
    );
    if (kept) return;
    for (const c of [...this.server.clients.values()]) {
      if (c.internal || c.subscriptions === 0) continue;
      if (this.userOf(c) !== original) continue;
      let kill = false;
      for (const p of c.patterns) {
        if (!channelAllowed(upcoming, p, true)) kill = true;
      }
      for (const ch of c.channels) {
        if (!channelAllowed(upcoming, ch, false)) kill = true;
      }
      for (const ch of c.shardChannels) {
        if (!channelAllowed(upcoming, ch, false)) kill = true;
      }
      if (kill) this.#close(c, caller, "ACL channel permissions revoked");
    }
  }

  #close(client: Client, caller: Client | undefined, reason: string): void {
    if (client === caller) client.closeAfterReply = true;
    else client.close(reason);
  }

  /**
   * ACL DELUSER of one user: its connections become unauthenticated
   * default-user connections and are closed. Returns false when there is
   * no such user.
   */
  deleteUser(name: string, caller: Client): boolean {
    const user = this.users.get(name);
    if (user === undefined || user === this.defaultUser) return false;
    this.users.delete(name);
    this.#dropClientsOf(user, caller);
    this.refreshGate();
    return true;
  }

  #dropClientsOf(user: User, caller: Client | undefined): void {
    for (const c of [...this.server.clients.values()]) {
      if (c.aclUser !== user) continue;
      this.#assign(c, this.defaultUser);
      c.authVerified = false;
      c.authenticated = false;
      this.#close(c, caller, "ACL user deleted");
    }
  }

  /**
   * Installs a new set of users (ACL LOAD, start-up): the default user
   * takes the new default's rules in place, and every other old user's
   * connections are closed, as Redis frees them all.
   */
  replaceUsers(users: Map<string, User>, caller: Client | undefined): void {
    const old = this.users;
    const nextDefault = users.get("default") ?? createDefaultUser();
    this.defaultUser.copyFrom(nextDefault);
    users.set("default", this.defaultUser);
    this.users = users;
    for (const [name, user] of old) {
      if (name === "default") continue;
      this.#dropClientsOf(user, caller);
    }
    this.refreshAuthentication();
    this.refreshGate();
  }

  /**
   * Puts the gate in the pipeline while some user may not run everything
   * (after any change to users), and takes it out otherwise.
   */
  refreshGate(): void {
    let needed = false;
    for (const u of this.users.values()) {
      if (!u.unrestricted) needed = true;
    }
    updateGate(this.server, needed);
  }

  /** Usernames in the order Redis lists them (byte order). */
  sortedNames(): string[] {
    return [...this.users.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  }
}

/** The default user as Redis creates it: on, nopass, every command, key and channel. */
export function createDefaultUser(): User {
  const user = new User("default", false);
  user.root.allowAll();
  user.root.allKeys = true;
  user.root.allChannels = true;
  user.enabled = true;
  user.nopass = true;
  user.update();
  return user;
}

/** The NOPERM error a denied command gets. */
export function deniedError(result: number, cmd: Command): CommandError {
  if (result === ACL_DENIED_CMD) return noPermCommand(cmd.fullName);
  return result === ACL_DENIED_KEY ? noPermKey() : noPermChannel();
}

const acls = new WeakMap<ServerState, Acl>();

// Servers of this process with a user that may not run everything. The
// gate is in the pipeline only while there is one, so that with only the
// default user as shipped no command pays for the ACL at all.
const restricted = new Set<ServerState>();

function updateGate(server: ServerState, needed: boolean): void {
  if (needed) restricted.add(server);
  else restricted.delete(server);
  const gates = pipelineHooks.gates;
  const i = gates.indexOf(aclGate);
  // First: Redis checks the ACL before BUSY, OOM, MONITOR and pub/sub context.
  if (restricted.size > 0 && i < 0) gates.unshift(aclGate);
  else if (restricted.size === 0 && i >= 0) gates.splice(i, 1);
}

/** The ACL of `server` (created on first use). */
export function aclOf(server: ServerState): Acl {
  let acl = acls.get(server);
  if (acl === undefined) {
    acl = new Acl(server);
    acls.set(server, acl);
  }
  return acl;
}

/**
 * The dispatch gate: one branch for a connection whose user may run
 * everything, the full check otherwise.
 */
export function aclGate(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
): CommandError | undefined {
  if (client.aclUser.unrestricted) return undefined;
  return aclOf(server).gate(client, cmd, argv);
}

/** EXEC's per-command re-check (see `Acl.execGate`). */
export function aclExecGate(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
): ReplyNode | undefined {
  return aclOf(server).execGate(client, cmd, argv);
}

/**
 * True when the client's user may read every key with this command (SORT
 * refuses BY and GET patterns otherwise, as Redis 7.0 does).
 */
export function aclCanReadAllKeys(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
): boolean {
  if (client.aclUser.unrestricted) return true;
  return aclOf(server).canReadAllKeys(client, cmd, argv);
}

/**
 * redis.acl_check_cmd: whether the client's user may run the command, with
 * nothing logged (an internal client without a user may run anything).
 */
export function aclAllows(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: Argv,
): boolean {
  const user = client.aclUser;
  if (user.unrestricted || !(user instanceof User)) return true;
  return aclOf(server).check(user, cmd, argv).result === ACL_OK;
}
