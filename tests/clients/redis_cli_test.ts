/**
 * redis-cli against a spawned tsredis: one-shot commands, `--pipe` mass
 * insertion, `-3` (RESP3) mode, and an interactive session on a terminal,
 * where redis-cli shows command hints (built from COMMAND DOCS when the
 * server has it, from its own table otherwise). Registered as ignored where
 * redis-cli (or `script`, for the terminal) is not installed.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { findExecutable, REDIS_CLI } from "../_harness/tools.ts";
import { hasCommands, run } from "./_support.ts";

const SCRIPT = findExecutable("script");
const options = { sanitizeOps: false, sanitizeResources: false };

function cli(port: number, args: string[], stdin?: string | Uint8Array) {
  return run(
    REDIS_CLI!,
    ["-h", "127.0.0.1", "-p", String(port), ...args],
    stdin === undefined ? {} : { stdin },
  );
}

Deno.test({
  name: "redis-cli one-shot commands print replies as Redis's would",
  ignore: REDIS_CLI === undefined,
  ...options,
  async fn() {
    await using server = await spawnServer();
    const port = server.port;
    assertEquals(await cli(port, ["SET", "k", "v"]), {
      code: 0,
      stdout: "OK\n",
      stderr: "",
    });
    assertEquals((await cli(port, ["GET", "k"])).stdout, "v\n");
    assertEquals((await cli(port, ["--no-raw", "GET", "k"])).stdout, '"v"\n');
    assertEquals((await cli(port, ["GET", "missing"])).stdout, "\n");
    assertEquals(
      (await cli(port, ["--no-raw", "GET", "missing"])).stdout,
      "(nil)\n",
    );
    assertEquals((await cli(port, ["PING"])).stdout, "PONG\n");
    assertEquals((await cli(port, ["ECHO", "a b"])).stdout, "a b\n");
    const unknown = await cli(port, ["NOSUCH", "a"]);
    assertEquals(
      unknown.stdout,
      "ERR unknown command 'NOSUCH', with args beginning with: 'a' \n\n",
    );
    assertEquals(
      (await cli(port, ["--no-raw", "GET"])).stdout,
      "(error) ERR wrong number of arguments for 'get' command\n",
    );
    // -x: the last argument comes from stdin, bytes and all.
    const x = await cli(port, ["-x", "SET", "fromstdin"], "line1\nline2\xe9");
    assertEquals(x.stdout, "OK\n");
    assertEquals(
      (await cli(port, ["GET", "fromstdin"])).stdout,
      "line1\nline2\xe9\n",
    );
  },
});

Deno.test({
  name: "redis-cli --pipe inserts 100,000 keys with 0 errors",
  ignore: REDIS_CLI === undefined,
  ...options,
  async fn() {
    await using server = await spawnServer();
    const count = 100_000;
    let input = "";
    for (let i = 0; i < count; i++) {
      const key = `key:${i}`;
      const value = `value:${i}`;
      input +=
        `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
    }
    const result = await run(
      REDIS_CLI!,
      ["-h", "127.0.0.1", "-p", String(server.port), "--pipe"],
      { stdin: input, timeoutMs: 120_000 },
    );
    assertEquals(result.code, 0, result.stdout + result.stderr);
    assertMatch(
      result.stdout,
      /^All data transferred\. Waiting for the last reply\.\.\.$/m,
    );
    assertMatch(result.stdout, /^Last reply received from server\.$/m);
    assertMatch(
      result.stdout,
      new RegExp(`^errors: 0, replies: ${count}$`, "m"),
    );
    using client = await server.connect();
    assertEquals(await client.call("GET", "key:0"), "value:0");
    assertEquals(
      await client.call("GET", `key:${count - 1}`),
      `value:${count - 1}`,
    );
    if (hasCommands("dbsize")) {
      assertEquals(await client.call("DBSIZE"), count);
    }
  },
});

Deno.test({
  name: "redis-cli --pipe counts error replies",
  ignore: REDIS_CLI === undefined,
  ...options,
  async fn() {
    await using server = await spawnServer();
    const input = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n" +
      "*1\r\n$6\r\nNOSUCH\r\n" + "*2\r\n$3\r\nGET\r\n$1\r\na\r\n";
    const result = await cli(server.port, ["--pipe"], input);
    assertMatch(result.stdout, /^errors: 1, replies: 3$/m);
    assertEquals(result.code, 1);
  },
});

Deno.test({
  name: "redis-cli -3 speaks RESP3 and prints maps as maps",
  ignore: REDIS_CLI === undefined || !hasCommands("hello", "hset", "hgetall"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    const port = server.port;
    assertEquals((await cli(port, ["-3", "PING"])).stdout, "PONG\n");
    assertEquals(
      (await cli(port, ["-3", "HSET", "h", "f", "v"])).stdout,
      "1\n",
    );
    const map = await cli(port, ["-3", "--no-raw", "HGETALL", "h"]);
    assertEquals(map, { code: 0, stdout: '1# "f" => "v"\n', stderr: "" });
    assertEquals(
      (await cli(port, ["-3", "--no-raw", "GET", "missing"])).stdout,
      "(nil)\n",
    );
  },
});

/** Types `keys` into an interactive redis-cli on a pseudo-terminal; returns what it printed. */
async function interactive(port: number, keys: string[]): Promise<RunOutput> {
  // `script` gives redis-cli a terminal; stty gives the terminal a size, or
  // linenoise would ask the (absent) terminal emulator for its width.
  const child = new Deno.Command(SCRIPT!, {
    args: [
      "-qfec",
      `stty cols 200 rows 50; exec ${REDIS_CLI} -h 127.0.0.1 -p ${port}`,
      "/dev/null",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const output = child.output();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  await new Promise((r) => setTimeout(r, 300));
  for (const k of keys) {
    await writer.write(encoder.encode(k));
    await new Promise((r) => setTimeout(r, 150));
  }
  await writer.close().catch(() => {});
  const out = await output;
  clearTimeout(timer);
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The terminal output without colour and cursor escape sequences. */
function plain(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

Deno.test({
  name: "redis-cli interactive session shows hints and no errors",
  ignore: REDIS_CLI === undefined || SCRIPT === undefined,
  ...options,
  async fn() {
    await using server = await spawnServer();
    const out = await interactive(server.port, [
      "SET ",
      "hk hv\r",
      "GET",
      " hk\r",
      "ECHO 'hello there'\r",
      "quit\r",
    ]);
    assertEquals(out.code, 0, out.stdout + out.stderr);
    assertEquals(out.stderr, "");
    // Replies as a terminal shows them.
    assertMatch(out.stdout, /\r\nOK\r\n/);
    assertMatch(out.stdout, /\r\n"hv"\r\n/);
    assertMatch(out.stdout, /\r\n"hello there"\r\n/);
    // The hint after "SET " lists SET's arguments.
    assert(out.stdout.includes("key value"), "SET's hint was shown");
    for (const bad of ["(error)", "ERR", "Error", "Segmentation", "Assert"]) {
      assert(!out.stdout.includes(bad), `no "${bad}" in ${out.stdout}`);
    }
  },
});

Deno.test({
  name: "redis-cli HELP works with the server's COMMAND DOCS",
  ignore: REDIS_CLI === undefined || SCRIPT === undefined ||
    !hasCommands("command|docs"),
  ...options,
  async fn() {
    await using server = await spawnServer();
    // redis-cli builds its help from this reply, falling back to its own
    // table only when the reply is an error.
    using client = await server.connect();
    const docs = await client.call("COMMAND", "DOCS", "set");
    assert(
      Array.isArray(docs) && docs[0] === "set",
      `COMMAND DOCS set: ${docs}`,
    );
    const out = await interactive(server.port, ["help set\r", "quit\r"]);
    assertEquals(out.code, 0, out.stdout + out.stderr);
    const text = plain(out.stdout);
    assertMatch(text, /SET key value/);
    assertMatch(text, /summary: Set the string value of a key/);
    assertMatch(text, /group: string/);
  },
});
