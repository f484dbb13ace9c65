/**
 * encodeReply / writeReply / RespWriter: every reply type in RESP2 and RESP3,
 * with Redis 7.0's downgrades for RESP2 clients. The expected bytes were
 * taken from a real redis-server (`DEBUG PROTOCOL <type>` under HELLO 2 and
 * HELLO 3, ZSCORE, ...).
 *
 * @module
 */
import { assertEquals } from "../../tests/_deps.ts";
import { encodeReply, RespWriter, writeReply } from "./encoder.ts";
import {
  bignum,
  bool,
  double,
  EMPTY_ARRAY,
  errorReply,
  map,
  NO_REPLY,
  NULL,
  NULL_ARRAY,
  OK,
  pairs,
  PONG,
  push,
  QUEUED,
  set,
  simple,
  verbatim,
} from "./reply.ts";
import type { Protocol, Reply } from "./types.ts";

function text(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function enc(reply: Reply, proto: Protocol): string {
  return text(encodeReply(reply, proto));
}

/** Asserts the encoding of `reply` for RESP2 and for RESP3. */
function assertEncodes(reply: Reply, resp2: string, resp3: string): void {
  assertEquals(enc(reply, 2), resp2, "RESP2");
  assertEquals(enc(reply, 3), resp3, "RESP3");
}

Deno.test("encodeReply encodes bulk strings from strings and bytes", () => {
  assertEncodes(
    "Hello World",
    "$11\r\nHello World\r\n",
    "$11\r\nHello World\r\n",
  );
  assertEncodes("", "$0\r\n\r\n", "$0\r\n\r\n");
  assertEncodes("a\r\nb", "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n");
  assertEncodes(
    "\x00\x80\xff",
    "$3\r\n\x00\x80\xff\r\n",
    "$3\r\n\x00\x80\xff\r\n",
  );
  assertEncodes(
    new Uint8Array([0, 13, 10, 0xff]),
    "$4\r\n\x00\r\n\xff\r\n",
    "$4\r\n\x00\r\n\xff\r\n",
  );
  const long = "x".repeat(100_000);
  assertEncodes(long, `$100000\r\n${long}\r\n`, `$100000\r\n${long}\r\n`);
});

Deno.test("encodeReply encodes integers of every width", () => {
  const cases: [number | bigint, string][] = [
    [0, "0"],
    [-0, "0"],
    [7, "7"],
    [-1, "-1"],
    [10, "10"],
    [99, "99"],
    [100, "100"],
    [12345, "12345"],
    [-12345, "-12345"],
    [1000000000, "1000000000"],
    [2147483647, "2147483647"],
    [-2147483648, "-2147483648"],
    [2147483648, "2147483648"],
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
    [Number.MIN_SAFE_INTEGER, "-9007199254740991"],
    [9223372036854775807n, "9223372036854775807"],
    [-9223372036854775808n, "-9223372036854775808"],
    [0n, "0"],
  ];
  for (const [n, s] of cases) assertEncodes(n, `:${s}\r\n`, `:${s}\r\n`);
});

Deno.test("encodeReply encodes null as $-1 in RESP2 and _ in RESP3", () => {
  assertEncodes(NULL, "$-1\r\n", "_\r\n");
});

Deno.test("encodeReply encodes a null array as *-1 in RESP2 and _ in RESP3", () => {
  assertEncodes(NULL_ARRAY, "*-1\r\n", "_\r\n");
  assertEncodes([NULL_ARRAY, NULL], "*2\r\n*-1\r\n$-1\r\n", "*2\r\n_\r\n_\r\n");
});

Deno.test("encodeReply encodes arrays, nested and empty", () => {
  assertEncodes(
    [0, 1, 2],
    "*3\r\n:0\r\n:1\r\n:2\r\n",
    "*3\r\n:0\r\n:1\r\n:2\r\n",
  );
  assertEncodes([], "*0\r\n", "*0\r\n");
  assertEncodes(EMPTY_ARRAY, "*0\r\n", "*0\r\n");
  assertEncodes(
    ["a", ["b", [null]], 1],
    "*3\r\n$1\r\na\r\n*2\r\n$1\r\nb\r\n*1\r\n$-1\r\n:1\r\n",
    "*3\r\n$1\r\na\r\n*2\r\n$1\r\nb\r\n*1\r\n_\r\n:1\r\n",
  );
});

Deno.test("encodeReply encodes simple strings and errors the same in both protocols", () => {
  assertEncodes(OK, "+OK\r\n", "+OK\r\n");
  assertEncodes(PONG, "+PONG\r\n", "+PONG\r\n");
  assertEncodes(QUEUED, "+QUEUED\r\n", "+QUEUED\r\n");
  assertEncodes(
    simple("Background saving started"),
    "+Background saving started\r\n",
    "+Background saving started\r\n",
  );
  assertEncodes(
    errorReply(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    ),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
  );
  assertEncodes(
    [OK, errorReply("ERR syntax error")],
    "*2\r\n+OK\r\n-ERR syntax error\r\n",
    "*2\r\n+OK\r\n-ERR syntax error\r\n",
  );
});

Deno.test("encodeReply encodes doubles as bulk strings in RESP2 and , in RESP3", () => {
  assertEncodes(double(3.141), "$5\r\n3.141\r\n", ",3.141\r\n");
  assertEncodes(double(1.5), "$3\r\n1.5\r\n", ",1.5\r\n");
  assertEncodes(double(Infinity), "$3\r\ninf\r\n", ",inf\r\n");
  assertEncodes(double(-Infinity), "$4\r\n-inf\r\n", ",-inf\r\n");
  assertEncodes(double(0), "$1\r\n0\r\n", ",0\r\n");
  assertEncodes(double(-0), "$2\r\n-0\r\n", ",-0\r\n");
  assertEncodes(double(10), "$2\r\n10\r\n", ",10\r\n");
  // %.17g: 17 significant digits.
  assertEncodes(
    double(0.1),
    "$19\r\n0.10000000000000001\r\n",
    ",0.10000000000000001\r\n",
  );
  assertEncodes(
    double(1e300),
    "$23\r\n1.0000000000000001e+300\r\n",
    ",1.0000000000000001e+300\r\n",
  );
  assertEncodes(
    double(-2.5e-7),
    "$23\r\n-2.4999999999999999e-07\r\n",
    ",-2.4999999999999999e-07\r\n",
  );
});

Deno.test("encodeReply flattens maps into arrays for RESP2", () => {
  // DEBUG PROTOCOL map.
  const reply = map([0, bool(false), 1, bool(true), 2, bool(false)]);
  assertEncodes(
    reply,
    "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
    "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
  );
  assertEncodes(map([]), "*0\r\n", "%0\r\n");
  // HGETALL-like, with a nested map and a double inside.
  assertEncodes(
    map(["f", "v", "nested", map(["x", double(2.5)])]),
    "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\nnested\r\n*2\r\n$1\r\nx\r\n$3\r\n2.5\r\n",
    "%2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\nnested\r\n%1\r\n$1\r\nx\r\n,2.5\r\n",
  );
});

Deno.test("encodeReply encodes sets as arrays for RESP2", () => {
  assertEncodes(
    set([0, 1, 2]),
    "*3\r\n:0\r\n:1\r\n:2\r\n",
    "~3\r\n:0\r\n:1\r\n:2\r\n",
  );
  assertEncodes(set([]), "*0\r\n", "~0\r\n");
});

Deno.test("encodeReply encodes booleans as :1 and :0 for RESP2", () => {
  assertEncodes(bool(true), ":1\r\n", "#t\r\n");
  assertEncodes(bool(false), ":0\r\n", "#f\r\n");
});

Deno.test("encodeReply encodes big numbers as bulk strings for RESP2", () => {
  const n = "1234567999999999999999999999999999999";
  assertEncodes(bignum(n), `$37\r\n${n}\r\n`, `(${n}\r\n`);
});

Deno.test("encodeReply encodes verbatim strings as bulk strings for RESP2", () => {
  assertEncodes(
    verbatim("This is a verbatim\nstring"),
    "$25\r\nThis is a verbatim\nstring\r\n",
    "=29\r\ntxt:This is a verbatim\nstring\r\n",
  );
  assertEncodes(verbatim("# x", "mkd"), "$3\r\n# x\r\n", "=7\r\nmkd:# x\r\n");
});

Deno.test("encodeReply encodes push frames as arrays for RESP2", () => {
  assertEncodes(
    push(["message", "ch", "hi"]),
    "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
    ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  );
});

Deno.test("encodeReply sends attributes to RESP3 clients only", () => {
  // DEBUG PROTOCOL attrib.
  const reply: Reply = {
    kind: "attribute",
    entries: ["key-popularity", ["key:123", 90]],
    value: "Some real reply following the attribute",
  };
  assertEncodes(
    reply,
    "$39\r\nSome real reply following the attribute\r\n",
    "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n",
  );
});

Deno.test("encodeReply encodes pairs flat in RESP2 and as two-element arrays in RESP3", () => {
  // ZRANGE z 0 -1 WITHSCORES.
  assertEncodes(
    pairs(["a", double(1), "b", double(2.5)]),
    "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n",
    "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n",
  );
  assertEncodes(pairs([]), "*0\r\n", "*0\r\n");
});

Deno.test("encodeReply writes a sequence as frames back to back", () => {
  // SUBSCRIBE c1 c2.
  const reply: Reply = {
    kind: "sequence",
    items: [push(["subscribe", "c1", 1]), push(["subscribe", "c2", 2])],
  };
  assertEncodes(
    reply,
    "*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n",
    ">3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n>3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n",
  );
});

Deno.test("encodeReply uses a double's preformatted text when it has one", () => {
  const reply: Reply = { kind: "double", value: 0.1, text: "0.1" };
  assertEncodes(reply, "$3\r\n0.1\r\n", ",0.1\r\n");
});

Deno.test("encodeReply writes nothing for NO_REPLY", () => {
  assertEncodes(NO_REPLY, "", "");
});

Deno.test("encodeReply downgrades RESP3 types nested in arrays", () => {
  const reply = [map(["a", set([bool(true), double(1.25)])]), NULL, NULL_ARRAY];
  assertEncodes(
    reply,
    "*3\r\n*2\r\n$1\r\na\r\n*2\r\n:1\r\n$4\r\n1.25\r\n$-1\r\n*-1\r\n",
    "*3\r\n%1\r\n$1\r\na\r\n~2\r\n#t\r\n,1.25\r\n_\r\n_\r\n",
  );
});

Deno.test("writeReply appends consecutive replies into one buffer", () => {
  const w = new RespWriter(4);
  writeReply(w, OK, 2);
  writeReply(w, "v", 2);
  writeReply(w, 42, 2);
  writeReply(w, null, 2);
  assertEquals(text(w.view()), "+OK\r\n$1\r\nv\r\n:42\r\n$-1\r\n");
  w.reset();
  assertEquals(w.length, 0);
  writeReply(w, 1, 3);
  assertEquals(text(w.view()), ":1\r\n");
});

Deno.test("RespWriter grows for big replies and shrinks a huge buffer on reset", () => {
  const w = new RespWriter(16);
  const items = Array.from({ length: 100_000 }, (_, i) => `member:${i}`);
  writeReply(w, items, 2);
  const out = text(w.view());
  assertEquals(out.startsWith("*100000\r\n$8\r\nmember:0\r\n"), true);
  assertEquals(out.endsWith("$12\r\nmember:99999\r\n"), true);
  assertEquals(out.split("\r\n").length, 1 + 2 * 100_000 + 1);
  w.reset();
  assertEquals(w.buf.length <= 1024 * 1024, true);
});

Deno.test("RespWriter.header writes every digit count", () => {
  const w = new RespWriter(8);
  for (
    const n of [
      0,
      9,
      10,
      99,
      100,
      999,
      1000,
      65535,
      1 << 30,
      0x7fffffff,
      2 ** 31,
      2 ** 40,
      -1,
      -10,
      -2147483647,
    ]
  ) {
    w.reset();
    w.header(42, n);
    assertEquals(text(w.view()), `*${n}\r\n`);
  }
});
