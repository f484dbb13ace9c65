/**
 * Protected mode: with no password for the default user, a peer that is
 * not on the loopback interface gets Redis 7.0.15's `-DENIED` text, byte for
 * byte, and is disconnected; loopback peers are served.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { RespClient } from "../_harness/resp_client.ts";
import { spawnServer, type Target } from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

// Recorded from redis-server 7.0.15 (its fourth point reads "Setup a an").
const DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/** An IPv4 address of this machine outside 127.0.0.0/8, if it has one. */
function externalAddress(): string | undefined {
  for (const nic of Deno.networkInterfaces()) {
    if (nic.family === "IPv4" && !nic.address.startsWith("127.")) {
      return nic.address;
    }
  }
  return undefined;
}

/**
 * Everything the server sends a peer connecting from `host` until it
 * closes. The peer sends nothing: unread input would make the server's
 * close a reset, which can discard the text before it is read.
 */
async function answerFrom(host: string, port: number): Promise<string> {
  const conn = await Deno.connect({ hostname: host, port });
  try {
    const buf = new Uint8Array(4096);
    let text = "";
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return text;
      text += String.fromCharCode(...buf.subarray(0, n));
    }
  } finally {
    conn.close();
  }
}

const external = externalAddress();
const targets: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

for (const target of targets) {
  Deno.test({
    ...opts,
    name:
      `protected mode refuses a non-loopback peer with Redis's DENIED text and closes (${target})`,
    ignore: external === undefined,
    async fn() {
      await using server = await spawnServer({
        target,
        args: ["--bind", "0.0.0.0"],
      });
      assertEquals(await answerFrom(external!, server.port), DENIED);
      const local = await server.connect();
      try {
        assertEquals(await local.call("PING"), "PONG");
      } finally {
        local.close();
      }
    },
  });
}

for (const target of targets) {
  Deno.test({
    ...opts,
    name:
      `protected mode lets a non-loopback peer in once ACL SETUSER gives the default user a password (${target})`,
    ignore: external === undefined,
    async fn() {
      await using server = await spawnServer({
        target,
        args: ["--bind", "0.0.0.0"],
      });
      const local = await server.connect();
      try {
        assertEquals(
          await local.call("ACL", "SETUSER", "default", ">pw"),
          "OK",
        );
      } finally {
        local.close();
      }
      const remote = await RespClient.connect(server.port, external!);
      try {
        assertEquals(await remote.call("AUTH", "pw"), "OK");
        assertEquals(await remote.call("PING"), "PONG");
      } finally {
        remote.close();
      }
    },
  });
}
