/**
 * RespDecoder and RespDecoderStream: every input is fed whole, split in two
 * at every byte boundary, and in 1-byte chunks, through a reused read buffer
 * that is scribbled over after each chunk, and must give the same commands
 * and the same error every time. Expected texts are Redis 7.0's
 * (`processInlineBuffer`, `processMultibulkBuffer`, `sdssplitargs`).
 *
 * @module
 */
import { assertEquals } from "../../tests/_deps.ts";
import {
  type DecoderLimits,
  DEFAULT_LIMITS,
  INLINE_MAX,
  RespDecoder,
  RespDecoderStream,
  splitInline,
} from "./decoder.ts";
import { bufferView } from "../util/bytes.ts";
import type { Argv } from "./types.ts";

/** What a decoder produced from a whole input. */
interface Outcome {
  commands: Argv[];
  error: string | undefined;
  silent?: boolean;
}

interface FeedOptions {
  limits?: DecoderLimits;
  unauthenticated?: boolean;
}

function bytes(latin1: string): Uint8Array {
  const out = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) out[i] = latin1.charCodeAt(i);
  return out;
}

// Encodes argv (latin1 strings) as a multibulk request.
function mbulk(...argv: string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

// Feeds `chunks` through one decoder the way the connection does: each
// chunk is copied into the same read buffer (at an offset, to exercise
// `start`/`end`), decoded, then the buffer is overwritten, so a decoder
// that kept a reference to bytes it did not copy gives wrong results.
function feed(chunks: Uint8Array[], opts: FeedOptions = {}): Outcome {
  const decoder = new RespDecoder(opts.limits ?? DEFAULT_LIMITS);
  decoder.unauthenticated = opts.unauthenticated ?? false;
  let size = 64;
  for (const c of chunks) size = Math.max(size, c.length + 8);
  const buf = new Uint8Array(size);
  const view = bufferView(buf);
  const commands: Argv[] = [];
  for (const chunk of chunks) {
    buf.set(chunk, 3);
    for (const cmd of decoder.decode(buf, 3, 3 + chunk.length, view)) {
      commands.push(cmd);
    }
    buf.fill(0x2a); // '*'
  }
  const outcome: Outcome = { commands, error: decoder.error?.message };
  if (decoder.error?.silent) outcome.silent = true;
  return outcome;
}

function chunked(input: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += size) {
    out.push(input.subarray(i, Math.min(input.length, i + size)));
  }
  return out;
}

// A deterministic pseudo-random generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(input: Uint8Array, seed: number): Uint8Array[] {
  const next = rng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < input.length;) {
    const n = 1 + Math.floor(next() * 200);
    out.push(input.subarray(i, Math.min(input.length, i + n)));
    i += n;
  }
  return out;
}

/**
 * Asserts that `input` decodes to `expected` however it is split: whole, in
 * two at every byte boundary (inputs up to `everyUpTo` bytes), in 1-byte
 * chunks (up to `bytewiseUpTo` bytes) and in random chunks.
 */
function assertDecodes(
  input: string | Uint8Array,
  expected: Outcome,
  opts: FeedOptions & { everyUpTo?: number; bytewiseUpTo?: number } = {},
): void {
  const data = typeof input === "string" ? bytes(input) : input;
  const label = (how: string) =>
    `${how} of ${JSON.stringify(String.fromCharCode(...data.subarray(0, 60)))}`;
  if (expected.silent === undefined) delete expected.silent;
  assertEquals(feed([data], opts), expected, label("whole"));
  if (data.length <= (opts.everyUpTo ?? 4096)) {
    for (let i = 1; i < data.length; i++) {
      const got = feed([data.subarray(0, i), data.subarray(i)], opts);
      assertEquals(got, expected, label(`split at ${i}`));
    }
  }
  if (data.length <= (opts.bytewiseUpTo ?? 64 * 1024)) {
    assertEquals(
      feed(chunked(data, 1), opts),
      expected,
      label("1-byte chunks"),
    );
  }
  for (let seed = 1; seed <= 3; seed++) {
    assertEquals(
      feed(randomChunks(data, seed), opts),
      expected,
      label(`random chunks (seed ${seed})`),
    );
  }
}

function ok(...commands: Argv[]): Outcome {
  return { commands, error: undefined };
}

function fails(error: string, ...commands: Argv[]): Outcome {
  return { commands, error };
}

// --- multibulk -------------------------------------------------------------

Deno.test("RespDecoder decodes a multibulk command", () => {
  assertDecodes("*1\r\n$4\r\nPING\r\n", ok(["PING"]));
  assertDecodes(mbulk("SET", "key", "value"), ok(["SET", "key", "value"]));
});

Deno.test("RespDecoder decodes empty and long bulk arguments", () => {
  const long = "x".repeat(100_000);
  assertDecodes(mbulk("SET", "", long), ok(["SET", "", long]), {
    everyUpTo: 0,
  });
  assertDecodes(mbulk("ECHO", ""), ok(["ECHO", ""]));
});

Deno.test("RespDecoder keeps \\r\\n and bytes 0x00-0xff inside bulk arguments", () => {
  let all = "";
  for (let b = 0; b < 256; b++) all += String.fromCharCode(b);
  assertDecodes(
    mbulk("SET", "k\r\ney\r\n", all),
    ok(["SET", "k\r\ney\r\n", all]),
  );
  assertDecodes(
    mbulk("\r\n", "\r", "\n", "*1\r\n"),
    ok([
      "\r\n",
      "\r",
      "\n",
      "*1\r\n",
    ]),
  );
  assertDecodes(mbulk("\x80\xff\xfe", "\0"), ok(["\x80\xff\xfe", "\0"]));
});

Deno.test("RespDecoder decodes several commands in one chunk, in order", () => {
  assertDecodes(
    mbulk("SET", "a", "1") + mbulk("GET", "a") + "PING\r\n" + mbulk("DEL", "a"),
    ok(["SET", "a", "1"], ["GET", "a"], ["PING"], ["DEL", "a"]),
  );
});

Deno.test("RespDecoder ignores *0 and negative multibulk counts", () => {
  assertDecodes("*0\r\n*-1\r\n*-5\r\n" + mbulk("PING"), ok(["PING"]));
  assertDecodes("*-1\r\n", ok());
  assertDecodes("*0\r\nPING\r\n", ok(["PING"]));
});

Deno.test("RespDecoder skips the two bytes after a bulk without checking them", () => {
  // Redis does the same: `*1\r\n$4\r\nPINGxx` is PING, and what follows is
  // the next request.
  assertDecodes("*1\r\n$4\r\nPINGxxPING\r\n", ok(["PING"], ["PING"]));
  // The byte after a header's CR is skipped too.
  assertDecodes("*1\rx$4\ryPINGab", ok(["PING"]));
});

Deno.test("RespDecoder accepts counts at the limits", () => {
  // INT_MAX arguments is allowed (it waits for them).
  assertDecodes("*2147483647\r\n", ok());
  // Up to proto-max-bulk-len, but no longer than V8's longest string: 24
  // bytes short of the default 512mb (see the next tests).
  assertDecodes(`*1\r\n$${512 * 1024 * 1024 - 24}\r\n`, ok());
  // An incomplete command is not an error.
  assertDecodes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc", ok());
});

Deno.test("RespDecoder decodes a pipeline of thousands of commands however it is split", () => {
  const next = rng(42);
  let input = "";
  const expected: Argv[] = [];
  for (let i = 0; i < 5000; i++) {
    if (i % 7 === 3) {
      input += `INCR counter:${i}\r\n`;
      expected.push(["INCR", `counter:${i}`]);
      continue;
    }
    const argv = ["SET", `key:${i}`];
    let value = "";
    const len = Math.floor(next() * 40);
    for (let j = 0; j < len; j++) {
      value += String.fromCharCode(Math.floor(next() * 256));
    }
    argv.push(value);
    input += mbulk(...argv);
    expected.push(argv);
  }
  const data = bytes(input);
  assertDecodes(data, ok(...expected), { everyUpTo: 0, bytewiseUpTo: 0 });
  // 1-byte chunks through one decoder, and chunks of every size up to 64.
  assertEquals(feed(chunked(data, 1)), ok(...expected));
  for (let size = 2; size <= 64; size++) {
    assertEquals(feed(chunked(data, size)), ok(...expected), `size ${size}`);
  }
});

Deno.test("RespDecoder decodes a small pipeline split at every byte boundary", () => {
  let input = "";
  const expected: Argv[] = [];
  for (let i = 0; i < 60; i++) {
    if (i % 3 === 0) {
      input += `GET k${i}\r\n`;
      expected.push(["GET", `k${i}`]);
    } else {
      input += mbulk("SET", `k${i}`, `v\r\n${i}`);
      expected.push(["SET", `k${i}`, `v\r\n${i}`]);
    }
  }
  assertDecodes(input, ok(...expected), { everyUpTo: 10_000 });
});

Deno.test("RespDecoder grows its buffer for a bulk that spans many chunks", () => {
  const big = "v".repeat(3 * 1024 * 1024 + 7);
  const data = bytes(mbulk("SET", "big", big) + mbulk("GET", "big"));
  const expected = ok(["SET", "big", big], ["GET", "big"]);
  assertEquals(feed(chunked(data, 16 * 1024)), expected);
  assertEquals(feed(chunked(data, 1000)), expected);
  assertEquals(feed(randomChunks(data, 9)), expected);
});

Deno.test("RespDecoder scans a line trickling in a byte at a time only once", () => {
  // 64k one-byte reads of an unfinished line: rescanning the line from its
  // start on every read would cost 2 billion byte comparisons.
  for (const head of ["", "*", "*1\r\n$"]) {
    const decoder = new RespDecoder();
    const one = new Uint8Array(1);
    const start = performance.now();
    for (const c of head) {
      one[0] = c.charCodeAt(0);
      decoder.decode(one);
    }
    one[0] = 0x31; // '1'
    for (let i = 0; i < INLINE_MAX - 10; i++) decoder.decode(one);
    assertEquals(decoder.error, undefined);
    const ms = performance.now() - start;
    assertEquals(ms < 1000, true, `${JSON.stringify(head)}: ${ms}ms`);
  }
});

Deno.test("RespDecoder reports the bytes it holds back", () => {
  const decoder = new RespDecoder();
  assertEquals(decoder.decode(bytes("*2\r\n$3\r\nGET\r\n$1")), []);
  assertEquals(decoder.buffered, 2); // "$1" waits for its CR LF
  assertEquals(decoder.decode(bytes("\r\nk\r\n")), [["GET", "k"]]);
  assertEquals(decoder.buffered, 0);
});

// --- inline ----------------------------------------------------------------

Deno.test("RespDecoder decodes inline commands", () => {
  assertDecodes("PING\r\n", ok(["PING"]));
  assertDecodes("SET a b\n", ok(["SET", "a", "b"]));
  assertDecodes("  GET \t  k  \r\n", ok(["GET", "k"]));
  assertDecodes("\r\n\n   \r\n\tPING\r\n", ok(["PING"]));
  assertDecodes("ECHO \x80\xff\r\n", ok(["ECHO", "\x80\xff"]));
});

Deno.test("RespDecoder applies sdssplitargs quoting to inline commands", () => {
  assertDecodes(`SET "a\\x41" 'it\\'s'\r\n`, ok(["SET", "aA", "it's"]));
  assertDecodes(
    `ECHO "\\n\\r\\t\\b\\a\\\\\\"\\q"\r\n`,
    ok(["ECHO", '\n\r\t\b\x07\\"q']),
  );
  assertDecodes(`ECHO "a b" '' ""\r\n`, ok(["ECHO", "a b", "", ""]));
  assertDecodes(`ECHO ab"c d"\r\n`, ok(["ECHO", "abc d"]));
  assertDecodes(`ECHO 'a\\nb'\r\n`, ok(["ECHO", "a\\nb"]));
  assertDecodes(`ECHO "\\xff\\x00\\x7F"\r\n`, ok(["ECHO", "\xff\0\x7f"]));
  // \x without two hex digits is an ordinary escape of 'x'.
  assertDecodes(`ECHO "\\x4g" "\\xZZ"\r\n`, ok(["ECHO", "x4g", "xZZ"]));
  // \v and \f separate nothing inside a word, though leading ones are skipped.
  assertDecodes("\x0bPING\x0b\r\n", ok(["PING\x0b"]));
});

Deno.test("RespDecoder rejects unbalanced quotes in an inline command", () => {
  const error = "unbalanced quotes in request";
  assertDecodes(`ECHO "a"b\r\nPING\r\n`, fails(error));
  assertDecodes(`ECHO 'a'b\r\n`, fails(error));
  assertDecodes(`ECHO "abc\r\n`, fails(error));
  assertDecodes(`ECHO 'abc\r\n`, fails(error));
  assertDecodes(`ECHO "abc\\\r\n`, fails(error));
  // Commands before the bad line still run.
  assertDecodes(`PING\r\nECHO "x\r\n`, fails(error, ["PING"]));
});

Deno.test("RespDecoder waits on an inline line holding a NUL byte, as Redis's strchr does", () => {
  assertDecodes("PING\0x\r\nPING\r\n", ok());
  assertDecodes("PING\r\nPI\0NG\r\n", ok(["PING"]));
});

Deno.test("RespDecoder rejects an inline request over 64k without a newline", () => {
  // Exactly 64k is still allowed.
  assertDecodes("a".repeat(INLINE_MAX), ok(), {
    everyUpTo: 0,
    bytewiseUpTo: 1 << 20,
  });
  assertDecodes(
    "a".repeat(INLINE_MAX + 1),
    fails("too big inline request"),
    { everyUpTo: 0, bytewiseUpTo: 1 << 20 },
  );
  assertDecodes(
    "PING\r\n" + "ECHO " + "\0".repeat(INLINE_MAX),
    fails("too big inline request", ["PING"]),
    { everyUpTo: 0, bytewiseUpTo: 1 << 20 },
  );
});

Deno.test("splitInline follows sdssplitargs", () => {
  assertEquals(splitInline(""), []);
  assertEquals(splitInline("   "), []);
  assertEquals(splitInline(`a "b c" 'd e'`), ["a", "b c", "d e"]);
  assertEquals(splitInline(`"a"b`), undefined);
  assertEquals(splitInline(`'a'b`), undefined);
  assertEquals(splitInline(`"a`), undefined);
  assertEquals(splitInline(`"a" "b"`), ["a", "b"]);
  assertEquals(splitInline(`"a"\t'b'`), ["a", "b"]);
  assertEquals(splitInline(`a\0b c`), ["a"]);
});

// --- malformed multibulk ---------------------------------------------------

Deno.test("RespDecoder rejects an invalid multibulk length", () => {
  const error = "invalid multibulk length";
  for (
    const count of [
      "abc",
      "",
      "-",
      "-0",
      "01",
      "+1",
      " 1",
      "1 ",
      "1x",
      "3000000000",
      "2147483648",
      "99999999999999999999",
      "123456789012345678901",
    ]
  ) {
    assertDecodes(`*${count}\r\n`, fails(error));
  }
  assertDecodes(
    mbulk("PING") + "*x\r\n" + mbulk("PING"),
    fails(error, ["PING"]),
  );
});

Deno.test("RespDecoder rejects an invalid bulk length", () => {
  const error = "invalid bulk length";
  for (
    const len of [
      "-1",
      "-0",
      "01",
      "+1",
      "x",
      "",
      "1x",
      "536870913",
      "99999999999999999999",
    ]
  ) {
    assertDecodes(`*1\r\n$${len}\r\n`, fails(error));
  }
  // The second argument's header is bad: the first is dropped with it.
  assertDecodes("*2\r\n$3\r\nGET\r\n$-3\r\n", fails(error));
});

Deno.test("RespDecoder applies a lower proto-max-bulk-len", () => {
  const limits = { ...DEFAULT_LIMITS, maxBulkLen: 100 };
  assertDecodes(`*1\r\n$100\r\n${"a".repeat(100)}\r\n`, ok(["a".repeat(100)]), {
    limits,
  });
  assertDecodes("*1\r\n$101\r\n", fails("invalid bulk length"), { limits });
});

Deno.test("RespDecoder rejects a bulk header that does not start with $", () => {
  assertDecodes("*1\r\nx\r\n", fails("expected '$', got 'x'"));
  assertDecodes("*2\r\n$1\r\na\r\n:1\r\n", fails("expected '$', got ':'"));
  assertDecodes("*1\r\n\xff\r\n", fails("expected '$', got '\xff'"));
  // CR and LF are shown as spaces, as Redis's error replies do.
  assertDecodes("*1\r\n\r\n", fails("expected '$', got ' '"));
  assertDecodes("*1\r\n\n\r\n", fails("expected '$', got ' '"));
  assertDecodes("*1\r\n*1\r\n", fails("expected '$', got '*'"));
});

Deno.test("RespDecoder rejects a count string over 64k without a CR", () => {
  const opts = { everyUpTo: 0, bytewiseUpTo: 1 << 20 };
  assertDecodes(
    "*" + "1".repeat(INLINE_MAX + 10),
    fails("too big mbulk count string"),
    opts,
  );
  assertDecodes(
    "*1\r\n$" + "1".repeat(INLINE_MAX + 10),
    fails("too big bulk count string"),
    opts,
  );
  // A NUL hides the CR after it, so this header can only grow.
  assertDecodes(
    "*1\0\r\n" + "x".repeat(INLINE_MAX),
    fails("too big mbulk count string"),
    opts,
  );
  // A complete but long count line is just an invalid length.
  assertDecodes(
    "*" + "1".repeat(30) + "\r\n",
    fails("invalid multibulk length"),
  );
  // Up to 64k without a CR the decoder waits.
  assertDecodes("*" + "1".repeat(INLINE_MAX - 1), ok(), opts);
});

Deno.test("RespDecoder stops for good after a protocol error", () => {
  const decoder = new RespDecoder();
  assertEquals(decoder.decode(bytes("PING\r\n*1\r\nx\r\nPING\r\n")), [[
    "PING",
  ]]);
  assertEquals(decoder.error?.message, "expected '$', got 'x'");
  assertEquals(decoder.error?.name, "ProtocolError");
  assertEquals(decoder.decode(bytes(mbulk("PING"))), []);
  assertEquals(decoder.buffered, 0);
});

// --- limits before authentication ------------------------------------------

Deno.test("RespDecoder limits an unauthenticated client to 10 arguments", () => {
  const opts = { unauthenticated: true };
  const ten = Array.from({ length: 10 }, (_, i) => `a${i}`);
  assertDecodes(mbulk(...ten), ok(ten), opts);
  assertDecodes(
    mbulk(...ten, "x"),
    fails("unauthenticated multibulk length"),
    opts,
  );
  // Inline commands have no such limit.
  const many = Array.from({ length: 20 }, (_, i) => `a${i}`);
  assertDecodes(many.join(" ") + "\r\n", ok(many), opts);
  // Once authenticated, the limit is gone.
  assertDecodes(mbulk(...ten, "x"), ok([...ten, "x"]));
});

Deno.test("RespDecoder limits an unauthenticated client to 16384-byte bulks", () => {
  const opts = { unauthenticated: true, everyUpTo: 0 };
  const max = "b".repeat(16384);
  assertDecodes(mbulk("AUTH", max), ok(["AUTH", max]), opts);
  assertDecodes(
    "*2\r\n$4\r\nAUTH\r\n$16385\r\n",
    fails("unauthenticated bulk length"),
    opts,
  );
  // The length check comes first.
  assertDecodes("*1\r\n$-1\r\n", fails("invalid bulk length"), opts);
  assertDecodes("*11\r\n", fails("unauthenticated multibulk length"), opts);
  assertDecodes("*x\r\n", fails("invalid multibulk length"), opts);
});

// --- query buffer limit ----------------------------------------------------

Deno.test("RespDecoder closes silently when the query buffer limit is exceeded", () => {
  const limits = { ...DEFAULT_LIMITS, maxQueryBuffer: 1000 };
  // Incomplete data beyond the limit.
  assertEquals(
    feed([bytes("*1\r\n$5000\r\n" + "a".repeat(1200))], { limits }),
    { commands: [], error: "query buffer limit exceeded", silent: true },
  );
  // An inline line that never ends.
  assertEquals(
    feed(chunked(bytes("x".repeat(1500)), 100), { limits }),
    { commands: [], error: "query buffer limit exceeded", silent: true },
  );
  // Complete commands are consumed and do not count.
  const many = mbulk("SET", "k", "v".repeat(100)).repeat(50);
  const result = feed(chunked(bytes(many), 700), { limits });
  assertEquals(result.error, undefined);
  assertEquals(result.commands.length, 50);
});

// --- RespDecoderStream -----------------------------------------------------

async function viaStream(
  chunks: Uint8Array[],
  limits: DecoderLimits = DEFAULT_LIMITS,
): Promise<Outcome & { batches: number }> {
  const stream = new RespDecoderStream(limits);
  const commands: Argv[] = [];
  let batches = 0;
  const source = ReadableStream.from(chunks.map((c) => c.slice()));
  for await (const batch of source.pipeThrough(stream)) {
    batches++;
    for (const c of batch) commands.push(c);
  }
  return { commands, error: stream.error?.message, batches };
}

Deno.test("RespDecoderStream emits the same commands as RespDecoder", async () => {
  const inputs = [
    mbulk("SET", "k\r\n", "\x00\xff") + "PING\r\n" + mbulk("GET", "k\r\n"),
    `ECHO "a\\x41" 'it\\'s'\r\n*0\r\n` + mbulk("PING"),
  ];
  for (const input of inputs) {
    const data = bytes(input);
    const expected = feed([data]);
    for (const chunks of [[data], chunked(data, 1), chunked(data, 5)]) {
      const got = await viaStream(chunks);
      assertEquals(
        { commands: got.commands, error: got.error },
        expected,
      );
    }
  }
});

Deno.test("RespDecoderStream emits one batch per chunk that completes commands", async () => {
  const data = bytes(mbulk("PING").repeat(100));
  const got = await viaStream([data]);
  assertEquals(got.batches, 1);
  assertEquals(got.commands.length, 100);
  // Chunks that complete nothing emit nothing.
  const split = await viaStream(chunked(bytes(mbulk("PING", "x")), 1));
  assertEquals(split.batches, 1);
});

Deno.test("RespDecoderStream ends with the commands before a protocol error", async () => {
  const data = bytes("PING\r\nPING\r\n*1\r\n$-1\r\n" + mbulk("PING"));
  const got = await viaStream([data]);
  assertEquals(got.commands, [["PING"], ["PING"]]);
  assertEquals(got.error, "invalid bulk length");
  const bytewise = await viaStream(chunked(data, 1));
  assertEquals(bytewise.commands, [["PING"], ["PING"]]);
  assertEquals(bytewise.error, "invalid bulk length");
});

Deno.test("RespDecoder reserves exactly a big bulk's length and gives the room back once it is parsed", () => {
  const d = new RespDecoder();
  const size = 10_000_000;
  assertEquals(d.decode(bytes(`*2\r\n$3\r\nSET\r\n$${size}\r\nabc`)), []);
  // Not the next power of two (16 MiB): the bulk and its CRLF.
  assertEquals(d.pendingCapacity, size + 2);
  const body = new Uint8Array(size - 3 + 2).fill(120);
  body[body.length - 2] = 13;
  body[body.length - 1] = 10;
  const out = d.decode(body);
  assertEquals(out.length, 1);
  assertEquals(out[0]![1]!.length, size);
  assertEquals(d.pendingCapacity, 0);
  assertEquals(d.buffered, 0);
});

Deno.test("RespDecoder refuses a bulk longer than V8's longest string, even under proto-max-bulk-len", () => {
  const d = new RespDecoder({ ...DEFAULT_LIMITS });
  assertEquals(d.decode(bytes("*2\r\n$3\r\nSET\r\n$536870888\r\n")), []);
  assertEquals(d.error, undefined);
  for (const len of [536870889, 512 * 1024 * 1024]) {
    const e = new RespDecoder({ ...DEFAULT_LIMITS });
    assertEquals(e.decode(bytes(`*2\r\n$3\r\nSET\r\n$${len}\r\n`)), []);
    assertEquals(e.error?.message, "invalid bulk length");
  }
});
