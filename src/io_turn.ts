/**
 * IoTurn: a way for a connection to wait until the event loop has polled
 * every socket, so one client cannot keep the thread for as long as its
 * socket holds data.
 *
 * Deno completes a read of a socket that already holds data at once, and
 * the runtime looks for other ready sockets only when it runs out of
 * ready work (or every few dozen tasks). A timer would make it look, but
 * costs a millisecond or more; a message or a microtask does not. So the
 * server keeps a connected pair of loopback sockets: `next()` writes a
 * byte into one end and waits to read it from the other, which the
 * runtime can only see by polling its sockets, about 10 µs later. Every
 * connection waiting at that moment shares the same turn.
 *
 * @module
 */

const ONE = new Uint8Array([1]);

/** The loopback pair behind `next()`, opened on first use. */
export class IoTurn {
  #pair: Promise<{ a: Deno.TcpConn; b: Deno.TcpConn } | undefined> | undefined;
  #pending: Promise<void> | undefined;
  #sink = new Uint8Array(256);
  #closed = false;

  /** Resolves once the event loop has polled the sockets. */
  next(): Promise<void> {
    return this.#pending ??= this.#turn();
  }

  async #turn(): Promise<void> {
    try {
      this.#pair ??= open();
      const pair = await this.#pair;
      if (pair === undefined || this.#closed) {
        // No loopback pair (no network permission for it): a timer is
        // slower but makes the runtime look at its sockets too.
        await new Promise((resolve) => setTimeout(resolve, 0));
        return;
      }
      await pair.a.write(ONE);
      await pair.b.read(this.#sink);
    } catch {
      // Closed under us (server shutdown): nothing to wait for.
    } finally {
      this.#pending = undefined;
    }
  }

  /** Closes the pair (server shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    const pair = await this.#pair?.catch(() => undefined);
    for (const c of [pair?.a, pair?.b]) {
      try {
        c?.close();
      } catch {
        // Closed already.
      }
    }
  }
}

// Connects to a listener of our own on 127.0.0.1 and keeps the accepted
// end that is really ours (another local process could connect first).
async function open(): Promise<
  { a: Deno.TcpConn; b: Deno.TcpConn } | undefined
> {
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  } catch {
    return undefined;
  }
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const a = await Deno.connect({ hostname: "127.0.0.1", port });
    const mine = (a.localAddr as Deno.NetAddr).port;
    for (;;) {
      const b = await listener.accept();
      if ((b.remoteAddr as Deno.NetAddr).port === mine) {
        a.setNoDelay(true);
        return { a, b };
      }
      b.close();
    }
  } catch {
    return undefined;
  } finally {
    listener.close();
  }
}
