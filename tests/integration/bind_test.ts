/**
 * `bind`: the default `* -::*` listens on IPv4 and IPv6 as redis-server
 * does, even where IPv6 sockets are dual-stack (Linux's default), and so do
 * `* ::*` and explicit loopback pairs. Protected mode (on by default, no
 * password) keeps the wildcard test servers closed to other hosts.
 *
 * @module
 */
import { assertEquals, assertMatch } from "../_deps.ts";
import { RespClient } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function hasIpv6Loopback(): boolean {
  try {
    const l = Deno.listen({ hostname: "::1", port: 0 });
    l.close();
    return true;
  } catch {
    return false;
  }
}

const ipv6 = hasIpv6Loopback();

async function pingAndAddr(host: string, port: number): Promise<string> {
  const client = await RespClient.connect(port, host);
  try {
    assertEquals(await client.call("PING"), "PONG");
    const info = await client.call("CLIENT", "INFO") as string;
    return /\baddr=(\S+)/.exec(info)![1]!;
  } finally {
    client.close();
  }
}

for (const bind of ["* -::*", "* ::*", "127.0.0.1 ::1", "::1 127.0.0.1"]) {
  Deno.test({
    ...opts,
    name: `bind "${bind}" serves clients over 127.0.0.1 and ::1`,
    ignore: !ipv6,
    async fn() {
      await using server = await spawnServer({
        target: "tsredis",
        args: ["--bind", bind],
      });
      assertMatch(
        await pingAndAddr("127.0.0.1", server.port),
        /^127\.0\.0\.1:\d+$/,
      );
      assertMatch(await pingAndAddr("::1", server.port), /^\[::1\]:\d+$/);
    },
  });
}
