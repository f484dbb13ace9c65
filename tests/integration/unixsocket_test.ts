/**
 * The unix socket: `unixsocket` and `unixsocketperm`, redis-cli -s, a raw
 * client over `Deno.connect({ transport: "unix" })`, CLIENT LIST's
 * `<path>:0` addresses and flag `U`, a stale socket file at start-up, the
 * file removed at shutdown, and unix clients counted as local (protected
 * mode, enable-debug-command local). Run against tsredis and, where it is
 * installed, redis-server 7.0.15.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import { spawnServer, type Target } from "../_harness/spawn.ts";
import { RespClient, RespError } from "../_harness/resp_client.ts";
import { REDIS_CLI, REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const targets: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

/** A fresh directory for a socket, removed by the returned disposer. */
async function socketDir(): Promise<
  { path: string; dir: string } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir({ prefix: "tsredis-unix-" });
  return {
    dir,
    path: `${dir}/redis.sock`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

async function unixClient(path: string): Promise<RespClient> {
  return RespClient.over(await Deno.connect({ transport: "unix", path }));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** An IPv4 address of this machine outside 127.0.0.0/8, if it has one. */
function externalAddress(): string | undefined {
  for (const nic of Deno.networkInterfaces()) {
    if (nic.family === "IPv4" && !nic.address.startsWith("127.")) {
      return nic.address;
    }
  }
  return undefined;
}

for (const target of targets) {
  Deno.test({
    ...opts,
    ignore: REDIS_CLI === undefined,
    name:
      `unixsocket serves redis-cli -s beside TCP; CLIENT INFO shows <path>:0 and flag U (${target})`,
    async fn() {
      await using sock = await socketDir();
      await using server = await spawnServer({
        target,
        args: ["--unixsocket", sock.path],
      });
      const cli = async (...argv: string[]) => {
        const out = await new Deno.Command(REDIS_CLI!, {
          args: ["-s", sock.path, ...argv],
          stdin: "null",
          stdout: "piped",
        }).output();
        return new TextDecoder().decode(out.stdout).trim();
      };
      assertEquals(await cli("set", "k", "via unix"), "OK");
      const tcp = await server.connect();
      assertEquals(await tcp.call("get", "k"), "via unix");
      assertMatch(
        await cli("client", "info"),
        new RegExp(
          `^id=\\d+ addr=${sock.path}:0 laddr=${sock.path}:0 fd=\\d+ name= age=\\d+ idle=\\d+ flags=U db=0 `,
        ),
      );
      assertMatch(
        String(await tcp.call("client", "info")),
        /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ .* flags=N /,
      );
      // Redis lists CONFIG GET's matches in hash-table order.
      const pairs = await tcp.call("config", "get", "unixsocket*") as string[];
      assertEquals(
        Object.fromEntries([0, 2].map((i) => [pairs[i], pairs[i + 1]])),
        { unixsocket: sock.path, unixsocketperm: "0" },
      );
      const set = await tcp.call("config", "set", "unixsocket", "/tmp/x");
      assert(set instanceof RespError);
      assertEquals(
        set.message,
        "ERR CONFIG SET failed (possibly related to argument 'unixsocket') - can't set immutable config",
      );
      tcp.close();
    },
  });

  Deno.test({
    ...opts,
    name:
      `a raw client over the unix socket pipelines commands and big values (${target})`,
    async fn() {
      await using sock = await socketDir();
      await using _server = await spawnServer({
        target,
        args: ["--unixsocket", sock.path],
      });
      const c = await unixClient(sock.path);
      const commands: string[][] = [];
      for (let i = 0; i < 2000; i++) commands.push(["rpush", "l", String(i)]);
      const replies = await c.pipeline(commands);
      assertEquals(replies.at(-1), 2000);
      const big = "v".repeat(2 * 1024 * 1024);
      assertEquals(await c.call("set", "big", big), "OK");
      assertEquals((await c.call("get", "big")) === big, true);
      // CLIENT KILL by the address CLIENT LIST shows.
      const other = await unixClient(sock.path);
      assertEquals(await other.call("ping"), "PONG");
      assertEquals(
        await c.call(
          "client",
          "kill",
          "addr",
          `${sock.path}:0`,
          "skipme",
          "yes",
        ),
        1,
      );
      assertEquals(await other.isClosedByServer(), true);
      c.close();
    },
  });

  Deno.test({
    ...opts,
    name:
      `unixsocketperm sets the socket's mode; a stale file is replaced at start and the socket removed at shutdown (${target})`,
    async fn() {
      await using sock = await socketDir();
      // What a killed server leaves behind (here a plain file).
      await Deno.writeTextFile(sock.path, "stale");
      const server = await spawnServer({
        target,
        args: ["--unixsocket", sock.path, "--unixsocketperm", "711"],
      });
      try {
        const info = await Deno.lstat(sock.path);
        assertEquals(info.isSocket, true);
        assertEquals((info.mode ?? 0) & 0o777, 0o711);
        const c = await unixClient(sock.path);
        assertEquals(await c.call("config", "get", "unixsocketperm"), [
          "unixsocketperm",
          "711",
        ]);
        c.close();
      } finally {
        await server.stop();
      }
      assertEquals((await server.exited).code, 0);
      assertEquals(await exists(sock.path), false);
      assertMatch(server.output(), /Removing the unix socket file\./);
    },
  });

  Deno.test({
    ...opts,
    name:
      `a unixsocket in a missing directory stops start-up with Redis's line (${target})`,
    async fn() {
      await using sock = await socketDir();
      const server = await spawnServer({
        target,
        noWait: true,
        args: ["--unixsocket", `${sock.dir}/missing/redis.sock`],
      });
      assertEquals((await server.exited).code, 1);
      assertMatch(
        server.output(),
        /Failed opening Unix socket: bind: No such file or directory/,
      );
    },
  });

  Deno.test({
    ...opts,
    name:
      `unix socket clients are local: served in protected mode and allowed DEBUG with enable-debug-command local (${target})`,
    async fn() {
      await using sock = await socketDir();
      const external = externalAddress();
      await using server = await spawnServer({
        target,
        args: [
          "--unixsocket",
          sock.path,
          "--enable-debug-command",
          "local",
          "--enable-protected-configs",
          "local",
          // Protected mode refuses every TCP peer that is not loopback.
          ...(external === undefined ? [] : ["--bind", external]),
        ],
      });
      const c = await unixClient(sock.path);
      assertEquals(await c.call("debug", "sleep", "0"), "OK");
      assertEquals(await c.call("config", "set", "dir", sock.dir), "OK");
      if (external !== undefined) {
        const tcp = await RespClient.connect(server.port, external);
        const text = await tcp.readFor(1000);
        assertMatch(text, /^-DENIED Redis is running in protected mode/);
        tcp.close();
      }
      c.close();
    },
  });
}
