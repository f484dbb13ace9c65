/**
 * `NodeSocketConn`: a `Deno.Conn` over a connected `node:net`/`node:tls`
 * socket, so the connection code reads TLS clients (which `node:tls`
 * accepts, see `tls.ts`) with the same `read(buffer)` loop as plain ones.
 *
 * @module
 */
import type { Socket } from "node:net";

const HIGH_WATER = 64 * 1024;

/** A node stream error as the Deno error the connection code expects. */
export function denoError(e: unknown): Error {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message ?? String(e);
  switch (code) {
    case "ECONNRESET":
      return new Deno.errors.ConnectionReset(message);
    case "EPIPE":
    case "ERR_STREAM_DESTROYED":
    case "ERR_STREAM_WRITE_AFTER_END":
      return new Deno.errors.BrokenPipe(message);
    case "ENOTCONN":
      return new Deno.errors.NotConnected(message);
  }
  return e instanceof Error ? e : new Error(message);
}

function netAddr(hostname: string | undefined, port: number | undefined) {
  return {
    transport: "tcp" as const,
    hostname: hostname ?? "",
    port: port ?? 0,
  };
}

/**
 * A `Deno.Conn` over a connected node socket (TLS or plain): `read()`
 * takes from the chunks the socket delivered, pausing it while more than
 * 64 KiB wait; `write()` resolves once node has written the bytes, so
 * the caller may reuse its buffer.
 */
export class NodeSocketConn implements Deno.TcpConn {
  readonly localAddr: Deno.NetAddr;
  readonly remoteAddr: Deno.NetAddr;
  #socket: Socket;
  #chunks: Uint8Array[] = [];
  #head = 0;
  #offset = 0;
  #buffered = 0;
  #eof = false;
  #error: Error | undefined;
  #closed = false;
  #paused = false;
  #wake: (() => void) | undefined;
  #readable: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  #writable: WritableStream<Uint8Array> | undefined;

  /** Wraps `socket`, which must be connected (TLS: handshake done). */
  constructor(socket: Socket) {
    this.#socket = socket;
    this.localAddr = netAddr(socket.localAddress, socket.localPort);
    this.remoteAddr = netAddr(socket.remoteAddress, socket.remotePort);
    socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#buffered > HIGH_WATER && !this.#paused) {
        this.#paused = true;
        socket.pause();
      }
      this.#notify();
    });
    socket.on("end", () => {
      this.#eof = true;
      this.#notify();
    });
    socket.on("close", () => {
      this.#eof = true;
      this.#notify();
    });
    socket.on("error", (e: Error) => {
      this.#error ??= denoError(e);
      this.#notify();
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Reads what has arrived into `p`; null at end of stream. */
  async read(p: Uint8Array): Promise<number | null> {
    while (this.#buffered === 0) {
      if (this.#closed) throw new Deno.errors.BadResource("Connection closed");
      if (this.#error !== undefined) throw this.#error;
      if (this.#eof) return null;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    let n = 0;
    while (n < p.length && this.#buffered > 0) {
      const chunk = this.#chunks[this.#head]!;
      const take = Math.min(p.length - n, chunk.length - this.#offset);
      p.set(chunk.subarray(this.#offset, this.#offset + take), n);
      n += take;
      this.#offset += take;
      this.#buffered -= take;
      if (this.#offset === chunk.length) {
        this.#head++;
        this.#offset = 0;
      }
    }
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    }
    if (this.#paused && this.#buffered <= HIGH_WATER / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    return n;
  }

  /** Writes all of `p`; resolves with its length once node has sent it. */
  write(p: Uint8Array): Promise<number> {
    if (this.#closed) {
      return Promise.reject(new Deno.errors.BadResource("Connection closed"));
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#socket.write(p, (err?: Error | null) => {
        if (err) reject(denoError(err));
        else resolve(p.length);
      });
    });
  }

  /** Closes both directions at once. */
  close(): void {
    if (this.#closed) throw new Deno.errors.BadResource("Connection closed");
    this.#closed = true;
    this.#socket.destroy();
    this.#notify();
  }

  /** Ends the writing side (TLS: sends close_notify). */
  closeWrite(): Promise<void> {
    return new Promise((resolve) => this.#socket.end(() => resolve()));
  }

  /** See `Deno.TcpConn.setNoDelay`. */
  setNoDelay(noDelay = true): void {
    this.#socket.setNoDelay(noDelay);
  }

  /** See `Deno.TcpConn.setKeepAlive`. */
  setKeepAlive(keepAlive = true): void {
    this.#socket.setKeepAlive(keepAlive);
  }

  /** Keeps the event loop alive while open. */
  ref(): void {
    this.#socket.ref();
  }

  /** Lets the event loop end while open. */
  unref(): void {
    this.#socket.unref();
  }

  /** The received bytes as a byte stream (supports BYOB readers). */
  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.#readable ??= new ReadableStream({
      type: "bytes",
      autoAllocateChunkSize: 16 * 1024,
      pull: async (controller) => {
        const request = controller.byobRequest!;
        const view = request.view!;
        const n = await this.read(
          new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
        );
        if (n === null) {
          controller.close();
          request.respond(0);
        } else {
          request.respond(n);
        }
      },
      cancel: () => {
        if (!this.#closed) this.close();
      },
    });
    return this.#readable;
  }

  /** A stream that writes to the connection. */
  get writable(): WritableStream<Uint8Array> {
    this.#writable ??= new WritableStream({
      write: async (chunk) => {
        await this.write(chunk);
      },
      close: () => this.closeWrite(),
    });
    return this.#writable;
  }

  /** Closes the connection unless already closed. */
  [Symbol.dispose](): void {
    if (!this.#closed) this.close();
  }
}
