/**
 * The wire protocol over TCP: inline commands, pipelining, protocol errors
 * (one `-ERR Protocol error: ...` reply, then the connection closes), binary
 * keys and values, and how one misbehaving client affects the others (it
 * must not).
 *
 * The differential suites compare raw bytes with real redis-server 7.0; the
 * behaviour tests run against `spawnServer()`'s default target, so
 * `TSREDIS_TARGET=redis-server` checks them against Redis itself.
 *
 * @module
 */
import { differential, type Script } from "../_harness/differential.ts";
import { encodeCommand } from "../_harness/resp_client.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";
import { assert, assertEquals } from "../_deps.ts";

function mbulk(...argv: string[]): string {
  return encodeCommand(argv);
}

// Every byte value, as a latin1 string.
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i))
  .join("");

/** A protocol error: the exact reply, then the server closes the connection. */
function protocolError(raw: string): Script[number] {
  return { raw, readFor: 3000 };
}

differential(import.meta.url, {
  "inline PING, ECHO, SET and GET": [
    { raw: "PING\r\n" },
    { raw: "ping hello\r\n" },
    { raw: "ECHO hello\n" },
    { raw: "SET k v\r\n" },
    { raw: "GET k\r\n" },
    { raw: "  GET \t k   \r\n" },
  ],
  "inline empty lines are skipped": [
    { raw: "\r\n\n   \r\n\t\r\nPING\r\n" },
    { raw: "\n\nECHO x\n" },
  ],
  "inline double quotes and escapes": [
    { raw: `ECHO "a\\x41"\r\n` },
    { raw: `ECHO "line\\nbreak\\r\\t\\b\\a\\\\ \\"q\\" \\z"\r\n` },
    { raw: `ECHO "\\xff\\x00\\x80\\xZZ\\x4"\r\n` },
    { raw: `ECHO "a b  c"\r\n` },
    { raw: `ECHO ""\r\n` },
    { raw: `ECHO ab"cd ef"\r\n` },
  ],
  "inline single quotes": [
    { raw: `ECHO 'it\\'s'\r\n` },
    { raw: `ECHO 'no \\n escapes \\x41'\r\n` },
    { raw: `SET 'a key' "a value"\r\n` },
    { raw: `GET "a key"\r\n` },
  ],
  "inline binary bytes and vertical tab": [
    { raw: "ECHO \x80\xff\xfe\r\n" },
    { raw: "ECHO a\x0bb\r\n" },
    { raw: "\x0bPING\r\n" },
  ],
  "inline arity and unknown command errors": [
    { raw: "ECHO a b\r\n" },
    { raw: "GET\r\n" },
    { raw: "NOSUCH a 'b c'\r\n" },
    { raw: `"" x\r\n` },
  ],
  "multibulk and inline commands pipelined in one write": [
    {
      raw: mbulk("SET", "k", "v1") + "GET k\r\n" + mbulk("PING") +
        "ECHO 'x y'\r\n" + mbulk("GET", "missing") + mbulk("NOSUCH"),
      replies: 6,
    },
  ],
  "a pipeline of 1000 commands in one write": [
    {
      raw: Array.from(
        { length: 500 },
        (_, i) => mbulk("SET", `key:${i}`, `value:${i}`) + `GET key:${i}\r\n`,
      ).join(""),
      replies: 1000,
    },
  ],
  "*0 and negative counts are ignored": [
    { raw: "*0\r\n*-1\r\n*-100\r\nPING\r\n" },
    { raw: "*0\r\n" + mbulk("ECHO", "after") },
  ],
  "the two bytes after a bulk are skipped unchecked": [
    { raw: "*1\r\n$4\r\nPINGxxPING\r\n", replies: 2 },
  ],
  "binary keys and values": [
    ["SET", ALL_BYTES, ALL_BYTES.split("").reverse().join("")],
    ["GET", ALL_BYTES],
    ["SET", "k\r\ney\r\n", "\r\n"],
    ["GET", "k\r\ney\r\n"],
    ["SET", "\x00", "\x00\x00"],
    ["GET", "\x00"],
    ["ECHO", "\x80\x81\xfe\xff\r\n$3\r\n"],
    ["SET", "", "empty key"],
    ["GET", ""],
    ["SET", "e", ""],
    ["GET", "e"],
  ],
  "a 200 KB value (many reads each way)": [
    ["SET", "big", "x".repeat(200 * 1024)],
    ["GET", "big"],
  ],
  "RESP3: inline commands, nulls and binary values": {
    protocol: 3,
    steps: [
      { raw: "GET missing\r\n" },
      { raw: 'SET k "a\\x00b"\r\n' },
      { raw: mbulk("GET", "k") + "PING\r\n", replies: 2 },
      { raw: "ECHO \x80\xff\r\n" },
    ],
  },
  "RESP3: a protocol error closes the connection the same way": {
    protocol: 3,
    steps: [protocolError("PING\r\n*1\r\n$-1\r\n")],
  },
  "protocol error: invalid multibulk length": [protocolError("*x\r\n")],
  "protocol error: multibulk length over INT_MAX": [
    protocolError("*3000000000\r\n"),
  ],
  "protocol error: multibulk length with a leading zero": [
    protocolError("*01\r\n"),
  ],
  "protocol error: negative bulk length": [
    protocolError("*1\r\n$-1\r\n"),
  ],
  "protocol error: bulk length over proto-max-bulk-len": [
    protocolError("*1\r\n$536870913\r\n"),
  ],
  "protocol error: non-numeric bulk length": [
    protocolError("*2\r\n$3\r\nGET\r\n$1x\r\n"),
  ],
  "protocol error: expected $, got x": [protocolError("*1\r\nx\r\n")],
  "protocol error: expected $, got a CR": [protocolError("*1\r\n\r\n")],
  "protocol error: expected $, got a high byte": [
    protocolError("*2\r\n$4\r\nECHO\r\n\xff1\r\n"),
  ],
  "protocol error: unbalanced double quote": [
    protocolError(`ECHO "abc\r\n`),
  ],
  "protocol error: closing quote followed by a letter": [
    protocolError(`ECHO "a"b\r\n`),
  ],
  "protocol error: unbalanced single quote": [
    protocolError(`ECHO 'abc\r\n`),
  ],
  "protocol error: too big inline request": [
    protocolError("a".repeat(70_000)),
  ],
  "protocol error: too big mbulk count string": [
    protocolError("*" + "1".repeat(70_000)),
  ],
  "protocol error: too big bulk count string": [
    protocolError("*1\r\n$" + "1".repeat(70_000)),
  ],
  "protocol error after good commands: their replies come first": [
    protocolError("PING\r\nSET a b\r\n" + mbulk("GET", "a") + "*1\r\nx\r\n"),
  ],
  "protocol error: commands after it in the same write are not run": [
    protocolError("*1\r\n$-5\r\nSET after yes\r\n"),
  ],
});

// Before AUTH, Redis caps requests at 10 arguments and 16384-byte bulks.
differential(
  new URL("protocol_auth_test.ts", import.meta.url).href,
  {
    "unauthenticated: 10 arguments are allowed (and need AUTH)": [
      ["SET", "k", "v", "1", "2", "3", "4", "5", "6", "7"],
      // Arity is checked before authentication.
      ["ECHO", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
      // Inline commands have no argument limit.
      { raw: "SET 1 2 3 4 5 6 7 8 9 10 11 12\r\n" },
    ],
    "unauthenticated: 11 arguments close the connection": [
      protocolError(mbulk("ECHO", ..."1234567890".split(""))),
    ],
    "unauthenticated: a 16384-byte bulk is allowed": [
      ["ECHO", "z".repeat(16384)],
    ],
    "unauthenticated: a 16385-byte bulk closes the connection": [
      protocolError("*2\r\n$4\r\nECHO\r\n$16385\r\n"),
    ],
    "after AUTH the limits are gone": [
      ["AUTH", "secret"],
      { raw: mbulk("ECHO", "x".repeat(20_000)) },
      { raw: mbulk("SET", "k", "v", ..."1234567890".split("")) },
      { raw: "*2\r\n$4\r\nECHO\r\n$1048577\r\n", readFor: 3000 },
    ],
    "unauthenticated: the bulk length is checked against proto-max-bulk-len first":
      [
        protocolError("*2\r\n$4\r\nECHO\r\n$1048577\r\n"),
      ],
  },
  { args: ["--requirepass", "secret", "--proto-max-bulk-len", "1mb"] },
);

// --- behaviour --------------------------------------------------------------

/** A byte-level reader over a raw connection, for replies too big for RespClient. */
class ByteReader {
  readonly conn: Deno.Conn;
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;
  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }

  async #fill(): Promise<void> {
    if (this.#end === this.#buf.length) {
      const used = this.#end - this.#start;
      const next = new Uint8Array(Math.max(64 * 1024, used * 2));
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = next;
      this.#start = 0;
      this.#end = used;
    }
    const n = await this.conn.read(this.#buf.subarray(this.#end));
    if (n === null) throw new Error("Connection closed by the server");
    this.#end += n;
  }

  /** Reads one line without its CR LF, as latin1. */
  async line(): Promise<string> {
    for (;;) {
      for (let i = this.#start; i + 1 < this.#end; i++) {
        if (this.#buf[i] === 13 && this.#buf[i + 1] === 10) {
          const s = String.fromCharCode(...this.#buf.subarray(this.#start, i));
          this.#start = i + 2;
          return s;
        }
      }
      await this.#fill();
    }
  }

  /** Reads exactly `into.length` bytes into `into`. */
  async exact(into: Uint8Array): Promise<void> {
    let off = 0;
    while (off < into.length) {
      if (this.#start === this.#end) {
        const n = await this.conn.read(into.subarray(off));
        if (n === null) throw new Error("Connection closed by the server");
        off += n;
        continue;
      }
      const n = Math.min(into.length - off, this.#end - this.#start);
      into.set(this.#buf.subarray(this.#start, this.#start + n), off);
      this.#start += n;
      off += n;
    }
  }
}

const latin1Encoder = {
  encode(s: string): Uint8Array {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  },
};

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** Resolves after `ms`. */
function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects if `p` takes longer than `ms`. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took more than ${ms}ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks that the server answers a fresh client promptly. */
async function assertResponsive(server: ServerHandle): Promise<void> {
  using probe = await server.connect();
  assertEquals(await within(3000, "PING", probe.call("PING")), "PONG");
}

const behaviour = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name:
    "protocol error on one connection leaves other clients' pipelines intact",
  ...behaviour,
  async fn() {
    await using server = await spawnServer();
    using good = await server.connect();
    // The good client's pipeline is sent in two halves, around the bad
    // clients' malformed input.
    const commands: string[][] = [];
    for (let i = 0; i < 600; i++) {
      commands.push(["SET", `k${i}`, `v${i}\r\n`], ["GET", `k${i}`]);
    }
    const wire = commands.map(encodeCommand).join("");
    const half = Math.floor(wire.length / 2) + 3;
    await good.sendRaw(wire.slice(0, half));
    const bad = [
      "SET bad 1\r\n*1\r\nx\r\n",
      `ECHO "unbalanced\r\n`,
      "*1\r\n$-1\r\n",
      "*" + "9".repeat(30) + "\r\n",
    ];
    const expected = [
      "+OK\r\n-ERR Protocol error: expected '$', got 'x'\r\n<EOF>",
      "-ERR Protocol error: unbalanced quotes in request\r\n<EOF>",
      "-ERR Protocol error: invalid bulk length\r\n<EOF>",
      "-ERR Protocol error: invalid multibulk length\r\n<EOF>",
    ];
    const results = await Promise.all(bad.map(async (raw) => {
      using c = await server.connect();
      await c.sendRaw(raw);
      return await c.readFor(3000);
    }));
    assertEquals(results, expected);
    await good.sendRaw(wire.slice(half));
    for (let i = 0; i < 600; i++) {
      assertEquals(await good.read(), "OK");
      assertEquals(await good.read(), `v${i}\r\n`);
    }
    assertEquals(await good.call("GET", "bad"), "1");
    assertEquals(await good.call("PING"), "PONG");
  },
});

Deno.test({
  name: "a client disconnecting mid-command harms nobody else",
  ...behaviour,
  async fn() {
    await using server = await spawnServer();
    using other = await server.connect();
    assertEquals(await other.call("SET", "k", "before"), "OK");
    // Cut off inside a bulk, inside a header, and inside a big bulk.
    const partials = [
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc",
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1",
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n" + "y".repeat(500_000),
      "SET k inline-without-newline",
    ];
    for (const raw of partials) {
      const c = await server.connect();
      await c.sendRaw(raw);
      await sleep(20);
      c.close();
    }
    // A client that asks for a big reply and leaves before reading it.
    assertEquals(await other.call("SET", "big", "b".repeat(4_000_000)), "OK");
    for (let i = 0; i < 3; i++) {
      const c = await server.connect();
      await c.sendRaw(encodeCommand(["GET", "big"]).repeat(5));
      c.close();
    }
    await sleep(100);
    assertEquals(await other.call("GET", "k"), "before");
    assertEquals(await other.call("PING"), "PONG");
    await assertResponsive(server);
  },
});

Deno.test({
  name: "a client that never reads its replies harms nobody else",
  ...behaviour,
  async fn() {
    await using server = await spawnServer();
    using other = await server.connect();
    const value = "v".repeat(100 * 1024);
    assertEquals(await other.call("SET", "big", value), "OK");
    // The slow client keeps sending GETs and never reads: its replies
    // (hundreds of MB) pile up in the server and then in the kernel.
    const slow = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.port,
    });
    const get = latin1Encoder.encode(encodeCommand(["GET", "big"]).repeat(100));
    let stop = false;
    let sent = 0;
    const sender = (async () => {
      while (!stop && sent < 3000) {
        await slow.write(get);
        sent += 100;
      }
    })().catch(() => {});
    try {
      await sleep(300);
      // Meanwhile everyone else is served promptly.
      for (let i = 0; i < 20; i++) {
        assertEquals(
          await within(3000, "SET", other.call("SET", `k${i}`, `v${i}`)),
          "OK",
        );
        assertEquals(
          await within(3000, "GET", other.call("GET", `k${i}`)),
          `v${i}`,
        );
      }
      const big = await within(5000, "GET big", other.call("GET", "big"));
      assertEquals(big, value);
      await assertResponsive(server);
      assert(sent >= 100, "the slow client managed to send its requests");
    } finally {
      stop = true;
      slow.close();
      await sender;
    }
    await sleep(100);
    assertEquals(await within(3000, "PING", other.call("PING")), "PONG");
  },
});

Deno.test({
  name:
    "20,000 pipelined commands in one write all get their replies, in order",
  ...behaviour,
  async fn() {
    await using server = await spawnServer();
    using client = await server.connect();
    const commands: string[][] = [];
    for (let i = 0; i < 10_000; i++) {
      commands.push(["SET", `key:${i}`, `${i}`], ["GET", `key:${i}`]);
    }
    const replies = await within(60_000, "pipeline", client.pipeline(commands));
    assertEquals(replies.length, 20_000);
    for (let i = 0; i < 10_000; i++) {
      assertEquals(replies[2 * i], "OK");
      assertEquals(replies[2 * i + 1], `${i}`);
    }
    // Inline commands too.
    let inline = "";
    for (let i = 0; i < 10_000; i++) inline += `ECHO "n\\x3d${i}"\r\n`;
    await client.sendRaw(inline);
    for (let i = 0; i < 10_000; i++) {
      assertEquals(await client.read(), `n=${i}`);
    }
  },
});

Deno.test({
  name: "arguments split across many TCP writes at odd boundaries",
  ...behaviour,
  async fn() {
    await using server = await spawnServer();
    using client = await server.connect();
    client.conn.setNoDelay(true);
    const commands: string[][] = [];
    for (let i = 0; i < 150; i++) {
      const value = String.fromCharCode(
        ...Array.from({ length: (i * 7) % 60 }, (_, j) => (i * 31 + j) & 0xff),
      );
      commands.push(["SET", `k\r\n${i}`, value], ["GET", `k\r\n${i}`]);
    }
    const inline = "ECHO 'split \\'inline\\''\r\n";
    const wire = latin1Encoder.encode(
      commands.map(encodeCommand).join("") + inline,
    );
    const sizes = [1, 2, 3, 5, 8, 13, 1, 1, 7, 4, 21, 2, 34, 1];
    let off = 0;
    for (let n = 0; off < wire.length; n++) {
      const size = sizes[n % sizes.length]!;
      await writeAll(client.conn, wire.subarray(off, off + size));
      off += size;
      // Give the server a chance to read each piece on its own.
      if (n % 3 === 0) await sleep(0);
    }
    for (const cmd of commands) {
      const reply = await client.read();
      if (cmd[0] === "SET") assertEquals(reply, "OK");
      else {
        const set = commands.find((c) => c[0] === "SET" && c[1] === cmd[1])!;
        assertEquals(reply, set[2]);
      }
    }
    assertEquals(await client.read(), "split 'inline'");
  },
});

Deno.test({
  name: "a 100 MB bulk value round-trips byte for byte",
  ...behaviour,
  async fn() {
    await using server = await spawnServer();
    const size = 100 * 1024 * 1024;
    const value = new Uint8Array(size);
    for (let i = 0; i < size; i++) value[i] = (i * 131 + (i >>> 13)) & 0xff;
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.port,
    });
    try {
      const reader = new ByteReader(conn);
      await writeAll(
        conn,
        latin1Encoder.encode(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${size}\r\n`),
      );
      await writeAll(conn, value);
      await writeAll(conn, latin1Encoder.encode("\r\n"));
      assertEquals(await within(60_000, "SET", reader.line()), "+OK");
      await writeAll(conn, latin1Encoder.encode(encodeCommand(["GET", "big"])));
      assertEquals(await within(60_000, "GET", reader.line()), `$${size}`);
      const got = new Uint8Array(size + 2);
      await within(60_000, "GET body", reader.exact(got));
      assertEquals(got[size], 13);
      assertEquals(got[size + 1], 10);
      let firstDiff = -1;
      for (let i = 0; i < size; i++) {
        if (got[i] !== value[i]) {
          firstDiff = i;
          break;
        }
      }
      assertEquals(firstDiff, -1, "first differing byte");
      // The connection is still usable afterwards.
      await writeAll(conn, latin1Encoder.encode("PING\r\n"));
      assertEquals(await reader.line(), "+PONG");
    } finally {
      conn.close();
    }
  },
});

// The query buffer limit closes the connection without a reply. The
// timing differs from Redis (Redis may close as soon as it has sized its
// buffer for a bulk over the limit), so this checks the outcome on each
// server rather than bytes read within a fixed time.
for (
  const target of ["tsredis", "redis-server"] as const
) {
  Deno.test({
    name:
      `client-query-buffer-limit closes the connection without a reply (${target})`,
    ignore: target === "redis-server" && REDIS_SERVER === undefined,
    ...behaviour,
    async fn() {
      await using server = await spawnServer({
        target,
        args: ["--client-query-buffer-limit", "1mb"],
      });
      using other = await server.connect();
      using c = await server.connect();
      await c.sendRaw("PING\r\n");
      assertEquals(await c.read(), "PONG");
      try {
        await c.sendRaw(
          "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n" +
            "q".repeat(1_500_000),
        );
      } catch {
        // The server may close before everything is written.
      }
      assertEquals(await c.readFor(5000), "<EOF>");
      assertEquals(await other.call("GET", "k"), null);
      assertEquals(await other.call("PING"), "PONG");
    },
  });
}
