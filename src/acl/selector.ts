/**
 * A selector: one set of command, key and channel permissions. Every user
 * has a root selector (the rules written outside parentheses) and any
 * number of added ones (`(...)`); a command is allowed when one selector
 * allows all of it. This module applies selector rules (Redis's
 * ACLSetSelector) and checks a command against one selector.
 *
 * @module
 */
import type { Argv } from "../protocol/types.ts";
import { asciiLower } from "../util/bytes.ts";
import { globMatch } from "../util/glob.ts";
import { AclRuleError } from "./errors.ts";
import {
  categoryBit,
  COMMAND_BITS,
  type CommandIndex,
  FUTURE_COMMANDS_BIT,
  type IndexedCommand,
} from "./command_index.ts";

/** Read permission on a key pattern (`%R~`). */
export const KEY_READ = 1;
/** Write permission on a key pattern (`%W~`). */
export const KEY_WRITE = 2;
/** Both (`~`, `%RW~`). */
export const KEY_ALL = KEY_READ | KEY_WRITE;

/** A key pattern with the access it grants. */
export interface KeyPattern {
  readonly pattern: string;
  /** KEY_READ, KEY_WRITE or KEY_ALL. */
  flags: number;
}

/** The outcome of checking a command, ordered as Redis ranks them (a later one wins when picking what to report). */
export const ACL_OK = 0;
/** The command (or subcommand) is not allowed. */
export const ACL_DENIED_CMD = 1;
/** A key argument matches no pattern with the access the command needs. */
export const ACL_DENIED_KEY = 2;
/** A channel argument matches no channel pattern. */
export const ACL_DENIED_CHANNEL = 4;

/** The keys of the command being checked, found once for all selectors. */
export interface KeyCache {
  /** Argument positions and the access each needs (KEY_READ | KEY_WRITE), or undefined until found. */
  keys: { pos: number; need: number }[] | undefined;
}

// A C string ends at its first NUL: Redis compares rule words with
// strcasecmp and looks commands up by such strings.
function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** Redis's ACLStringHasSpaces: isspace() or NUL anywhere. */
export function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 32 || (c >= 9 && c <= 13)) return true;
  }
  return false;
}

/** One selector's permissions. */
export class Selector {
  /** The root selector of a user (the rules outside parentheses). */
  readonly root: boolean;
  allKeys = false;
  allChannels = false;
  /** Skip the command bitmap: set by `+@all`, cleared by any removal. */
  allCommands = false;
  /** Bit `id` set: the command with that id is allowed. */
  readonly commands = new Uint32Array(COMMAND_BITS / 32);
  /** First arguments allowed for otherwise denied commands (`+select|0`), by command id. */
  firstArgs: Map<number, string[]> | undefined = undefined;
  keys: KeyPattern[] = [];
  channels: string[] = [];

  /** An empty selector; `allChannels` follows acl-pubsub-default. */
  constructor(root: boolean, allChannels: boolean) {
    this.root = root;
    this.allChannels = allChannels;
  }

  /** An independent copy. */
  clone(): Selector {
    const s = new Selector(this.root, this.allChannels);
    s.copyFrom(this);
    return s;
  }

  /** Makes this selector an exact copy of `other` (root flag aside). */
  copyFrom(other: Selector): void {
    this.allKeys = other.allKeys;
    this.allChannels = other.allChannels;
    this.allCommands = other.allCommands;
    this.commands.set(other.commands);
    this.firstArgs = other.firstArgs === undefined
      ? undefined
      : new Map([...other.firstArgs].map(([id, list]) => [id, [...list]]));
    this.keys = other.keys.map((k) => ({ pattern: k.pattern, flags: k.flags }));
    this.channels = [...other.channels];
  }

  /**
   * True when every command, key and channel is allowed: allcommands, or
   * every bit still set after a command was removed and added back.
   */
  get unrestricted(): boolean {
    if (!this.allKeys || !this.allChannels) return false;
    if (this.allCommands) return true;
    for (let i = 0; i < this.commands.length; i++) {
      if (this.commands[i] !== 0xffffffff) return false;
    }
    return true;
  }

  /** Whether the bit of command `id` is set. */
  bit(id: number): boolean {
    return (this.commands[id >>> 5]! & (1 << (id & 31))) !== 0;
  }

  // Redis's ACLSetSelectorCommandBit: clearing any bit ends allcommands.
  #setBit(id: number, value: boolean): void {
    if (value) {
      this.commands[id >>> 5]! |= 1 << (id & 31);
    } else {
      this.commands[id >>> 5]! &= ~(1 << (id & 31));
      this.allCommands = false;
    }
  }

  /** True when the rules started from `+@all` (future commands allowed). */
  get futureCommands(): boolean {
    return this.bit(FUTURE_COMMANDS_BIT);
  }

  /** `+@all` / `allcommands`. */
  allowAll(): void {
    this.commands.fill(0xffffffff);
    this.allCommands = true;
    this.firstArgs = undefined;
  }

  /** `-@all` / `nocommands`. */
  denyAll(): void {
    this.commands.fill(0);
    this.allCommands = false;
    this.firstArgs = undefined;
  }

  /** Allows or denies one command; a container's subcommands follow it (ACLChangeSelectorPerm). */
  changePerm(entry: IndexedCommand, allow: boolean): void {
    this.#setBit(entry.id, allow);
    this.firstArgs?.delete(entry.id);
    for (const sub of entry.subcommands) this.#setBit(sub.id, allow);
  }

  /** `+@category` / `-@category` for the category with mask bit `bit`. */
  changeCategory(index: CommandIndex, bit: number, allow: boolean): void {
    index.forEach((e) => {
      if ((e.categories & bit) !== 0) this.changePerm(e, allow);
    });
  }

  /** How many commands of the category are allowed and denied. */
  countCategory(index: CommandIndex, bit: number): [number, number] {
    let on = 0;
    let off = 0;
    index.forEach((e) => {
      if ((e.categories & bit) === 0) return;
      if (this.bit(e.id)) on++;
      else off++;
    });
    return [on, off];
  }

  #addFirstArg(id: number, arg: string): void {
    this.firstArgs ??= new Map();
    const list = this.firstArgs.get(id);
    if (list === undefined) {
      this.firstArgs.set(id, [arg]);
    } else if (!list.some((a) => asciiLower(a) === asciiLower(arg))) {
      list.push(arg);
    }
  }

  /**
   * Applies one selector rule (Redis's ACLSetSelector). Throws an
   * AclRuleError when the rule is unknown or invalid.
   */
  apply(op: string, index: CommandIndex): void {
    const word = asciiLower(cstr(op));
    if (word === "allkeys" || word === "~*") {
      this.allKeys = true;
      this.keys = [];
    } else if (word === "resetkeys") {
      this.allKeys = false;
      this.keys = [];
    } else if (word === "allchannels" || word === "&*") {
      this.allChannels = true;
      this.channels = [];
    } else if (word === "resetchannels") {
      this.allChannels = false;
      this.channels = [];
    } else if (word === "allcommands" || word === "+@all") {
      this.allowAll();
    } else if (word === "nocommands" || word === "-@all") {
      this.denyAll();
    } else if (op[0] === "~" || op[0] === "%") {
      this.#addKeyPattern(op);
    } else if (op[0] === "&") {
      if (this.allChannels) throw new AclRuleError("EISDIR");
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) throw new AclRuleError("EINVAL");
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === "+" && op[1] !== "@") {
      this.#allowCommand(cstr(op).slice(1), index);
    } else if (op[0] === "-" && op[1] !== "@") {
      const entry = index.lookup(cstr(op).slice(1));
      if (entry === undefined) throw new AclRuleError("ENOENT");
      this.changePerm(entry, false);
    } else if ((op[0] === "+" || op[0] === "-") && op[1] === "@") {
      const bit = categoryBit(cstr(op).slice(2));
      if (bit === 0) throw new AclRuleError("ENOENT");
      this.changeCategory(index, bit, op[0] === "+");
    } else {
      throw new AclRuleError("EINVAL");
    }
  }

  #addKeyPattern(op: string): void {
    if (this.allKeys) throw new AclRuleError("EEXIST");
    let flags = 0;
    let offset = 1;
    if (op[0] === "%") {
      // %R~, %W~, %RW~ (either order, each letter once, any case).
      for (; offset < op.length; offset++) {
        const c = op[offset]!;
        if ((c === "R" || c === "r") && (flags & KEY_READ) === 0) {
          flags |= KEY_READ;
        } else if ((c === "W" || c === "w") && (flags & KEY_WRITE) === 0) {
          flags |= KEY_WRITE;
        } else if (c === "~" && flags !== 0) {
          offset++;
          break;
        } else {
          throw new AclRuleError("EINVAL");
        }
      }
    } else {
      flags = KEY_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new AclRuleError("EINVAL");
    const existing = this.keys.find((k) => k.pattern === pattern);
    // The same pattern twice keeps one entry with both permissions.
    if (existing === undefined) this.keys.push({ pattern, flags });
    else existing.flags |= flags;
    this.allKeys = false;
  }

  #allowCommand(name: string, index: CommandIndex): void {
    const bar = name.lastIndexOf("|");
    if (bar < 0) {
      const entry = index.lookup(name);
      if (entry === undefined) throw new AclRuleError("ENOENT");
      this.changePerm(entry, true);
      return;
    }
    const base = index.lookup(name.slice(0, bar));
    if (base === undefined) throw new AclRuleError("ENOENT");
    if (base.command.parent !== undefined) throw new AclRuleError("ECHILD");
    const sub = name.slice(bar + 1);
    if (sub === "") throw new AclRuleError("EINVAL");
    if (base.subcommands.length !== 0) {
      const entry = index.lookup(name);
      if (entry === undefined) throw new AclRuleError("ENOENT");
      this.changePerm(entry, true);
    } else {
      // `+select|0`: a first argument of an otherwise denied command.
      this.#addFirstArg(base.id, sub);
    }
  }

  /**
   * Checks one command against this selector (Redis's ACLSelectorCheckCmd).
   * Returns ACL_OK or a denial; on a key or channel denial `at.pos` is the
   * argument that failed.
   */
  check(
    entry: IndexedCommand,
    argv: Argv,
    cache: KeyCache,
    findKeys: (argv: Argv) => { pos: number; need: number }[],
    at: { pos: number },
  ): number {
    const command = entry.command;
    if (!this.allCommands && !command.noAuth && !this.bit(entry.id)) {
      const allowed = this.firstArgs?.get(entry.id);
      if (allowed === undefined || argv.length < 2) return ACL_DENIED_CMD;
      const arg = asciiLower(argv[command.parent === undefined ? 1 : 2] ?? "");
      if (!allowed.some((a) => asciiLower(a) === arg)) return ACL_DENIED_CMD;
    }
    if (!this.allKeys) {
      const keys = cache.keys ??= findKeys(argv);
      for (const { pos, need } of keys) {
        if (!this.checkKey(argv[pos]!, need)) {
          at.pos = pos;
          return ACL_DENIED_KEY;
        }
      }
    }
    const channels = command.spec.aclChannels;
    if (!this.allChannels && channels !== undefined) {
      const last = channels === "first" ? 1 : argv.length - 1;
      const literal = channels === "all-patterns";
      for (let i = 1; i <= last; i++) {
        if (!this.checkChannel(argv[i]!, literal)) {
          at.pos = i;
          return ACL_DENIED_CHANNEL;
        }
      }
    }
    return ACL_OK;
  }

  /** Whether `key` may be accessed with `need` (KEY_READ | KEY_WRITE; 0 for neither). */
  checkKey(key: string, need: number): boolean {
    if (this.allKeys) return true;
    for (const k of this.keys) {
      if ((k.flags & need) !== need) continue;
      if (globMatch(k.pattern, key)) return true;
    }
    return false;
  }

  /**
   * Whether channel `name` is allowed. A pattern subscription (`literal`)
   * must be one of the allowed patterns exactly, not merely match one.
   */
  checkChannel(name: string, literal: boolean): boolean {
    if (this.allChannels) return true;
    return channelAllowed(this.channels, name, literal);
  }
}

/** Redis's ACLCheckChannelAgainstList. */
export function channelAllowed(
  patterns: readonly string[],
  name: string,
  literal: boolean,
): boolean {
  for (const p of patterns) {
    if (literal ? cstr(p) === cstr(name) : globMatch(p, name)) return true;
  }
  return false;
}
