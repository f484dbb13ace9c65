/**
 * Every configuration directive redis-server 7.0 knows: its type, default,
 * bounds and whether CONFIG SET may change it. CONFIG GET, CONFIG SET, the
 * command line and config files all read this one table.
 *
 * Directives whose feature tsredis does not have yet keep Redis's default
 * and refuse any value that would switch the feature on, with a clear
 * message, instead of pretending.
 *
 * @module
 */
import {
  formatFixedTrimmed,
  INT64_MAX,
  parseDouble,
  parseInt64,
} from "./util/number.ts";

/** A directive value that failed validation; `message` is Redis's reason text. */
export class ConfigValueError extends Error {
  /** `message` as shown after `... - ` in CONFIG SET errors. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigValueError";
  }
}

/** What a directive is, and how its text is checked and normalized. */
export interface DirectiveType {
  /** The default value in canonical form (what CONFIG GET prints). */
  readonly defaultText: string;
  /** Checks `text` and returns the canonical form; `current` is the value being replaced. */
  normalize(text: string, current: string): string;
  /** How CONFIG REWRITE writes the value (default: as it is). */
  readonly rewrite?: RewriteStyle;
  /**
   * The value CONFIG SET leaves in place, when Redis's apply function
   * changes it (repl-backlog-size is raised to 16 kB at run time only).
   */
  atRunTime?(canonical: string): string;
}

/**
 * How CONFIG REWRITE writes a directive, following Redis's rewriteConfig*
 * functions: `memory` with kb/mb/gb units where exact, `quoted` in double
 * quotes, `dir` always (quoted), `save` one line per pair (always),
 * `outputLimits` one line per client class, `always` as it is but always.
 */
export type RewriteStyle =
  | "plain"
  | "memory"
  | "quoted"
  | "dir"
  | "save"
  | "outputLimits"
  | "always";

/** One configuration directive. */
export interface Directive extends DirectiveType {
  readonly name: string;
  readonly aliases: readonly string[];
  /** CONFIG SET refuses it ("can't set immutable config"). */
  readonly immutable: boolean;
  /** CONFIG SET refuses it unless enable-protected-configs allows. */
  readonly protected: boolean;
  /** Only an exact name shows it in CONFIG GET, never a pattern (Redis's HIDDEN_CONFIG). */
  readonly hidden: boolean;
  /** Why tsredis refuses this canonical value, if it does. */
  refuse?(canonical: string): string | undefined;
}

interface DirectiveOptions {
  flags?: ("immutable" | "protected" | "hidden")[];
  alias?: string[];
}

const INT_MAX = 2147483647;
const SYSLOG_FACILITIES = [
  "user",
  ...Array.from({ length: 8 }, (_, i) => `local${i}`),
];
const UINT_MAX = 4294967295;
const ULLONG_MAX = 2n ** 64n - 1n;

function bool(def: boolean): DirectiveType {
  return {
    defaultText: def ? "yes" : "no",
    normalize(text) {
      const t = text.toLowerCase();
      if (t !== "yes" && t !== "no") {
        throw new ConfigValueError("argument must be 'yes' or 'no'");
      }
      return t;
    },
  };
}

function int(
  def: number,
  min: number | bigint,
  max: number | bigint,
  opts: { clamp?: [number, number] } = {},
): DirectiveType {
  return {
    defaultText: String(def),
    normalize(text) {
      const v = parseInt64(text);
      if (v === undefined) {
        throw new ConfigValueError(
          "argument couldn't be parsed into an integer",
        );
      }
      checkRange(v, min, max);
      if (opts.clamp !== undefined) {
        const [lo, hi] = opts.clamp;
        return String(Math.min(hi, Math.max(lo, Number(v))));
      }
      return String(v);
    },
  };
}

function checkRange(
  v: bigint,
  min: number | bigint,
  max: number | bigint,
): void {
  if (v < BigInt(min) || v > BigInt(max)) {
    throw new ConfigValueError(
      `argument must be between ${min} and ${max} inclusive`,
    );
  }
}

/**
 * Parses a memory amount as Redis's memtoull does: digits and an optional
 * unit (b, k=1000, kb=1024, m, mb, g, gb). Digits beyond 2^64 - 1 saturate
 * there (strtoull) and the unit's product wraps at 2^64, as in C; each
 * directive then checks the result against its bounds, signed or unsigned
 * as Redis's field is (so `99999999999999999999` is maxmemory's largest
 * value, and -1 for a signed field).
 */
export function parseMemory(text: string): bigint | undefined {
  const m = /^(\d*)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  // memtoull copies the digits into a 128-byte buffer first.
  if (m === null || m[1]!.length >= 128) return undefined;
  const units: Record<string, bigint> = {
    b: 1n,
    k: 1000n,
    kb: 1024n,
    m: 1000000n,
    mb: 1048576n,
    g: 1000000000n,
    gb: 1073741824n,
  };
  const mul = units[(m[2] ?? "b").toLowerCase()]!;
  let digits = m[1] === "" ? 0n : BigInt(m[1]!);
  if (digits > ULLONG_MAX) digits = ULLONG_MAX;
  return (digits * mul) & ULLONG_MAX;
}

/**
 * A memory directive of `min`..`max` (default Redis's LLONG_MAX) held, as
 * in Redis, in an unsigned field unless `signed` (long long, off_t).
 */
function memory(
  def: number,
  min: number,
  opts: { max?: bigint; signed?: boolean; runTimeMin?: bigint } = {},
): DirectiveType {
  const max = opts.max ?? INT64_MAX;
  const floor = opts.runTimeMin;
  return {
    ...(floor === undefined ? {} : {
      atRunTime: (v: string) => BigInt(v) < floor ? String(floor) : v,
    }),
    rewrite: "memory",
    defaultText: String(def),
    normalize(text) {
      const raw = parseMemory(text);
      if (raw === undefined) {
        throw new ConfigValueError("argument must be a memory value");
      }
      const v = opts.signed ? BigInt.asIntN(64, raw) : raw;
      if (v < BigInt(min) || v > max) {
        throw new ConfigValueError(
          `argument must be between ${min} and ${max} inclusive`,
        );
      }
      return String(v);
    },
  };
}

/**
 * maxmemory-clients: a memory amount (an ssize_t) or a percentage, which
 * Redis stores as a negative number (so a memory amount that wraps to a
 * negative one reads back as a percentage, as it does in Redis).
 */
function memoryOrPercent(): DirectiveType {
  return {
    rewrite: "memory",
    defaultText: "0",
    normalize(text) {
      let v: bigint;
      const raw = parseMemory(text);
      const pct = /^(.+)%$/.exec(text);
      const n = pct === null ? undefined : parseInt64(pct[1]!);
      if (raw !== undefined) v = BigInt.asIntN(64, raw);
      else if (n !== undefined && n >= 0n) v = -n;
      else {
        throw new ConfigValueError(
          "argument must be a memory or percent value",
        );
      }
      if (v >= 0n) return String(v);
      if (v < -100n) {
        throw new ConfigValueError(
          "percentage argument must be less or equal to 100",
        );
      }
      return `${-v}%`;
    },
  };
}

function enumOf(values: string[], def: string): DirectiveType {
  return {
    defaultText: def,
    normalize(text) {
      const t = text.toLowerCase();
      if (!values.includes(t)) {
        throw new ConfigValueError(
          `argument(s) must be one of the following: ${values.join(", ")}`,
        );
      }
      return t;
    },
  };
}

/**
 * shutdown-on-sigint/sigterm: SHUTDOWN's flags, any of them together
 * (Redis's multi-argument enum), shown in this order; none is `default`.
 */
function shutdownFlags(): DirectiveType {
  const names = ["save", "nosave", "now", "force"];
  return {
    defaultText: "default",
    normalize(text) {
      const set = new Set<string>();
      for (const word of text.split(" ")) {
        const w = word.toLowerCase();
        if (w !== "default" && !names.includes(w)) {
          throw new ConfigValueError(
            "argument(s) must be one of the following: default, save, nosave, now, force",
          );
        }
        set.add(w);
      }
      if (set.has("save") && set.has("nosave")) {
        throw new ConfigValueError(
          "shutdown options SAVE and NOSAVE can't be used simultaneously",
        );
      }
      const flags = names.filter((n) => set.has(n));
      return flags.length === 0 ? "default" : flags.join(" ");
    },
  };
}

function str(def: string): DirectiveType {
  return { defaultText: def, normalize: (text) => text, rewrite: "quoted" };
}

/**
 * An octal number up to `max` (unixsocketperm), read as strtoll(.., 8)
 * reads it (leading space and a sign allowed; "" is 0) into an unsigned
 * field, and shown in octal.
 */
function octal(def: number, max: number): DirectiveType {
  return {
    defaultText: def.toString(8),
    normalize(text) {
      const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]+)$/.exec(text);
      if (m === null && text !== "") {
        throw new ConfigValueError(
          "argument couldn't be parsed as an octal number",
        );
      }
      const v = m === null ? 0 : parseInt(m[2]!, 8);
      if (m !== null && (v > max || (m[1] === "-" && v !== 0))) {
        throw new ConfigValueError(
          `argument must be between 0 and ${max.toString(8)} inclusive`,
        );
      }
      return v.toString(8);
    },
  };
}

/**
 * A file or directory name that must not be a path (Redis's
 * pathIsBaseName): `what` names it in the error, `empty` allows "".
 */
function baseName(
  def: string,
  what: "dbfilename" | "appendfilename" | "appenddirname",
  empty: boolean,
): DirectiveType {
  return {
    defaultText: def,
    rewrite: "quoted",
    normalize(text) {
      if (text === "" && !empty) {
        throw new ConfigValueError(`${what} can't be empty`);
      }
      if (text.includes("/") || text.includes("\\")) {
        const kind = what === "appenddirname" ? "dirname" : "filename";
        throw new ConfigValueError(`${what} can't be a path, just a ${kind}`);
      }
      return text;
    },
  };
}

function dir(): DirectiveType {
  return {
    rewrite: "dir",
    get defaultText() {
      return Deno.cwd();
    },
    normalize: (text) => text,
  };
}

/** `save` holds pairs of seconds and changes, or nothing. */
function save(): DirectiveType {
  return {
    rewrite: "save",
    defaultText: "3600 1 300 100 60 10000",
    normalize(text) {
      const words = text.split(" ").filter((w) => w !== "");
      if (words.length % 2 !== 0) {
        throw new ConfigValueError("Invalid save parameters");
      }
      for (const w of words) {
        const v = parseInt64(w);
        if (v === undefined || v < 0n) {
          throw new ConfigValueError("Invalid save parameters");
        }
      }
      return words.join(" ");
    },
  };
}

function bind(): DirectiveType {
  return {
    defaultText: "* -::*",
    normalize(text) {
      const words = text.split(" ").filter((w) => w !== "");
      if (words.length === 0 || words.length > 16) {
        throw new ConfigValueError("Too many bind addresses specified.");
      }
      return words.join(" ");
    },
  };
}

const CLIENT_CLASSES = ["normal", "slave", "pubsub"] as const;

/** Client output buffer limits: `class hard soft seconds` per class. */
function outputBufferLimits(): DirectiveType {
  return {
    rewrite: "outputLimits",
    defaultText:
      "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    normalize(text, current) {
      // CONFIG SET splits on each single space (sdssplitlen): an empty word
      // counts, and an empty value is no words, so no change.
      const words = text === "" ? [] : text.split(" ");
      if (words.length % 4 !== 0) {
        throw new ConfigValueError(
          "Wrong number of arguments in buffer limit configuration.",
        );
      }
      const limits = new Map<string, string[]>();
      const cur = current.split(" ");
      for (let i = 0; i + 3 < cur.length; i += 4) {
        limits.set(cur[i]!, cur.slice(i + 1, i + 4));
      }
      for (let i = 0; i < words.length; i += 4) {
        let cls = words[i]!.toLowerCase();
        if (cls === "replica") cls = "slave";
        if (!(CLIENT_CLASSES as readonly string[]).includes(cls)) {
          throw new ConfigValueError(
            "Invalid client class specified in buffer limit configuration.",
          );
        }
        const hard = parseMemory(words[i + 1]!);
        const soft = parseMemory(words[i + 2]!);
        const secs = parseInt64(words[i + 3]!);
        if (
          hard === undefined || soft === undefined || secs === undefined ||
          secs < 0n
        ) {
          throw new ConfigValueError(
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
          );
        }
        limits.set(cls, [String(hard), String(soft), String(secs)]);
      }
      return CLIENT_CLASSES.map((c) => `${c} ${limits.get(c)!.join(" ")}`)
        .join(" ");
    },
  };
}

/** Keyspace notification classes, printed in Redis's canonical order. */
function keyspaceEvents(): DirectiveType {
  return {
    rewrite: "quoted",
    defaultText: "",
    normalize(text) {
      const flags = new Set<string>();
      for (const c of text) {
        if (!"Ag$lshzxeKEtmdn".includes(c)) {
          throw new ConfigValueError(
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
          );
        }
        if (c === "A") { for (const a of "g$lshzxetd") flags.add(a); }
        else flags.add(c);
      }
      // Redis's keyspaceEventsFlagsToString: A (or its classes), n, then K, E, m.
      let out = [..."g$lshzxetd"].every((c) => flags.has(c))
        ? "A"
        : [..."g$lshzxetd"].filter((c) => flags.has(c)).join("");
      for (const c of "nKEm") if (flags.has(c)) out += c;
      return out;
    },
  };
}

function replicaOf(): DirectiveType {
  return {
    defaultText: "",
    normalize(text) {
      const words = text.split(" ").filter((w) => w !== "");
      if (words.length === 0) return "";
      if (words.length === 2 && words.join(" ").toLowerCase() === "no one") {
        return "";
      }
      if (words.length !== 2) {
        throw new ConfigValueError("wrong number of arguments");
      }
      // strtol over the port: leading space and a sign allowed.
      const port = /^[ \t\n\v\f\r]*[+-]?\d+$/.test(words[1]!)
        ? Number(words[1]!.trim())
        : NaN;
      if (!(port >= 0 && port <= 65535)) {
        throw new ConfigValueError("Invalid master port");
      }
      return `${words[0]} ${port}`;
    },
  };
}

function percentiles(def: string): DirectiveType {
  return {
    rewrite: "always",
    defaultText: def,
    // CONFIG SET splits the value on each single space (an empty word is
    // invalid), "" alone is no percentiles; each is a double (string2d),
    // kept as Redis prints it back.
    normalize(text) {
      if (text === "") return "";
      const out: string[] = [];
      for (const w of text.split(" ")) {
        const v = parseDouble(w);
        if (v === undefined) {
          throw new ConfigValueError(
            "Invalid latency-tracking-info-percentiles parameters",
          );
        }
        if (v < 0 || v > 100) {
          throw new ConfigValueError(
            "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
          );
        }
        out.push(formatFixedTrimmed(v));
      }
      return out.join(" ");
    },
  };
}

function oomScoreAdjValues(): DirectiveType {
  return {
    defaultText: "0 200 800",
    normalize(text) {
      const words = text.split(" ").filter((w) => w !== "");
      if (words.length !== 3) {
        throw new ConfigValueError("wrong number of arguments");
      }
      for (const w of words) {
        const v = parseInt64(w);
        if (v === undefined || v < -2000n || v > 2000n) {
          throw new ConfigValueError("Invalid oom-score-adj-values value");
        }
      }
      return words.join(" ");
    },
  };
}

const TABLE: [string, DirectiveType, DirectiveOptions?][] = [
  [
    "acl-pubsub-default",
    enumOf(["allchannels", "resetchannels"], "resetchannels"),
  ],
  ["aclfile", str(""), { flags: ["immutable"] }],
  ["acllog-max-len", int(128, 0, INT64_MAX)],
  ["active-defrag-cycle-max", int(25, 1, 99)],
  ["active-defrag-cycle-min", int(1, 1, 99)],
  ["active-defrag-ignore-bytes", memory(104857600, 1)],
  ["active-defrag-max-scan-fields", int(1000, 1, INT64_MAX)],
  ["active-defrag-threshold-lower", int(10, 0, 1000)],
  ["active-defrag-threshold-upper", int(100, 0, 1000)],
  ["active-expire-effort", int(1, 1, 10)],
  ["activedefrag", bool(false)],
  ["activerehashing", bool(true)],
  ["always-show-logo", bool(false), { flags: ["immutable"] }],
  ["aof-disable-auto-gc", bool(false)],
  ["aof-load-truncated", bool(true)],
  ["aof-rewrite-incremental-fsync", bool(true)],
  ["aof-timestamp-enabled", bool(false)],
  ["aof-use-rdb-preamble", bool(true)],
  ["aof_rewrite_cpulist", str(""), { flags: ["immutable"] }],
  ["appenddirname", baseName("appendonlydir", "appenddirname", false), {
    flags: ["immutable"],
  }],
  ["appendfilename", baseName("appendonly.aof", "appendfilename", false), {
    flags: ["immutable"],
  }],
  ["appendfsync", enumOf(["everysec", "always", "no"], "everysec")],
  ["appendonly", bool(false)],
  ["auto-aof-rewrite-min-size", memory(67108864, 0, { signed: true })],
  ["auto-aof-rewrite-percentage", int(100, 0, INT_MAX)],
  ["bgsave_cpulist", str(""), { flags: ["immutable"] }],
  ["bind", bind()],
  ["bind-source-addr", str("")],
  ["bio_cpulist", str(""), { flags: ["immutable"] }],
  ["busy-reply-threshold", int(5000, 0, INT64_MAX), {
    alias: ["lua-time-limit"],
  }],
  ["client-output-buffer-limit", outputBufferLimits()],
  ["client-query-buffer-limit", memory(1073741824, 1048576)],
  ["cluster-allow-pubsubshard-when-down", bool(true)],
  ["cluster-allow-reads-when-down", bool(false)],
  ["cluster-allow-replica-migration", bool(true)],
  ["cluster-announce-bus-port", int(0, 0, 65535)],
  ["cluster-announce-hostname", str("")],
  ["cluster-announce-ip", str("")],
  ["cluster-announce-port", int(0, 0, 65535)],
  ["cluster-announce-tls-port", int(0, 0, 65535)],
  ["cluster-config-file", str("nodes.conf"), { flags: ["immutable"] }],
  ["cluster-enabled", bool(false), { flags: ["immutable"] }],
  ["cluster-link-sendbuf-limit", memory(0, 0, { max: ULLONG_MAX })],
  ["cluster-migration-barrier", int(1, 0, INT_MAX)],
  ["cluster-node-timeout", int(15000, 0, INT64_MAX)],
  ["cluster-port", int(0, 0, 65535), { flags: ["immutable"] }],
  [
    "cluster-preferred-endpoint-type",
    enumOf(["ip", "hostname", "unknown-endpoint"], "ip"),
  ],
  ["cluster-replica-no-failover", bool(false), {
    alias: ["cluster-slave-no-failover"],
  }],
  ["cluster-replica-validity-factor", int(10, 0, INT_MAX), {
    alias: ["cluster-slave-validity-factor"],
  }],
  ["cluster-require-full-coverage", bool(true)],
  ["crash-log-enabled", bool(true)],
  ["crash-memcheck-enabled", bool(true)],
  ["daemonize", bool(false), { flags: ["immutable"] }],
  ["databases", int(16, 1, INT_MAX), { flags: ["immutable"] }],
  ["dbfilename", baseName("dump.rdb", "dbfilename", true), {
    flags: ["protected"],
  }],
  ["dir", dir(), { flags: ["protected"] }],
  ["disable-thp", bool(true), { flags: ["immutable"] }],
  ["dynamic-hz", bool(true)],
  ["enable-debug-command", enumOf(["no", "yes", "local"], "no"), {
    flags: ["immutable"],
  }],
  ["enable-module-command", enumOf(["no", "yes", "local"], "no"), {
    flags: ["immutable"],
  }],
  ["enable-protected-configs", enumOf(["no", "yes", "local"], "no"), {
    flags: ["immutable"],
  }],
  ["hash-max-listpack-entries", int(512, 0, INT64_MAX), {
    alias: ["hash-max-ziplist-entries"],
  }],
  ["hash-max-listpack-value", memory(64, 0), {
    alias: ["hash-max-ziplist-value"],
  }],
  ["hll-sparse-max-bytes", memory(3000, 0)],
  ["hz", int(10, 0, INT_MAX, { clamp: [1, 500] })],
  ["ignore-warnings", str("")],
  ["io-threads", int(1, 1, 128), { flags: ["immutable"] }],
  ["io-threads-do-reads", bool(false), { flags: ["immutable"] }],
  ["jemalloc-bg-thread", bool(true)],
  // Microseconds spent on each key loaded (tests of loading).
  ["key-load-delay", int(0, -INT_MAX - 1, INT_MAX), { flags: ["hidden"] }],
  ["latency-monitor-threshold", int(0, 0, INT64_MAX)],
  ["latency-tracking", bool(true)],
  ["latency-tracking-info-percentiles", percentiles("50 99 99.9")],
  ["lazyfree-lazy-eviction", bool(false)],
  ["lazyfree-lazy-expire", bool(false)],
  ["lazyfree-lazy-server-del", bool(false)],
  ["lazyfree-lazy-user-del", bool(false)],
  ["lazyfree-lazy-user-flush", bool(false)],
  ["lfu-decay-time", int(1, 0, INT_MAX)],
  ["lfu-log-factor", int(10, 0, INT_MAX)],
  ["list-compress-depth", int(0, 0, INT_MAX)],
  ["list-max-listpack-size", int(-2, -INT_MAX - 1, INT_MAX), {
    alias: ["list-max-ziplist-size"],
  }],
  ["loading-process-events-interval-bytes", int(2097152, 1024, INT_MAX), {
    flags: ["hidden"],
  }],
  ["logfile", str(""), { flags: ["immutable"] }],
  ["loglevel", enumOf(["debug", "verbose", "notice", "warning"], "notice")],
  ["masterauth", str("")],
  ["masteruser", str("")],
  ["maxclients", int(10000, 1, UINT_MAX)],
  ["maxmemory", memory(0, 0, { max: ULLONG_MAX })],
  ["maxmemory-clients", memoryOrPercent()],
  ["maxmemory-eviction-tenacity", int(10, 0, 100)],
  [
    "maxmemory-policy",
    enumOf([
      "volatile-lru",
      "volatile-lfu",
      "volatile-random",
      "volatile-ttl",
      "allkeys-lru",
      "allkeys-lfu",
      "allkeys-random",
      "noeviction",
    ], "noeviction"),
  ],
  ["maxmemory-samples", int(5, 1, INT_MAX)],
  ["min-replicas-max-lag", int(10, 0, INT_MAX), {
    alias: ["min-slaves-max-lag"],
  }],
  ["min-replicas-to-write", int(0, 0, INT_MAX), {
    alias: ["min-slaves-to-write"],
  }],
  ["no-appendfsync-on-rewrite", bool(false)],
  ["notify-keyspace-events", keyspaceEvents()],
  ["oom-score-adj", enumOf(["no", "yes", "relative", "absolute"], "no")],
  ["oom-score-adj-values", oomScoreAdjValues()],
  ["pidfile", str(""), { flags: ["immutable"] }],
  ["port", int(6379, 0, 65535)],
  ["proc-title-template", str("{title} {listen-addr} {server-mode}")],
  [
    "propagation-error-behavior",
    enumOf(["ignore", "panic", "panic-on-replicas"], "ignore"),
  ],
  ["protected-mode", bool(true)],
  ["proto-max-bulk-len", memory(536870912, 1048576, { signed: true })],
  ["rdb-del-sync-files", bool(false)],
  // Microseconds spent on each key saved (tests of BGSAVE).
  ["rdb-key-save-delay", int(0, -INT_MAX - 1, INT_MAX), { flags: ["hidden"] }],
  ["rdb-save-incremental-fsync", bool(true)],
  ["rdbchecksum", bool(true), { flags: ["immutable"] }],
  ["rdbcompression", bool(true)],
  [
    "repl-backlog-size",
    memory(1048576, 1, {
      signed: true,
      // resizeReplicationBacklog's CONFIG_REPL_BACKLOG_MIN_SIZE.
      runTimeMin: 16384n,
    }),
  ],
  ["repl-backlog-ttl", int(3600, 0, INT64_MAX)],
  ["repl-disable-tcp-nodelay", bool(false)],
  [
    "repl-diskless-load",
    enumOf(["disabled", "on-empty-db", "swapdb"], "disabled"),
  ],
  ["repl-diskless-sync", bool(true)],
  ["repl-diskless-sync-delay", int(5, 0, INT_MAX)],
  ["repl-diskless-sync-max-replicas", int(0, 0, INT_MAX)],
  ["repl-ping-replica-period", int(10, 1, INT_MAX), {
    alias: ["repl-ping-slave-period"],
  }],
  ["repl-timeout", int(60, 1, INT_MAX)],
  ["replica-announce-ip", str(""), { alias: ["slave-announce-ip"] }],
  ["replica-announce-port", int(0, 0, 65535), {
    alias: ["slave-announce-port"],
  }],
  ["replica-announced", bool(true)],
  ["replica-ignore-disk-write-errors", bool(false)],
  ["replica-ignore-maxmemory", bool(true), {
    alias: ["slave-ignore-maxmemory"],
  }],
  ["replica-lazy-flush", bool(false), { alias: ["slave-lazy-flush"] }],
  ["replica-priority", int(100, 0, INT_MAX), { alias: ["slave-priority"] }],
  ["replica-read-only", bool(true), { alias: ["slave-read-only"] }],
  ["replica-serve-stale-data", bool(true), {
    alias: ["slave-serve-stale-data"],
  }],
  ["replicaof", replicaOf(), { flags: ["immutable"], alias: ["slaveof"] }],
  ["requirepass", str("")],
  ["sanitize-dump-payload", enumOf(["no", "yes", "clients"], "no")],
  ["save", save()],
  ["server_cpulist", str(""), { flags: ["immutable"] }],
  ["set-max-intset-entries", int(512, 0, INT64_MAX)],
  ["set-proc-title", bool(true), { flags: ["immutable"] }],
  ["shutdown-on-sigint", shutdownFlags()],
  ["shutdown-on-sigterm", shutdownFlags()],
  ["shutdown-timeout", int(10, 0, INT_MAX)],
  ["slowlog-log-slower-than", int(10000, -1, INT64_MAX)],
  ["slowlog-max-len", int(128, 0, INT64_MAX)],
  ["socket-mark-id", int(0, 0, UINT_MAX), { flags: ["immutable"] }],
  ["stop-writes-on-bgsave-error", bool(true)],
  ["stream-node-max-bytes", memory(4096, 0)],
  ["stream-node-max-entries", int(100, 0, INT64_MAX)],
  ["supervised", enumOf(["upstart", "systemd", "auto", "no"], "no"), {
    flags: ["immutable"],
  }],
  ["syslog-enabled", bool(false), { flags: ["immutable"] }],
  ["syslog-facility", enumOf(SYSLOG_FACILITIES, "local0"), {
    flags: ["immutable"],
  }],
  ["syslog-ident", str("redis"), { flags: ["immutable"] }],
  ["tcp-backlog", int(511, 0, INT_MAX), { flags: ["immutable"] }],
  ["tcp-keepalive", int(300, 0, INT_MAX)],
  ["timeout", int(0, 0, INT_MAX)],
  ["tls-auth-clients", enumOf(["no", "yes", "optional"], "yes")],
  ["tls-ca-cert-dir", str("")],
  ["tls-ca-cert-file", str("")],
  ["tls-cert-file", str("")],
  ["tls-ciphers", str("")],
  ["tls-ciphersuites", str("")],
  ["tls-client-cert-file", str("")],
  ["tls-client-key-file", str("")],
  ["tls-client-key-file-pass", str("")],
  ["tls-cluster", bool(false)],
  ["tls-dh-params-file", str("")],
  ["tls-key-file", str("")],
  ["tls-key-file-pass", str("")],
  ["tls-port", int(0, 0, 65535)],
  ["tls-prefer-server-ciphers", bool(false)],
  ["tls-protocols", str("")],
  ["tls-replication", bool(false)],
  ["tls-session-cache-size", int(20480, 0, INT_MAX)],
  ["tls-session-cache-timeout", int(300, 0, INT_MAX)],
  ["tls-session-caching", bool(true)],
  ["tracking-table-max-keys", int(1000000, 0, INT64_MAX)],
  ["unixsocket", str(""), { flags: ["immutable"] }],
  ["unixsocketperm", octal(0, 0o777), { flags: ["immutable"] }],
  ["use-exit-on-panic", bool(false), { flags: ["hidden"] }],
  ["zset-max-listpack-entries", int(128, 0, INT64_MAX), {
    alias: ["zset-max-ziplist-entries"],
  }],
  ["zset-max-listpack-value", memory(64, 0), {
    alias: ["zset-max-ziplist-value"],
  }],
];

/**
 * Values that would switch on a feature tsredis does not have. Each entry
 * returns the refusal text for a canonical value, or undefined to accept.
 */
const REFUSALS: Record<string, (v: string) => string | undefined> = {
  "cluster-enabled": (v) => v === "yes" ? notYet("cluster mode") : undefined,
  "syslog-enabled": (v) => v === "yes" ? notYet("syslog logging") : undefined,
  "activedefrag": (v) =>
    v === "yes"
      ? "Active defragmentation cannot be enabled: tsredis relies on the JavaScript garbage collector"
      : undefined,
};

function notYet(feature: string): string {
  return `${feature} is not supported by this version of tsredis`;
}

/** Directives by name and alias (lower case). */
export const DIRECTIVES: ReadonlyMap<string, Directive> = buildDirectives();

/** Directives in table order, each once (aliases not repeated). */
export const DIRECTIVE_LIST: readonly Directive[] = [
  ...new Set(DIRECTIVES.values()),
];

function buildDirectives(): Map<string, Directive> {
  const map = new Map<string, Directive>();
  for (const [name, type, opts] of TABLE) {
    const refuse = REFUSALS[name];
    const d: Directive = {
      name,
      aliases: opts?.alias ?? [],
      immutable: opts?.flags?.includes("immutable") ?? false,
      protected: opts?.flags?.includes("protected") ?? false,
      hidden: opts?.flags?.includes("hidden") ?? false,
      get defaultText() {
        return type.defaultText;
      },
      normalize: type.normalize,
      rewrite: type.rewrite ?? "plain",
      ...(type.atRunTime === undefined ? {} : { atRunTime: type.atRunTime }),
      ...(refuse === undefined ? {} : { refuse }),
    };
    map.set(name, d);
    for (const alias of d.aliases) map.set(alias, d);
  }
  return map;
}

export { INT_MAX, UINT_MAX };
