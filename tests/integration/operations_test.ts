/**
 * Running tsredis the way redis-server runs: under systemd (`supervised`,
 * the notify socket), with a `pidfile`, with its config on stdin (`-`), with
 * the log lines scripts watch for, and stopped by signals. Where
 * redis-server is installed, each expectation is checked against it too.
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import { startNotifySocket } from "../_harness/notify_socket.ts";
import { RespClient } from "../_harness/resp_client.ts";
import {
  type ServerHandle,
  spawnServer,
  type Target,
} from "../_harness/spawn.ts";
import { freePort, REDIS_SERVER } from "../_harness/tools.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const opts = { sanitizeOps: false, sanitizeResources: false };
const TARGETS: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];
// A supervisor above the test runner would be inherited by the servers.
const OWN_NOTIFY_SOCKET = Deno.env.get("NOTIFY_SOCKET") !== undefined;

/** SHUTDOWN NOSAVE, then the exit. */
async function shutdown(server: ServerHandle): Promise<void> {
  const c = await server.connect();
  await c.sendRaw("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
  await c.readFor(10000);
  c.close();
  await server.exited;
}

function infoField(info: unknown, field: string): string | undefined {
  return String(info).match(new RegExp(`^${field}:(.*)\\r$`, "m"))?.[1];
}

for (const target of TARGETS) {
  Deno.test({
    ...opts,
    name:
      `supervised systemd: the notify socket gets loading, ready and stopping in Redis's order (${target})`,
    ignore: OWN_NOTIFY_SOCKET,
    async fn() {
      await using socket = await startNotifySocket();
      const server = await spawnServer({
        target,
        args: ["--supervised", "systemd", "--daemonize", "no"],
        env: { NOTIFY_SOCKET: socket.path },
      });
      try {
        await socket.waitFor("READY=1\n");
        const c = await server.connect();
        assertEquals(
          infoField(await c.call("INFO", "server"), "process_supervised"),
          "systemd",
        );
        c.close();
        await shutdown(server);
        await socket.waitFor("STOPPING=1\n");
        assertEquals(socket.messages, [
          "STATUS=Redis is loading...\n",
          "STATUS=Ready to accept connections\n",
          "READY=1\n",
          "STOPPING=1\n",
        ]);
        assertMatch(
          server.output(),
          /\* Supervised by systemd\. Please make sure you set appropriate values for TimeoutStartSec and TimeoutStopSec in your service unit\./,
        );
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    ...opts,
    name:
      `supervised auto finds NOTIFY_SOCKET, and sends nothing without it (${target})`,
    ignore: OWN_NOTIFY_SOCKET,
    async fn() {
      await using socket = await startNotifySocket();
      {
        await using server = await spawnServer({
          target,
          args: ["--supervised", "auto", "--loglevel", "verbose"],
          env: { NOTIFY_SOCKET: socket.path },
        });
        await socket.waitFor("READY=1\n");
        assertMatch(server.output(), /- Systemd supervision detected\./);
      }
      await using server = await spawnServer({
        target,
        args: ["--supervised", "auto"],
      });
      const c = await server.connect();
      assertEquals(
        infoField(await c.call("INFO", "server"), "process_supervised"),
        "no",
      );
      c.close();
      assert(!server.output().includes("supervision"), server.output());
    },
  });

  Deno.test({
    ...opts,
    name:
      `supervised systemd without NOTIFY_SOCKET logs Redis's error at each message; upstart without UPSTART_JOB warns (${target})`,
    ignore: OWN_NOTIFY_SOCKET || Deno.env.get("UPSTART_JOB") !== undefined,
    async fn() {
      const server = await spawnServer({
        target,
        args: ["--supervised", "systemd"],
      });
      await shutdown(server);
      const errors = server.output().split("\n").filter((l) =>
        l.endsWith("# systemd supervision error: NOTIFY_SOCKET not found!")
      );
      // Loading, ready (STATUS and READY=1), stopping.
      assertEquals(errors.length, 4, server.output());
      await using upstart = await spawnServer({
        target,
        args: ["--supervised", "upstart"],
      });
      assertMatch(
        upstart.output(),
        /# upstart supervision requested, but UPSTART_JOB not found!/,
      );
    },
  });

  Deno.test({
    ...opts,
    name:
      `pidfile holds the pid once the server is up and is removed at exit (${target})`,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "tsredis-pid-" });
      try {
        const pidfile = `${dir}/server.pid`;
        const server = await spawnServer({
          target,
          args: ["--pidfile", pidfile],
        });
        const c = await server.connect();
        const pid = infoField(await c.call("INFO", "server"), "process_id");
        c.close();
        assertEquals(await Deno.readTextFile(pidfile), `${pid}\n`);
        await shutdown(server);
        assertMatch(server.output(), /\* Removing the pid file\./);
        assertEquals(await exists(pidfile), false);
        // A pidfile that cannot be written does not stop the server
        // (Redis 7.0 writes it on a best-effort basis, silently).
        await using other = await spawnServer({
          target,
          args: ["--pidfile", `${dir}/missing/server.pid`],
        });
        const o = await other.connect();
        assertEquals(await o.call("PING"), "PONG");
        o.close();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });

  Deno.test({
    ...opts,
    name:
      `always-show-logo yes prints the logo with Port: and PID: lines instead of 'Running mode' (${target})`,
    async fn() {
      await using server = await spawnServer({
        target,
        args: ["--always-show-logo", "yes"],
      });
      const c = await server.connect();
      const pid = infoField(await c.call("INFO", "server"), "process_id");
      c.close();
      const out = server.output();
      assertMatch(out, new RegExp(`\\sPort: ${server.port}\\n`));
      assertMatch(out, new RegExp(`\\sPID: ${pid}\\n`));
      assertMatch(out, /Running in standalone mode/);
      assert(!out.includes("Running mode="), out);
    },
  });

  Deno.test({
    ...opts,
    name:
      `the verbose log records protocol errors and closed connections as Redis does (${target})`,
    async fn() {
      await using server = await spawnServer({
        target,
        args: ["--loglevel", "verbose"],
      });
      const bulk = await server.connect();
      await bulk.sendRaw("*1\r\n$x\r\n");
      assertEquals(
        await bulk.readFor(10000),
        "-ERR Protocol error: invalid bulk length\r\n<EOF>",
      );
      const inline = await server.connect();
      await inline.sendRaw('"unbalanced\r\n');
      assertEquals(
        await inline.readFor(10000),
        "-ERR Protocol error: unbalanced quotes in request\r\n<EOF>",
      );
      const quiet = await server.connect();
      assertEquals(await quiet.call("PING"), "PONG");
      quiet.close();
      const deadline = Date.now() + 10000;
      while (
        !server.output().includes("Client closed connection") &&
        Date.now() < deadline
      ) await new Promise((r) => setTimeout(r, 20));
      const out = server.output();
      assertMatch(
        out,
        /- Protocol error \(invalid bulk length\) from client: id=\d+ addr=127\.0\.0\.1:\d+ laddr=\S+ fd=\d+ name= .* cmd=NULL user=default redir=-1 resp=2\. Query buffer during protocol error: '\$x\.\.'\n/,
      );
      assertMatch(
        out,
        /- Protocol error \(unbalanced quotes in inline request\) from client: id=\d+ .*\. Query buffer during protocol error: '"unbalanced\.\.'\n/,
      );
      assertMatch(
        out,
        /- Client closed connection id=\d+ addr=127\.0\.0\.1:\d+ .* cmd=ping user=default redir=-1 resp=2\n/,
      );
    },
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a server with `args` and `stdin`; returns its output once it is ready (or has exited). */
async function runWithStdin(
  target: Target,
  args: string[],
  stdin: string,
): Promise<{ output: string; code: number | undefined; port?: number }> {
  const cwd = await Deno.makeTempDir({ prefix: "tsredis-stdin-" });
  const command = target === "tsredis"
    ? new Deno.Command(Deno.execPath(), {
      args: ["run", "--unstable-net", "--allow-all", MAIN, ...args],
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(REDIS_SERVER!, {
      args,
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    });
  const child = command.spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  let output = "";
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const read = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      output += chunk;
    }
  };
  const reading = Promise.all([read(child.stdout), read(child.stderr)]);
  const deadline = Date.now() + 30000;
  while (
    !exited && !output.includes("Ready to accept connections") &&
    Date.now() < deadline
  ) await new Promise((r) => setTimeout(r, 20));
  if (!exited) {
    const port = Number(output.match(/port=(\d+)\./)?.[1]);
    const c = await RespClient.connect(port);
    await c.sendRaw("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
    await c.readFor(5000);
    c.close();
    await status;
    await reading;
    await Deno.remove(cwd, { recursive: true });
    return { output, code: undefined, port };
  }
  const code = (await status).code;
  await reading;
  await Deno.remove(cwd, { recursive: true });
  return { output, code };
}

for (const target of TARGETS) {
  Deno.test({
    ...opts,
    name:
      `'-' reads the config from stdin, first or last, before the options (${target})`,
    async fn() {
      const a = freePort();
      const first = await runWithStdin(
        target,
        ["-", "--save", ""],
        `port ${a}\nloglevel verbose\n`,
      );
      assertEquals(first.port, a, first.output);
      assertMatch(first.output, /# Reading config from stdin\n/);
      // The options come after stdin's text: the port given as an option wins.
      const b = freePort();
      const last = await runWithStdin(
        target,
        ["--port", String(b), "--save", "", "-"],
        "port 1\n",
      );
      assertEquals(last.port, b, last.output);
      // A bad line on stdin is reported with its number, as in a file.
      const bad = await runWithStdin(
        target,
        ["-", "--port", String(freePort())],
        "save ''\nno-such-directive 1\n",
      );
      assertEquals(bad.code, 1);
      assertMatch(
        bad.output,
        /Reading the configuration file, at line 2\n>>> 'no-such-directive 1'\nBad directive or wrong number of arguments\n/,
      );
    },
  });
}

Deno.test({
  ...opts,
  name:
    "SIGINT twice (as Ctrl-C under npx deno task start delivers it) logs one shutdown, in Redis's signal-handler format",
  async fn() {
    const server = await spawnServer({ target: "tsredis" });
    const status = server.exited;
    // The pid from the server itself: the spawned process is deno.
    const c = await server.connect();
    const pid = Number(
      infoField(await c.call("INFO", "server"), "process_id"),
    );
    c.close();
    Deno.kill(pid, "SIGINT");
    Deno.kill(pid, "SIGINT");
    assertEquals((await status).code, 0);
    const out = server.output();
    const received = out.split("\n").filter((l) =>
      /^\d+:signal-handler \(\d+\) Received SIGINT scheduling shutdown\.\.\.$/
        .test(l)
    );
    assertEquals(received.length, 1, out);
    assertEquals(out.split("User requested shutdown...").length, 2, out);
    assertEquals(out.split("ready to exit, bye bye").length, 2, out);
  },
});

Deno.test({
  ...opts,
  name:
    "INFO memory: fragmentation leaves out the runtime, so a fresh server reads about 1, and the figures add up",
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const c = await server.connect();
    try {
      const info = await c.call("INFO", "memory");
      const n = (f: string) => Number(infoField(info, f));
      const ratio = n("mem_fragmentation_ratio");
      assert(ratio > 0.5 && ratio < 1.5, String(info));
      // The runtime (tens of MB for Deno and V8) is the RSS overhead.
      assert(n("rss_overhead_bytes") > 10 * 1024 * 1024, String(info));
      assertEquals(
        n("allocator_resident") + n("rss_overhead_bytes"),
        n("used_memory_rss"),
      );
      assertEquals(
        n("mem_fragmentation_bytes"),
        n("allocator_resident") - n("allocator_allocated"),
      );
      assertEquals(
        n("allocator_frag_bytes"),
        n("allocator_active") - n("allocator_allocated"),
      );
    } finally {
      c.close();
    }
  },
});

for (const target of TARGETS) {
  Deno.test({
    ...opts,
    name:
      `Debian's unit: a redis.conf saying daemonize yes, run with --supervised systemd --daemonize no, notifies readiness (${target})`,
    ignore: OWN_NOTIFY_SOCKET,
    async fn() {
      await using socket = await startNotifySocket();
      const dir = await Deno.makeTempDir({ prefix: "tsredis-debian-" });
      try {
        // The lines of Debian's /etc/redis/redis.conf that matter here.
        const conf = [
          "bind 127.0.0.1 -::1",
          "protected-mode yes",
          "daemonize yes",
          `pidfile ${dir}/redis-server.pid`,
          "loglevel notice",
          "always-show-logo no",
          "set-proc-title yes",
          'proc-title-template "{title} {listen-addr} {server-mode}"',
          `dir ${dir}`,
          "oom-score-adj no",
          "disable-thp yes",
          "jemalloc-bg-thread yes",
        ].join("\n");
        const server = await spawnServer({
          target,
          configText: conf,
          args: ["--supervised", "systemd", "--daemonize", "no"],
          env: { NOTIFY_SOCKET: socket.path },
        });
        await socket.waitFor("READY=1\n");
        assert(await exists(`${dir}/redis-server.pid`));
        await shutdown(server);
        await socket.waitFor("STOPPING=1\n");
        assertEquals(await exists(`${dir}/redis-server.pid`), false);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

for (const target of TARGETS) {
  Deno.test({
    ...opts,
    name:
      `supervised systemd on a replica: read-only until the sync, then the sync's status (${target})`,
    ignore: OWN_NOTIFY_SOCKET,
    async fn() {
      await using socket = await startNotifySocket();
      await using master = await spawnServer({ target });
      await using replica = await spawnServer({
        target,
        args: [
          "--supervised",
          "systemd",
          "--replicaof",
          "127.0.0.1",
          String(master.port),
        ],
        env: { NOTIFY_SOCKET: socket.path },
      });
      const done =
        "STATUS=MASTER <-> REPLICA sync: Finished with success. Ready to accept connections in read-write mode.\n";
      await socket.waitFor(done);
      assertEquals(socket.messages, [
        "STATUS=Redis is loading...\n",
        "STATUS=Ready to accept connections in read-only mode. Waiting for MASTER <-> REPLICA sync\n",
        "READY=1\n",
        done,
      ]);
      assert(replica.output().includes("Finished with success"));
    },
  });
}
