/**
 * A small raw RESP client for tests: `call(...argv)` returns the decoded
 * reply (errors are returned as `RespError`, not thrown, so tests can assert
 * on them), `callRaw(...argv)` returns the reply's exact bytes as a latin1
 * string, and `sendRaw(text)` writes arbitrary bytes.
 *
 * @module
 */

/** An error reply. */
export class RespError {
  /** The error line without the leading `-`. */
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** A RESP3 push frame. */
export class RespPush {
  readonly items: RespValue[];
  constructor(items: RespValue[]) {
    this.items = items;
  }
}

/** A RESP3 verbatim string. */
export class RespVerbatim {
  readonly format: string;
  readonly text: string;
  constructor(format: string, text: string) {
    this.format = format;
    this.text = text;
  }
}

/** A decoded reply. Bulk and simple strings are latin1 strings. */
export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | RespError
  | RespPush
  | RespVerbatim
  | RespValue[]
  | Map<RespValue, RespValue>
  | Set<RespValue>;

/** Converts text to the latin1 string of its UTF-8 bytes (use for non-ASCII test data). */
export function latin1(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Encodes argv as a RESP multibulk request (latin1 strings = bytes). */
export function encodeCommand(argv: readonly (string | number)[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) {
    const v = String(a);
    s += `$${v.length}\r\n${v}\r\n`;
  }
  return s;
}

/**
 * Parses one reply at `pos` of latin1 string `buf`. Returns the value and the
 * position after it, or undefined when the reply is incomplete.
 */
export function parseReply(
  buf: string,
  pos: number,
): { value: RespValue; end: number } | undefined {
  const nl = buf.indexOf("\r\n", pos);
  if (nl < 0) return undefined;
  const type = buf[pos];
  const line = buf.slice(pos + 1, nl);
  const after = nl + 2;
  switch (type) {
    case "+":
      return { value: line, end: after };
    case "-":
      return { value: new RespError(line), end: after };
    case ":":
      return { value: toNumber(line), end: after };
    case "(":
      return { value: BigInt(line), end: after };
    case ",":
      return {
        value: line === "inf"
          ? Infinity
          : line === "-inf"
          ? -Infinity
          : Number(line),
        end: after,
      };
    case "#":
      return { value: line === "t", end: after };
    case "_":
      return { value: null, end: after };
    case "$":
    case "=":
    case "!": {
      const len = Number(line);
      if (len < 0) return { value: null, end: after };
      if (buf.length < after + len + 2) return undefined;
      const data = buf.slice(after, after + len);
      const value = type === "="
        ? new RespVerbatim(data.slice(0, 3), data.slice(4))
        : type === "!"
        ? new RespError(data)
        : data;
      return { value, end: after + len + 2 };
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      const count = Number(line);
      if (count < 0) return { value: null, end: after };
      const n = type === "%" || type === "|" ? count * 2 : count;
      const items: RespValue[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (r === undefined) return undefined;
        items.push(r.value);
        p = r.end;
      }
      if (type === "|") {
        // An attribute precedes the real reply; tests see only the reply.
        return parseReply(buf, p);
      }
      if (type === "*") return { value: items, end: p };
      if (type === "~") return { value: new Set(items), end: p };
      if (type === ">") return { value: new RespPush(items), end: p };
      const map = new Map<RespValue, RespValue>();
      for (let i = 0; i < items.length; i += 2) {
        map.set(items[i]!, items[i + 1]!);
      }
      return { value: map, end: p };
    }
    default:
      throw new SyntaxError(
        `Bad reply type byte ${JSON.stringify(type)} in ${
          JSON.stringify(buf.slice(pos, pos + 40))
        }`,
      );
  }
}

function toNumber(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** A connection speaking raw RESP. */
export class RespClient {
  readonly conn: Deno.TcpConn;
  #buf = "";
  #readBuf = new Uint8Array(64 * 1024);
  #closed = false;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  /** Connects to 127.0.0.1:`port`. */
  static async connect(
    port: number,
    hostname = "127.0.0.1",
  ): Promise<RespClient> {
    const conn = await Deno.connect({ hostname, port });
    return new RespClient(conn);
  }

  /**
   * Speaks RESP over a connection opened some other way (TLS, a unix
   * socket); `conn.setNoDelay` and the like are then not available.
   */
  static over(conn: Deno.Conn): RespClient {
    return new RespClient(conn as Deno.TcpConn);
  }

  /** Sends a command and returns its decoded reply. */
  async call(...argv: (string | number)[]): Promise<RespValue> {
    await this.sendRaw(encodeCommand(argv));
    return await this.read();
  }

  /** Sends a command and returns its reply's exact bytes (latin1). */
  async callRaw(...argv: (string | number)[]): Promise<string> {
    await this.sendRaw(encodeCommand(argv));
    return await this.readRaw();
  }

  /** Sends several commands at once and returns their replies. */
  async pipeline(commands: (string | number)[][]): Promise<RespValue[]> {
    await this.sendRaw(commands.map(encodeCommand).join(""));
    const out: RespValue[] = [];
    for (let i = 0; i < commands.length; i++) out.push(await this.read());
    return out;
  }

  /** Writes latin1 text as bytes. */
  async sendRaw(text: string): Promise<void> {
    const bytes = toBytes(text);
    let off = 0;
    while (off < bytes.length) {
      off += await this.conn.write(bytes.subarray(off));
    }
  }

  /** Reads one decoded reply. */
  async read(timeoutMs = 10000): Promise<RespValue> {
    const raw = await this.readRaw(timeoutMs);
    return parseReply(raw, 0)!.value;
  }

  /** Reads one reply's exact bytes. Rejects on EOF or timeout. */
  async readRaw(timeoutMs = 10000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#buf.length > 0) {
        const r = parseReply(this.#buf, 0);
        if (r !== undefined) {
          const raw = this.#buf.slice(0, r.end);
          this.#buf = this.#buf.slice(r.end);
          return raw;
        }
      }
      const n = await this.#readChunk(deadline - Date.now());
      if (n === null) {
        throw new Error(
          `Connection closed; unparsed: ${JSON.stringify(this.#buf)}`,
        );
      }
    }
  }

  /** Reads whatever arrives within `ms` (or until EOF); returns it raw. */
  async readFor(ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const n = await this.#readChunk(deadline - Date.now()).catch(() => 0);
      if (n === null) {
        const out = this.#buf + "<EOF>";
        this.#buf = "";
        return out;
      }
    }
    const out = this.#buf;
    this.#buf = "";
    return out;
  }

  /** True once the server has closed the connection (waits up to `ms`). */
  async isClosedByServer(ms = 2000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      try {
        const n = await this.#readChunk(deadline - Date.now());
        if (n === null) return true;
      } catch (e) {
        if ((e as Error).message === "timeout") return false;
        return true;
      }
    }
    return false;
  }

  // One read is kept outstanding across timeouts, so no data is ever lost
  // to a read whose result nobody awaits.
  #pending: Promise<number | null> | undefined;

  async #readChunk(ms: number): Promise<number | null> {
    if (ms <= 0) throw new Error("timeout");
    this.#pending ??= this.conn.read(this.#readBuf).catch(() => null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    });
    try {
      const n = await Promise.race([this.#pending, timeout]);
      if (n === "timeout") throw new Error("timeout");
      this.#pending = undefined;
      if (n === null) return null;
      let s = "";
      for (let i = 0; i < n; i += 8192) {
        s += String.fromCharCode(
          ...this.#readBuf.subarray(i, Math.min(n, i + 8192)),
        );
      }
      this.#buf += s;
      return n;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
