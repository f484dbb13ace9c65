/**
 * The accept loop: a peer that resets its connection before tsredis takes
 * it from the listen queue must cost only that peer, never the listener.
 *
 * @module
 */
import net from "node:net";
import { assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Opens `count` connections and resets each (SO_LINGER 0) once connected. */
function connectAndReset(port: number, count: number): Promise<void> {
  return new Promise((resolve) => {
    let settled = 0;
    const done = () => {
      if (++settled === count) resolve();
    };
    for (let i = 0; i < count; i++) {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.resetAndDestroy();
        done();
      });
      socket.on("error", done);
    }
  });
}

Deno.test({
  ...opts,
  name:
    "accept loop keeps accepting after 300 peers reset their connections before being accepted",
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    // SIGSTOP holds the server so the resets land while the connections
    // still wait in the listen queue, which is where accept() fails.
    const pid = Number(/\bpid=(\d+)/.exec(server.output())?.[1]);
    Deno.kill(pid, "SIGSTOP");
    try {
      await connectAndReset(server.port, 300);
    } finally {
      Deno.kill(pid, "SIGCONT");
    }
    const client = await server.connect();
    try {
      assertEquals(await client.call("PING"), "PONG");
    } finally {
      client.close();
    }
  },
});
