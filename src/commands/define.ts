/**
 * defineCommand(): turns a declared `CommandSpec` into a table `Command`,
 * deriving its ACL categories, legacy key range and hot-path booleans the
 * way Redis derives them, and checking the spec for mistakes.
 *
 * @module
 */
import {
  ACL_CATEGORIES,
  type AclCategory,
  type Command,
  type CommandSpec,
  KEY_SPEC_FLAGS,
  type KeySpec,
  type KeySpecFlag,
} from "./types.ts";

// An access type (RO/RW/OW/RM) first, except for NOT_KEY specs (shard channels).
function flagsOf(access: string): KeySpecFlag[] {
  const words = access.split(" ").filter((w) => w !== "") as KeySpecFlag[];
  const unknown = words.find((w) => !KEY_SPEC_FLAGS.includes(w));
  if (unknown !== undefined) {
    throw new TypeError(`Unknown key spec flag "${unknown}"`);
  }
  const first = words[0] as string;
  if (!["RO", "RW", "OW", "RM", "NOT_KEY"].includes(first)) {
    throw new TypeError(
      `Key spec flags must start with RO, RW, OW, RM or NOT_KEY: "${access}"`,
    );
  }
  return words;
}

/**
 * One key at argument `pos`. `access` is the access type followed by any
 * extra flags, e.g. `"RW ACCESS UPDATE"`.
 */
export function keyAt(pos: number, access: string): KeySpec {
  return {
    flags: flagsOf(access),
    begin: { index: pos },
    find: { range: { lastkey: 0, keystep: 1, limit: 0 } },
  };
}

/**
 * Keys from argument `pos` on, every `step` words (MSET: step 2), up to
 * `lastkey` relative to the end (-1: the last argument).
 */
export function keysFrom(
  pos: number,
  step: number,
  access: string,
  lastkey = -1,
  limit = 0,
): KeySpec {
  return {
    flags: flagsOf(access),
    begin: { index: pos },
    find: { range: { lastkey, keystep: step, limit } },
  };
}

/** A key count at argument `countPos`, followed by that many keys (ZUNIONSTORE, EVAL). */
export function keysCounted(
  countPos: number,
  access: string,
  firstkey = 1,
  keystep = 1,
): KeySpec {
  return {
    flags: flagsOf(access),
    begin: { index: countPos },
    find: { keynum: { keynumidx: 0, firstkey, keystep } },
  };
}

/** Keys found after a keyword (XREAD ... STREAMS k1 k2, GEORADIUS ... STORE k). */
export function keysAfterKeyword(
  keyword: string,
  startfrom: number,
  access: string,
  find: KeySpec["find"] = { range: { lastkey: 0, keystep: 1, limit: 0 } },
): KeySpec {
  return { flags: flagsOf(access), begin: { keyword, startfrom }, find };
}

/** Builds the table entry for a command declaration. */
export function defineCommand(spec: CommandSpec): Command {
  if (spec.name !== spec.name.toLowerCase()) {
    throw new TypeError(`Command names are lower case: "${spec.name}"`);
  }
  if (spec.arity === 0) {
    throw new TypeError(`Command "${spec.name}" has arity 0`);
  }
  if ((spec.handler === undefined) === (spec.subcommands === undefined)) {
    throw new TypeError(
      `Command "${spec.name}" needs either a handler or subcommands, not both`,
    );
  }
  const flags = new Set(spec.flags);
  const keySpecs = spec.keys ?? [];
  const { range, movable } = legacyRange(keySpecs);
  const subcommands = spec.subcommands === undefined
    ? undefined
    : new Map(spec.subcommands.map((c) => [c.name, c]));
  const command: Command = {
    spec,
    name: spec.name,
    fullName: spec.name,
    parent: undefined,
    arity: spec.arity,
    flags,
    isWrite: flags.has("write"),
    denyOom: flags.has("denyoom"),
    noAuth: flags.has("no_auth"),
    txControl: flags.has("tx_control"),
    isProtected: flags.has("protected"),
    isFast: flags.has("fast"),
    hiddenFromMonitor: flags.has("admin") || flags.has("skip_monitor"),
    skipSlowlog: flags.has("skip_slowlog"),
    touchesKeyspace: flags.has("write") || flags.has("readonly") ||
      flags.has("may_replicate"),
    movableKeys: movable,
    aclCategories: categories(spec),
    keySpecs,
    legacyRange: range,
    handler: spec.handler,
    subcommands,
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
  };
  for (const sub of subcommands?.values() ?? []) {
    sub.parent = command;
    sub.fullName = `${spec.name}|${sub.name}`;
  }
  return command;
}

// Redis's setImplicitACLCategories.
function categories(spec: CommandSpec): AclCategory[] {
  const set = new Set<AclCategory>(spec.acl ?? []);
  const f = new Set(spec.flags);
  if (f.has("write")) set.add("write");
  if (f.has("readonly") && !set.has("scripting")) set.add("read");
  if (f.has("admin")) {
    set.add("admin");
    set.add("dangerous");
  }
  if (f.has("pubsub")) set.add("pubsub");
  if (f.has("fast")) set.add("fast");
  if (f.has("blocking")) set.add("blocking");
  if (!set.has("fast")) set.add("slow");
  return ACL_CATEGORIES.filter((c) => set.has(c));
}

// Redis's populateCommandLegacyRangeSpec: the (first, last, step) triple old
// clients read from COMMAND, and whether keys can only be found by parsing.
function legacyRange(
  specs: readonly KeySpec[],
): { range: [number, number, number]; movable: boolean } {
  if (specs.length === 0) return { range: [0, 0, 0], movable: false };
  const only = specs[0]!;
  if (specs.length === 1 && "index" in only.begin && "range" in only.find) {
    const pos = only.begin.index;
    const last = only.find.range.lastkey;
    return {
      range: [pos, last >= 0 ? pos + last : last, only.find.range.keystep],
      movable: only.flags.includes("INCOMPLETE"),
    };
  }
  let first = Infinity;
  let last = 0;
  let prevLast = 0;
  let movable = false;
  for (const s of specs) {
    if (!("index" in s.begin) || !("range" in s.find)) {
      movable = true;
      continue;
    }
    const pos = s.begin.index;
    if (
      s.find.range.keystep !== 1 || (prevLast !== 0 && prevLast !== pos - 1)
    ) {
      movable = true;
      continue;
    }
    if (s.flags.includes("INCOMPLETE")) movable = true;
    first = Math.min(first, pos);
    let abs = s.find.range.lastkey;
    if (abs >= 0) abs += pos;
    // Redis compares as unsigned, so a negative (relative to the end) wins.
    last = (abs >>> 0) > (last >>> 0) ? abs : last;
    prevLast = last;
  }
  if (first === Infinity) return { range: [0, 0, 0], movable: true };
  return { range: [first, last, 1], movable };
}
