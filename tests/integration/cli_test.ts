/**
 * `tsredis cli` driven as a process: one-shot mode (raw reply on stdout,
 * non-zero exit on an error reply) and piped interactive input.
 */
import { assertEquals, assertMatch } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function cli(
  port: number,
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "cli", "-p", String(port), ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("tsredis cli one-shot prints the raw reply and exits 0", async () => {
  await using server = await spawnServer();
  assertEquals(
    (await cli(server.port, ["SET", "k", "hello world"])).stdout,
    "OK\n",
  );
  const get = await cli(server.port, ["GET", "k"]);
  assertEquals(get, { code: 0, stdout: "hello world\n", stderr: "" });
  assertEquals((await cli(server.port, ["GET", "missing"])).stdout, "\n");
});

Deno.test("tsredis cli one-shot exits non-zero on an error reply", async () => {
  await using server = await spawnServer();
  const r = await cli(server.port, ["NOSUCHCMD", "x"]);
  assertEquals(r.code, 1);
  assertMatch(r.stdout, /^ERR unknown command 'NOSUCHCMD'/);
});

Deno.test("tsredis cli SHUTDOWN prints nothing and exits 0 when the server closes, as redis-cli does", async () => {
  await using server = await spawnServer();
  const r = await cli(server.port, ["SHUTDOWN", "NOSAVE"]);
  assertEquals(r, { code: 0, stdout: "", stderr: "" });
  assertEquals((await server.exited).code, 0);
});

Deno.test("tsredis cli reports a refused connection and exits non-zero", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const r = await cli(port, ["PING"]);
  assertEquals(r.code, 1);
  assertMatch(r.stdout, /Could not connect to Redis at 127\.0\.0\.1:\d+/);
});

Deno.test("tsredis cli formats replies like redis-cli with --no-raw", async () => {
  await using server = await spawnServer();
  const input = [
    "ECHO hello",
    'SET bin "a\\x00b\\n"',
    "GET bin",
    "GET missing",
    "PING",
    "NOSUCHCMD",
    "",
  ].join("\n");
  const r = await cli(server.port, ["--no-raw"], input);
  assertEquals(
    r.stdout,
    [
      '"hello"',
      "OK",
      '"a\\x00b\\n"',
      "(nil)",
      "PONG",
      "(error) ERR unknown command 'NOSUCHCMD', with args beginning with: ",
      "",
    ].join("\n"),
  );
  assertEquals(r.code, 1);
});

Deno.test("tsredis cli quoting: double quotes with escapes and single quotes", async () => {
  await using server = await spawnServer();
  const input = `SET "a key" 'it\\'s'\nGET "a key"\nECHO "tab\\there"\n`;
  const r = await cli(server.port, ["--no-raw"], input);
  assertEquals(r.stdout, `OK\n"it's"\n"tab\\there"\n`);
});

Deno.test("tsredis cli shows RESP3 types with -3", async () => {
  await using server = await spawnServer({
    args: ["--enable-debug-command", "yes"],
  });
  const input = [
    "DEBUG PROTOCOL map",
    "DEBUG PROTOCOL double",
    "DEBUG PROTOCOL true",
    "DEBUG PROTOCOL null",
    "",
  ]
    .join("\n");
  const r = await cli(server.port, ["-3", "--no-raw"], input);
  assertEquals(
    r.stdout,
    [
      "1# (integer) 0 => (false)",
      "2# (integer) 1 => (true)",
      "3# (integer) 2 => (false)",
      "(double) 3.141",
      "(true)",
      "(nil)",
      "",
    ].join("\n"),
  );
});

Deno.test("tsredis cli selects a database with -n and nested arrays are numbered", async () => {
  await using server = await spawnServer();
  const r = await cli(
    server.port,
    ["-n", "3", "--no-raw"],
    "SET k v\nSELECT 3\nCOMMAND GETKEYS SET k v\n",
  );
  assertEquals(r.stdout, 'OK\nOK\n1) "k"\n');
  const check = await server.connect();
  try {
    await check.call("SELECT", "3");
    assertEquals(await check.call("GET", "k"), "v");
  } finally {
    check.close();
  }
});
