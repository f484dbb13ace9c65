/**
 * Start-up and shutdown of the tsredis process: command line and config
 * files (quotes, include, errors), the log banner, refused features,
 * --help/--version, maxclients, requirepass, idle timeouts, tcp-keepalive,
 * SHUTDOWN, SIGINT/SIGTERM and CONFIG REWRITE across a restart.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import { RespError } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { findExecutable, freePort } from "../_harness/tools.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const opts = { sanitizeOps: false, sanitizeResources: false };

/** Runs tsredis to completion with `args`; returns its exit code and output. */
async function runToExit(
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    ...(cwd === undefined ? {} : { cwd }),
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

Deno.test({
  ...opts,
  name:
    "tsredis logs its banner and 'Ready to accept connections' and serves the given port",
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const log = server.output();
    assertMatch(log, /oO0OoO0OoO0Oo tsredis is starting oO0OoO0OoO0Oo/);
    assertMatch(log, /redis_version=7\.0\.15/);
    // Arguments but no file: what redis-server logs then.
    assertMatch(log, /# Configuration loaded\n/);
    assertMatch(
      log,
      new RegExp(`Running mode=standalone, port=${server.port}\\.`),
    );
    assertMatch(
      log,
      /\d+:M \d\d \w{3} \d{4} [\d:.]+ \* Ready to accept connections/,
    );
    const c = await server.connect();
    try {
      assertEquals(await c.call("CONFIG", "GET", "port"), [
        "port",
        String(server.port),
      ]);
      assertEquals(await c.call("CONFIG", "GET", "bind"), [
        "bind",
        "127.0.0.1",
      ]);
      const info = String(await c.call("INFO", "server"));
      assertMatch(info, new RegExp(`tcp_port:${server.port}\r\n`));
      assertMatch(info, /tsredis_version:\d+\.\d+\.\d+\r\n/);
    } finally {
      c.close();
    }
  },
});

Deno.test({
  ...opts,
  name:
    "a config file with quotes and include is applied, command-line options after it",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tsredis-conf-" });
    try {
      await Deno.writeTextFile(
        `${dir}/extra.conf`,
        "# included\ntimeout 11\nmaxclients 50\n",
      );
      await using server = await spawnServer({
        target: "tsredis",
        cwd: dir,
        configText: [
          "# a comment",
          "",
          `requirepass "a b\\"c"`,
          "maxclients 77",
          `include ${dir}/extra.conf`,
          "hz 15",
          "loglevel verbose",
          "loglevel 'notice'",
          "",
        ].join("\n"),
        args: ["--hz", "20"],
      });
      const c = await server.connect();
      try {
        assertEquals(await c.call("AUTH", 'a b"c'), "OK");
        // The included file's line comes later, so it wins over the line above it.
        assertEquals(await c.call("CONFIG", "GET", "maxclients"), [
          "maxclients",
          "50",
        ]);
        assertEquals(await c.call("CONFIG", "GET", "timeout"), [
          "timeout",
          "11",
        ]);
        assertEquals(await c.call("CONFIG", "GET", "hz"), ["hz", "20"]);
        // Single quotes work like double quotes.
        assertEquals(await c.call("CONFIG", "GET", "loglevel"), [
          "loglevel",
          "notice",
        ]);
        assertMatch(
          String(await c.call("INFO", "server")),
          new RegExp(`config_file:${dir}/test.conf\r\n`),
        );
      } finally {
        c.close();
      }
      assertMatch(server.output(), /Configuration loaded/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "an unknown directive stops start-up with Redis's FATAL CONFIG FILE ERROR report and exit code 1",
  async fn() {
    const r = await runToExit(["--port", String(freePort()), "--foo", "bar"]);
    assertEquals(r.code, 1);
    assertMatch(
      r.stderr,
      /\*\*\* FATAL CONFIG FILE ERROR \(tsredis [\d.]+, Redis 7\.0\.15 compatible\) \*\*\*/,
    );
    assertMatch(
      r.stderr,
      /Reading the configuration file, at line 3\n>>> 'foo "bar"'\nBad directive or wrong number of arguments/,
    );

    const dir = await Deno.makeTempDir({ prefix: "tsredis-conf-" });
    try {
      await Deno.writeTextFile(`${dir}/bad.conf`, 'port 0\nmaxclients "abc\n');
      const quotes = await runToExit([`${dir}/bad.conf`]);
      assertEquals(quotes.code, 1);
      assertMatch(
        quotes.stderr,
        /at line 2\n>>> 'maxclients "abc'\nUnbalanced quotes in configuration line/,
      );
      await Deno.writeTextFile(`${dir}/bad.conf`, "port 0\nmaxclients abc\n");
      const value = await runToExit([`${dir}/bad.conf`]);
      assertMatch(
        value.stderr,
        /at line 2\n>>> 'maxclients abc'\nargument couldn't be parsed into an integer/,
      );
      // Options are numbered after the file's lines, as Redis numbers them.
      const after = await runToExit([`${dir}/bad.conf`, "--timeout", "x"]);
      assertMatch(after.stderr, /at line 2\n/);
      await Deno.writeTextFile(`${dir}/ok.conf`, "port 0\n");
      const option = await runToExit([
        `${dir}/ok.conf`,
        "--hz",
        "1",
        "--timeout",
        "x",
      ]);
      assertMatch(
        option.stderr,
        /at line 4\n>>> 'timeout "x"'\nargument couldn't be parsed into an integer/,
      );
      const arity = await runToExit(["--port", "0", "--timeout", "1", "2"]);
      assertMatch(
        arity.stderr,
        />>> 'timeout "1" "2"'\nwrong number of arguments/,
      );
      const missing = await runToExit([`${dir}/nosuch.conf`]);
      assertEquals(missing.code, 1);
      assertMatch(
        missing.stdout,
        /Fatal error, can't open config file '.*nosuch\.conf': No such file or directory/,
      );
      await Deno.writeTextFile(
        `${dir}/inc.conf`,
        `include ${dir}/nosuch.conf\n`,
      );
      const include = await runToExit([`${dir}/inc.conf`]);
      assertEquals(include.code, 1);
      assertMatch(include.stdout, /can't open config file/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "features tsredis lacks are refused at start-up with a clear error and exit code 1",
  async fn() {
    const daemon = await runToExit(["--port", "0", "--daemonize", "yes"]);
    assertEquals(daemon.code, 1);
    assertMatch(daemon.stderr, /cannot daemonize/);
  },
});

Deno.test({
  ...opts,
  name: "--help and --version print and exit 0",
  async fn() {
    const help = await runToExit(["--help"]);
    assertEquals(help.code, 0);
    assertMatch(
      help.stdout,
      /^Usage: \.\/tsredis \[\/path\/to\/redis\.conf\] \[options\]/,
    );
    const version = await runToExit(["--version"]);
    assertEquals(version.code, 0);
    assertMatch(version.stdout, /^tsredis v=[\d.]+ redis_version=7\.0\.15 /);
    assertEquals((await runToExit(["-v"])).stdout, version.stdout);
  },
});

Deno.test({
  ...opts,
  name:
    "maxclients: the extra client gets '-ERR max number of clients reached'",
  async fn() {
    await using server = await spawnServer({
      target: "tsredis",
      args: ["--maxclients", "2"],
    });
    const a = await server.connect();
    const b = await server.connect();
    const c = await server.connect();
    try {
      assertEquals(await a.call("PING"), "PONG");
      assertEquals(await b.call("PING"), "PONG");
      assertEquals(
        await c.readFor(500),
        "-ERR max number of clients reached\r\n<EOF>",
      );
      b.close();
      // The slot frees once the server has seen the close.
      for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
        const info = String(await a.call("INFO", "clients"));
        if (info.includes("connected_clients:1\r\n")) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const d = await server.connect();
      assertEquals(await d.call("PING"), "PONG");
      d.close();
      assertMatch(
        String(await a.call("INFO", "stats")),
        /rejected_connections:1\r\n/,
      );
    } finally {
      a.close();
      c.close();
    }
  },
});

Deno.test({
  ...opts,
  name: "requirepass: commands need AUTH first",
  async fn() {
    await using server = await spawnServer({
      target: "tsredis",
      args: ["--requirepass", "secret"],
    });
    const c = await server.connect();
    try {
      assertEquals(
        await c.call("PING"),
        new RespError("NOAUTH Authentication required."),
      );
      assertEquals(
        await c.call("AUTH", "nope"),
        new RespError(
          "WRONGPASS invalid username-password pair or user is disabled.",
        ),
      );
      assertEquals(await c.call("AUTH", "secret"), "OK");
      assertEquals(await c.call("PING"), "PONG");
    } finally {
      c.close();
    }
  },
});

Deno.test({
  ...opts,
  name:
    "timeout: idle clients are disconnected, active and subscribed ones are not",
  async fn() {
    await using server = await spawnServer({
      target: "tsredis",
      args: ["--timeout", "1"],
    });
    const idle = await server.connect();
    const busy = await server.connect();
    const subscriber = await server.connect();
    try {
      assertEquals(await idle.call("PING"), "PONG");
      await subscriber.call("SUBSCRIBE", "ch");
      for (let i = 0; i < 12; i++) {
        await new Promise((r) => setTimeout(r, 200));
        assertEquals(await busy.call("PING"), "PONG");
      }
      assertEquals(await idle.isClosedByServer(500), true);
      assertEquals(await subscriber.isClosedByServer(200), false);
    } finally {
      idle.close();
      busy.close();
      subscriber.close();
    }
  },
});

Deno.test({
  ...opts,
  name: "tcp-keepalive: accepted sockets have SO_KEEPALIVE on, unless it is 0",
  ignore: findExecutable("ss") === undefined,
  async fn() {
    for (const [value, expected] of [["300", true], ["0", false]] as const) {
      await using server = await spawnServer({
        target: "tsredis",
        args: ["--tcp-keepalive", value],
      });
      const c = await server.connect();
      try {
        await c.call("PING");
        const ss = await new Deno.Command("ss", {
          args: [
            "-tnoH",
            "state",
            "established",
            `( sport = :${server.port} )`,
          ],
          stdout: "piped",
        }).output();
        const line = new TextDecoder().decode(ss.stdout);
        assertEquals(line.includes("keepalive"), expected, line);
      } finally {
        c.close();
      }
    }
  },
});

Deno.test({
  ...opts,
  name:
    "SHUTDOWN exits 0; SHUTDOWN SAVE that cannot write the RDB file is refused unless FORCE",
  async fn() {
    // The server's directory disappears, so the final save cannot open its
    // temp file (as redis-server, it then refuses to exit).
    const dir = await Deno.makeTempDir({ prefix: "tsredis-test-" });
    await using server = await spawnServer({ target: "tsredis", cwd: dir });
    const c = await server.connect();
    try {
      await Deno.remove(dir, { recursive: true });
      assertEquals(
        await c.call("SHUTDOWN", "SAVE"),
        new RespError("ERR Errors trying to SHUTDOWN. Check logs."),
      );
      assertEquals(await c.call("PING"), "PONG");
      await c.sendRaw("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
      assertEquals(await c.readFor(2000), "<EOF>");
    } finally {
      c.close();
    }
    const status = await server.exited;
    assertEquals(status.code, 0);
    assertMatch(server.output(), /Error trying to save the DB, can't exit\./);
    assertMatch(server.output(), /User requested shutdown\.\.\./);
    assertMatch(server.output(), /ready to exit, bye bye\.\.\./);

    const dir2 = await Deno.makeTempDir({ prefix: "tsredis-test-" });
    await using forced = await spawnServer({ target: "tsredis", cwd: dir2 });
    const f = await forced.connect();
    try {
      await Deno.remove(dir2, { recursive: true });
      await f.sendRaw("*3\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n$5\r\nFORCE\r\n");
      assertEquals(await f.readFor(2000), "<EOF>");
    } finally {
      f.close();
    }
    assertEquals((await forced.exited).code, 0);
    assertMatch(forced.output(), /Error trying to save the DB\. Exit anyway\./);
  },
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test({
    ...opts,
    name:
      `${signal} shuts down gracefully with exit code 0, saving the RDB file as the default save points ask`,
    async fn() {
      const port = freePort();
      // The final save goes to the working directory.
      const dir = await Deno.makeTempDir({ prefix: "tsredis-signal-" });
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-all",
          MAIN,
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
        ],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const decoder = new TextDecoder();
      let output = "";
      const reader = child.stdout.getReader();
      while (!output.includes("Ready to accept connections")) {
        const { value, done } = await reader.read();
        if (done) break;
        output += decoder.decode(value);
      }
      child.kill(signal);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        output += decoder.decode(value);
      }
      await child.stderr.cancel();
      const status = await child.status;
      assertEquals(status.code, 0);
      assertMatch(
        output,
        new RegExp(`Received ${signal} scheduling shutdown\\.\\.\\.`),
      );
      assertMatch(output, /User requested shutdown\.\.\./);
      assertMatch(output, /Saving the final RDB snapshot before exiting\./);
      assertMatch(output, /tsredis is now ready to exit, bye bye\.\.\./);
      assert((await Deno.stat(`${dir}/dump.rdb`)).isFile);
      await Deno.remove(dir, { recursive: true });
    },
  });
}

Deno.test({
  ...opts,
  name:
    "CONFIG REWRITE rewrites the config file in place and a restart uses it",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tsredis-rewrite-" });
    try {
      const original = [
        "# my settings",
        "maxclients 100",
        "timeout 5",
        "timeout 6",
        'save ""',
        "hash-max-ziplist-entries 64",
        "",
      ].join("\n");
      {
        await using server = await spawnServer({
          target: "tsredis",
          cwd: dir,
          configText: original,
        });
        const c = await server.connect();
        try {
          assertEquals(
            await c.call(
              "CONFIG",
              "SET",
              "maxclients",
              "200",
              "requirepass",
              'p "w',
              "client-query-buffer-limit",
              "2gb",
              "save",
              "",
            ),
            "OK",
          );
          assertEquals(await c.call("CONFIG", "REWRITE"), "OK");
        } finally {
          c.close();
        }
      }
      const text = await Deno.readTextFile(`${dir}/test.conf`);
      const lines = text.split("\n");
      assertEquals(lines.slice(0, 5), [
        "# my settings",
        "maxclients 200",
        "timeout 6",
        "",
        'save ""',
      ]);
      assert(lines.includes("hash-max-listpack-entries 64"), text);
      assert(lines.includes("# Generated by CONFIG REWRITE"), text);
      assert(lines.includes('requirepass "p \\"w"'), text);
      assert(lines.includes("client-query-buffer-limit 2gb"), text);
      assert(lines.includes(`dir "${dir}"`), text);
      assert(!/\n\n\n/.test(text), text);
      // spawnServer writes the text back to test.conf and starts from it.
      await using again = await spawnServer({
        target: "tsredis",
        cwd: dir,
        configText: text,
      });
      const c = await again.connect();
      try {
        assertEquals(await c.call("AUTH", 'p "w'), "OK");
        assertEquals(await c.call("CONFIG", "GET", "maxclients"), [
          "maxclients",
          "200",
        ]);
        assertEquals(await c.call("CONFIG", "GET", "timeout"), [
          "timeout",
          "6",
        ]);
        assertEquals(await c.call("CONFIG", "GET", "save"), ["save", ""]);
        assertEquals(
          await c.call("CONFIG", "GET", "client-query-buffer-limit"),
          ["client-query-buffer-limit", "2147483648"],
        );
      } finally {
        c.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
