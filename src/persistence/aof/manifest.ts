/**
 * The multi-part AOF manifest (`<appendfilename>.manifest`): one line per
 * file, `file <name> seq <n> type <b|h|i>`, parsed and written exactly as
 * Redis 7.0 does (quoting, the order of lines, and the fatal errors), plus
 * the naming rules for new base and incr files.
 *
 * Names are latin1 strings of the file name's bytes (UTF-8 names arrive as
 * their bytes), so the text round-trips byte for byte.
 *
 * @module
 */
import { splitInline } from "../../protocol/decoder.ts";

/** One line of the manifest. */
export interface AofFileInfo {
  /** File name inside the AOF directory (latin1 bytes). */
  name: string;
  seq: number;
  /** `b` base, `h` history, `i` incr. */
  type: "b" | "h" | "i";
}

/** The AOF files of a server, as the manifest lists them. */
export interface Manifest {
  base: AofFileInfo | undefined;
  /** Files of earlier generations, waiting to be deleted. */
  history: AofFileInfo[];
  /** Incr files in the order they are applied. */
  incr: AofFileInfo[];
  /** Highest base sequence number used so far. */
  baseSeq: number;
  /** Highest incr sequence number used so far. */
  incrSeq: number;
}

/** A manifest Redis would refuse to start with; the message is Redis's. */
export class ManifestError extends SyntaxError {
  /** 1-based line number, when the error is about one line. */
  readonly line: number | undefined;
  /** That line, trimmed. */
  readonly text: string | undefined;

  /** `message` is Redis's text; `line`/`text` locate it when known. */
  constructor(message: string, line?: number, text?: string) {
    super(message);
    this.name = "ManifestError";
    this.line = line;
    this.text = text;
  }

  /** The log lines Redis prints for this error, in order. */
  report(): string[] {
    const lines = ["", "*** FATAL AOF MANIFEST FILE ERROR ***", ""];
    if (this.text !== undefined) {
      lines.push(`Reading the manifest file, at line ${this.line}`, "");
      lines.push(`>>> '${this.text}'`, "");
    }
    lines.push(this.message, "");
    return lines;
  }
}

/** An empty manifest (no AOF yet). */
export function emptyManifest(): Manifest {
  return { base: undefined, history: [], incr: [], baseSeq: 0, incrSeq: 0 };
}

/** A deep copy, to change before it is persisted (an atomic switch). */
export function copyManifest(m: Manifest): Manifest {
  return {
    base: m.base === undefined ? undefined : { ...m.base },
    history: m.history.map((f) => ({ ...f })),
    incr: m.incr.map((f) => ({ ...f })),
    baseSeq: m.baseSeq,
    incrSeq: m.incrSeq,
  };
}

// Redis reads lines with fgets into a 1024-byte buffer.
const MAX_LINE = 1024;

/**
 * Parses a manifest's text (latin1: one char per byte). Throws
 * `ManifestError` with Redis's message for anything Redis refuses.
 */
export function parseManifest(text: string): Manifest {
  const m = emptyManifest();
  let pos = 0;
  let lineNo = 0;
  if (text.length === 0) throw new ManifestError("Found an empty AOF manifest");
  while (pos < text.length) {
    // fgets: up to MAX_LINE bytes, or through the next newline.
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : Math.min(nl + 1, pos + MAX_LINE);
    const raw = text.slice(pos, Math.min(end, pos + MAX_LINE));
    pos += raw.length;
    lineNo++;
    if (raw[0] === "#") continue;
    if (!raw.includes("\n")) {
      throw new ManifestError("The AOF manifest file contains too long line");
    }
    const line = trimSet(raw, " \t\r\n");
    if (line.length === 0) {
      throw new ManifestError("Invalid AOF manifest file format", lineNo, line);
    }
    const argv = splitInline(line);
    // Fewer than 6 words or an odd count is invalid; more pairs are
    // tolerated for forward compatibility.
    if (argv === undefined || argv.length < 6 || argv.length % 2 !== 0) {
      throw new ManifestError("Invalid AOF manifest file format", lineNo, line);
    }
    let name: string | undefined;
    let seq = 0;
    let type = "";
    for (let i = 0; i < argv.length; i += 2) {
      const key = argv[i]!.toLowerCase();
      const value = argv[i + 1]!;
      if (key === "file") {
        name = value;
        if (value.includes("/") || value.includes("\\")) {
          throw new ManifestError(
            "File can't be a path, just a filename",
            lineNo,
            line,
          );
        }
      } else if (key === "seq") {
        seq = atoll(value);
      } else if (key === "type") {
        type = value.length === 0 ? "" : value[0]!;
      }
    }
    if (name === undefined || seq === 0 || type === "") {
      throw new ManifestError("Invalid AOF manifest file format", lineNo, line);
    }
    if (type === "b") {
      if (m.base !== undefined) {
        throw new ManifestError(
          "Found duplicate base file information",
          lineNo,
          line,
        );
      }
      m.base = { name, seq, type };
      m.baseSeq = seq;
    } else if (type === "h") {
      m.history.push({ name, seq, type });
    } else if (type === "i") {
      if (seq <= m.incrSeq) {
        throw new ManifestError(
          "Found a non-monotonic sequence number",
          lineNo,
          line,
        );
      }
      m.incr.push({ name, seq, type });
      m.incrSeq = seq;
    } else {
      throw new ManifestError("Unknown AOF file type", lineNo, line);
    }
  }
  return m;
}

/** The manifest's text: base first, then history, then incr files. */
export function formatManifest(m: Manifest): string {
  let out = "";
  if (m.base !== undefined) out += formatLine(m.base);
  for (const f of m.history) out += formatLine(f);
  for (const f of m.incr) out += formatLine(f);
  return out;
}

function formatLine(f: AofFileInfo): string {
  const name = needsRepr(f.name) ? repr(f.name) : f.name;
  return `file ${name} seq ${f.seq} type ${f.type}\n`;
}

/**
 * Makes a new base file the manifest's base (the old one becomes history)
 * and returns its name: `<appendfilename>.<seq>.base.rdb` or `.base.aof`.
 */
export function newBase(
  m: Manifest,
  filename: string,
  rdbPreamble: boolean,
): string {
  if (m.base !== undefined) {
    m.history.unshift({ ...m.base, type: "h" });
  }
  const seq = ++m.baseSeq;
  const name = `${filename}.${seq}.base.${rdbPreamble ? "rdb" : "aof"}`;
  m.base = { name, seq, type: "b" };
  return name;
}

/** Appends a new incr file to the manifest and returns its name. */
export function newIncr(m: Manifest, filename: string): string {
  const seq = ++m.incrSeq;
  const name = `${filename}.${seq}.incr.aof`;
  m.incr.push({ name, seq, type: "i" });
  return name;
}

/**
 * After a rewrite: every incr file but the one being written (the last,
 * when `keepLast`) becomes history.
 */
export function markIncrAsHistory(m: Manifest, keepLast: boolean): void {
  const done = keepLast ? m.incr.slice(0, -1) : m.incr;
  m.incr = keepLast ? m.incr.slice(-1) : [];
  // Redis walks from the newest and puts each at the head of the list.
  for (let i = done.length - 1; i >= 0; i--) {
    m.history.unshift({ ...done[i]!, type: "h" });
  }
}

/** `<appendfilename>.manifest` */
export function manifestName(filename: string): string {
  return `${filename}.manifest`;
}

/** `temp-<appendfilename>.manifest` (written, then renamed over the manifest). */
export function tempManifestName(filename: string): string {
  return `temp-${filename}.manifest`;
}

/** `temp-<appendfilename>.incr`: the incr file while AOF is being switched on. */
export function tempIncrName(filename: string): string {
  return `temp-${filename}.incr`;
}

// --- sds helpers, as Redis's sdstrim / sdsneedsrepr / sdscatrepr / sdssplitargs

function trimSet(s: string, set: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && set.includes(s[start]!)) start++;
  while (end > start && set.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" ||
    c === "\v" || c === "\f";
}

function isPrint(code: number): boolean {
  return code >= 0x20 && code < 0x7f;
}

function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (
      c === "\\" || c === '"' || !isPrint(s.charCodeAt(i)) || isSpace(c)
    ) return true;
  }
  return false;
}

function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    switch (c) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\x07":
        out += "\\a";
        break;
      case "\b":
        out += "\\b";
        break;
      default:
        out += isPrint(code)
          ? c
          : `\\x${(code & 0xff).toString(16).padStart(2, "0")}`;
    }
  }
  return out + '"';
}

// atoll: optional spaces and sign, then digits; anything else stops it.
function atoll(s: string): number {
  const m = /^[ \t\n\r\v\f]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}
