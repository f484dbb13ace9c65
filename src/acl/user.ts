/**
 * An ACL user: its flags, password hashes and selectors, and the rules
 * that change them (Redis's ACLSetUser).
 *
 * A User object is shared by every connection authenticated as that user,
 * so changes are made to a staging copy and then copied back in place
 * (`copyFrom`): connections see the new rules at once, and a rule list
 * with an error changes nothing.
 *
 * @module
 */
import { splitInline } from "../protocol/decoder.ts";
import { asciiLower } from "../util/bytes.ts";
import { sha256Hex } from "../util/sha256.ts";
import type { CommandIndex } from "./command_index.ts";
import { AclRuleError } from "./errors.ts";
import { Selector } from "./selector.ts";

/** Flag words in the order ACL LIST and ACL GETUSER print them. */
export const USER_FLAG_NAMES = [
  "on",
  "off",
  "nopass",
  "skip-sanitize-payload",
  "sanitize-payload",
] as const;

/** Redis's ACLCheckPasswordHash: 64 lower-case hex digits. */
export function isPasswordHash(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

// A C string ends at its first NUL (Redis compares flag words with strcasecmp).
function cstr(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** One ACL user. */
export class User {
  readonly name: string;
  enabled = false;
  nopass = false;
  /** `skip-sanitize-payload` / `sanitize-payload`, or neither until one is set. */
  sanitize: "skip" | "sanitize" | undefined = undefined;
  /** SHA-256 hex hashes of the passwords, in the order they were added. */
  passwords: string[] = [];
  /** The root selector first, then the added ones. */
  selectors: Selector[];
  /**
   * True when some selector allows every command, key and channel: the
   * permission gate then has nothing to check. Kept current by `update`.
   */
  unrestricted = false;

  /** A new user: off, no passwords, no permissions (channels per acl-pubsub-default). */
  constructor(name: string, allChannels: boolean) {
    this.name = name;
    this.selectors = [new Selector(true, allChannels)];
  }

  /** The root selector (rules outside parentheses). */
  get root(): Selector {
    return this.selectors[0]!;
  }

  /** A staging copy with the same rules (and name). */
  clone(): User {
    const u = new User(this.name, false);
    u.copyFrom(this);
    return u;
  }

  /** Takes every rule of `other`, keeping this user's identity (ACLCopyUser). */
  copyFrom(other: User): void {
    this.enabled = other.enabled;
    this.nopass = other.nopass;
    this.sanitize = other.sanitize;
    this.passwords = [...other.passwords];
    this.selectors = other.selectors.map((s) => s.clone());
    this.update();
  }

  /** Recomputes `unrestricted` after the selectors changed. */
  update(): void {
    this.unrestricted = this.selectors.some((s) => s.unrestricted);
  }

  /** The flag words this user has, in Redis's order. */
  flagNames(): string[] {
    const out: string[] = [];
    if (this.enabled) out.push("on");
    else out.push("off");
    if (this.nopass) out.push("nopass");
    if (this.sanitize === "skip") out.push("skip-sanitize-payload");
    if (this.sanitize === "sanitize") out.push("sanitize-payload");
    return out;
  }

  /** Whether `password` (clear text) opens this user: Redis's ACLCheckUserCredentials. */
  checkPassword(password: string): boolean {
    if (!this.enabled) return false;
    if (this.nopass) return true;
    const hashed = sha256Hex(password);
    let ok = false;
    // Every stored hash is compared in full, so the time taken says
    // nothing about which one (if any) matched, or how far.
    for (const stored of this.passwords) {
      if (constantTimeEqual(hashed, stored)) ok = true;
    }
    return ok;
  }

  /**
   * Applies one rule (Redis's ACLSetUser). `allChannels` is
   * acl-pubsub-default (for `reset` and new selectors). Throws an
   * AclRuleError when the rule is invalid.
   */
  apply(op: string, index: CommandIndex, allChannels: boolean): void {
    if (op.length === 0) return; // an empty rule does nothing
    const word = asciiLower(cstr(op));
    if (word === "on") {
      this.enabled = true;
    } else if (word === "off") {
      this.enabled = false;
    } else if (word === "skip-sanitize-payload") {
      this.sanitize = "skip";
    } else if (word === "sanitize-payload") {
      this.sanitize = "sanitize";
    } else if (word === "nopass") {
      this.nopass = true;
      this.passwords = [];
    } else if (word === "resetpass") {
      this.nopass = false;
      this.passwords = [];
    } else if (op[0] === ">" || op[0] === "#") {
      let hash: string;
      if (op[0] === ">") {
        hash = sha256Hex(op.slice(1));
      } else {
        hash = op.slice(1);
        if (!isPasswordHash(hash)) throw new AclRuleError("EBADMSG");
      }
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
    } else if (op[0] === "<" || op[0] === "!") {
      let hash: string;
      if (op[0] === "<") {
        hash = sha256Hex(op.slice(1));
      } else {
        hash = op.slice(1);
        if (!isPasswordHash(hash)) throw new AclRuleError("EBADMSG");
      }
      const i = this.passwords.indexOf(hash);
      if (i < 0) throw new AclRuleError("ENODEV");
      this.passwords.splice(i, 1);
    } else if (op[0] === "(" && op[op.length - 1] === ")") {
      this.selectors.push(selectorFromOpSet(op, index, allChannels));
    } else if (word === "clearselectors") {
      this.selectors.length = 1;
    } else if (word === "reset") {
      this.nopass = false;
      this.passwords = [];
      const root = this.root;
      root.allKeys = false;
      root.keys = [];
      root.allChannels = allChannels;
      root.channels = [];
      this.enabled = false;
      this.sanitize = "sanitize";
      this.selectors.length = 1;
      root.denyAll();
    } else {
      this.root.apply(op, index);
    }
    this.update();
  }
}

// Redis's aclCreateSelectorFromOpSet: the words between the parentheses,
// split as redis-cli splits a line (unbalanced quotes: no words at all).
function selectorFromOpSet(
  op: string,
  index: CommandIndex,
  allChannels: boolean,
): Selector {
  const selector = new Selector(false, allChannels);
  for (const word of splitInline(op.slice(1, -1)) ?? []) {
    selector.apply(word, index);
  }
  return selector;
}

/** Compares two strings of equal length without stopping at the first difference. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Redis's ACLMergeSelectorArguments: a selector may be spread over several
 * words (`(~a` `+get)`); they are joined with spaces. Returns the merged
 * rules, or the index of the word that opened an unclosed selector.
 */
export function mergeSelectorArguments(
  words: readonly string[],
): string[] | { unmatched: number } {
  const out: string[] = [];
  let open = -1;
  let selector = "";
  for (let j = 0; j < words.length; j++) {
    const op = words[j]!;
    if (op[0] === "(" && op[op.length - 1] !== ")") {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += " " + op;
      if (op[op.length - 1] === ")") {
        open = -1;
        out.push(selector);
      }
      continue;
    }
    out.push(op);
  }
  if (open !== -1) return { unmatched: open };
  return out;
}
