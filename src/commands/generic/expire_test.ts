/**
 * Expiry commands through the in-process server with a manual clock: what
 * they propagate, TTL arithmetic as time passes, lazy and active expiry.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import { startRecording } from "../../../tests/_harness/in_process.ts";
import type { RespClient } from "../../../tests/_harness/resp_client.ts";

const START = 1_700_000_000_000;

async function withClient<T>(
  server: { connect(): Promise<RespClient> },
  fn: (c: RespClient) => Promise<T>,
): Promise<T> {
  const c = await server.connect();
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

Deno.test("EXPIRE, PEXPIRE and EXPIREAT propagate as PEXPIREAT with the absolute time and the options", async () => {
  const { server, propagated } = startRecording(START);
  await using _ = server;
  await withClient(server, async (c) => {
    await c.call("SET", "k", "v");
    propagated.length = 0;
    assertEquals(await c.call("EXPIRE", "k", "100"), 1);
    assertEquals(await c.call("pexpire", "k", "200000", "gt"), 1);
    assertEquals(await c.call("EXPIREAT", "k", "1800000000", "XX"), 1);
    assertEquals(await c.call("pexpireat", "k", "1800000001000"), 1);
    // Not applied: nothing to propagate.
    assertEquals(await c.call("EXPIRE", "k", "1", "GT"), 0);
    assertEquals(propagated, [
      [0, "PEXPIREAT", "k", String(START + 100_000)],
      [0, "PEXPIREAT", "k", String(START + 200_000), "gt"],
      [0, "PEXPIREAT", "k", "1800000000000", "XX"],
      [0, "pexpireat", "k", "1800000001000"],
    ]);
  });
});

Deno.test("EXPIRE with a past time propagates DEL, or UNLINK with lazyfree-lazy-expire", async () => {
  for (
    const [args, verb] of [[[], "DEL"], [
      ["--lazyfree-lazy-expire", "yes"],
      "UNLINK",
    ]] as const
  ) {
    const { server, propagated } = startRecording(START, [...args]);
    await using _ = server;
    await withClient(server, async (c) => {
      await c.call("SELECT", "3");
      await c.call("SET", "k", "v");
      propagated.length = 0;
      assertEquals(await c.call("EXPIRE", "k", "-10"), 1);
      assertEquals(await c.call("EXISTS", "k"), 0);
      assertEquals(propagated, [[3, verb, "k"]]);
    });
  }
});

Deno.test("TTL and PTTL count down with the clock; TTL rounds to the nearest second", async () => {
  const { clock, server } = startRecording(START);
  await using _ = server;
  await withClient(server, async (c) => {
    await c.call("SET", "k", "v");
    await c.call("PEXPIRE", "k", "10000");
    clock.advance(2500);
    assertEquals(await c.call("PTTL", "k"), 7500);
    assertEquals(await c.call("TTL", "k"), 8);
    clock.advance(1);
    assertEquals(await c.call("TTL", "k"), 7);
    assertEquals(await c.call("PEXPIRETIME", "k"), START + 10000);
    assertEquals(
      await c.call("EXPIRETIME", "k"),
      Math.round((START + 10000) / 1000),
    );
    clock.advance(7499);
    assertEquals(await c.call("PTTL", "k"), 0);
    assertEquals(await c.call("TTL", "k"), 0);
    clock.advance(1);
    assertEquals(await c.call("PTTL", "k"), -2);
  });
});

Deno.test("an expired key is deleted on access and the deletion is propagated as DEL", async () => {
  const { clock, server, propagated } = startRecording(START);
  await using _ = server;
  server.state.activeExpire = false;
  await withClient(server, async (c) => {
    await c.call("SET", "k", "v");
    await c.call("PEXPIRE", "k", "100");
    clock.advance(101);
    assertEquals(await c.call("DBSIZE"), 1);
    propagated.length = 0;
    assertEquals(await c.call("GET", "k"), null);
    assertEquals(await c.call("DBSIZE"), 0);
    assertEquals(propagated, [[0, "DEL", "k"]]);
  });
});

Deno.test("an expired key is propagated as UNLINK with lazyfree-lazy-expire", async () => {
  const { clock, server, propagated } = startRecording(START, [
    "--lazyfree-lazy-expire",
    "yes",
  ]);
  await using _ = server;
  server.state.activeExpire = false;
  await withClient(server, async (c) => {
    await c.call("SET", "k", "v");
    await c.call("PEXPIRE", "k", "100");
    clock.advance(101);
    propagated.length = 0;
    assertEquals(await c.call("EXISTS", "k"), 0);
    assertEquals(propagated, [[0, "UNLINK", "k"]]);
  });
});

Deno.test("KEYS skips expired keys without deleting them; SCAN deletes them", async () => {
  const { clock, server } = startRecording(START);
  await using _ = server;
  server.state.activeExpire = false;
  await withClient(server, async (c) => {
    await c.call("SET", "a", "1");
    await c.call("SET", "b", "1");
    await c.call("PEXPIRE", "b", "100");
    clock.advance(200);
    assertEquals(await c.call("KEYS", "*"), ["a"]);
    assertEquals(await c.call("DBSIZE"), 2);
    assertEquals(await c.call("SCAN", "0", "COUNT", "100"), ["0", ["a"]]);
    assertEquals(await c.call("DBSIZE"), 1);
  });
});

Deno.test("RANDOMKEY skips and deletes expired keys, and replies null when all expired", async () => {
  const { clock, server } = startRecording(START);
  await using _ = server;
  server.state.activeExpire = false;
  await withClient(server, async (c) => {
    for (let i = 0; i < 50; i++) {
      await c.call("SET", `k${i}`, "v");
      await c.call("PEXPIRE", `k${i}`, "100");
    }
    await c.call("SET", "stays", "v");
    clock.advance(200);
    assertEquals(await c.call("RANDOMKEY"), "stays");
    await c.call("DEL", "stays");
    assertEquals(await c.call("RANDOMKEY"), null);
    assertEquals(await c.call("DBSIZE"), 0);
  });
});

Deno.test("active expiry frees expired keys nobody touches, unless switched off", async () => {
  const { clock, server, propagated } = startRecording(START, ["--hz", "100"]);
  await using _ = server;
  await withClient(server, async (c) => {
    for (let i = 0; i < 500; i++) {
      await c.call("SET", `k${i}`, "v");
      await c.call("PEXPIRE", `k${i}`, "1000");
    }
    await c.call("SET", "stays", "v");
    server.state.activeExpire = false;
    clock.advance(1001);
    await sleep(100);
    assertEquals(await c.call("DBSIZE"), 501);
    propagated.length = 0;
    server.state.activeExpire = true;
    for (let i = 0; i < 100 && await c.call("DBSIZE") !== 1; i++) {
      await sleep(20);
    }
    assertEquals(await c.call("DBSIZE"), 1);
    assertEquals(server.state.stats.expiredKeys, 500);
    assertEquals(propagated.length, 500);
    assertEquals(
      propagated.every(([db, verb]) => db === 0 && verb === "DEL"),
      true,
    );
  });
});

Deno.test("active expiry keeps an average TTL per database", async () => {
  const { server } = startRecording(START, ["--hz", "100"]);
  await using _ = server;
  await withClient(server, async (c) => {
    for (let i = 0; i < 20; i++) {
      await c.call("SET", `k${i}`, "v");
      await c.call("PEXPIRE", `k${i}`, "100000");
    }
    await sleep(100);
    // No time passes on the manual clock: every sample says 100000.
    assertEquals(server.state.db(0).avgTtl, 100000);
    for (let i = 0; i < 20; i++) await c.call("PERSIST", `k${i}`);
    await sleep(100);
    assertEquals(server.state.db(0).avgTtl, 0);
  });
});

Deno.test("RENAME, MOVE and COPY keep the TTL", async () => {
  const { clock, server } = startRecording(START);
  await using _ = server;
  await withClient(server, async (c) => {
    await c.call("SET", "k", "v");
    await c.call("PEXPIRE", "k", "5000");
    clock.advance(1000);
    await c.call("RENAME", "k", "r");
    assertEquals(await c.call("PTTL", "r"), 4000);
    await c.call("COPY", "r", "c");
    assertEquals(await c.call("PTTL", "c"), 4000);
    await c.call("MOVE", "c", "1");
    await c.call("SELECT", "1");
    assertEquals(await c.call("PTTL", "c"), 4000);
  });
});

Deno.test("keyspace commands propagate as received", async () => {
  const { server, propagated } = startRecording(START);
  await using _ = server;
  await withClient(server, async (c) => {
    await c.call("SET", "k", "v");
    await c.call("MOVE", "k", "1");
    await c.call("SWAPDB", "0", "1");
    await c.call("COPY", "k", "k2", "DB", "2");
    await c.call("RENAME", "k", "k3");
    await c.call("DEL", "k3", "nokey");
    await c.call("FLUSHDB");
    await c.call("FLUSHDB");
    await c.call("FLUSHALL", "ASYNC");
    // Nothing changed: nothing propagated.
    await c.call("DEL", "nokey");
    await c.call("MOVE", "nokey", "1");
    await c.call("PERSIST", "nokey");
    assertEquals(propagated, [
      [0, "SET", "k", "v"],
      [0, "MOVE", "k", "1"],
      [0, "SWAPDB", "0", "1"],
      [0, "COPY", "k", "k2", "DB", "2"],
      [0, "RENAME", "k", "k3"],
      [0, "DEL", "k3", "nokey"],
      [0, "FLUSHDB"],
      // An empty FLUSHDB still reaches replicas and the AOF, as in Redis.
      [0, "FLUSHDB"],
      [0, "FLUSHALL", "ASYNC"],
    ]);
  });
});

Deno.test("FLUSHDB and FLUSHALL count each removed key as a change, and propagate even when empty", async () => {
  // Checked against redis-server 7.0.15 (without save points) through INFO
  // persistence's rdb_changes_since_last_save.
  const { server, propagated } = startRecording(START);
  await using _ = server;
  await withClient(server, async (c) => {
    const changes = () => server.state.dirty;
    const before = changes();
    await c.call("FLUSHDB");
    await c.call("FLUSHALL");
    assertEquals(changes(), before);
    await c.call("SET", "a", "1");
    await c.call("SET", "b", "1");
    await c.call("FLUSHDB");
    assertEquals(changes(), before + 4);
    await c.call("SET", "c", "1");
    await c.call("FLUSHALL");
    assertEquals(changes(), before + 6);
    await c.call("SWAPDB", "0", "0");
    assertEquals(changes(), before + 7);
    assertEquals(propagated.map(([, verb]) => verb), [
      "FLUSHDB",
      "FLUSHALL",
      "SET",
      "SET",
      "FLUSHDB",
      "SET",
      "FLUSHALL",
      "SWAPDB",
    ]);
  });
});
