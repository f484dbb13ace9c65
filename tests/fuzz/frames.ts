/**
 * Request frames for the fuzzers: a command as a multibulk or an inline
 * line, then (for a share of them) damaged: bytes flipped, cut short,
 * lengths replaced by huge, negative or malformed numbers, nested arrays,
 * NUL bytes and stray line ends, or plain random bytes.
 *
 * Frames are latin1 strings (one char per byte).
 *
 * @module
 */
import type { Rng } from "./rng.ts";
import type { CommandGen } from "./commands.ts";

/** How a frame was made, for the run's statistics. */
export type FrameKind =
  | "valid"
  | "inline"
  | "flipped"
  | "truncated"
  | "length"
  | "nested"
  | "inserted"
  | "junk"
  | "big";

/** One generated frame. */
export interface Frame {
  kind: FrameKind;
  bytes: string;
}

/** `argv` as a RESP multibulk request. */
export function multibulk(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

// Quotes a word for an inline command the way redis-cli would need it.
function inlineWord(rng: Rng, w: string): string {
  if (w !== "" && /^[!-~]+$/.test(w) && !/["'\\]/.test(w)) {
    return rng.chance(0.9) ? w : `"${w}"`;
  }
  let s = '"';
  for (const c of w) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === "\\") s += "\\" + c;
    else if (code < 32 || code > 126) {
      s += "\\x" + code.toString(16).padStart(2, "0");
    } else s += c;
  }
  return s + '"';
}

/** `argv` as an inline command line. */
export function inline(rng: Rng, argv: readonly string[]): string {
  return argv.map((w) => inlineWord(rng, w)).join(
    rng.chance(0.9) ? " " : "\t ",
  ) +
    (rng.chance(0.8) ? "\r\n" : "\n");
}

const WEIRD_LENGTHS = [
  "-1",
  "-2",
  "0",
  "-0",
  "2147483647",
  "2147483648",
  "4294967296",
  "9223372036854775807",
  "9223372036854775808",
  "99999999999999999999999",
  "536870912",
  "536870913",
  "1048577",
  "abc",
  "",
  "+5",
  "05",
  " 1",
  "1 ",
  "0x10",
];

/** Makes frames from commands, damaging a share of them. */
export class FrameGen {
  readonly #rng: Rng;
  readonly #commands: CommandGen;
  /** Share of frames that are damaged (0..1). */
  damage: number;

  /** Frames of `commands`, `damage` of them damaged. */
  constructor(rng: Rng, commands: CommandGen, damage = 0.25) {
    this.#rng = rng;
    this.#commands = commands;
    this.damage = damage;
  }

  /** The next frame. */
  next(): Frame {
    const rng = this.#rng;
    const argv = this.#commands.next();
    if (!rng.chance(this.damage)) {
      return rng.chance(0.1)
        ? { kind: "inline", bytes: inline(rng, argv) }
        : { kind: "valid", bytes: multibulk(argv) };
    }
    const frame = rng.chance(0.15) ? inline(rng, argv) : multibulk(argv);
    switch (rng.int(8)) {
      case 0:
        return { kind: "flipped", bytes: flip(rng, frame) };
      case 1:
        return {
          kind: "truncated",
          bytes: frame.slice(0, rng.int(frame.length)),
        };
      case 2:
        return { kind: "length", bytes: weirdLength(rng, frame) };
      case 3: {
        const depth = rng.chance(0.5) ? rng.range(1, 5) : rng.range(100, 5000);
        return { kind: "nested", bytes: "*1\r\n".repeat(depth) + frame };
      }
      case 4:
        return { kind: "inserted", bytes: insert(rng, frame) };
      case 5:
        return { kind: "junk", bytes: junk(rng) };
      case 6:
        return { kind: "big", bytes: big(rng) };
      default:
        return { kind: "flipped", bytes: flip(rng, weirdLength(rng, frame)) };
    }
  }
}

function flip(rng: Rng, frame: string): string {
  if (frame.length === 0) return frame;
  const chars = frame.split("");
  for (let i = rng.int(3); i >= 0; i--) {
    const p = rng.int(chars.length);
    const c = chars[p]!.charCodeAt(0);
    chars[p] = String.fromCharCode(
      rng.chance(0.5) ? c ^ (1 << rng.int(8)) : rng.int(256),
    );
  }
  return chars.join("");
}

// Replaces one `*N` or `$N` header number.
function weirdLength(rng: Rng, frame: string): string {
  const headers = [...frame.matchAll(/(^|\n)([*$])(-?\d+)\r/g)];
  if (headers.length === 0) return frame;
  const m = rng.pick(headers);
  const start = m.index! + m[1]!.length + 1;
  const end = start + m[3]!.length;
  return frame.slice(0, start) + rng.pick(WEIRD_LENGTHS) + frame.slice(end);
}

function insert(rng: Rng, frame: string): string {
  const p = rng.int(frame.length + 1);
  const what = rng.pick([
    "\r\n",
    "\r",
    "\n",
    "\0",
    "*",
    "$",
    "*1\r\n",
    "$-1\r\n",
    rng.bytes(rng.range(1, 8)),
  ]);
  return frame.slice(0, p) + what + frame.slice(p);
}

function junk(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return rng.bytes(rng.range(1, 200));
    case 1: {
      // Printable lines with quotes and escapes: the inline parser's input.
      const alphabet = " \"'\\xabc01\t";
      let s = "";
      for (let i = rng.range(1, 60); i > 0; i--) s += rng.pick([...alphabet]);
      return s + "\r\n";
    }
    case 2:
      return "\r\n".repeat(rng.range(1, 5));
    default:
      return "*" + rng.pick(WEIRD_LENGTHS) + "\r\n";
  }
}

// An honest but large request: the decoder must grow and reuse its buffers.
function big(rng: Rng): string {
  const n = rng.chance(0.8)
    ? rng.range(20_000, 200_000)
    : rng.range(500_000, 2_000_000);
  if (rng.chance(0.3)) {
    // Many small arguments.
    const args = ["rpush", "k" + rng.range(1, 3)];
    for (let i = 0; i < n / 1000; i++) args.push(String(i));
    return multibulk(args);
  }
  return multibulk(["set", "k" + rng.range(1, 3), "z".repeat(n)]);
}
