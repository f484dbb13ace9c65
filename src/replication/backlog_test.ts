import { assert, assertEquals } from "../../tests/_deps.ts";
import { Backlog } from "./backlog.ts";

const text = new TextDecoder();

function readAll(b: Backlog, from: number): string {
  let out = "";
  for (let at = from; at <= b.offset;) {
    const piece = b.read(at)!;
    out += text.decode(piece.bytes);
    at += piece.bytes.length;
  }
  return out;
}

Deno.test("Backlog.appendCommand encodes a multibulk and advances the offset", () => {
  const b = new Backlog(1024 * 1024, 0);
  assertEquals(b.firstOffset, 1);
  b.appendCommand(["SET", "key", "value"]);
  const expected = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  assertEquals(b.offset, expected.length);
  assertEquals(b.histlen, expected.length);
  assertEquals(readAll(b, 1), expected);
  assertEquals(b.read(b.offset + 1), undefined);
});

Deno.test("Backlog keeps binary arguments and long ones across blocks", () => {
  const b = new Backlog(1024 * 1024, 100);
  const big = "x".repeat(200_000);
  b.appendCommand(["SET", "k", big]);
  b.appendCommand([
    "SET",
    new Uint8Array([0, 255, 13, 10]) as unknown as string,
    "v",
  ]);
  const all = readAll(b, 101);
  assert(all.startsWith(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$200000\r\n${big}\r\n`));
  assertEquals(b.offset - 100, all.length);
  // Reading from the middle of the stream starts there.
  assertEquals(readAll(b, 105), all.slice(4));
});

Deno.test("Backlog.trim drops old blocks beyond its size unless a replica needs them", () => {
  const b = new Backlog(100_000, 0);
  for (let i = 0; i < 100; i++) {
    b.appendCommand(["SET", "k", "v".repeat(10_000)]);
  }
  const end = b.offset;
  // A replica still needs everything from offset 1.
  b.trim(1);
  assertEquals(b.firstOffset, 1);
  assert(b.covers(1));
  b.trim(Infinity);
  assert(b.histlen >= 100_000);
  assert(b.histlen < 100_000 + 70_000);
  assert(!b.covers(1));
  assert(b.covers(end + 1));
  assertEquals(b.read(1), undefined);
  assertEquals(readAll(b, b.firstOffset).length, b.histlen);
});

Deno.test("Backlog.appendBytes and rebase keep offsets consistent", () => {
  const b = new Backlog(1024, 10);
  b.appendBytes(new TextEncoder().encode("*1\r\n$4\r\nPING\r\n"));
  assertEquals(b.offset, 24);
  assertEquals(b.firstOffset, 11);
  b.rebase(1000);
  assertEquals(b.offset, 1024);
  assertEquals(b.firstOffset, 1011);
  assertEquals(readAll(b, 1011), "*1\r\n$4\r\nPING\r\n");
});

Deno.test("Backlog.appendBytes spanning several blocks numbers each block right", () => {
  const b = new Backlog(1024 * 1024, 0);
  b.appendCommand(["SET", "k", "v"]);
  const start = b.offset;
  const bytes = new Uint8Array(200_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
  b.appendBytes(bytes);
  assertEquals(b.offset, start + bytes.length);
  for (const at of [start + 1, start + 70_000, start + 150_000]) {
    const piece = b.read(at)!;
    assert(piece.bytes.length > 0);
    assertEquals(piece.bytes[0], (at - start - 1) % 251);
  }
});
