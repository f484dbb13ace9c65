/**
 * Server configuration: the live values of every directive, CONFIG GET/SET
 * semantics, and start-up parsing of the command line and redis.conf files
 * with Redis's syntax and error reports.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, isAbsolute, resolve } from "node:path";
import { splitInline } from "./protocol/decoder.ts";
import { globMatch } from "./util/glob.ts";
import { concatBytes } from "./util/bytes.ts";
import {
  ConfigValueError,
  type Directive,
  DIRECTIVE_LIST,
  DIRECTIVES,
} from "./config_directives.ts";

export { ConfigValueError } from "./config_directives.ts";

/** Called after a directive changed; throwing rejects the change (CONFIG SET rolls back). */
export type ConfigListener = (value: string, previous: string) => void;

/** The version tsredis reports as its Redis compatibility level. */
export const REDIS_VERSION = "7.0.15";
/** tsredis's own version. */
export const TSREDIS_VERSION = "0.1.0";

/** A failed CONFIG SET: which argument, and why. */
export class ConfigSetError extends Error {
  readonly argument: string;
  /** True when `argument` names no directive (Redis words that error differently). */
  readonly unknown: boolean;
  /** `argument` is the directive name as Redis reports it; `message` the reason. */
  constructor(
    argument: string,
    message: string,
    opts: { unknown?: boolean } = {},
  ) {
    super(message);
    this.argument = argument;
    this.unknown = opts.unknown ?? false;
    this.name = "ConfigSetError";
  }

  /** The error text CONFIG SET replies with (after `ERR `). */
  get reply(): string {
    if (this.unknown) {
      return `Unknown option or number of arguments for CONFIG SET - '${this.argument}'`;
    }
    return `CONFIG SET failed (possibly related to argument '${this.argument}') - ${this.message}`;
  }
}

/** The live configuration of one server. */
export class Config {
  #values = new Map<Directive, string>();
  #listeners = new Map<Directive, ConfigListener[]>();
  /** The config file the server started with (CONFIG REWRITE), or "". */
  file = "";
  /** The `user` lines of the config file, in order (the ACL loads them at start-up). */
  readonly userLines: ConfigLine[] = [];
  /**
   * The `user` lines CONFIG REWRITE writes (set by the ACL); an empty list
   * drops the file's user lines.
   */
  userRewrite: (() => string[]) | undefined = undefined;

  // `dir` as an absolute path, when it is not the process's working
  // directory (see `chdir`).
  #dir: string | undefined;

  /**
   * Starts with every directive at its default. `dir` is the process's
   * working directory, as in Redis (a chdir on every change), unless
   * `chdir` is false: servers started in-process (mod.ts), several to a
   * process, each keep their own `dir` and open their files under it.
   */
  constructor(opts: { chdir?: boolean } = {}) {
    for (const d of DIRECTIVE_LIST) this.#values.set(d, d.defaultText);
    if (opts.chdir ?? true) {
      this.onChange("dir", (v) => Deno.chdir(v));
    } else {
      this.onChange("dir", (v) => {
        const dir = resolve(this.#dir ?? Deno.cwd(), v);
        // The check chdir makes, with the error it would throw.
        if (!Deno.statSync(dir).isDirectory) {
          throw new Deno.errors.NotADirectory(`Not a directory: ${v}`);
        }
        this.#dir = dir;
      });
    }
  }

  /** The canonical text of directive `name` (or alias). Throws for unknown names. */
  get(name: string): string {
    const d = DIRECTIVES.get(name);
    if (d === undefined) {
      throw new RangeError(`Unknown config directive "${name}"`);
    }
    return d.name === "dir" ? this.#dir ?? Deno.cwd() : this.#values.get(d)!;
  }

  /**
   * Where a file named by a directive (`dbfilename`, `appenddirname`, ...)
   * is opened: as it is, relative to the working directory that `dir` set,
   * or under this server's own `dir` when it has one (see the constructor).
   */
  path(name: string): string {
    return this.#dir === undefined ? name : resolve(this.#dir, name);
  }

  /** Directive `name` as a number. */
  number(name: string): number {
    return Number(this.get(name));
  }

  /** Directive `name` as a boolean (yes/no). */
  bool(name: string): boolean {
    return this.get(name) === "yes";
  }

  /** Registers `fn` to run when directive `name` changes. */
  onChange(name: string, fn: ConfigListener): void {
    const d = DIRECTIVES.get(name)!;
    const list = this.#listeners.get(d) ?? [];
    list.push(fn);
    this.#listeners.set(d, list);
  }

  /**
   * CONFIG GET: `[name, value]` pairs for every directive or alias matching
   * any of the patterns, each name once. A name without `*`, `?` or `[` is
   * looked up as it is and reported as the client wrote it, as Redis does.
   */
  match(patterns: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    for (const pattern of patterns) {
      if (!/[*?[]/.test(pattern)) {
        const name = pattern.toLowerCase();
        const d = DIRECTIVES.get(name);
        if (d !== undefined && !seen.has(name)) {
          seen.add(name);
          out.push([pattern, this.get(d.name)]);
        }
        continue;
      }
      for (const [name, d] of DIRECTIVES) {
        // Hidden directives (key-load-delay, ...) need their exact name.
        if (d.hidden || seen.has(name) || !globMatch(pattern, name, true)) {
          continue;
        }
        seen.add(name);
        out.push([name, this.get(d.name)]);
      }
    }
    return out;
  }

  /**
   * CONFIG SET of several directives at once, with Redis's order of checks:
   * first every name (unknown, immutable, protected, given twice), then
   * every value, then all are applied together; if a change listener
   * refuses, every directive goes back to its previous value.
   */
  setMany(
    pairs: readonly [string, string][],
    opts: { startup?: boolean; protectedAllowed?: boolean } = {},
  ): void {
    const found: [Directive, string, string][] = [];
    const seen = new Set<string>();
    let unknown: string | undefined;
    let refused: ConfigSetError | undefined;
    for (const [name, text] of pairs) {
      const entry = name.toLowerCase();
      const d = DIRECTIVES.get(entry);
      if (d === undefined) {
        if (refused === undefined && unknown === undefined) unknown = name;
        continue;
      }
      if (unknown !== undefined || refused !== undefined) continue;
      if (!opts.startup) {
        if (d.immutable) {
          refused = new ConfigSetError(name, "can't set immutable config");
          continue;
        }
        if (d.protected && !opts.protectedAllowed) {
          refused = new ConfigSetError(name, "can't set protected config");
          continue;
        }
      }
      // An alias and its directive are distinct entries, as in Redis.
      if (seen.has(entry)) {
        refused = new ConfigSetError(name, "duplicate parameter");
        continue;
      }
      seen.add(entry);
      found.push([d, entry, text]);
    }
    if (unknown !== undefined) {
      throw new ConfigSetError(unknown, "unknown", { unknown: true });
    }
    if (refused !== undefined) throw refused;
    const plan: [Directive, string, string][] = [];
    for (const [d, entry, text] of found) {
      let value: string;
      try {
        value = d.normalize(text, this.#values.get(d)!);
      } catch (e) {
        if (e instanceof ConfigValueError) {
          throw new ConfigSetError(entry, e.message);
        }
        throw e;
      }
      const refusal = d.refuse?.(value);
      if (refusal !== undefined) throw new ConfigSetError(entry, refusal);
      if (!opts.startup && d.atRunTime !== undefined) {
        value = d.atRunTime(value);
      }
      plan.push([d, entry, value]);
    }
    const previous = plan.map(([d]) => this.#values.get(d)!);
    plan.forEach(([d, , value]) => this.#values.set(d, value));
    const notified: number[] = [];
    for (let i = 0; i < plan.length; i++) {
      const [d, entry, value] = plan[i]!;
      if (value === previous[i]) continue;
      try {
        for (const fn of this.#listeners.get(d) ?? []) fn(value, previous[i]!);
        notified.push(i);
      } catch (e) {
        plan.forEach(([pd], j) => this.#values.set(pd, previous[j]!));
        for (const j of notified.reverse()) {
          for (const fn of this.#listeners.get(plan[j]![0]) ?? []) {
            try {
              fn(previous[j]!, plan[j]![2]);
            } catch { /* restoring the old value must not fail twice */ }
          }
        }
        // "No such file or directory (os error 2): chdir ..." → strerror's text
        const message = (e instanceof Error ? e.message : String(e))
          .replace(/ \(os error \d+\).*$/s, "");
        throw new ConfigSetError(entry, message);
      }
    }
  }

  /** Sets one directive (see `setMany`). */
  set(name: string, text: string, opts: { startup?: boolean } = {}): void {
    this.setMany([[name, text]], opts);
  }

  /** True when directive `name` holds its default value. */
  isDefault(name: string): boolean {
    const d = DIRECTIVES.get(name)!;
    return this.get(d.name) === d.defaultText;
  }
}

/** What the command line asked for. */
export type CliRequest =
  | { kind: "help" }
  | { kind: "version" }
  | {
    kind: "run";
    directives: ConfigLine[];
    /** The config file given first on the command line (absolute), or "". */
    configFile: string;
    /** True when `-` asked for config text on stdin (read after the file). */
    fromStdin: boolean;
  }
  | { kind: "cli"; args: string[] };

/** One `directive args...` line, with where it came from for error reports. */
export interface ConfigLine {
  name: string;
  args: string[];
  /** The line as written, for `>>> '...'` in error reports. */
  text: string;
  /** 1-based line number in the combined config text. */
  line: number;
}

/** A fatal start-up configuration error, reported in Redis's format. */
export class ConfigFileError extends Error {
  readonly line: number;
  readonly text: string;
  /** `message` is the reason; `line`/`text` locate it (line 0: the file could not be read). */
  constructor(message: string, line: number, text: string) {
    super(message);
    this.line = line;
    this.text = text;
    this.name = "ConfigFileError";
  }

  /** The report redis-server prints before exiting. */
  report(): string {
    return `\n*** FATAL CONFIG FILE ERROR (tsredis ${TSREDIS_VERSION}, Redis ${REDIS_VERSION} compatible) ***\n` +
      `Reading the configuration file, at line ${this.line}\n` +
      `>>> '${this.text}'\n${this.message}\n`;
  }
}

/**
 * Quotes `s` as Redis's sdscatrepr does: in double quotes, with `\\`, `\"`,
 * `\n`, `\r`, `\t`, `\a`, `\b` escaped and other unprintable bytes as `\xhh`.
 */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c >= 32 && c < 127) out += ch;
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out + '"';
}

/**
 * Parses `tsredis [config-file] [-] [--directive value ...] [-]`. Options
 * are gathered as redis-server does: `--name` starts a directive and every
 * following word that is not an option is one of its arguments. A `-` as
 * the first or the last word reads config text from stdin (`readStdin`),
 * appended to the file's. Options are numbered as lines after the file's
 * and stdin's, as Redis numbers them.
 */
export function parseCommandLine(
  argv: readonly string[],
  opts: { readStdin?: () => string } = {},
): CliRequest {
  if (argv[0] === "cli") return { kind: "cli", args: argv.slice(1) };
  const { tokens } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let configFile: string | undefined;
  let fromStdin = false;
  const lines: { name: string; args: string[] }[] = [];
  let current: { name: string; args: string[] } | undefined;
  let first = true;
  for (const token of tokens ?? []) {
    if (token.kind === "option-terminator") continue;
    // Redis: `-` as the first or the last argument means stdin.
    if (
      token.kind === "positional" && token.value === "-" &&
      (token.index === 0 || token.index === argv.length - 1)
    ) {
      fromStdin = true;
      first = false;
      continue;
    }
    // A word like "-2" (a negative number) is a value, not an option.
    const isOption = token.kind === "option" && token.rawName.startsWith("--");
    // Redis: an option that has no argument yet takes the next word as one
    // even when it starts with "--" (`--requirepass --secret`), except
    // `--save` and `--sentinel`, which may stand alone.
    const takesWord = current !== undefined && current.args.length === 0 &&
      current.name !== "save" && current.name !== "sentinel";
    if (isOption && takesWord) {
      current!.args.push(argv[token.index]!);
    } else if (isOption) {
      const name = token.name.toLowerCase();
      if (name === "help") return { kind: "help" };
      if (name === "version") return { kind: "version" };
      current = { name, args: token.value === undefined ? [] : [token.value] };
      lines.push(current);
    } else if (token.kind === "option") {
      if (token.rawName === "-h") return { kind: "help" };
      if (token.rawName === "-v") return { kind: "version" };
      const word = token.rawName +
        (token.value === undefined ? "" : `=${token.value}`);
      if (current === undefined) {
        throw new ConfigFileError("Invalid argument", 1, word);
      }
      current.args.push(word);
    } else if (token.kind === "positional") {
      if (first && current === undefined && token.value !== "-") {
        configFile = token.value;
      } else if (current === undefined) {
        throw new ConfigFileError("Invalid argument", 1, token.value);
      } else {
        current.args.push(token.value);
      }
    }
    first = false;
  }
  const directives: ConfigLine[] = [];
  // Redis reads the file, appends stdin's text to it, then the options
  // after a newline; line numbers run through all three.
  let text = "";
  if (configFile !== undefined) {
    text = readText(configFile);
    directives.push(
      ...parseConfigText(text, { base: dirname(resolve(configFile)) }),
    );
  }
  if (fromStdin) {
    const input = (opts.readStdin ?? readStdinSync)();
    const offset = text.split("\n").length - 1;
    directives.push(
      ...parseConfigText(input, { lineOffset: offset }),
    );
    text += input;
  }
  let lineNo = text === "" ? 1 : text.split("\n").length;
  for (const { name, args } of lines) {
    lineNo++;
    directives.push({
      name,
      args,
      text: [name, ...args.map(repr)].join(" "),
      line: lineNo,
    });
  }
  return {
    kind: "run",
    directives,
    configFile: configFile === undefined ? "" : resolve(configFile),
    fromStdin,
  };
}

// Everything on stdin, up to its end.
function readStdinSync(): string {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const n = Deno.stdin.readSync(buf);
    if (n === null || n === 0) break;
    chunks.push(buf.slice(0, n));
  }
  return new TextDecoder().decode(concatBytes(chunks));
}

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    // "No such file or directory (os error 2): readfile ..." → strerror's text
    const reason = (e as Error).message.replace(/ \(os error \d+\).*$/s, "");
    throw new ConfigFileError(
      `Fatal error, can't open config file '${path}': ${reason}`,
      0,
      path,
    );
  }
}

/** Reads a redis.conf file (following `include`), as directive lines. */
export function readConfigFile(path: string, depth = 0): ConfigLine[] {
  return parseConfigText(readText(path), {
    base: dirname(resolve(path)),
    depth,
  });
}

/**
 * Parses redis.conf text into directive lines (numbered from
 * `lineOffset + 1`: text read after a file continues its numbering).
 */
export function parseConfigText(
  text: string,
  opts: { base?: string; depth?: number; lineOffset?: number } = {},
): ConfigLine[] {
  const offset = opts.lineOffset ?? 0;
  const out: ConfigLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const words = splitInline(trimmed);
    if (words === undefined || words.length === 0) {
      throw new ConfigFileError(
        "Unbalanced quotes in configuration line",
        offset + i + 1,
        trimmed,
      );
    }
    const name = words[0]!.toLowerCase();
    if (name === "include" && words.length === 2) {
      if ((opts.depth ?? 0) > 8) {
        throw new ConfigFileError(
          "Too many nested includes",
          offset + i + 1,
          trimmed,
        );
      }
      const target = words[1]!;
      const path = isAbsolute(target)
        ? target
        : resolve(opts.base ?? ".", target);
      out.push(...readConfigFile(path, (opts.depth ?? 0) + 1));
      continue;
    }
    out.push({
      name,
      args: words.slice(1),
      text: trimmed,
      line: offset + i + 1,
    });
  }
  return out;
}

// Directives that take several words; every other one takes exactly one.
const MULTI_ARG = new Set([
  "save",
  "bind",
  "client-output-buffer-limit",
  "oom-score-adj-values",
  "latency-tracking-info-percentiles",
  "replicaof",
  "shutdown-on-sigint",
  "shutdown-on-sigterm",
]);

/**
 * True when directive `name` (or an alias of it) takes several words
 * (`save "60 100"`, `bind "a b"`); every other one takes exactly one.
 */
export function takesSeveralWords(name: string): boolean {
  const d = DIRECTIVES.get(name);
  return d !== undefined && MULTI_ARG.has(d.name);
}

/**
 * Applies start-up directives to `config` in order. Unknown directives and
 * invalid values throw a `ConfigFileError`, as redis-server refuses to start.
 */
export function applyDirectives(
  config: Config,
  lines: readonly ConfigLine[],
): void {
  const saves: string[] = [];
  let lastSave: ConfigLine | undefined;
  for (const line of lines) {
    // ACL users: checked and loaded by the ACL when the server starts.
    if (line.name === "user" && line.args.length >= 1) {
      config.userLines.push(line);
      continue;
    }
    const d = DIRECTIVES.get(line.name);
    if (d === undefined) {
      throw new ConfigFileError(
        "Bad directive or wrong number of arguments",
        line.line,
        line.text,
      );
    }
    if (!MULTI_ARG.has(d.name) && line.args.length !== 1) {
      throw new ConfigFileError(
        "wrong number of arguments",
        line.line,
        line.text,
      );
    }
    const value = line.args.join(" ");
    // Save lines add up (the first replaces the default, `save ""` clears);
    // the sum is checked once, at the last of them.
    if (d.name === "save") {
      if (value === "") saves.length = 0;
      else saves.push(value);
      lastSave = line;
      continue;
    }
    set(config, line, line.name, value);
  }
  if (lastSave !== undefined) set(config, lastSave, "save", saves.join(" "));
}

function set(
  config: Config,
  line: ConfigLine,
  name: string,
  value: string,
): void {
  try {
    config.set(name, value, { startup: true });
  } catch (e) {
    if (e instanceof ConfigSetError) {
      throw new ConfigFileError(e.message, line.line, line.text);
    }
    throw e;
  }
}

/** The text `tsredis --help` prints. */
export function usage(): string {
  return `Usage: ./tsredis [/path/to/redis.conf] [options]
       ./tsredis -v or --version
       ./tsredis -h or --help
       ./tsredis cli [-h host] [-p port] [-a password] [-n db] [-3] [command args...]

Examples:
       ./tsredis (run the server with default conf)
       ./tsredis /etc/redis/6379.conf
       ./tsredis --port 7777
       ./tsredis /etc/myredis.conf --loglevel verbose

Every redis.conf directive that redis-server ${REDIS_VERSION} knows is accepted
as --name value; directives for features tsredis lacks are refused.
`;
}

/** The text `tsredis --version` prints. */
export function versionLine(): string {
  return `tsredis v=${TSREDIS_VERSION} redis_version=${REDIS_VERSION} bits=64 deno=${Deno.version.deno}`;
}

/** The line CONFIG REWRITE adds before the directives it appends. */
const REWRITE_SIGNATURE = "# Generated by CONFIG REWRITE";

/** Bytes as Redis writes them back: with a gb/mb/kb unit when exact. */
export function formatMemory(text: string): string {
  if (!/^\d+$/.test(text)) return text; // a percentage (maxmemory-clients)
  const v = BigInt(text);
  if (v === 0n) return "0";
  for (
    const [unit, size] of [["gb", 1n << 30n], ["mb", 1n << 20n], [
      "kb",
      1n << 10n,
    ]] as const
  ) {
    if (v % size === 0n) return `${v / size}${unit}`;
  }
  return text;
}

// The lines one directive rewrites to, and whether they must be written
// even where the file does not mention it (the value is not the default).
function rewriteLines(
  config: Config,
  d: Directive,
): { lines: string[]; force: boolean }[] {
  const value = config.get(d.name);
  const force = value !== d.defaultText;
  const name = d.name;
  switch (d.rewrite) {
    case "memory":
      return [{ lines: [`${name} ${formatMemory(value)}`], force }];
    case "quoted":
      return [{ lines: [`${name} ${repr(value)}`], force }];
    case "dir":
      return [{ lines: [`${name} ${repr(value)}`], force: true }];
    case "always":
      return [{ lines: [`${name} ${value}`], force: true }];
    case "save": {
      const words = value.split(" ").filter((w) => w !== "");
      if (words.length === 0) return [{ lines: ['save ""'], force: true }];
      const lines: string[] = [];
      for (let i = 0; i < words.length; i += 2) {
        lines.push(`save ${words[i]} ${words[i + 1]}`);
      }
      return [{ lines, force: true }];
    }
    case "outputLimits": {
      const words = value.split(" ");
      const defaults = d.defaultText.split(" ");
      const out: { lines: string[]; force: boolean }[] = [];
      for (let i = 0; i + 3 < words.length; i += 4) {
        const cls = words[i] === "slave" ? "replica" : words[i]!;
        out.push({
          lines: [
            `${name} ${cls} ${formatMemory(words[i + 1]!)} ${
              formatMemory(words[i + 2]!)
            } ${words[i + 3]}`,
          ],
          force: words.slice(i, i + 4).join(" ") !==
            defaults.slice(i, i + 4).join(" "),
        });
      }
      return out;
    }
    default:
      // An empty value (replicaof, bind-source-addr) means "not set": no line.
      if (value === "") return [];
      return [{ lines: [`${name} ${value}`], force }];
  }
}

/**
 * CONFIG REWRITE: rewrites `config.file` the way Redis does. Lines of
 * directives the file already has are replaced in place (extra lines for
 * the same directive are dropped), non-default values the file lacks are
 * appended after a `# Generated by CONFIG REWRITE` line, and comments and
 * lines tsredis does not rewrite stay as they are. Throws on I/O errors.
 */
export function rewriteConfigFile(config: Config): void {
  const path = config.file;
  let old = "";
  try {
    old = Deno.readTextFileSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const lines: string[] = old === "" ? [] : old.replace(/\n$/, "").split("\n");
  // Where each directive (canonical name) appears, in order.
  const at = new Map<string, number[]>();
  const userSlots: number[] = [];
  let hasSignature = false;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed === REWRITE_SIGNATURE) hasSignature = true;
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const words = splitInline(trimmed);
    if (words === undefined || words.length === 0) continue;
    if (words[0]!.toLowerCase() === "user") {
      userSlots.push(i);
      continue;
    }
    const d = DIRECTIVES.get(words[0]!.toLowerCase());
    if (d === undefined) continue; // include, and lines we do not own
    const list = at.get(d.name) ?? [];
    list.push(i);
    at.set(d.name, list);
  }
  const appended: string[] = [];
  for (const d of DIRECTIVE_LIST) {
    const slots = at.get(d.name) ?? [];
    for (const { lines: newLines, force } of rewriteLines(config, d)) {
      for (const line of newLines) {
        if (slots.length !== 0) lines[slots.shift()!] = line;
        else if (force) appended.push(line);
      }
    }
    // Lines left over for a rewritten directive are dropped.
    for (const i of slots) lines[i] = "";
  }
  // ACL users (Redis's rewriteConfigUserOption): every user is written,
  // the default one included; with an aclfile, user lines are dropped.
  if (config.userRewrite !== undefined) {
    for (const line of config.userRewrite()) {
      if (userSlots.length !== 0) lines[userSlots.shift()!] = line;
      else appended.push(line);
    }
    for (const i of userSlots) lines[i] = "";
  }
  if (appended.length !== 0 && !hasSignature) lines.push(REWRITE_SIGNATURE);
  lines.push(...appended);
  // Runs of empty lines become one, as in Redis.
  let content = "";
  let wasEmpty = false;
  for (const line of lines) {
    if (line === "") {
      if (wasEmpty) continue;
      wasEmpty = true;
    } else {
      wasEmpty = false;
    }
    content += line + "\n";
  }
  const tmp = `${dirname(path)}/.tsredis-rewrite-${Deno.pid}.conf`;
  Deno.writeTextFileSync(tmp, content);
  Deno.renameSync(tmp, path);
}
