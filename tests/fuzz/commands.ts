/**
 * Random commands drawn from tsredis's own command table: names,
 * subcommands, arities and key positions from `buildCommandTable()`, and
 * argument grammars (tokens, types, optional and repeated parts) from the
 * COMMAND DOCS argument tables. Most commands come out well formed, so the
 * fuzz reaches deep into the handlers; a share is then mangled (arguments
 * dropped, repeated, swapped, replaced by a random option word).
 *
 * A few commands are left out or reduced because they legitimately stop a
 * server from answering the watchdog (SHUTDOWN, CLIENT PAUSE, DEBUG SLEEP,
 * REPLICAOF, ACL SETUSER default off, CONFIG SET of the port...), not
 * because tsredis might mishandle them.
 *
 * @module
 */
import { buildCommandTable, commandsOf } from "../../src/commands/table.ts";
import type { ArgDoc, Command } from "../../src/commands/types.ts";
import type { Rng } from "./rng.ts";
import { Crc64 } from "../../src/util/crc64.ts";

/** One command of the model. */
interface Model {
  /** The words naming it: `["client", "kill"]`. */
  words: string[];
  arity: number;
  args: readonly ArgDoc[] | undefined;
  /** Argument positions that hold keys (from COMMAND INFO's first/last/step). */
  keyRange: readonly [number, number, number];
  /** How many times more likely than an ordinary command. */
  weight: number;
  /** Prefix of the keys it prefers (by group), or "" for any key. */
  prefix: string;
}

// Commands that stop the server answering for reasons that are not bugs.
const EXCLUDED = new Set([
  "shutdown",
  "debug", // replaced by DEBUG_FORMS
  "client|pause",
  "replicaof",
  "slaveof",
  "failover",
  "sync",
  "psync",
  "replconf",
  "acl|setuser", // replaced by ACL_SETUSER_FORMS
  "acl|deluser",
  "acl|load",
  "config|set", // replaced by CONFIG_SET_FORMS
  "monitor", // harmless, but it floods the connection's reads
  "module|load",
  "module|loadex",
  // Legitimately slow (a third of a second in Redis): a few in a row look
  // like a hang to the watchdog.
  "pfselftest",
]);

// DEBUG subcommands that only inspect or round-trip data.
const DEBUG_FORMS: string[][] = [
  ["debug", "reload"],
  ["debug", "object", "@key"],
  ["debug", "digest"],
  ["debug", "digest-value", "@key", "@key"],
  ["debug", "listpack", "@key"],
  ["debug", "quicklist-packed-threshold", "@int"],
  ["debug", "stringmatch-len", "@pattern", "@str"],
  ["debug", "protocol", "@protocol"],
  ["debug", "set-active-expire", "@bit"],
  ["debug", "change-repl-id"],
  ["debug", "sleep", "0"],
  ["debug", "jmap"],
  ["debug", "set-skip-checksum-validation", "@bit"],
  ["debug", "sdslen", "@key"],
  ["debug", "htstats", "@int"],
  ["debug", "htstats-key", "@key"],
  ["debug", "replybuffer", "peak-reset-time", "@int"],
];

// Encoding limits: changing them makes the store convert encodings.
const CONFIG_SET_FORMS: [string, string[]][] = [
  ["hash-max-listpack-entries", ["0", "1", "2", "128"]],
  ["hash-max-listpack-value", ["0", "1", "8", "64"]],
  ["list-max-listpack-size", ["-5", "-2", "-1", "1", "2", "128"]],
  ["list-compress-depth", ["0", "1", "2"]],
  ["set-max-intset-entries", ["0", "1", "2", "512"]],
  ["zset-max-listpack-entries", ["0", "1", "2", "128"]],
  ["zset-max-listpack-value", ["0", "1", "8", "64"]],
  ["stream-node-max-entries", ["0", "1", "2", "100"]],
  ["stream-node-max-bytes", ["0", "1", "64", "4096"]],
  ["hll-sparse-max-bytes", ["0", "1", "300", "3000"]],
  ["notify-keyspace-events", ["", "KEA", "Kgx", "E$lz"]],
  ["sanitize-dump-payload", ["no", "yes", "clients"]],
  ["lfu-log-factor", ["0", "10"]],
  ["maxmemory-policy", ["noeviction", "allkeys-lru", "allkeys-lfu"]],
  ["lazyfree-lazy-user-del", ["yes", "no"]],
  ["latency-tracking", ["yes", "no"]],
  ["slowlog-log-slower-than", ["0", "10000"]],
];

const ACL_SETUSER_FORMS: string[][] = [
  ["acl", "setuser", "fuzzer", "on", ">pw", "~k*", "+@all", "&*"],
  ["acl", "setuser", "fuzzer", "reset"],
  ["acl", "setuser", "fuzzer", "@aclrule", "@aclrule"],
  ["acl", "setuser", "fuzzer", "(~k1 +get)", "clearselectors"],
  ["acl", "deluser", "fuzzer"],
];

const KEYS = ["k1", "k2", "k3", "{k}4", "{k}5", "k6", ""];
// Keys each group's commands prefer, so most commands meet a key of
// their own type (a shared pool makes nearly everything WRONGTYPE).
const GROUP_PREFIX: Record<string, string> = {
  string: "s",
  bitmap: "s",
  list: "l",
  hash: "h",
  set: "S",
  sorted_set: "z",
  geo: "z",
  stream: "x",
  hyperloglog: "p",
};
const SMALL_INTS = ["0", "1", "2", "3", "-1", "-2", "5", "10", "100", "7"];
const EDGE_INTS = [
  "2147483647",
  "-2147483648",
  "4294967296",
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775808",
  "18446744073709551615",
  "-9223372036854775809",
  "0x10",
  "1e3",
  " 1",
  "+1",
  "01",
  "",
  "abc",
  "1.5",
  "-0",
  "99999999999999999999999",
];
const DOUBLES = [
  "0",
  "1.5",
  "-1.5",
  "inf",
  "-inf",
  "+inf",
  "nan",
  "1e308",
  "1e309",
  "-0",
  "0.1",
  "3.14159265358979323846",
  "1e-320",
  "(1",
  "(-inf",
  "abc",
  "5",
  "0x1p3",
];
const PATTERNS = ["*", "k*", "?", "[a-z]*", "\\", "[", "[^", "k[", "*?*?*?*?x"];
const STREAM_IDS = [
  "*",
  "0-0",
  "0",
  "1-1",
  "1-*",
  "$",
  ">",
  "+",
  "-",
  "(1-1",
  "18446744073709551615-18446744073709551615",
  "18446744073709551615-*",
  "5",
  "abc",
];
const SCRIPTS = [
  "return 1",
  "return redis.call('get', KEYS[1])",
  "return redis.call('lpush', KEYS[1], ARGV[1])",
  "return redis.pcall('incr', KEYS[1])",
  "return {1, 2, {3, 'x'}, 4.5}",
  "return redis.error_reply('fuzz')",
  "return redis.status_reply('FINE')",
  "return {err = 'x'}",
  "redis.call('set', KEYS[1], string.rep('x', 100)) return redis.call('object', 'encoding', KEYS[1])",
  "return cjson.encode({1, 2, {a = 1}})",
  "return cjson.decode(ARGV[1])",
  "return cmsgpack.unpack(ARGV[1])",
  "return cmsgpack.pack({1, 'a', {2}})",
  "return bit.band(7, 3)",
  "return struct.unpack('HH', ARGV[1])",
  "return redis.sha1hex(ARGV[1])",
  "redis.setresp(3) return redis.call('hgetall', KEYS[1])",
  "return redis.call('hgetall', KEYS[1])",
  "error('boom')",
  "return tostring(nil)",
  "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])",
  "#!lua\nreturn redis.call('set', KEYS[1], 'v')",
  "return redis.call(ARGV[1], KEYS[1])",
  "local t = {} for i = 1, 100 do t[i] = i end return t",
  "return redis.call('zrange', KEYS[1], 0, -1, 'withscores')",
  "return redis.call('xadd', KEYS[1], '*', 'f', 'v')",
  "return redis.acl_check_cmd('set', 'x', 'y')",
  "redis.log(redis.LOG_WARNING, 'fuzz') return 0",
  "return redis.call('eval', 'return 1', 0)",
  "return",
  "retur n",
];
const LIBRARIES = [
  "#!lua name=fz\nredis.register_function('f', function(keys, args) return redis.call('get', keys[1]) end)",
  "#!lua name=fz\nredis.register_function{function_name='f', callback=function(keys, args) return 1 end, flags={'no-writes'}}",
  "#!lua name=fz2\nredis.register_function('g', function(keys, args) return redis.call('incr', keys[1]) end)",
  "#!lua name=fz\nlocal x = 1",
  "#!lua name=\nredis.register_function('f', function() return 1 end)",
  "#!js name=x\n",
  "not a library",
];
const CHANNELS = ["ch", "ch1", "news.*", "*", "__keyspace@0__:k1"];

/** Argument names whose values have a shape of their own. */
function namedValue(rng: Rng, name: string, type: string): string | undefined {
  const n = name.toLowerCase();
  if (n === "script") return rng.pick(SCRIPTS);
  if (n === "function-code") return rng.pick(LIBRARIES);
  if (n === "function" || n === "library-name") {
    return rng.pick(["f", "g", "fz", "fz2", "nosuch"]);
  }
  if (n === "sha1") {
    return rng.pick(["e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "x", ""]);
  }
  if (n.includes("channel") || n === "pattern" && type === "pattern") {
    return rng.pick(CHANNELS);
  }
  if (n === "id" || n.endsWith("-id") || n === "start" || n === "end") {
    if (type === "string") return rng.pick(STREAM_IDS);
  }
  if (n === "longitude") return rng.pick(["0", "13.36", "-180", "180.1", "x"]);
  if (n === "latitude") {
    return rng.pick(["0", "38.11", "85.05112878", "-86", "x"]);
  }
  if (n === "group" || n === "groupname") return rng.pick(["g1", "g2"]);
  if (n === "consumer" || n === "consumername") return rng.pick(["c1", "c2"]);
  if (n === "timeout") {
    // Short blocks: a blocked connection hides the rest of its batch.
    return rng.pick(["0.01", "0.001", "0.02", "0", "-1", "abc", "1e-3"]);
  }
  if (n === "serialized-value") return undefined; // the caller's DUMP pool
  return undefined;
}

/** Builds random commands from the table. */
export class CommandGen {
  readonly #rng: Rng;
  readonly #models: Model[] = [];
  readonly #weights: number[] = [];
  #totalWeight = 0;
  /** Every option word of every argument table (for mangling). */
  readonly tokens: string[] = [];
  /** Valid DUMP payloads (filled by the caller) that RESTORE mutates. */
  dumps: string[] = [];
  #prefix = "";

  /** A generator drawing from `rng`. */
  constructor(
    rng: Rng,
    table: ReadonlyMap<string, Command> = buildCommandTable(),
  ) {
    this.#rng = rng;
    const tokens = new Set<string>();
    const walk = (args: readonly ArgDoc[] | undefined) => {
      for (const a of args ?? []) {
        if (a.token !== undefined) tokens.add(a.token);
        walk(a.arguments);
      }
    };
    for (const cmd of commandsOf(table)) {
      const list = cmd.subcommands === undefined
        ? [cmd]
        : [...new Set(cmd.subcommands.values())];
      for (const c of list) {
        if (EXCLUDED.has(c.fullName)) continue;
        walk(c.spec.docs?.arguments);
        const words = c.fullName.split("|");
        // Collection commands carry most of the logic worth fuzzing.
        const weight = ["string", "list", "hash", "set", "sorted_set", "stream"]
            .includes(c.spec.group)
          ? 3
          : 1;
        this.#add({
          words,
          arity: c.arity,
          args: c.spec.docs?.arguments,
          keyRange: c.legacyRange,
          weight,
          prefix: GROUP_PREFIX[c.spec.group] ?? "",
        });
      }
    }
    this.tokens = [...tokens];
  }

  #add(m: Model): void {
    this.#models.push(m);
    this.#totalWeight += m.weight;
    this.#weights.push(this.#totalWeight);
  }

  #model(): Model {
    const x = this.#rng.float() * this.#totalWeight;
    let lo = 0;
    let hi = this.#weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#weights[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.#models[lo]!;
  }

  /** A random command, usually well formed. */
  next(): string[] {
    const rng = this.#rng;
    const roll = rng.float();
    let argv: string[];
    if (roll < 0.03) argv = this.#fill(rng.pick(DEBUG_FORMS));
    else if (roll < 0.06) {
      const [name, values] = rng.pick(CONFIG_SET_FORMS);
      argv = ["config", "set", name, rng.pick(values)];
    } else if (roll < 0.07) argv = this.#fill(rng.pick(ACL_SETUSER_FORMS));
    else if (roll < 0.10 && this.dumps.length > 0) argv = this.#restore();
    else {
      const m = this.#model();
      this.#prefix = m.prefix;
      argv = this.#fromModel(m);
      this.#prefix = "";
    }
    if (rng.chance(0.12)) this.#mangle(argv);
    // A mangled DEBUG SLEEP (`1e3` seconds) stops the server for good
    // reason, as it would stop Redis: the watchdog would call it a hang.
    if (
      argv.length > 2 && argv[0]!.toLowerCase() === "debug" &&
      argv[1]!.toLowerCase() === "sleep"
    ) {
      argv.splice(2, argv.length - 2, "0");
    }
    if (rng.chance(0.05)) argv[0] = randomCase(rng, argv[0]!);
    return argv;
  }

  #fill(form: string[]): string[] {
    return form.map((w) => {
      switch (w) {
        case "@key":
          return this.key();
        case "@int":
          return this.int();
        case "@str":
          return this.str();
        case "@pattern":
          return this.#rng.pick(PATTERNS);
        case "@bit":
          return this.#rng.pick(["0", "1"]);
        case "@protocol":
          return this.#rng.pick([
            "string",
            "integer",
            "double",
            "bignum",
            "null",
            "array",
            "set",
            "map",
            "attrib",
            "push",
            "verbatim",
            "true",
            "false",
          ]);
        case "@aclrule":
          return this.#rng.pick([
            "+get",
            "-set",
            "+@read",
            "-@dangerous",
            "~*",
            "%R~k*",
            "%W~x",
            "&ch",
            "resetchannels",
            "allkeys",
            "nopass",
            "#" + "a".repeat(64),
            "<pw",
            "+client|id",
            "-debug",
            "(+set ~k1)",
          ]);
        default:
          return w;
      }
    });
  }

  #restore(): string[] {
    const rng = this.#rng;
    const payload = mutatePayload(rng, rng.pick(this.dumps));
    const argv = [
      "restore",
      this.key(),
      rng.pick(["0", "0", "1000", "-1"]),
      payload,
    ];
    if (rng.chance(0.7)) argv.push("REPLACE");
    if (rng.chance(0.1)) argv.push("ABSTTL");
    if (rng.chance(0.1)) argv.push("IDLETIME", this.int());
    if (rng.chance(0.1)) argv.push("FREQ", this.int());
    return argv;
  }

  #fromModel(m: Model): string[] {
    const rng = this.#rng;
    const argv = [...m.words];
    if (m.args !== undefined && rng.chance(0.85)) {
      for (const a of m.args) this.#arg(a, argv, m.words[0]!);
    } else {
      // No grammar: the arity, with keys where COMMAND INFO says keys go.
      const n = m.arity > 0 ? m.arity : -m.arity + rng.int(3);
      const [first, last, step] = m.keyRange;
      for (let i = argv.length; i < n; i++) {
        const isKey = first > 0 && i >= first &&
          (last < 0 ? true : i <= last) &&
          (i - first) % Math.max(1, step) === 0;
        argv.push(isKey ? this.key() : this.word());
      }
    }
    return argv;
  }

  #arg(a: ArgDoc, out: string[], command: string): void {
    const rng = this.#rng;
    if (a.optional && rng.chance(0.5)) return;
    const reps = a.multiple ? 1 + rng.int(rng.chance(0.1) ? 20 : 3) : 1;
    for (let r = 0; r < reps; r++) {
      if (a.token !== undefined && (r === 0 || a.multipleToken)) {
        out.push(rng.chance(0.2) ? a.token.toLowerCase() : a.token);
      }
      switch (a.type) {
        case "pure-token":
          break;
        case "oneof":
          if (a.arguments !== undefined && a.arguments.length > 0) {
            this.#arg(
              { ...rng.pick(a.arguments), optional: false },
              out,
              command,
            );
          }
          break;
        case "block":
          for (const c of a.arguments ?? []) this.#arg(c, out, command);
          break;
        case "key":
          out.push(this.key());
          break;
        case "integer":
          out.push(
            a.name === "timeout"
              ? rng.pick(["1", "10", "0", "-1"])
              : this.#count(command, a.name),
          );
          break;
        case "double":
          out.push(namedValue(rng, a.name, a.type) ?? rng.pick(DOUBLES));
          break;
        case "unix-time":
          out.push(
            rng.pick(["0", "1", "-1", "4102444800", "4102444800000", "1000"]),
          );
          break;
        case "pattern":
          out.push(namedValue(rng, a.name, a.type) ?? rng.pick(PATTERNS));
          break;
        default:
          out.push(
            a.name === "serialized-value" && this.dumps.length > 0
              ? mutatePayload(rng, rng.pick(this.dumps))
              : namedValue(rng, a.name, a.type) ?? this.str(),
          );
      }
    }
  }

  // Counts for commands whose work grows with the count itself (a reply
  // of a billion random members) stay small: Redis would be as busy.
  #count(command: string, name: string): string {
    const rng = this.#rng;
    if (
      (command.endsWith("randmember") || command === "hrandfield") &&
      name === "count"
    ) {
      return rng.pick([...SMALL_INTS, "-100", "-1000"]);
    }
    if (name === "numkeys" || name === "numreplicas") {
      return rng.pick(["0", "1", "2", "3", "-1", "abc"]);
    }
    return this.int();
  }

  /** A key name, mostly from a small pool so commands meet each other's data. */
  key(): string {
    const rng = this.#rng;
    const roll = rng.float();
    const prefix = this.#prefix !== ""
      ? this.#prefix
      : rng.pick(Object.values(GROUP_PREFIX));
    if (roll < 0.75) return `{t}${prefix}${rng.range(1, 3)}`;
    return roll < 0.97 ? rng.pick(KEYS) : rng.bytes(rng.int(8));
  }

  /** An integer-ish argument. */
  int(): string {
    const rng = this.#rng;
    return rng.chance(0.85) ? rng.pick(SMALL_INTS) : rng.pick(EDGE_INTS);
  }

  /** A value: short text, numbers, binary bytes, now and then a long run. */
  str(): string {
    const rng = this.#rng;
    const roll = rng.float();
    if (roll < 0.35) {
      return rng.pick(["a", "b", "v", "value", "1", "2", "-3", "1.5"]);
    }
    if (roll < 0.55) return this.int();
    if (roll < 0.7) return rng.bytes(rng.int(24));
    if (roll < 0.8) return rng.pick(this.tokens);
    if (roll < 0.9) {
      return rng.pick(["", "\r\n", "*1\r\n", "$", " ", "\0", "'", '"']);
    }
    if (roll < 0.99) return "x".repeat(rng.range(60, 300));
    return "y".repeat(rng.range(5000, 70000));
  }

  /** Any word: a token, a number or a value. */
  word(): string {
    const rng = this.#rng;
    return rng.chance(0.3) ? rng.pick(this.tokens) : this.str();
  }

  // Drops, repeats, swaps or replaces arguments.
  #mangle(argv: string[]): void {
    const rng = this.#rng;
    const times = 1 + rng.int(3);
    for (let t = 0; t < times; t++) {
      const i = 1 + rng.int(Math.max(1, argv.length - 1));
      switch (rng.int(5)) {
        case 0:
          if (argv.length > 1) argv.splice(i, 1);
          break;
        case 1:
          argv.splice(i, 0, argv[Math.min(i, argv.length - 1)]!);
          break;
        case 2: {
          const j = rng.int(argv.length);
          if (i < argv.length) [argv[i], argv[j]] = [argv[j]!, argv[i]!];
          break;
        }
        case 3:
          argv.splice(i, 0, this.word());
          break;
        default:
          if (i < argv.length) argv[i] = this.word();
      }
    }
  }
}

function randomCase(rng: Rng, word: string): string {
  let s = "";
  for (const c of word) s += rng.chance(0.5) ? c.toUpperCase() : c;
  return s;
}

/**
 * A DUMP payload with a few bytes changed, cut or extended. Most get a
 * fresh CRC64 so they pass the checksum and reach the value parser.
 */
export function mutatePayload(rng: Rng, payload: string): string {
  const bytes = toBytes(payload);
  const bodyLen = Math.max(0, bytes.length - 10);
  let body = Array.from(bytes.subarray(0, bodyLen));
  const roll = rng.int(6);
  if (roll === 0) {
    // Left valid now and then: RESTORE must still work after all this.
  } else if (roll === 1 && body.length > 1) {
    body = body.slice(0, rng.int(body.length));
  } else if (roll === 2) {
    for (let i = rng.int(3); i >= 0; i--) {
      body.splice(rng.int(body.length + 1), 0, rng.int(256));
    }
  } else {
    for (let i = rng.int(4); i >= 0 && body.length > 0; i--) {
      const p = rng.int(body.length);
      body[p] = rng.chance(0.5) ? body[p]! ^ (1 << rng.int(8)) : rng.int(256);
    }
  }
  const head = Uint8Array.from([
    ...body,
    ...bytes.subarray(bodyLen, bodyLen + 2),
  ]);
  const crc = rng.chance(0.8)
    ? new Crc64().update(head).bytes()
    : bytes.subarray(bytes.length - 8);
  const out = new Uint8Array(head.length + crc.length);
  out.set(head);
  out.set(crc, head.length);
  return toLatin1(out);
}

/** Latin1 string (one char per byte) to bytes. */
export function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Bytes to a latin1 string. */
export function toLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
