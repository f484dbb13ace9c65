/**
 * OBJECT IDLETIME and FREQ through the in-process server with a manual
 * clock: which commands count as an access, and how LRU/LFU data moves with
 * a key. The expected sequences were checked against Redis 7.0.15.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import { startInProcess } from "../../../tests/_harness/in_process.ts";
import { RespError } from "../../../tests/_harness/resp_client.ts";
import { ManualClock } from "../../util/clock.ts";

function setup(args: string[] = []) {
  const manual = new ManualClock(1_700_000_000_000);
  const server = startInProcess(args, { clock: manual });
  // The LRU clock is cached and refreshed by the cron, as in Redis; refresh
  // it at once so the test need not wait for a tick.
  const clock = {
    advance(ms: number) {
      manual.advance(ms);
      server.state.refreshLruClock();
    },
  };
  return { clock, server };
}

Deno.test("OBJECT IDLETIME counts seconds since the last access", async () => {
  const { clock, server } = setup();
  await using _ = server;
  const c = await server.connect();
  try {
    await c.call("SET", "k", "v");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    clock.advance(10_000);
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 10);
    // Lookups that do not count as an access.
    await c.call("EXISTS", "k");
    await c.call("TYPE", "k");
    await c.call("TTL", "k");
    await c.call("PTTL", "k");
    await c.call("OBJECT", "ENCODING", "k");
    await c.call("KEYS", "*");
    await c.call("SCAN", "0", "TYPE", "string");
    await c.call("DBSIZE");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 10);
    await c.call("TOUCH", "k");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    clock.advance(5_000);
    await c.call("GET", "k");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    clock.advance(3_000);
    await c.call("COPY", "k", "k2");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    assertEquals(await c.call("OBJECT", "IDLETIME", "k2"), 0);
    clock.advance(7_000);
    await c.call("EXPIRE", "k", "1000");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    assertEquals(await c.call("OBJECT", "IDLETIME", "k2"), 7);
  } finally {
    c.close();
  }
});

Deno.test("OBJECT FREQ follows the LFU counter as Redis does", async () => {
  // With lfu-log-factor 0 every access adds one, so the counter is exact.
  const { clock, server } = setup([
    "--maxmemory-policy",
    "allkeys-lfu",
    "--lfu-log-factor",
    "0",
  ]);
  await using _ = server;
  const c = await server.connect();
  try {
    await c.call("SET", "k", "v");
    assertEquals(await c.call("OBJECT", "FREQ", "k"), 5);
    for (let i = 0; i < 3; i++) await c.call("GET", "k");
    assertEquals(await c.call("OBJECT", "FREQ", "k"), 8);
    await c.call("EXISTS", "k");
    await c.call("TYPE", "k");
    await c.call("TTL", "k");
    assertEquals(await c.call("OBJECT", "FREQ", "k"), 8);
    await c.call("TOUCH", "k");
    assertEquals(await c.call("OBJECT", "FREQ", "k"), 9);
    // The counter travels with the value.
    await c.call("RENAME", "k", "k2");
    assertEquals(await c.call("OBJECT", "FREQ", "k2"), 10);
    await c.call("COPY", "k2", "k3");
    assertEquals(await c.call("OBJECT", "FREQ", "k3"), 5);
    assertEquals(await c.call("OBJECT", "FREQ", "k2"), 11);
    await c.call("MOVE", "k2", "1");
    await c.call("SELECT", "1");
    assertEquals(await c.call("OBJECT", "FREQ", "k2"), 12);
    await c.call("SELECT", "0");
    await c.call("SET", "k3", "x");
    assertEquals(await c.call("OBJECT", "FREQ", "k3"), 6);
    await c.call("EXPIRE", "k3", "1000");
    assertEquals(await c.call("OBJECT", "FREQ", "k3"), 7);
    // It decays by one per lfu-decay-time minute without access.
    clock.advance(3 * 60_000);
    assertEquals(await c.call("OBJECT", "FREQ", "k3"), 4);
    assertEquals(
      await c.call("OBJECT", "IDLETIME", "k3"),
      new RespError(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
      ),
    );
  } finally {
    c.close();
  }
});

Deno.test("RESTORE IDLETIME and a reload use the cached LRU clock OBJECT IDLETIME reads, so a clock a second ahead does not wrap the idle time", async () => {
  const manual = new ManualClock(1_700_000_000_500);
  const server = startInProcess(["--enable-debug-command", "yes"], {
    clock: manual,
  });
  await using _ = server;
  server.state.refreshLruClock();
  const c = await server.connect();
  try {
    await c.call("SET", "src", "v");
    const payload = await c.call("DUMP", "src") as string;
    // The wall clock enters the next second before the cron refreshes the
    // cached clock (a busy server): Redis reads the cached one everywhere.
    manual.advance(600);
    assertEquals(
      await c.call("RESTORE", "k", "0", payload, "IDLETIME", "0"),
      "OK",
    );
    assertEquals(await c.call("OBJECT", "IDLETIME", "k"), 0);
    assertEquals(
      await c.call("RESTORE", "k2", "0", payload, "IDLETIME", "5"),
      "OK",
    );
    assertEquals(await c.call("OBJECT", "IDLETIME", "k2"), 5);
    // The file keeps idle times under an LRU policy only, as Redis's does.
    assertEquals(
      await c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"),
      "OK",
    );
    assertEquals(await c.call("DEBUG", "RELOAD"), "OK");
    assertEquals(await c.call("OBJECT", "IDLETIME", "k2"), 5);
  } finally {
    c.close();
  }
});
