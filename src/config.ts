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
  /** `argument` is the directive name as the client wrote it. */
  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
    this.name = "ConfigSetError";
  }
}

/** The live configuration of one server. */
export class Config {
  #values = new Map<Directive, string>();
  #listeners = new Map<Directive, ConfigListener[]>();

  /** Starts with every directive at its default. */
  constructor() {
    for (const d of DIRECTIVE_LIST) this.#values.set(d, d.defaultText);
  }

  /** The canonical text of directive `name` (or alias). Throws for unknown names. */
  get(name: string): string {
    const d = DIRECTIVES.get(name);
    if (d === undefined) {
      throw new RangeError(`Unknown config directive "${name}"`);
    }
    return d.name === "dir" ? Deno.cwd() : this.#values.get(d)!;
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
   * any of the glob patterns, each name once.
   */
  match(patterns: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    for (const pattern of patterns) {
      const exact = DIRECTIVES.get(pattern.toLowerCase());
      if (exact !== undefined && !/[*?[\\]/.test(pattern)) {
        const name = pattern.toLowerCase();
        if (!seen.has(name)) {
          seen.add(name);
          out.push([name, this.get(name)]);
        }
        continue;
      }
      for (const [name, d] of DIRECTIVES) {
        if (seen.has(name) || !globMatch(pattern, name, true)) continue;
        seen.add(name);
        out.push([name, this.get(d.name)]);
      }
    }
    return out;
  }

  /**
   * CONFIG SET of several directives at once: all are checked first, then
   * applied; if applying one fails, the ones already applied are restored.
   */
  setMany(
    pairs: readonly [string, string][],
    opts: { startup?: boolean } = {},
  ): void {
    const plan: [Directive, string, string][] = [];
    const seen = new Set<Directive>();
    for (const [name, text] of pairs) {
      const d = DIRECTIVES.get(name.toLowerCase());
      if (d === undefined) throw new ConfigSetError(name, "unknown");
      if (seen.has(d)) throw new ConfigSetError(name, "duplicate parameter");
      seen.add(d);
      if (!opts.startup) {
        if (d.immutable) {
          throw new ConfigSetError(name, "can't set immutable config");
        }
        if (d.protected && this.get("enable-protected-configs") === "no") {
          throw new ConfigSetError(name, "can't set protected config");
        }
      }
      let value: string;
      try {
        value = d.normalize(text, this.#values.get(d)!);
      } catch (e) {
        if (e instanceof ConfigValueError) {
          throw new ConfigSetError(name, e.message);
        }
        throw e;
      }
      const refusal = d.refuse?.(value);
      if (refusal !== undefined) throw new ConfigSetError(name, refusal);
      plan.push([d, name, value]);
    }
    const applied: [Directive, string][] = [];
    for (const [d, name, value] of plan) {
      const previous = this.#values.get(d)!;
      this.#values.set(d, value);
      try {
        for (const fn of this.#listeners.get(d) ?? []) fn(value, previous);
      } catch (e) {
        this.#values.set(d, previous);
        for (const [ad, prev] of applied.reverse()) {
          const now = this.#values.get(ad)!;
          this.#values.set(ad, prev);
          for (const fn of this.#listeners.get(ad) ?? []) {
            try {
              fn(prev, now);
            } catch { /* restoring the old value must not fail twice */ }
          }
        }
        const message = e instanceof Error ? e.message : String(e);
        throw new ConfigSetError(name, message);
      }
      applied.push([d, previous]);
    }
  }

  /** Sets one directive (see `setMany`). */
  set(name: string, text: string, opts: { startup?: boolean } = {}): void {
    this.setMany([[name, text]], opts);
  }
}

/** What the command line asked for. */
export type CliRequest =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; directives: ConfigLine[] }
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
  /** `message` is the reason; `line`/`text` locate it. */
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
 * Parses `tsredis [config-file] [--directive value ...]`. Options are
 * gathered as redis-server does: `--name` starts a directive and every
 * following word that is not an option is one of its arguments.
 */
export function parseCommandLine(argv: readonly string[]): CliRequest {
  if (argv[0] === "cli") return { kind: "cli", args: argv.slice(1) };
  const { tokens } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let configFile: string | undefined;
  const lines: { name: string; args: string[] }[] = [];
  let current: { name: string; args: string[] } | undefined;
  let first = true;
  for (const token of tokens ?? []) {
    if (token.kind === "option-terminator") continue;
    // A word like "-2" (a negative number) is a value, not an option.
    const isOption = token.kind === "option" && token.rawName.startsWith("--");
    if (isOption) {
      const name = token.name.toLowerCase();
      if (name === "help" || (token.rawName === "-h")) return { kind: "help" };
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
  if (configFile !== undefined) directives.push(...readConfigFile(configFile));
  let lineNo = directives.length === 0
    ? 0
    : directives[directives.length - 1]!.line;
  for (const { name, args } of lines) {
    lineNo++;
    directives.push({
      name,
      args,
      text: [name, ...args.map((a) => JSON.stringify(a))].join(" "),
      line: lineNo,
    });
  }
  return { kind: "run", directives };
}

/** Reads a redis.conf file (following `include`), as directive lines. */
export function readConfigFile(path: string, depth = 0): ConfigLine[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ConfigFileError(
      `Fatal error, can't open config file '${path}': ${(e as Error).message}`,
      0,
      path,
    );
  }
  return parseConfigText(text, { base: dirname(resolve(path)), depth });
}

/** Parses redis.conf text into directive lines. */
export function parseConfigText(
  text: string,
  opts: { base?: string; depth?: number } = {},
): ConfigLine[] {
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
        i + 1,
        trimmed,
      );
    }
    const name = words[0]!.toLowerCase();
    if (name === "include") {
      if ((opts.depth ?? 0) > 8) {
        throw new ConfigFileError("Too many nested includes", i + 1, trimmed);
      }
      const target = words[1] ?? "";
      const path = isAbsolute(target)
        ? target
        : resolve(opts.base ?? ".", target);
      out.push(...readConfigFile(path, (opts.depth ?? 0) + 1));
      continue;
    }
    out.push({ name, args: words.slice(1), text: trimmed, line: i + 1 });
  }
  return out;
}

// Directives that several lines add up to, instead of replacing each other.
const ACCUMULATING = new Set(["save", "client-output-buffer-limit"]);

/**
 * Applies start-up directives to `config` in order. Unknown directives and
 * invalid values throw a `ConfigFileError`, as redis-server refuses to start.
 */
export function applyDirectives(
  config: Config,
  lines: readonly ConfigLine[],
): void {
  const accumulated = new Map<string, string[]>();
  for (const line of lines) {
    const d = DIRECTIVES.get(line.name);
    if (d === undefined) {
      throw new ConfigFileError(
        "Bad directive or wrong number of arguments",
        line.line,
        line.text,
      );
    }
    let value = line.args.join(" ");
    if (ACCUMULATING.has(d.name) && d.name === "save") {
      const prior = accumulated.get(d.name) ?? [];
      if (value !== "") prior.push(value);
      else prior.length = 0;
      accumulated.set(d.name, prior);
      value = prior.join(" ");
    }
    try {
      config.set(line.name, value, { startup: true });
    } catch (e) {
      if (e instanceof ConfigSetError) {
        throw new ConfigFileError(e.message, line.line, line.text);
      }
      throw e;
    }
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
