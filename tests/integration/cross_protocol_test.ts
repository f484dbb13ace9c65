/**
 * Cross-protocol scripting: a browser made to POST to the Redis port sends
 * an HTTP request whose body can hold Redis commands. The connection must
 * be dropped at the request line, before anything in the body runs, with
 * Redis's `Possible SECURITY ATTACK detected` log line.
 *
 * @module
 */
import { assertEquals, assertMatch } from "../_deps.ts";
import { spawnServer, type Target } from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Sends `text` and returns everything received until the server closes. */
async function sendUntilClosed(port: number, text: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(text));
    const buf = new Uint8Array(4096);
    let received = "";
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) return received;
      received += String.fromCharCode(...buf.subarray(0, n));
    }
  } finally {
    conn.close();
  }
}

const targets: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

const REQUESTS: Record<string, string> = {
  POST: "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n\r\n" +
    "SET smuggled yes\r\n",
  "Host:": "Host: localhost\r\nSET smuggled yes\r\n",
};

for (const target of targets) {
  for (const [first, request] of Object.entries(REQUESTS)) {
    Deno.test({
      ...opts,
      name:
        `${first} as a command closes the connection before running what follows it (${target})`,
      async fn() {
        await using server = await spawnServer({ target });
        assertEquals(await sendUntilClosed(server.port, request), "");
        const client = await server.connect();
        try {
          assertEquals(await client.call("EXISTS", "smuggled"), 0);
        } finally {
          client.close();
        }
        assertMatch(
          server.output(),
          /Possible SECURITY ATTACK detected\. It looks like somebody is sending POST or Host: commands to Redis\. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance\. Connection aborted\./,
        );
      },
    });
  }
}
