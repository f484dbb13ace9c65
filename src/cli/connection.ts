/**
 * The CLI's connection: sends commands as RESP multibulk and reads replies.
 *
 * @module
 */
import { bytesToLatin1, latin1ToBytes } from "../util/bytes.ts";
import { type CliReply, parseCliReply } from "./reply.ts";

/** A connection to a server. */
export class CliConnection {
  readonly host: string;
  readonly port: number;
  #conn: Deno.TcpConn;
  #buf = "";
  #chunk = new Uint8Array(64 * 1024);

  private constructor(conn: Deno.TcpConn, host: string, port: number) {
    this.#conn = conn;
    this.host = host;
    this.port = port;
  }

  /** Opens a connection. */
  static async open(host: string, port: number): Promise<CliConnection> {
    const conn = await Deno.connect({ hostname: host, port });
    conn.setNoDelay(true);
    return new CliConnection(conn, host, port);
  }

  /** Sends one command (latin1 words). */
  async send(argv: readonly string[]): Promise<void> {
    let text = `*${argv.length}\r\n`;
    for (const a of argv) text += `$${a.length}\r\n${a}\r\n`;
    const bytes = latin1ToBytes(text);
    let off = 0;
    while (off < bytes.length) {
      off += await this.#conn.write(bytes.subarray(off));
    }
  }

  /** Reads the next reply; undefined when the server closed the connection. */
  async read(): Promise<CliReply | undefined> {
    for (;;) {
      if (this.#buf.length > 0) {
        const r = parseCliReply(this.#buf, 0);
        if (r !== undefined) {
          this.#buf = this.#buf.slice(r.end);
          return r.reply;
        }
      }
      const n = await this.#conn.read(this.#chunk);
      if (n === null) return undefined;
      this.#buf += bytesToLatin1(this.#chunk.subarray(0, n));
    }
  }

  /** Sends a command and reads its reply. */
  async call(argv: readonly string[]): Promise<CliReply | undefined> {
    await this.send(argv);
    return await this.read();
  }

  /** Closes the connection. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }
}
