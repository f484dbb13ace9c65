/**
 * LOLWUT [VERSION v] [...]: computer art and the Redis version, as Redis
 * 7.0 draws it. Redis 7.0 itself prints only its version; VERSION 5 draws
 * Georg Nees's "Schotter" in Braille characters and VERSION 6 an 8-bit
 * city skyline in terminal colours, with Redis's algorithms (and its C
 * float arithmetic), from this server's random numbers.
 *
 * @module
 */
import { REDIS_VERSION } from "../../config.ts";
import { notInteger } from "../../errors.ts";
import { verbatim } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/types.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand } from "../define.ts";

// C's RAND_MAX, and rand() drawn from the server's generator.
const RAND_MAX = 2147483647;
type Rand = () => number;

const f = Math.fround;

// C's round(): halves away from zero.
function cRound(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

// A long argument, with Redis's error.
function long(word: string): number {
  const n = parseInt64(word);
  if (n === undefined) throw notInteger();
  return Number(n);
}

function clamp(n: number, min: number, max: number): number {
  return n < min ? min : n > max ? max : n;
}

/** A canvas of pixels, each a colour number (lolwut.c's lwCanvas). */
class Canvas {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;

  constructor(width: number, height: number, background: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  draw(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }

  // Bresenham's line.
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.draw(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  // A square centred at x,y, rotated by `angle` (lwDrawSquare, in floats).
  square(x: number, y: number, size: number, angle: number): void {
    size = f(cRound(f(size / 1.4142135623)));
    let k = f(Math.PI / 4 + angle);
    const px: number[] = [];
    const py: number[] = [];
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * size + x));
      py.push(cRound(Math.cos(k) * size + y));
      k = f(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) {
      this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, 1);
    }
  }
}

// lolwut5.c's lwDrawSchotter.
function schotter(
  cols: number,
  perRow: number,
  perCol: number,
  rand: Rand,
): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f(f(width - padding * 2) / perRow);
  const height = Math.trunc(f(f(side * perCol) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + f(side / 2)) + padding));
      let sy = Math.trunc(f(f(f(y * side) + f(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        const r = (): number => f(f(f(f(rand()) / f(RAND_MAX)) / perCol) * y);
        let r1 = r();
        let r2 = r();
        let r3 = r();
        if (rand() % 2) r1 = -r1;
        if (rand() % 2) r2 = -r2;
        if (rand() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f(sx + f(f(r2 * side) / 3)));
        sy = Math.trunc(f(sy + f(f(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle);
    }
  }
  return canvas;
}

// Each 2x4 block of pixels is one Braille character (U+2800 + dots).
function renderBraille(canvas: Canvas): string {
  let text = "";
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let dots = 0;
      if (canvas.get(x, y)) dots |= 1 << 0;
      if (canvas.get(x, y + 1)) dots |= 1 << 1;
      if (canvas.get(x, y + 2)) dots |= 1 << 2;
      if (canvas.get(x + 1, y)) dots |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) dots |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) dots |= 1 << 5;
      if (canvas.get(x, y + 3)) dots |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) dots |= 1 << 7;
      const code = 0x2800 + dots;
      // UTF-8 bytes as latin1 characters (replies are bytes).
      text += String.fromCharCode(
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
    if (y !== canvas.height - 1) text += "\n";
  }
  return text;
}

function lolwut5(argv: Argv, rand: Rand): string {
  const cols = clamp(argv.length > 1 ? long(argv[1]!) : 66, 1, 1000);
  const perRow = clamp(argv.length > 2 ? long(argv[2]!) : 8, 1, 200);
  const perCol = clamp(argv.length > 3 ? long(argv[3]!) : 12, 1, 200);
  return renderBraille(schotter(cols, perRow, perCol, rand)) +
    `\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${REDIS_VERSION}\n`;
}

// lolwut6.c's skyscraper: windows (foreground only) in random grays.
function skyscraper(
  canvas: Canvas,
  s: {
    xoff: number;
    width: number;
    height: number;
    windows: boolean;
    color: number;
  },
  rand: Rand,
): void {
  const starty = canvas.height - 1;
  const endy = starty - s.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = s.xoff; x < s.xoff + s.width; x++) {
      // The roof is four pixels narrower.
      if (y === endy && (x <= s.xoff + 1 || x >= s.xoff + s.width - 2)) {
        continue;
      }
      let color = s.color;
      if (
        s.windows && x > s.xoff + 1 && x < s.xoff + s.width - 2 &&
        y > endy + 1 && y < starty - 1
      ) {
        const relx = x - (s.xoff + 1);
        const rely = y - (endy + 1);
        // Windows two pixels wide, one tall, the pair in one colour.
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do {
            color = 1 + rand() % 2;
          } while (color === s.color);
          if (relx % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.draw(x, y, color);
    }
  }
}

// lolwut6.c's generateSkyline: two background passes, then windows.
function skyline(canvas: Canvas, rand: Rand): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width;) {
      offset += rand() % 8;
      const width = 10 + rand() % 9;
      const height = color === 2
        ? Math.trunc(h / 2) + Math.trunc((rand() % h) / 2)
        : Math.trunc(h / 2) + Math.trunc((rand() % h) / 3);
      skyscraper(
        canvas,
        { xoff: offset, width, height, windows: false, color },
        rand,
      );
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width;) {
    offset += rand() % 8;
    let width = 5 + rand() % 14;
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand() % h) / 2);
    skyscraper(
      canvas,
      { xoff: offset, width, height, windows: true, color: 0 },
      rand,
    );
    offset += width + 5;
  }
}

// Black, two grays and white, foreground and background alike.
const COLORS = ["0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"];

function lolwut6(argv: Argv, rand: Rand): string {
  const cols = clamp(argv.length > 1 ? long(argv[1]!) : 80, 1, 1000);
  const rows = clamp(argv.length > 2 ? long(argv[2]!) : 20, 1, 1000);
  const canvas = new Canvas(cols, rows, 3);
  skyline(canvas, rand);
  const lines: string[] = [];
  for (let y = 0; y < canvas.height; y++) {
    let line = "";
    for (let x = 0; x < canvas.width; x++) {
      line += `\x1b[${COLORS[canvas.get(x, y)] ?? COLORS[0]} \x1b[0m`;
    }
    lines.push(line);
  }
  return lines.join("\n") +
    "\nDedicated to the 8 bit game developers of past and present.\n" +
    `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${REDIS_VERSION}\n`;
}

/** LOLWUT: the version, or VERSION 5 and 6's art. */
export const lolwut = defineCommand({
  name: "lolwut",
  group: "server",
  summary: "Display some computer art and the Redis version",
  since: "5.0.0",
  arity: -1,
  flags: ["readonly", "fast"],
  docs: {
    arguments: [{
      name: "version",
      type: "integer",
      token: "VERSION",
      optional: true,
    }],
  },
  handler(ctx) {
    let argv = ctx.argv;
    let version = REDIS_VERSION;
    if (argv.length >= 3 && argv[1]!.toLowerCase() === "version") {
      // Redis prints the number as an unsigned int, then picks by its text.
      const n = parseInt64(argv[2]!);
      if (n === undefined) throw notInteger();
      version = `${BigInt.asUintN(32, n)}.0.0`;
      // The version's own arguments follow, as if VERSION was not there.
      argv = [argv[0]!, ...argv.slice(3)];
    }
    const rand: Rand = () => ctx.server.random.int(RAND_MAX + 1);
    const [major, dot, minor] = version;
    if (
      (major === "5" && dot === "." && minor !== "9") ||
      (major === "4" && dot === "." && minor === "9")
    ) {
      return verbatim(lolwut5(argv, rand));
    }
    if (
      (major === "6" && dot === "." && minor !== "9") ||
      (major === "5" && dot === "." && minor === "9")
    ) {
      return verbatim(lolwut6(argv, rand));
    }
    return verbatim(`Redis ver. ${REDIS_VERSION}\n`);
  },
});
