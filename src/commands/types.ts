/**
 * Types of the command table: what a command declares (`CommandSpec`), what
 * the table derives from it (`Command`), and what a handler receives.
 *
 * @module
 */
import type { Argv, Reply } from "../protocol/types.ts";
import type { Database } from "../store/database.ts";
import type { Client } from "../client.ts";
import type { ServerState } from "../state.ts";
import type { Args } from "./args.ts";

/** Command flags, spelled as COMMAND INFO prints them, plus internal ones. */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "module"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "asking"
  | "fast"
  | "no_auth"
  | "no_mandatory_keys"
  | "no_async_loading"
  | "no_multi"
  | "allow_busy"
  // Hidden from COMMAND, as in Redis:
  | "may_replicate"
  | "sentinel"
  | "only_sentinel"
  | "protected"
  // Project flag: runs at once inside MULTI instead of being queued.
  | "tx_control";

/** ACL categories, in the order Redis prints them. */
export const ACL_CATEGORIES = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
] as const;

/** An ACL category name. */
export type AclCategory = typeof ACL_CATEGORIES[number];

/** Command groups (COMMAND DOCS `group`). */
export type CommandGroup =
  | "generic"
  | "string"
  | "list"
  | "set"
  | "sorted-set"
  | "hash"
  | "pubsub"
  | "transactions"
  | "connection"
  | "server"
  | "scripting"
  | "hyperloglog"
  | "cluster"
  | "sentinel"
  | "geo"
  | "stream"
  | "bitmap";

/** Key access flags of a key spec, in the order COMMAND INFO prints them. */
export const KEY_SPEC_FLAGS = [
  "RO",
  "RW",
  "OW",
  "RM",
  "ACCESS",
  "UPDATE",
  "INSERT",
  "DELETE",
  "NOT_KEY",
  "INCOMPLETE",
  "VARIABLE_FLAGS",
] as const;

/** A key access flag of a key spec, as COMMAND INFO prints it. */
export type KeySpecFlag = typeof KEY_SPEC_FLAGS[number];

/** Where the search for keys begins. */
export type BeginSearch =
  | { readonly index: number }
  | { readonly keyword: string; readonly startfrom: number }
  | { readonly unknown: true };

/** How keys are found from the begin position. */
export type FindKeys =
  | { readonly range: { lastkey: number; keystep: number; limit: number } }
  | {
    readonly keynum: { keynumidx: number; firstkey: number; keystep: number };
  }
  | { readonly unknown: true };

/** One key specification (Redis 7 key specs). */
export interface KeySpec {
  readonly flags: readonly KeySpecFlag[];
  readonly begin: BeginSearch;
  readonly find: FindKeys;
  readonly notes?: string;
}

/** An argument in COMMAND DOCS. */
export interface ArgDoc {
  readonly name: string;
  readonly type:
    | "string"
    | "integer"
    | "double"
    | "key"
    | "pattern"
    | "unix-time"
    | "pure-token"
    | "oneof"
    | "block";
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  readonly multipleToken?: boolean;
  readonly keySpecIndex?: number;
  readonly display?: string;
  readonly since?: string;
  readonly arguments?: readonly ArgDoc[];
}

/** Documentation fields beyond the summary (COMMAND DOCS). */
export interface CommandDocs {
  readonly arguments?: readonly ArgDoc[];
  readonly history?: readonly (readonly [string, string])[];
  readonly docFlags?: readonly ("deprecated" | "syscmd")[];
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
}

/** A handler runs a command to completion, synchronously. */
export type Handler = (ctx: Context, args: Args) => Reply;

/** What a command file declares. */
export interface CommandSpec {
  /** Lower-case name (subcommands: just the subcommand, e.g. `get`). */
  readonly name: string;
  readonly group: CommandGroup;
  readonly summary: string;
  readonly since: string;
  readonly complexity?: string;
  /** N: exactly N words; -N: at least N. The name counts. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Extra ACL categories; read/write/admin/fast/slow/... derive from flags. */
  readonly acl?: readonly AclCategory[];
  readonly keys?: readonly KeySpec[];
  /** COMMAND INFO tips, e.g. `nondeterministic_output`. */
  readonly tips?: readonly string[];
  readonly handler?: Handler;
  readonly subcommands?: readonly Command[];
  readonly docs?: CommandDocs;
  /** Allowed while a RESP2 client is subscribed (SUBSCRIBE family, PING, QUIT, RESET). */
  readonly allowedWhileSubscribed?: boolean;
  /**
   * Pub/sub channel arguments the ACL checks against `&` patterns:
   * `first` (PUBLISH), `all` (SUBSCRIBE), or `all-patterns` (PSUBSCRIBE,
   * whose patterns must equal an allowed pattern).
   */
  readonly aclChannels?: "first" | "all" | "all-patterns";
  /** Hides secret arguments from MONITOR and SLOWLOG (AUTH passwords): returns the words to show. */
  readonly redact?: (argv: Argv) => Argv;
}

/** Per-command counters (INFO commandstats). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** A command as the table holds it: the spec plus what is derived from it. */
export interface Command {
  readonly spec: CommandSpec;
  readonly name: string;
  /** `config|get` for subcommands. */
  fullName: string;
  parent: Command | undefined;
  readonly arity: number;
  readonly flags: ReadonlySet<CommandFlag>;
  /** Derived from the flags, for the hot path. */
  readonly isWrite: boolean;
  readonly denyOom: boolean;
  readonly noAuth: boolean;
  readonly txControl: boolean;
  readonly isProtected: boolean;
  readonly isFast: boolean;
  /** Not shown by MONITOR (admin or skip_monitor). */
  readonly hiddenFromMonitor: boolean;
  readonly skipSlowlog: boolean;
  /** Touches the keyspace (write, readonly or may_replicate): refused for MONITOR clients. */
  readonly touchesKeyspace: boolean;
  readonly movableKeys: boolean;
  /** Every category, in Redis's order. */
  readonly aclCategories: readonly AclCategory[];
  readonly keySpecs: readonly KeySpec[];
  /** COMMAND INFO first key, last key, step. */
  readonly legacyRange: readonly [number, number, number];
  readonly handler: Handler | undefined;
  /** Subcommands by lower-case name. */
  readonly subcommands: ReadonlyMap<string, Command> | undefined;
  readonly stats: CommandStats;
}

/** Options of `ctx.block()`. */
export interface BlockOptions {
  /** Keys to wait on (in the client's current database). */
  readonly keys: readonly string[];
  /** Absolute deadline in Unix ms, or 0 to wait forever. */
  readonly deadline: number;
  /** What the client gets when the deadline passes (or at once, where blocking is not allowed). */
  readonly timeoutReply: Reply;
  /** Wake only when the key holds this type (Redis keeps a BLPOP blocked when a ZADD creates the key). */
  readonly readyType?: "list" | "zset" | "stream";
}

/** What a handler can reach. One context per client, reused for each command. */
export interface Context {
  readonly server: ServerState;
  readonly client: Client;
  /** The client's selected database. */
  db: Database;
  /** The command's words as received. */
  readonly argv: Argv;
  /** The command being run. */
  readonly command: Command;
  /** Marks a change to the dataset: counts for INFO and makes dispatch propagate the command. */
  dirty(n?: number): void;
  /**
   * Propagates `argv` (in the current database) instead of the command as
   * received. Call several times to propagate several commands.
   */
  propagateAs(argv: Argv): void;
  /**
   * Parks the client until a key is signalled or the deadline passes; return
   * its result. Inside MULTI/EXEC (where nothing may block) it returns the
   * timeout reply at once.
   */
  block(options: BlockOptions): Reply;
  /** False inside EXEC (and for internal clients), where nothing may block. */
  readonly blockingAllowed: boolean;
  /**
   * While a blocked client is served because one of its keys got data:
   * that key, which the handler must serve from (Redis serves a client
   * blocked on several keys from the key that became ready, not the first
   * of its keys that has data). Undefined otherwise.
   */
  readonly readyKey?: string | undefined;
  /** Sends a keyspace notification (no-op unless enabled). */
  notify(type: number, event: string, key: string): void;
}
