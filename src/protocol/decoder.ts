/**
 * RESP request decoder: multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and
 * inline (`GET k\r\n`) commands, with Redis's limits and error texts.
 *
 * `RespDecoder` is the synchronous core: feed it chunks, get back every
 * command the chunk completed. It copies only the unparsed tail of a chunk
 * (a command split across reads), so a chunk read into a reused buffer is
 * turned into argument strings without an intermediate copy.
 * `RespDecoderStream` wraps the same core as a web `TransformStream`.
 *
 * @module
 */
import { bufferView, latin1Slice, type Latin1View } from "../util/bytes.ts";
import { oneLine, ProtocolError } from "../errors.ts";
import type { Argv } from "./types.ts";

/** Size limits; the server shares one object so CONFIG SET applies at once. */
export interface DecoderLimits {
  /** Largest bulk argument (`proto-max-bulk-len`, 512mb). */
  maxBulkLen: number;
  /** Largest unparsed backlog of one client (`client-query-buffer-limit`, 1gb). */
  maxQueryBuffer: number;
}

/** Redis's defaults. */
export const DEFAULT_LIMITS: DecoderLimits = {
  maxBulkLen: 512 * 1024 * 1024,
  maxQueryBuffer: 1024 * 1024 * 1024,
};

// V8's longest string (2^29 - 24 characters): an argument becomes one, so
// a bulk longer than this (the last 24 bytes under the default 512mb
// proto-max-bulk-len) is refused as over the limit rather than dropping
// the connection when the string cannot be made.
const MAX_ARGUMENT = 536_870_888;
// Pending-data room kept between commands; more is released once unused.
const KEEP_PENDING = 64 * 1024;
/** Longest inline command, and longest `*N`/`$N` header line (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX = 64 * 1024;
// Before authentication Redis accepts only small requests, so an
// unauthenticated peer cannot make it allocate much.
const UNAUTH_MAX_ARGS = 10;
const UNAUTH_MAX_BULK = 16384;
const INT_MAX = 0x7fffffff;
const CR = 13;
const LF = 10;

/** The synchronous RESP request parser behind `RespDecoderStream`. */
export class RespDecoder {
  /** Set once malformed input was seen; the decoder then yields nothing more. */
  error: ProtocolError | undefined;
  /** True while the client has not authenticated: Redis's tighter limits apply. */
  unauthenticated = false;
  readonly limits: DecoderLimits;

  // Unparsed bytes carried over from earlier chunks: pend[pendStart..pendEnd).
  #pend = new Uint8Array(0);
  #pendView: Latin1View = bufferView(this.#pend);
  #pendStart = 0;
  #pendEnd = 0;
  // The multibulk command being assembled, when it spans chunks.
  #argv: Argv | undefined;
  #argsLeft = 0;
  #bulkLen = -1;
  // How many bytes of the incomplete line at the start of the pending data
  // are known to hold no line end, so a line trickling in a byte at a time
  // is not scanned from its start again on every read.
  #scanned = 0;

  /** `limits` is read at every chunk, so changes to it apply immediately. */
  constructor(limits: DecoderLimits = DEFAULT_LIMITS) {
    this.limits = limits;
  }

  /** Bytes received but not yet turned into a complete command. */
  get buffered(): number {
    return this.#pendEnd - this.#pendStart;
  }

  /** Room held for unparsed bytes (client memory: `tot-mem`, maxmemory-clients). */
  get pendingCapacity(): number {
    return this.#pend.length;
  }

  /**
   * Parses `chunk[start..end)` and returns the commands it completed.
   * On malformed input it returns the commands before the fault and sets
   * `error`. `view` may be a Buffer view over `chunk` for fast slicing.
   */
  decode(
    chunk: Uint8Array,
    start = 0,
    end: number = chunk.length,
    view?: Latin1View,
  ): Argv[] {
    const out: Argv[] = [];
    if (this.error !== undefined) return out;
    let buf: Uint8Array;
    let pos: number;
    let stop: number;
    let bv: Latin1View;
    if (this.#pendEnd > this.#pendStart) {
      this.#append(chunk, start, end);
      buf = this.#pend;
      bv = this.#pendView;
      pos = this.#pendStart;
      stop = this.#pendEnd;
    } else {
      buf = chunk;
      bv = view ?? bufferView(chunk);
      pos = start;
      stop = end;
    }
    pos = this.#parse(buf, pos, stop, bv, out);
    if (this.error !== undefined) {
      this.#pendStart = this.#pendEnd = 0;
      return out;
    }
    if (buf === this.#pend) {
      this.#pendStart = pos;
      if (pos === this.#pendEnd) {
        this.#pendStart = this.#pendEnd = 0;
        // A big argument's room is given back once it is parsed (Redis
        // trims query buffers in clientsCron): a client that once sent
        // 100 MB does not keep 100 MB for the rest of its life.
        if (this.#pend.length > KEEP_PENDING) this.#release();
      }
    } else if (pos < stop) {
      this.#pendStart = this.#pendEnd = 0;
      this.#append(chunk, pos, stop);
    }
    if (this.buffered > this.limits.maxQueryBuffer) {
      this.error = new ProtocolError("query buffer limit exceeded");
      this.error.silent = true;
      // Redis logs the first 64 bytes of the query buffer.
      this.error.query = latin1Slice(
        this.#pend,
        this.#pendStart,
        Math.min(this.#pendEnd, this.#pendStart + 64),
      );
      this.#pendStart = this.#pendEnd = 0;
      this.#release();
    }
    return out;
  }

  #release(): void {
    this.#pend = new Uint8Array(0);
    this.#pendView = bufferView(this.#pend);
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const used = this.#pendEnd - this.#pendStart;
    if (this.#pendEnd + n > this.#pend.length) {
      let size = Math.max(this.#pend.length, 4096);
      // A bulk whose length is known gets exactly its room (the pending
      // bytes start at its data), as Redis's sdsMakeRoomForNonGreedy gives
      // it: doubling would reserve up to twice proto-max-bulk-len.
      const bulk = this.#bulkLen > 0 ? this.#bulkLen + 2 : 0;
      if (bulk >= used + n && bulk > size) size = bulk;
      while (size < used + n) size *= 2;
      if (size > this.#pend.length) {
        const next = new Uint8Array(size);
        next.set(this.#pend.subarray(this.#pendStart, this.#pendEnd));
        this.#pend = next;
        this.#pendView = bufferView(next);
      } else {
        this.#pend.copyWithin(0, this.#pendStart, this.#pendEnd);
      }
      this.#pendStart = 0;
      this.#pendEnd = used;
    }
    this.#pend.set(chunk.subarray(start, end), this.#pendEnd);
    this.#pendEnd += n;
  }

  // Returns the position of the first byte not consumed.
  #parse(
    buf: Uint8Array,
    pos: number,
    end: number,
    bv: Latin1View,
    out: Argv[],
  ): number {
    // Only the first line looked at can be the one scanned before.
    let skip = this.#scanned;
    this.#scanned = 0;
    while (pos < end) {
      if (this.#argv === undefined) {
        if (buf[pos] !== 42) { // not '*': an inline command
          const next = this.#inline(buf, pos, end, bv, out, skip);
          if (next < 0) return pos;
          pos = next;
          skip = 0;
          continue;
        }
        const nl = findCR(buf, pos + skip, end);
        skip = 0;
        if (nl < 0) {
          if (end - pos > INLINE_MAX) {
            return this.#fail("too big mbulk count string", buf, pos, end);
          }
          this.#scanned = ~nl - pos;
          return pos;
        }
        if (nl + 1 >= end) { // the LF has not arrived yet
          this.#scanned = nl - pos;
          return pos;
        }
        const count = parseLength(buf, pos + 1, nl);
        if (count === undefined || count > INT_MAX) {
          return this.#fail("invalid multibulk length", buf, pos, end);
        }
        if (count > UNAUTH_MAX_ARGS && this.unauthenticated) {
          return this.#fail(
            "unauthenticated multibulk length",
            buf,
            pos,
            end,
          );
        }
        pos = nl + 2;
        if (count <= 0) continue;
        this.#argv = [];
        this.#argsLeft = count;
        this.#bulkLen = -1;
      }
      // Arguments of the current multibulk command.
      const argv = this.#argv;
      while (this.#argsLeft > 0) {
        if (this.#bulkLen < 0) {
          if (pos >= end) return pos;
          const nl = findCR(buf, pos + skip, end);
          skip = 0;
          if (nl < 0) {
            if (end - pos > INLINE_MAX) {
              return this.#fail("too big bulk count string", buf, pos, end);
            }
            this.#scanned = ~nl - pos;
            return pos;
          }
          if (nl + 1 >= end) {
            this.#scanned = nl - pos;
            return pos;
          }
          if (buf[pos] !== 36) { // '$'
            // Redis turns CR and LF in an error reply into spaces.
            return this.#fail(
              oneLine(`expected '$', got '${String.fromCharCode(buf[pos]!)}'`),
              buf,
              pos,
              end,
            );
          }
          const len = parseLength(buf, pos + 1, nl);
          if (
            len === undefined || len < 0 || len > this.limits.maxBulkLen ||
            len > MAX_ARGUMENT
          ) {
            return this.#fail("invalid bulk length", buf, pos, end);
          }
          if (len > UNAUTH_MAX_BULK && this.unauthenticated) {
            return this.#fail("unauthenticated bulk length", buf, pos, end);
          }
          pos = nl + 2;
          this.#bulkLen = len;
        }
        const len = this.#bulkLen;
        skip = 0;
        // Redis skips the two bytes after a bulk without checking them.
        if (end - pos < len + 2) return pos;
        argv.push(
          argv.length === 0 && len <= NAME_MAX
            ? commandName(buf, pos, len)
            : latin1Slice(buf, pos, pos + len, bv),
        );
        pos += len + 2;
        this.#bulkLen = -1;
        this.#argsLeft--;
      }
      out.push(argv);
      this.#argv = undefined;
    }
    return pos;
  }

  // Returns the position after the line, or -1 if the line is incomplete.
  #inline(
    buf: Uint8Array,
    pos: number,
    end: number,
    bv: Latin1View,
    out: Argv[],
    skip: number,
  ): number {
    let nl = pos + skip;
    while (nl < end && buf[nl] !== LF && buf[nl] !== 0) nl++;
    // Redis looks for the newline with strchr(), which stops at a NUL byte:
    // a line with a NUL before its newline never completes.
    if (nl === end || buf[nl] === 0) {
      if (end - pos > INLINE_MAX) {
        this.#fail("too big inline request", buf, pos, end);
      } else this.#scanned = nl - pos;
      return -1;
    }
    const lineEnd = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
    const argv = splitInline(latin1Slice(buf, pos, lineEnd, bv));
    if (argv === undefined) {
      this.#fail("unbalanced quotes in request", buf, pos, end);
      return -1;
    }
    if (argv.length > 0) out.push(argv);
    return nl + 1;
  }

  #fail(message: string, buf: Uint8Array, pos: number, end: number): number {
    this.error = new ProtocolError(message);
    this.error.query = querySample(buf, pos, end);
    this.#argv = undefined;
    this.#scanned = 0;
    return 0;
  }
}

// What Redis's setProtocolError logs of the query buffer: all of it under
// 128 bytes, else the first and last 64 with the count of those between.
function querySample(buf: Uint8Array, pos: number, end: number): string {
  const text = (from: number, to: number) =>
    String.fromCharCode(...buf.subarray(from, to));
  const n = end - pos;
  if (n < 128) return text(pos, end);
  return `${text(pos, pos + 64)}' (... more ${n - 128} bytes ...) '${
    text(end - 64, end)
  }`;
}

// Like Redis's strchr(p, '\r'): a NUL byte ends the search unsuccessfully,
// so a header line holding a NUL waits for more input (until it is too big).
// Returns the CR's index, or `~stop` where the search stopped (a NUL or `end`).
// Command names repeat on every request: the first word of each command is
// looked up in a small cache of strings already made, so a pipeline of SETs
// does not allocate (and hash, in the command lookup) "SET" again each time.
const NAME_MAX = 16;
const NAME_SLOTS = 256;
const nameCache: (string | undefined)[] = new Array(NAME_SLOTS).fill(undefined);

function commandName(buf: Uint8Array, pos: number, len: number): string {
  let h = len;
  for (let i = 0; i < len; i++) h = (h * 31 + (buf[pos + i]! | 0x20)) | 0;
  const slot = h & (NAME_SLOTS - 1);
  const cached = nameCache[slot];
  if (cached !== undefined && cached.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (cached.charCodeAt(i) !== buf[pos + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const name = latin1Slice(buf, pos, pos + len);
  nameCache[slot] = name;
  return name;
}

function findCR(buf: Uint8Array, pos: number, end: number): number {
  for (let i = pos; i < end; i++) {
    const c = buf[i];
    if (c === CR) return i;
    if (c === 0) return ~i;
  }
  return ~end;
}

// Parses the decimal `buf[start..end)` with `string2ll`'s rules; -1 allowed.
function parseLength(
  buf: Uint8Array,
  start: number,
  end: number,
): number | undefined {
  const len = end - start;
  if (len <= 0 || len > 20) return undefined;
  let i = start;
  let negative = false;
  if (buf[i] === 45) { // '-'
    negative = true;
    i++;
    if (i === end) return undefined;
  }
  const first = buf[i]!;
  if (first === 48) return len === 1 ? 0 : undefined; // no leading zeros
  if (first < 49 || first > 57) return undefined;
  let v = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  // Anything beyond 2^53 is far past every limit; its exact value never matters.
  return negative ? -v : v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits an inline command line the way Redis's `sdssplitargs` does: blanks
 * separate words, "double quotes" allow `\n`, `\xHH` and other escapes,
 * 'single quotes' allow only `\'`. Returns undefined for unbalanced quotes,
 * or a closing quote not followed by a blank.
 */
export function splitInline(line: string): Argv | undefined {
  const argv: Argv = [];
  // A NUL ends the line, as it ends the C string Redis splits.
  const nul = line.indexOf("\0");
  const end = nul < 0 ? line.length : nul;
  let p = 0;
  for (;;) {
    while (p < end && isSpace(line.charCodeAt(p))) p++;
    if (p >= end) return argv;
    let current = "";
    let inDouble = false;
    let inSingle = false;
    for (let done = false; !done;) {
      const c = p < end ? line.charCodeAt(p) : 0;
      if (inDouble) {
        if (
          c === 92 && line.charCodeAt(p + 1) === 120 &&
          p + 3 < end && hexValue(line.charCodeAt(p + 2)) >= 0 &&
          hexValue(line.charCodeAt(p + 3)) >= 0
        ) {
          current += String.fromCharCode(
            hexValue(line.charCodeAt(p + 2)) * 16 +
              hexValue(line.charCodeAt(p + 3)),
          );
          p += 3;
        } else if (c === 92 && p + 1 < end) {
          p++;
          const e = line[p]!;
          current += e === "n"
            ? "\n"
            : e === "r"
            ? "\r"
            : e === "t"
            ? "\t"
            : e === "b"
            ? "\b"
            : e === "a"
            ? "\x07"
            : e;
        } else if (c === 34) { // closing '"'
          if (p + 1 < end && !isSpace(line.charCodeAt(p + 1))) return undefined;
          done = true;
        } else if (p >= end) {
          return undefined;
        } else {
          current += line[p];
        }
      } else if (inSingle) {
        if (c === 92 && line.charCodeAt(p + 1) === 39 && p + 1 < end) {
          p++;
          current += "'";
        } else if (c === 39) {
          if (p + 1 < end && !isSpace(line.charCodeAt(p + 1))) return undefined;
          done = true;
        } else if (p >= end) {
          return undefined;
        } else {
          current += line[p];
        }
      } else if (p >= end || c === 32 || c === 10 || c === 13 || c === 9) {
        done = true;
      } else if (c === 34) {
        inDouble = true;
      } else if (c === 39) {
        inSingle = true;
      } else {
        current += line[p];
      }
      if (p < end) p++;
    }
    argv.push(current);
  }
}

/**
 * The decoder as a web stream: bytes in, one `Argv[]` batch out per chunk
 * that completed at least one command. On malformed input the stream emits
 * the commands before the fault and then ends; `error` tells why it ended.
 */
export class RespDecoderStream extends TransformStream<Uint8Array, Argv[]> {
  /** The synchronous decoder inside, shared with callers that drive it directly. */
  readonly decoder: RespDecoder;

  /** `limits` as for `RespDecoder`. */
  constructor(limits: DecoderLimits = DEFAULT_LIMITS) {
    const decoder = new RespDecoder(limits);
    super({
      transform(chunk, controller) {
        const batch = decoder.decode(chunk);
        if (batch.length > 0) controller.enqueue(batch);
        if (decoder.error !== undefined) controller.terminate();
      },
    });
    this.decoder = decoder;
  }

  /** The protocol error that ended the stream, if any. */
  get error(): ProtocolError | undefined {
    return this.decoder.error;
  }
}
