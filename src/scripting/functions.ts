/**
 * The pieces of EVAL scripts and FUNCTION libraries that need no Lua state:
 * the script cache entries, shebang and library metadata parsing, flags,
 * and the FUNCTION DUMP payload (FUNCTION2 records, RDB version, CRC64).
 *
 * @module
 */
import { CommandError } from "../errors.ts";
import { crc64 } from "../util/crc64.ts";

/** Script and function flags (`#!lua flags=...`, `register_function`'s `flags`). */
export const SCRIPT_FLAGS = [
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
] as const;

/** One script or function flag. */
export type ScriptFlag = typeof SCRIPT_FLAGS[number];

/** Flags of a script; `compat` marks an EVAL script without a shebang (pre-7.0 rules). */
export interface ScriptFlags {
  readonly flags: ReadonlySet<ScriptFlag>;
  readonly compat: boolean;
}

/** A cached EVAL script. */
export interface CachedScript {
  readonly sha: string;
  readonly body: string;
  /** Registry ref of the compiled function in the eval state. */
  readonly ref: number;
  readonly flags: ScriptFlags;
}

/** A function registered by a library. */
export interface LibraryFunction {
  readonly name: string;
  readonly ref: number;
  readonly flags: ReadonlySet<ScriptFlag>;
  readonly description: string | null;
  readonly library: Library;
}

/** A FUNCTION library. */
export interface Library {
  readonly name: string;
  readonly code: string;
  readonly functions: Map<string, LibraryFunction>;
}

/** Flags of an EVAL body: its `#!lua` line, or the compat set when there is none. */
export function parseShebang(body: string): ScriptFlags {
  if (!body.startsWith("#!")) return { flags: new Set(), compat: true };
  const nl = body.indexOf("\n");
  const line = nl < 0 ? body : body.slice(0, nl);
  const parts = line.split(" ").filter((p) => p !== "");
  if (parts[0] !== "#!lua") {
    throw new CommandError(
      "ERR",
      `Unexpected engine in script shebang: ${parts[0]}`,
    );
  }
  const flags = new Set<ScriptFlag>();
  for (const part of parts.slice(1)) {
    if (!part.startsWith("flags=")) {
      throw new CommandError("ERR", `Unknown lua shebang option: ${part}`);
    }
    for (const f of part.slice(6).split(",")) {
      if (f === "") continue;
      if (!(SCRIPT_FLAGS as readonly string[]).includes(f)) {
        throw new CommandError(
          "ERR",
          `Unexpected flag in script shebang: ${f}`,
        );
      }
      flags.add(f as ScriptFlag);
    }
  }
  return { flags, compat: false };
}

/** The body Lua compiles: a shebang line becomes a comment, keeping line numbers. */
export function luaSource(body: string): string {
  return body.startsWith("#!") ? "--" + body.slice(2) : body;
}

/** The library name and engine from a library's first line (`#!lua name=mylib`). */
export function parseLibraryMetadata(code: string): { name: string } {
  if (!code.startsWith("#!")) {
    throw new CommandError("ERR", "Missing library metadata");
  }
  const nl = code.indexOf("\n");
  const line = nl < 0 ? code : code.slice(0, nl);
  const parts = line.split(" ").filter((p) => p !== "");
  const engine = parts[0]!.slice(2);
  let name: string | undefined;
  for (const part of parts.slice(1)) {
    if (part.startsWith("name=")) {
      name = part.slice(5);
      continue;
    }
    throw new CommandError("ERR", `Invalid metadata value given: ${part}`);
  }
  if (name === undefined) {
    throw new CommandError("ERR", "Library name was not given");
  }
  if (engine.toLowerCase() !== "lua") {
    throw new CommandError("ERR", `Engine '${engine}' not found`);
  }
  if (!validName(name)) {
    throw new CommandError(
      "ERR",
      "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
    );
  }
  return { name };
}

/** Letters, digits and underscores, at least one (library and function names). */
export function validName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

const RDB_OPCODE_FUNCTION2 = 245;
const RDB_VERSION = 10;

function rdbLength(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 0xff];
  return [
    0x80,
    (n >>> 24) & 0xff,
    (n >>> 16) & 0xff,
    (n >>> 8) & 0xff,
    n & 0xff,
  ];
}

/** FUNCTION DUMP: a FUNCTION2 record per library, the RDB version and a CRC64, as Redis frames it. */
export function dumpLibraries(codes: readonly string[]): Uint8Array {
  const bytes: number[] = [];
  for (const code of codes) {
    bytes.push(RDB_OPCODE_FUNCTION2, ...rdbLength(code.length));
    for (let i = 0; i < code.length; i++) bytes.push(code.charCodeAt(i));
  }
  bytes.push(RDB_VERSION & 0xff, RDB_VERSION >> 8);
  const body = new Uint8Array(bytes);
  const crc = crc64(0n, body);
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  for (let i = 0; i < 8; i++) {
    out[body.length + i] = Number((crc >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

/** The library codes of a FUNCTION DUMP payload; throws Redis's errors for a bad one. */
export function parseDump(payload: Uint8Array): string[] {
  const n = payload.length;
  if (n < 10) {
    throw new CommandError("ERR", "DUMP payload version or checksum are wrong");
  }
  const version = payload[n - 10]! | (payload[n - 9]! << 8);
  let crc = 0n;
  for (let i = 0; i < 8; i++) {
    crc |= BigInt(payload[n - 8 + i]!) << BigInt(8 * i);
  }
  if (
    version > RDB_VERSION ||
    (crc !== 0n && crc !== crc64(0n, payload.subarray(0, n - 8)))
  ) {
    throw new CommandError("ERR", "DUMP payload version or checksum are wrong");
  }
  const codes: string[] = [];
  let p = 0;
  const end = n - 10;
  const bad = () => new CommandError("ERR", "given type is not a function");
  while (p < end) {
    if (payload[p] !== RDB_OPCODE_FUNCTION2) throw bad();
    p++;
    const r = readRdbString(payload, p, end);
    if (r === undefined) {
      throw new CommandError("ERR", "failed loading the library");
    }
    codes.push(r.value);
    p = r.next;
  }
  return codes;
}

function readRdbString(
  b: Uint8Array,
  p: number,
  end: number,
): { value: string; next: number } | undefined {
  const len = (
    q: number,
  ): { n: number; q: number; special?: number } | undefined => {
    if (q >= end) return undefined;
    const t = b[q]! >> 6;
    if (t === 0) return { n: b[q]! & 63, q: q + 1 };
    if (t === 1) return { n: ((b[q]! & 63) << 8) | b[q + 1]!, q: q + 2 };
    if (t === 2) {
      if (b[q] === 0x80) {
        return {
          n: ((b[q + 1]! << 24) >>> 0) + (b[q + 2]! << 16) + (b[q + 3]! << 8) +
            b[q + 4]!,
          q: q + 5,
        };
      }
      let v = 0;
      for (let i = 1; i <= 8; i++) v = v * 256 + b[q + i]!;
      return { n: v, q: q + 9 };
    }
    return { n: 0, q: q + 1, special: b[q]! & 63 };
  };
  const l = len(p);
  if (l === undefined) return undefined;
  if (l.special === undefined) {
    if (l.q + l.n > end) return undefined;
    let s = "";
    for (let i = 0; i < l.n; i++) s += String.fromCharCode(b[l.q + i]!);
    return { value: s, next: l.q + l.n };
  }
  if (l.special === 3) {
    const clen = len(l.q);
    if (clen === undefined) return undefined;
    const ulen = len(clen.q);
    if (ulen === undefined || ulen.q + clen.n > end) return undefined;
    const out = lzfDecompress(b.subarray(ulen.q, ulen.q + clen.n), ulen.n);
    if (out === undefined) return undefined;
    let s = "";
    for (let i = 0; i < out.length; i++) s += String.fromCharCode(out[i]!);
    return { value: s, next: ulen.q + clen.n };
  }
  // Integer-encoded strings.
  const size = [1, 2, 4][l.special];
  if (size === undefined || l.q + size > end) return undefined;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[l.q + i]!;
  if (v >= 2 ** (8 * size - 1)) v -= 2 ** (8 * size);
  return { value: String(v), next: l.q + size };
}

/** LZF decompression (the format of Redis's compressed RDB strings). */
function lzfDecompress(
  input: Uint8Array,
  outLen: number,
): Uint8Array | undefined {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > input.length) return undefined;
      out.set(input.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += input[ip++]!;
      ref -= input[ip++]!;
      len += 2;
      if (op + len > outLen || ref < 0) return undefined;
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  }
  return op === outLen ? out : undefined;
}
