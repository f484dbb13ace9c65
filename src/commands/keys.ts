/**
 * getKeys(): the key arguments of a command, found from its key specs the
 * way Redis 7.0 finds them (COMMAND GETKEYS, ACL key patterns).
 *
 * Key specs describe where the search for keys begins (a fixed index, or
 * after a keyword) and how the keys are laid out from there (a range, or a
 * count followed by keys). A few commands have specs that cannot say it all
 * (SORT's STORE may appear anywhere; SET's access depends on GET); Redis
 * gives those commands a hand-written key finder, and so does this module.
 *
 * @module
 */
import type { Argv } from "../protocol/types.ts";
import { asciiLower } from "../util/bytes.ts";
import { parseIntNumber } from "../util/number.ts";
import {
  type Command,
  KEY_SPEC_FLAGS,
  type KeySpec,
  type KeySpecFlag,
} from "./types.ts";

/** A key found in a command: its argument position (the name is 0) and access flags. */
export interface KeyRef {
  readonly pos: number;
  readonly flags: readonly KeySpecFlag[];
}

/**
 * Key spec flags as COMMAND INFO and COMMAND GETKEYSANDFLAGS print them:
 * access types upper case, the others lower case, in Redis's fixed order.
 */
export function keyFlagNames(flags: readonly KeySpecFlag[]): string[] {
  const out: string[] = [];
  for (const f of KEY_SPEC_FLAGS) {
    if (!flags.includes(f)) continue;
    out.push(f.length === 2 ? f : f.toLowerCase());
  }
  return out;
}

// Commands whose key specs are not enough (an `unknown` begin search, an
// INCOMPLETE spec, or VARIABLE_FLAGS): Redis 7.0 falls back to a key finder
// written for each of them, and so do we. The argument layout is the
// command's own; the table still declares the command.
const NATIVE: Record<string, (argv: Argv) => KeyRef[]> = {
  sort: sortKeys,
  sort_ro: () => [{ pos: 1, flags: ["RO", "ACCESS"] }],
  migrate: migrateKeys,
  set: setKeys,
  bitfield: bitfieldKeys,
};

/** True when the command has key arguments at all (COMMAND GETKEYS refuses others). */
export function hasKeys(command: Command): boolean {
  return NATIVE[command.fullName] !== undefined ||
    command.keySpecs.some((s) => !s.flags.includes("NOT_KEY"));
}

/**
 * The keys of `argv` (the full command, name included) for `command`.
 * Specs marked NOT_KEY are skipped unless `includeNotKeys`. Returns an
 * empty list when the arguments do not fit the specs.
 */
export function getKeys(
  command: Command,
  argv: Argv,
  opts: { includeNotKeys?: boolean } = {},
): KeyRef[] {
  const specs = command.keySpecs;
  const native = NATIVE[command.fullName];
  const hasSpecKeys = specs.some((s) => !s.flags.includes("NOT_KEY"));
  const variableFlags = specs.some((s) => s.flags.includes("VARIABLE_FLAGS"));
  const includeNotKeys = opts.includeNotKeys ?? false;
  if ((hasSpecKeys || includeNotKeys) && !variableFlags) {
    const found = keysFromSpecs(specs, argv, includeNotKeys);
    if (found !== undefined) return found;
  }
  return native === undefined ? [] : native(argv);
}

/**
 * Redis's getKeysUsingKeySpecs: undefined when a spec cannot be followed
 * (unknown search, incomplete spec, bounds that do not fit), so the caller
 * can fall back to the command's own key finder.
 */
function keysFromSpecs(
  specs: readonly KeySpec[],
  argv: Argv,
  includeNotKeys: boolean,
): KeyRef[] | undefined {
  const argc = argv.length;
  const keys: KeyRef[] = [];
  for (const spec of specs) {
    if (spec.flags.includes("NOT_KEY") && !includeNotKeys) continue;
    let first = 0;
    const begin = spec.begin;
    if ("index" in begin) {
      first = begin.index;
    } else if ("keyword" in begin) {
      const start = begin.startfrom > 0
        ? begin.startfrom
        : argc + begin.startfrom;
      const end = begin.startfrom > 0 ? argc - 1 : 0;
      const keyword = asciiLower(begin.keyword);
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (asciiLower(argv[i]!) === keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // keyword absent: this spec has no keys
    } else {
      return undefined;
    }
    let last: number;
    let step: number;
    const find = spec.find;
    if ("range" in find) {
      const { lastkey, keystep, limit } = find.range;
      step = keystep;
      if (lastkey >= 0) last = first + lastkey;
      else if (limit === 0) last = argc + lastkey;
      else last = first + (Math.trunc((argc - first) / limit) + lastkey);
    } else if ("keynum" in find) {
      const { keynumidx, firstkey, keystep } = find.keynum;
      if (first + keynumidx >= argc) return undefined;
      const count = parseIntNumber(argv[first + keynumidx]!);
      if (count === undefined || count < 0) return undefined;
      first += firstkey;
      last = first + count - 1;
      step = keystep;
    } else {
      return undefined;
    }
    if (last >= argc || last < first || first >= argc) return undefined;
    for (let i = first; i <= last; i += step) {
      keys.push({ pos: i, flags: spec.flags });
    }
    if (spec.flags.includes("INCOMPLETE")) return undefined;
  }
  return keys;
}

function sortKeys(argv: Argv): KeyRef[] {
  const keys: KeyRef[] = [{ pos: 1, flags: ["RO", "ACCESS"] }];
  let store: KeyRef | undefined;
  const skips: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const word = asciiLower(argv[i]!);
    const skip = skips[word];
    if (skip !== undefined) {
      i += skip;
    } else if (word === "store" && i + 1 < argv.length) {
      // The last STORE wins, as SORT itself does.
      store = { pos: i + 1, flags: ["OW", "UPDATE"] };
    }
  }
  if (store !== undefined) keys.push(store);
  return keys;
}

function migrateKeys(argv: Argv): KeyRef[] {
  let first = 3;
  let count = 1;
  const skips: Record<string, number> = {
    copy: 0,
    replace: 0,
    auth: 1,
    auth2: 2,
  };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const word = asciiLower(argv[i]!);
      if (word === "keys") {
        // MIGRATE ... "" ... KEYS k1 k2: the key argument must be empty.
        if (argv[3]!.length > 0) break;
        first = i + 1;
        count = argv.length - first;
        break;
      }
      i += skips[word] ?? 0;
    }
  }
  const keys: KeyRef[] = [];
  for (let i = 0; i < count; i++) {
    keys.push({ pos: first + i, flags: ["RW", "ACCESS", "DELETE"] });
  }
  return keys;
}

function setKeys(argv: Argv): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    if (asciiLower(argv[i]!) === "get") {
      return [{ pos: 1, flags: ["RW", "ACCESS", "UPDATE"] }];
    }
  }
  return [{ pos: 1, flags: ["OW", "UPDATE"] }];
}

function bitfieldKeys(argv: Argv): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const word = asciiLower(argv[i]!);
    if (word === "get" && more >= 2) {
      i += 2;
    } else if ((word === "set" || word === "incrby") && more >= 3) {
      readonly = false;
      break;
    } else if (word === "overflow" && more >= 1) {
      i += 1;
    } else {
      readonly = false; // a syntax error: assume the worst
      break;
    }
  }
  return [{
    pos: 1,
    flags: readonly ? ["RO", "ACCESS"] : ["RW", "ACCESS", "UPDATE"],
  }];
}
