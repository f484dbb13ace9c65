/**
 * Args: a cursor over a command's words with Redis's strict number parsing
 * and exact error replies. Each connection reuses one Args object.
 *
 * @module
 */
import { notFloat, notInteger, syntaxError } from "../errors.ts";
import { parseDouble, parseInt64, parseIntNumber } from "../util/number.ts";
import { asciiLower } from "../util/bytes.ts";
import type { Argv } from "../protocol/types.ts";

/** A cursor over the arguments of one command (the name is skipped). */
export class Args {
  argv: Argv = [];
  /** Index of the next word to read. */
  pos = 1;

  /** Points the cursor at `argv`, just after the command name (or at `start`). */
  reset(argv: Argv, start = 1): this {
    this.argv = argv;
    this.pos = start;
    return this;
  }

  /** Number of words not read yet. */
  get remaining(): number {
    return this.argv.length - this.pos;
  }

  /** True while words remain. */
  get more(): boolean {
    return this.pos < this.argv.length;
  }

  /** The next word without consuming it, or undefined at the end. */
  peek(): string | undefined {
    return this.argv[this.pos];
  }

  /** The next word (raw bytes as a latin1 string); a syntax error at the end. */
  next(): string {
    const v = this.argv[this.pos];
    if (v === undefined) throw syntaxError();
    this.pos++;
    return v;
  }

  /** The next word as a key. */
  key(): string {
    return this.next();
  }

  /** The next word as a value. */
  bytes(): string {
    return this.next();
  }

  /** The next word, ASCII-lower-cased, for matching option names. */
  option(): string {
    return asciiLower(this.next());
  }

  /** Consumes the next word if it equals `lower` case-insensitively. */
  accept(lower: string): boolean {
    const v = this.argv[this.pos];
    if (
      v === undefined || v.length !== lower.length || asciiLower(v) !== lower
    ) {
      return false;
    }
    this.pos++;
    return true;
  }

  /** The next word as a signed 64-bit integer; `-ERR value is not an integer...` otherwise. */
  int(error = notInteger): bigint {
    const v = parseInt64(this.next());
    if (v === undefined) throw error();
    return v;
  }

  /**
   * The next word as a signed 64-bit integer in a JS number (exact up to
   * 2^53; beyond that only for clamped uses such as indexes).
   */
  long(error = notInteger): number {
    const v = parseIntNumber(this.next());
    if (v === undefined) throw error();
    return v;
  }

  /** The next word as a double (`inf` allowed, NaN refused). */
  double(error = notFloat): number {
    const v = parseDouble(this.next());
    if (v === undefined) throw error();
    return v;
  }

  /** The words left, consuming them. */
  rest(): string[] {
    const out = this.argv.slice(this.pos);
    this.pos = this.argv.length;
    return out;
  }

  /** Throws a syntax error if any word is left. */
  end(): void {
    if (this.pos < this.argv.length) throw syntaxError();
  }
}
