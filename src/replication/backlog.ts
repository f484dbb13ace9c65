/**
 * The replication backlog: the most recent bytes of the replication stream,
 * numbered by their replication offset, so a replica that lost its link
 * can resume (PSYNC) from any offset still held.
 *
 * As in Redis 7.0, the backlog and the replicas share one buffer: the
 * stream is written once into a list of blocks; each replica only keeps
 * the offset of the next byte it must be sent, and a block is dropped
 * only when it is beyond `repl-backlog-size` of history and no replica
 * still needs it. A replica's "output buffer" is the distance between its
 * offset and the end of the stream (client-output-buffer-limit replica).
 *
 * Offsets are Redis's: the first byte ever fed is offset 1, and `offset`
 * is the number of the last byte fed (master_repl_offset).
 *
 * @module
 */
import type { Argv } from "../protocol/types.ts";
import { writeLatin1 } from "../util/bytes.ts";

/** Bytes of a new block (larger when one command needs more). */
const BLOCK_SIZE = 64 * 1024;

interface Block {
  /** Offset of the block's first byte. */
  start: number;
  buf: Uint8Array;
  used: number;
}

/** A contiguous piece of the stream (a view into a block). */
export interface StreamPiece {
  bytes: Uint8Array;
  /** Offset of the first byte of `bytes`. */
  from: number;
}

/** The shared replication buffer; see the module comment. */
export class Backlog {
  /** repl-backlog-size: bytes of history kept beyond what replicas need. */
  size: number;
  #offset: number;
  #histlen = 0;
  #blocks: Block[] = [];
  // Index of the first live block in #blocks (dropped blocks are
  // compacted away now and then, not shifted one by one).
  #head = 0;

  /**
   * An empty backlog whose next byte will be `offset + 1` (Redis's
   * createReplicationBacklog leaves master_repl_offset as it is).
   */
  constructor(size: number, offset: number) {
    this.size = size;
    this.#offset = offset;
  }

  /** master_repl_offset: the offset of the last byte fed. */
  get offset(): number {
    return this.#offset;
  }

  /** repl_backlog_histlen: bytes held. */
  get histlen(): number {
    return this.#histlen;
  }

  /** repl_backlog_first_byte_offset: offset of the oldest byte held. */
  get firstOffset(): number {
    return this.#offset - this.#histlen + 1;
  }

  /** Bytes allocated for the blocks (INFO mem_replication_backlog). */
  get allocated(): number {
    let n = 0;
    for (let i = this.#head; i < this.#blocks.length; i++) {
      n += this.#blocks[i]!.buf.length;
    }
    return n;
  }

  /**
   * True when a replica asking for the stream from `from` (PSYNC's offset,
   * the first byte it lacks) can be served from here.
   */
  covers(from: number): boolean {
    return from >= this.firstOffset && from <= this.#offset + 1;
  }

  /** Appends the RESP multibulk encoding of `argv`, as Redis feeds commands. */
  appendCommand(argv: Argv): void {
    let len = 3 + digits(argv.length);
    for (let i = 0; i < argv.length; i++) {
      const n = argv[i]!.length;
      len += 5 + digits(n) + n;
    }
    const block = this.#room(len);
    const buf = block.buf;
    let pos = block.used;
    pos = writeHeader(buf, pos, 42, argv.length); // '*'
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      pos = writeHeader(buf, pos, 36, a.length); // '$'
      if (typeof a === "string") pos += writeLatin1(a, buf, pos);
      else {
        buf.set(a, pos);
        pos += (a as Uint8Array).length;
      }
      buf[pos++] = 13;
      buf[pos++] = 10;
    }
    block.used = pos;
    this.#offset += len;
    this.#histlen += len;
  }

  /** Appends raw stream bytes (a replica proxying its master's stream). */
  appendBytes(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      // A new block starts at the current offset: count each part as it goes.
      const block = this.#room(1);
      const n = Math.min(block.buf.length - block.used, bytes.length - at);
      block.buf.set(bytes.subarray(at, at + n), block.used);
      block.used += n;
      at += n;
      this.#offset += n;
      this.#histlen += n;
    }
  }

  /**
   * The bytes from offset `from` to the end of the block that holds it, or
   * undefined when `from` is past the end of the stream (or no longer held).
   * The view stays valid: blocks are never rewritten below `used`.
   */
  read(from: number): StreamPiece | undefined {
    if (from > this.#offset || from < this.firstOffset) return undefined;
    const i = this.#find(from);
    const block = this.#blocks[i]!;
    const at = from - block.start;
    return { bytes: block.buf.subarray(at, block.used), from };
  }

  /**
   * Drops the oldest blocks while more than `size` bytes of history would
   * remain and no replica needs them (`keepFrom`: the lowest offset some
   * replica has yet to be sent; Infinity when none).
   */
  trim(keepFrom: number): void {
    const blocks = this.#blocks;
    while (this.#histlen > this.size && blocks.length - this.#head > 1) {
      const first = blocks[this.#head]!;
      const end = first.start + first.used; // first offset not in it
      if (end > keepFrom) break;
      if (this.#histlen - first.used <= this.size) break;
      this.#histlen -= first.used;
      blocks[this.#head] = undefined as unknown as Block;
      this.#head++;
    }
    if (this.#head > 64 && this.#head * 2 > blocks.length) {
      this.#blocks = blocks.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Shifts every offset by `delta` (a master restarted from an RDB file
   * that carried its replication offset: Redis's rebaseReplicationBuffer).
   */
  rebase(delta: number): void {
    this.#offset += delta;
    for (let i = this.#head; i < this.#blocks.length; i++) {
      this.#blocks[i]!.start += delta;
    }
  }

  // The tail block, with room for `n` more bytes (a new block otherwise).
  #room(n: number): Block {
    const blocks = this.#blocks;
    const tail = blocks.length > this.#head
      ? blocks[blocks.length - 1]
      : undefined;
    if (tail !== undefined && tail.buf.length - tail.used >= n) return tail;
    const block: Block = {
      start: this.#offset + 1,
      buf: new Uint8Array(Math.max(BLOCK_SIZE, n)),
      used: 0,
    };
    blocks.push(block);
    return block;
  }

  // Index of the block holding offset `at` (which must be held).
  #find(at: number): number {
    const blocks = this.#blocks;
    let lo = this.#head;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid]!.start <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function digits(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  if (n < 10000) return 4;
  if (n < 100000) return 5;
  return String(n).length;
}

// `<prefix><n>\r\n` at `pos`; returns the position after it.
function writeHeader(
  buf: Uint8Array,
  pos: number,
  prefix: number,
  n: number,
): number {
  buf[pos++] = prefix;
  if (n < 10) {
    buf[pos++] = 48 + n;
  } else if (n < 100) {
    buf[pos++] = 48 + ((n / 10) | 0);
    buf[pos++] = 48 + (n % 10);
  } else {
    const d = digits(n);
    let end = pos + d;
    for (let v = n; end > pos;) {
      buf[--end] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    pos += d;
  }
  buf[pos++] = 13;
  buf[pos++] = 10;
  return pos;
}
