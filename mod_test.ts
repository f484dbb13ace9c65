import { assert, assertEquals, assertRejects } from "./tests/_deps.ts";
import { RespClient } from "./tests/_harness/resp_client.ts";
import { startServer } from "./mod.ts";
import { pipelineHooks } from "./src/commands/dispatch.ts";
import { aclGate } from "./src/acl/acl.ts";
import { oomGate } from "./src/commands/memory/mod.ts";

function field(info: unknown, name: string): string | undefined {
  return String(info).match(new RegExp(`^${name}:(.*)\\r$`, "m"))?.[1];
}

Deno.test("startServer with port 0 serves on a free port, flushAll empties it, close stops it", async () => {
  const started = performance.now();
  const server = await startServer({ port: 0 });
  assert(performance.now() - started < 1000);
  assert(server.port > 0);
  assertEquals(server.url, `redis://127.0.0.1:${server.port}`);
  const c = await RespClient.connect(server.port);
  assertEquals(await c.call("SET", "k", "v"), "OK");
  assertEquals(await c.call("SELECT", "3"), "OK");
  assertEquals(await c.call("SET", "k3", "v"), "OK");
  await server.flushAll();
  assertEquals(await c.call("DBSIZE"), 0);
  assertEquals(await c.call("SELECT", "0"), "OK");
  assertEquals(await c.call("DBSIZE"), 0);
  c.close();
  await server.close();
  await server.close(); // twice is fine
  await assertRejects(() => RespClient.connect(server.port));
});

Deno.test("servers in one process keep their own data, config, statistics and log level", async () => {
  await using a = await startServer({ "maxmemory-policy": "allkeys-lru" });
  await using b = await startServer({ loglevel: "warning" });
  const ca = await RespClient.connect(a.port);
  const cb = await RespClient.connect(b.port);
  try {
    await ca.call("SET", "only-a", "1");
    for (let i = 0; i < 5; i++) await ca.call("INCR", "n");
    assertEquals(await cb.call("EXISTS", "only-a"), 0);
    assertEquals(await cb.call("CONFIG", "GET", "maxmemory-policy"), [
      "maxmemory-policy",
      "noeviction",
    ]);
    assertEquals(await ca.call("CONFIG", "GET", "loglevel"), [
      "loglevel",
      "notice",
    ]);
    assertEquals(await cb.call("CONFIG", "GET", "loglevel"), [
      "loglevel",
      "warning",
    ]);
    // INFO commandstats and latencystats count each server's own calls.
    const statsA = await ca.call("INFO", "commandstats");
    const statsB = await cb.call("INFO", "commandstats");
    assertEquals(field(statsA, "cmdstat_incr")?.split(",")[0], "calls=5");
    assertEquals(field(statsB, "cmdstat_incr"), undefined);
    assertEquals(
      field(
        await cb.call("INFO", "latencystats"),
        "latency_percentiles_usec_incr",
      ),
      undefined,
    );
    // CONFIG RESETSTAT on one leaves the other's counters.
    await cb.call("CONFIG", "RESETSTAT");
    assertEquals(
      field(await ca.call("INFO", "commandstats"), "cmdstat_incr")?.split(
        ",",
      )[0],
      "calls=5",
    );
    assert(
      field(
        await ca.call("INFO", "latencystats"),
        "latency_percentiles_usec_incr",
      ) !==
        undefined,
    );
    // ACL users are per server.
    assertEquals(
      await ca.call("ACL", "SETUSER", "alice", "on", ">pw", "+@all", "~*"),
      "OK",
    );
    assertEquals(await cb.call("ACL", "USERS"), ["default"]);
    assertEquals(await cb.call("SET", "k", "v"), "OK");
    // MONITOR on one server sees nothing of the other.
    const monitor = await RespClient.connect(b.port);
    try {
      assertEquals(await monitor.call("MONITOR"), "OK");
      await ca.call("SET", "unseen", "1");
      await cb.call("SET", "seen", "1");
      assert(String(await monitor.read()).includes('"seen"'));
    } finally {
      monitor.close();
    }
  } finally {
    ca.close();
    cb.close();
  }
});

Deno.test("startServer refuses unknown directives, bad values and process-only settings", async () => {
  for (
    const [options, message] of [
      [{ "no-such-thing": 1 }, /Bad directive/],
      [{ maxmemory: "lots" }, /argument must be a memory value/],
      [{ supervised: "systemd" }, /not for a server started in-process/],
    ] as const
  ) {
    const e = await assertRejects(() => startServer(options), message);
    assert(e instanceof TypeError);
  }
});

Deno.test("startServer options take redis.conf spellings: booleans, numbers and several words", async () => {
  await using server = await startServer({
    "appendonly": false,
    "hz": 50,
    "client-output-buffer-limit": "pubsub 64mb 16mb 60",
  });
  const c = await RespClient.connect(server.port);
  try {
    assertEquals(await c.call("CONFIG", "GET", "hz"), ["hz", "50"]);
    assertEquals(
      (await c.call("CONFIG", "GET", "client-output-buffer-limit") as string[])[
        1
      ],
      "normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 60",
    );
  } finally {
    c.close();
  }
});

Deno.test("each in-process server logs to its own logfile at its own level", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tsredis-mod-log-" });
  try {
    const a = await startServer({
      logfile: `${dir}/a.log`,
      loglevel: "verbose",
    });
    const b = await startServer({
      logfile: `${dir}/b.log`,
      loglevel: "warning",
    });
    const ca = await RespClient.connect(a.port);
    const cb = await RespClient.connect(b.port);
    await cb.sendRaw("*1\r\n$x\r\n"); // a protocol error: verbose
    assertEquals(
      await cb.readFor(5000),
      "-ERR Protocol error: invalid bulk length\r\n<EOF>",
    );
    assertEquals(await ca.call("CONFIG", "SET", "loglevel", "debug"), "OK");
    ca.close();
    cb.close();
    await a.close();
    await b.close();
    const logA = await Deno.readTextFile(`${dir}/a.log`);
    const logB = await Deno.readTextFile(`${dir}/b.log`);
    assert(logA.includes(`- Accepted 127.0.0.1:`), logA);
    assert(!logA.includes("Protocol error"), logA);
    assert(!logB.includes("Accepted"), logB);
    assert(!logB.includes("Protocol error"), logB);
    assert(logB.includes("# tsredis is now ready to exit, bye bye..."), logB);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("servers in one process each keep their own dir: SAVE, the AOF and the start-up load use it, the process's working directory stays", async () => {
  const cwd = Deno.cwd();
  const dirA = await Deno.makeTempDir({ prefix: "tsredis-mod-dir-a-" });
  const dirB = await Deno.makeTempDir({ prefix: "tsredis-mod-dir-b-" });
  try {
    {
      await using a = await startServer({ dir: dirA });
      await using b = await startServer({ dir: dirB, appendonly: true });
      const ca = await RespClient.connect(a.port);
      const cb = await RespClient.connect(b.port);
      try {
        assertEquals(await ca.call("SET", "k", "from-a"), "OK");
        assertEquals(await ca.call("SAVE"), "OK");
        assertEquals(await cb.call("SET", "k", "from-b"), "OK");
        assertEquals(await ca.call("CONFIG", "GET", "dir"), ["dir", dirA]);
        assertEquals(await cb.call("CONFIG", "GET", "dir"), ["dir", dirB]);
      } finally {
        ca.close();
        cb.close();
      }
    }
    assertEquals(Deno.cwd(), cwd);
    assert((await Deno.stat(`${dirA}/dump.rdb`)).isFile);
    assert((await Deno.stat(`${dirB}/appendonlydir`)).isDirectory);
    await assertRejects(() => Deno.stat(`${dirB}/dump.rdb`));
    await using a2 = await startServer({ dir: dirA });
    await using b2 = await startServer({ dir: dirB, appendonly: true });
    const ca = await RespClient.connect(a2.port);
    const cb = await RespClient.connect(b2.port);
    try {
      assertEquals(await ca.call("GET", "k"), "from-a");
      assertEquals(await cb.call("GET", "k"), "from-b");
    } finally {
      ca.close();
      cb.close();
    }
  } finally {
    await Deno.remove(dirA, { recursive: true });
    await Deno.remove(dirB, { recursive: true });
  }
});

Deno.test("a closed in-process server takes its ACL and maxmemory gates out of the process's pipeline", async () => {
  const gates = pipelineHooks.gates;
  assert(!gates.includes(aclGate) && !gates.includes(oomGate));
  const server = await startServer({ port: 0, maxmemory: "100mb" });
  const c = await RespClient.connect(server.port);
  assertEquals(await c.call("ACL", "SETUSER", "reader", "on", "+get"), "OK");
  assert(gates.includes(aclGate) && gates.includes(oomGate));
  c.close();
  await server.close();
  // Servers started later pay for neither unless they need them.
  assert(!gates.includes(aclGate) && !gates.includes(oomGate));
});
