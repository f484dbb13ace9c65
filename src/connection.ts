/**
 * One client connection: bytes read into a reused buffer go through the
 * RESP decoder; every command of a chunk runs in order; all their replies
 * leave in a single write.
 *
 * Reads continue while the client is blocked (BLPOP) so a disconnect is
 * noticed at once; commands that arrive meanwhile wait their turn.
 *
 * @module
 */
import { bufferView } from "./util/bytes.ts";
import {
  heldByPause,
  waitForPause,
} from "./commands/connection/client_pause.ts";
import { RespDecoder, RespDecoderStream } from "./protocol/decoder.ts";
import {
  beginTimedBatch,
  dispatch,
  endTimedBatch,
} from "./commands/dispatch.ts";
import type { Argv } from "./protocol/types.ts";
import type { Client } from "./client.ts";
import type { ServerState } from "./state.ts";
import { log } from "./log.ts";
import type { IoTurn } from "./io_turn.ts";
import { reprString } from "./util/repr.ts";
import type { ProtocolError } from "./errors.ts";
import { clientInfoLine } from "./commands/connection/client_info.ts";
import {
  noteQueryRead,
  noteReplyPeak,
} from "./commands/connection/client_buffers.ts";

const READ_SIZE = 16 * 1024;
const FIRST_READ_SIZE = 1024;
// Pending replies at which a client's queued commands wait for a write.
const OUTPUT_HIGH_WATER = 1024 * 1024;
const NOTHING = new Uint8Array(0);

const encoder = new TextEncoder();

/** The socket side of a client: reading, running and writing. */
export class Connection {
  readonly conn: Deno.Conn;
  readonly server: ServerState;
  client!: Client;
  readonly decoder: RespDecoder;
  #queue: Argv[] = [];
  #queueIndex = 0;
  #writing = false;
  // Waiting for the write in progress to end.
  #written: (() => void)[] = [];
  // #process stopped at OUTPUT_HIGH_WATER with commands left.
  #outputFull = false;
  #spare: Uint8Array | undefined;
  #closed = false;
  #wakeScheduled = false;
  readonly #turn: IoTurn | undefined;

  /** Wraps an accepted socket; call `run()` to serve it. */
  constructor(server: ServerState, conn: Deno.Conn, turn?: IoTurn) {
    this.server = server;
    this.conn = conn;
    this.decoder = new RespDecoder(server.limits);
    this.#turn = turn;
  }

  // Waits until the event loop has polled every socket (see io_turn.ts).
  #nextTurn(): Promise<unknown> {
    // Without the server's IoTurn, a digest on Deno's worker threads
    // usually gives the runtime a chance to look at its sockets.
    return this.#turn?.next() ?? crypto.subtle.digest("SHA-1", NOTHING);
  }

  /**
   * Serves the connection until it closes. The default path drives the
   * decoder synchronously from a `conn.read()` loop over one reused buffer;
   * `stream` feeds the same decoder as a `RespDecoderStream` from a BYOB
   * reader (kept to measure the web-stream plumbing: see the README).
   */
  async run(mode: "read" | "stream" = "read"): Promise<void> {
    try {
      if (mode === "stream") await this.#runStream();
      else await this.#runRead();
    } catch (e) {
      if (!this.#closed && !isDisconnect(e)) {
        log.verbose(
          `Error on client ${this.client.id}: ${(e as Error).message}`,
        );
      }
    } finally {
      this.close(this.#peerClosed ? "peer" : "connection closed");
    }
  }

  // The peer closed its side (a read returned EOF): Redis logs that one.
  #peerClosed = false;

  async #runRead(): Promise<void> {
    const client = this.client;
    const decoder = this.decoder;
    // Small until a read fills it: thousands of idle connections then
    // hold 1 KB each, not 16 KB (Redis sizes its query buffers lazily too).
    let buf = new Uint8Array(FIRST_READ_SIZE);
    let view = bufferView(buf);
    while (!this.#closed) {
      decoder.unauthenticated = !client.authenticated;
      const n = await this.conn.read(buf);
      if (n === null) this.#peerClosed = true;
      if (n === null || this.#closed) break;
      this.#received(n);
      const commands = decoder.decode(buf, 0, n, view);
      if (n === buf.length && n < READ_SIZE) {
        // The decoder keeps no reference to the old one.
        buf = new Uint8Array(READ_SIZE);
        view = bufferView(buf);
      }
      if (!await this.#afterChunk(commands, decoder)) break;
      // A read of a socket that already holds data completes without going
      // back to the event loop, so a client streaming a long pipeline
      // would keep the thread until its socket runs dry. After a full read
      // that ran commands, the others get their turn (Redis serves each
      // client one read per event-loop turn); a big argument arriving is
      // only copied, and goes on.
      if (n === READ_SIZE && commands.length !== 0) await this.#nextTurn();
    }
  }

  async #runStream(): Promise<void> {
    const client = this.client;
    const stream = new RespDecoderStream(this.server.limits);
    const reader = this.conn.readable.getReader({ mode: "byob" });
    const writer = stream.writable.getWriter();
    const batches = stream.readable.getReader();
    const none = Promise.resolve(undefined);
    // A read is always outstanding, so a batch the transform enqueues
    // fulfils it during the write, before the write's promise settles.
    let next = batches.read();
    let buf = new Uint8Array(READ_SIZE);
    try {
      while (!this.#closed) {
        stream.decoder.unauthenticated = !client.authenticated;
        const { value, done } = await reader.read(buf);
        if (done) this.#peerClosed = true;
        if (done || value === undefined || this.#closed) break;
        this.#received(value.length);
        await writer.write(value).catch(() => {});
        let commands: string[][] = [];
        const r = await Promise.race([next, none]);
        if (r !== undefined) {
          if (!r.done) commands = r.value;
          next = batches.read();
        }
        // BYOB reads transfer the buffer; take it back for the next read.
        buf = new Uint8Array(value.buffer, 0, READ_SIZE);
        if (!await this.#afterChunk(commands, stream.decoder)) break;
      }
    } finally {
      reader.releaseLock();
    }
  }

  #received(n: number): void {
    const client = this.client;
    noteQueryRead(client, n);
    client.netIn += n;
    this.server.stats.netInput += n;
    this.server.stats.totalReads++;
    client.lastInteraction = this.server.clock.now();
  }

  // Runs a chunk's commands and writes the replies. Returns false to stop reading.
  async #afterChunk(
    commands: string[][],
    decoder: RespDecoder,
  ): Promise<boolean> {
    const client = this.client;
    client.queryBuffer = decoder.buffered;
    client.queryBufferRoom = decoder.pendingCapacity;
    if (commands.length !== 0) {
      if (this.#queueIndex === this.#queue.length) {
        this.#queue = commands;
        this.#queueIndex = 0;
      } else {
        for (const c of commands) this.#queue.push(c);
      }
      this.#process();
    }
    // The replies grew large: write them before running the rest.
    while (this.#outputFull && !this.#closed) {
      this.#outputFull = false;
      await this.#flush();
      await this.#writeDone();
      this.#process();
    }
    if (
      decoder.error !== undefined && this.#queueIndex === this.#queue.length
    ) {
      if (!decoder.error.silent) {
        client.out.line(45, `ERR Protocol error: ${decoder.error.message}`);
        logProtocolError(this.server, client, decoder.error);
      } else {
        log.warning(
          `Closing client that reached max query buffer length: ${
            clientInfoLine(this.server, client)
          } (qbuf initial bytes: ${reprString(decoder.error.query)})`,
        );
      }
      client.closeAfterReply = true;
    }
    this.server.clientLimits?.afterBatch(client);
    if (client.out.length !== 0) await this.#flush();
    return !(client.closeAfterReply && client.out.length === 0 &&
      client.blocked === undefined);
  }

  // Runs queued commands until the queue is empty, the client blocks, or
  // (with no output limit set) its pending replies reach OUTPUT_HIGH_WATER:
  // a client pipelining requests for big replies it does not read then
  // costs a megabyte, not everything its pipeline asks for.
  #process(): void {
    const client = this.client;
    const queue = this.#queue;
    const timeAsBatch = queue.length - this.#queueIndex > 1;
    // Defined only while a normal-class output limit or maxmemory-clients
    // is on.
    const limits = this.server.clientLimits;
    const holdBack = limits === undefined || limits.holdBack;
    if (timeAsBatch) beginTimedBatch();
    while (
      this.#queueIndex < queue.length && client.blocked === undefined &&
      !client.closeAfterReply && !this.#closed
    ) {
      const argv = queue[this.#queueIndex]!;
      if (
        this.server.pause !== undefined &&
        heldByPause(this.server, client, argv)
      ) {
        waitForPause(this.server, client);
        break;
      }
      this.#queueIndex++;
      dispatch(this.server, client, argv);
      // Over its output limit: closed, and nothing after it runs (Redis
      // stops reading a client it will close as soon as possible).
      if (limits !== undefined && limits.afterCommand(client)) break;
      if (holdBack && client.out.length >= OUTPUT_HIGH_WATER) {
        this.#outputFull = this.#queueIndex < queue.length;
        break;
      }
    }
    if (timeAsBatch) endTimedBatch(this.server);
    if (this.#queueIndex === queue.length && queue.length > 64) {
      this.#queue = [];
      this.#queueIndex = 0;
    }
  }

  /**
   * Called when replies were produced outside this client's own read loop
   * (it was unblocked, or received a pub/sub message): runs commands that
   * waited and writes the output.
   */
  wake(): void {
    if (this.#closed || this.#wakeScheduled) return;
    // Deferred: the caller is usually in the middle of another client's command.
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      if (this.#closed) return;
      if (this.client.blocked === undefined) this.#process();
      this.server.clientLimits?.afterBatch(this.client);
      this.#flush().then(
        () => {
          if (
            this.client.closeAfterReply && this.client.blocked === undefined
          ) this.close("quit");
          else if (this.#outputFull && !this.#writing) {
            this.#outputFull = false;
            this.wake();
          }
        },
        () => this.close("write error"),
      );
    });
  }

  // Writes everything in client.out. Replies appended during the write go
  // into a second buffer and are written by the same loop.
  async #flush(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    const out = this.client.out;
    try {
      // No reply leaves before the AOF holds the writes it acknowledges
      // (or that it lets the client observe); one write serves every
      // connection of this turn of the event loop.
      const aof = this.server.aof?.beforeReply();
      if (aof !== undefined) await aof;
      while (out.length !== 0 && !this.#closed) {
        noteReplyPeak(this.client, out.length);
        const data = out.buf.subarray(0, out.length);
        // Swap in the spare buffer so new replies do not touch bytes in flight.
        const spare = this.#spare !== undefined && this.#spare.length >= 1024
          ? this.#spare
          : new Uint8Array(Math.min(out.buf.length, 16 * 1024));
        this.#spare = undefined;
        const filled = out.buf;
        out.buf = spare;
        out.length = 0;
        let off = 0;
        this.client.outInFlight = data.length;
        while (off < data.length) {
          off += await this.conn.write(off === 0 ? data : data.subarray(off));
          this.client.outInFlight = data.length - off;
          // A client taking a long reply is not idle (Redis counts writes
          // as interaction); a reply written at once follows a read that
          // already counted.
          if (off < data.length) {
            this.client.lastInteraction = this.server.clock.now();
          }
        }
        this.client.netOut += data.length;
        this.server.stats.netOutput += data.length;
        this.server.stats.totalWrites++;
        // Keep the larger buffer for the next batch, unless it grew huge.
        if (filled.length <= 1024 * 1024) this.#spare = filled;
        if (
          out.length === 0 && out.buf.length < filled.length &&
          this.#spare === filled
        ) {
          this.#spare = out.buf;
          out.buf = filled;
        }
      }
    } finally {
      this.#writing = false;
      if (this.#written.length !== 0) {
        for (const resolve of this.#written.splice(0)) resolve();
      }
    }
  }

  // Resolves when no write is in progress (a flush started elsewhere,
  // such as by wake(), returns at once while it writes).
  #writeDone(): Promise<void> {
    return this.#writing
      ? new Promise((resolve) => this.#written.push(resolve))
      : Promise.resolve();
  }

  /** Closes the socket and forgets the client. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.client.closed = true;
    if (reason === "peer" && log.enabled("verbose")) {
      log.verbose(
        `Client closed connection ${clientInfoLine(this.server, this.client)}`,
      );
    }
    try {
      this.conn.close();
    } catch {
      // Already closed by the peer.
    }
    for (const hook of this.server.clientCloseHooks) hook(this.client);
    this.server.clients.delete(this.client.id);
  }

  /** Writes raw text and closes (refused connections). */
  async refuse(text: string): Promise<void> {
    try {
      await this.conn.write(encoder.encode(text));
    } catch {
      // The peer may be gone already.
    }
    try {
      this.conn.close();
    } catch {
      // Nothing left to close.
    }
  }
}

// What Redis's log calls the errors whose reply words differ.
const LOGGED_AS: Record<string, string> = {
  "unbalanced quotes in request": "unbalanced quotes in inline request",
};

// Redis's setProtocolError: at verbose, the error, the client and what was
// left in its query buffer, unprintable bytes as dots.
function logProtocolError(
  server: ServerState,
  client: Client,
  error: ProtocolError,
): void {
  if (!log.enabled("verbose")) return;
  const reason = error.message.startsWith("expected '$'")
    ? "expected $ but got something else"
    : LOGGED_AS[error.message] ?? error.message;
  const query = error.query.replace(/[^\x20-\x7e]/g, ".");
  log.verbose(
    `Protocol error (${reason}) from client: ${
      clientInfoLine(server, client)
    }. Query buffer during protocol error: '${query}'`,
  );
}

function isDisconnect(e: unknown): boolean {
  return e instanceof Deno.errors.ConnectionReset ||
    e instanceof Deno.errors.BrokenPipe ||
    e instanceof Deno.errors.BadResource ||
    e instanceof Deno.errors.Interrupted ||
    e instanceof Deno.errors.NotConnected;
}
