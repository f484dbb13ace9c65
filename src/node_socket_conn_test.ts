import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { assert, assertEquals, assertRejects } from "../tests/_deps.ts";

async function rejectsWith(
  promise: () => Promise<unknown>,
  type: new (...args: never[]) => Error,
): Promise<void> {
  const e = await assertRejects(promise);
  assert(e instanceof type, `expected ${type.name}, got ${String(e)}`);
}
import { NodeSocketConn } from "./node_socket_conn.ts";

/** A stand-in for a node socket: emits what a test feeds it. */
class FakeSocket extends EventEmitter {
  localAddress = "127.0.0.1";
  localPort = 6380;
  remoteAddress = "::ffff:127.0.0.1";
  remotePort = 50000;
  paused = false;
  destroyed = false;
  written: Uint8Array[] = [];
  writeError: Error | undefined;
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  destroy() {
    this.destroyed = true;
  }
  write(data: Uint8Array, done: (err?: Error | null) => void) {
    this.written.push(data);
    queueMicrotask(() => done(this.writeError ?? null));
    return true;
  }
}

function wrap(): { fake: FakeSocket; conn: NodeSocketConn } {
  const fake = new FakeSocket();
  return { fake, conn: new NodeSocketConn(fake as unknown as Socket) };
}

Deno.test("NodeSocketConn reads chunks across buffer boundaries, then null at the end", async () => {
  const { fake, conn } = wrap();
  assertEquals(conn.remoteAddr, {
    transport: "tcp",
    hostname: "::ffff:127.0.0.1",
    port: 50000,
  });
  fake.emit("data", new Uint8Array([1, 2, 3]));
  fake.emit("data", new Uint8Array([4, 5]));
  const buf = new Uint8Array(4);
  assertEquals(await conn.read(buf), 4);
  assertEquals([...buf], [1, 2, 3, 4]);
  assertEquals(await conn.read(buf), 1);
  assertEquals(buf[0], 5);
  const pending = conn.read(buf);
  fake.emit("data", new Uint8Array([9]));
  assertEquals(await pending, 1);
  assertEquals(buf[0], 9);
  fake.emit("end");
  assertEquals(await conn.read(buf), null);
});

Deno.test("NodeSocketConn pauses the socket past 64 KiB unread and resumes as it drains", async () => {
  const { fake, conn } = wrap();
  for (let i = 0; i < 5; i++) fake.emit("data", new Uint8Array(16 * 1024));
  assertEquals(fake.paused, true);
  const buf = new Uint8Array(16 * 1024);
  await conn.read(buf);
  assertEquals(fake.paused, true);
  await conn.read(buf);
  await conn.read(buf);
  assertEquals(fake.paused, false);
});

Deno.test("NodeSocketConn maps node errors to the Deno errors the connection expects", async () => {
  const { fake, conn } = wrap();
  const pending = conn.read(new Uint8Array(8));
  fake.emit("error", Object.assign(new Error("reset"), { code: "ECONNRESET" }));
  await rejectsWith(() => pending, Deno.errors.ConnectionReset);
  const other = wrap();
  other.fake.writeError = Object.assign(new Error("gone"), { code: "EPIPE" });
  await rejectsWith(
    () => other.conn.write(new Uint8Array(3)),
    Deno.errors.BrokenPipe,
  );
});

Deno.test("NodeSocketConn write resolves with the length once node is done; close destroys and ends reads", async () => {
  const { fake, conn } = wrap();
  const data = new Uint8Array([1, 2, 3]);
  assertEquals(await conn.write(data), 3);
  assertEquals(fake.written, [data]);
  const pending = conn.read(new Uint8Array(8));
  conn.close();
  assertEquals(fake.destroyed, true);
  await rejectsWith(() => pending, Deno.errors.BadResource);
  await rejectsWith(() => conn.write(data), Deno.errors.BadResource);
});
