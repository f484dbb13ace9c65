/**
 * MEMORY and eviction through the in-process server: what an eviction
 * sends (the `evicted` event, DEL or UNLINK propagated, WATCH broken),
 * the time limit of maxmemory-eviction-tenacity, and MEMORY USAGE and
 * STATS figures following the data.
 */
import { assert, assertEquals } from "../../../tests/_deps.ts";
import {
  recordEvents,
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";
import type { RespClient } from "../../../tests/_harness/resp_client.ts";
import { serverMemory, usedMemory } from "../../store/memory.ts";
import type { ServerState } from "../../state.ts";
import { doctorReport } from "./memory.ts";

async function fill(client: RespClient, n: number, prefix = "key") {
  const cmds: string[][] = [];
  for (let i = 0; i < n; i++) {
    cmds.push(["SET", `${prefix}:${i}`, "x".repeat(50)]);
  }
  await client.pipeline(cmds);
}

// A limit `bytes` under what the server uses now.
function limitBelow(state: ServerState, bytes: number): string {
  return String(usedMemory(state) - bytes);
}

Deno.test("eviction sends the evicted event, propagates DEL and breaks WATCH", async () => {
  await using server = startInProcess(["--maxmemory-policy", "allkeys-random"]);
  const client = await server.connect();
  const watcher = await server.connect();
  try {
    const propagated = recordPropagation(server, (argv) => argv.join(" "));
    const events = recordEvents(server);
    await fill(client, 200);
    propagated.length = 0;
    await watcher.call("WATCH", "key:1");
    await watcher.call("MULTI");
    await watcher.call("SET", "other", "1");
    const limit = limitBelow(server.state, 5000);
    assertEquals(await client.call("CONFIG", "SET", "maxmemory", limit), "OK");
    const evicted = server.state.stats.evictedKeys;
    assert(evicted > 0);
    const evictedEvents = events.filter((e) => e.startsWith("evicted "));
    assertEquals(evictedEvents.length, evicted);
    assertEquals(
      propagated.filter((p) => p.startsWith("DEL ")).length,
      evicted,
    );
    assertEquals(
      evictedEvents.map((e) => e.slice(8)),
      propagated.map((p) => p.slice(4)),
    );
    // Every key went, so key:1 did too: the transaction fails.
    await client.call("CONFIG", "SET", "maxmemory", "1");
    // Each eviction call is time-bounded (maxmemory-eviction-tenacity) and
    // the rest goes on between commands, so on a loaded machine the last
    // keys can take a few more ticks.
    assertEquals(await eventually(() => client.call("DBSIZE"), 0), 0);
    await client.call("CONFIG", "SET", "maxmemory", "0");
    assertEquals(await watcher.call("EXEC"), null);
    // With lazyfree-lazy-eviction, UNLINK.
    await client.call("CONFIG", "SET", "lazyfree-lazy-eviction", "yes");
    await fill(client, 50);
    propagated.length = 0;
    await client.call(
      "CONFIG",
      "SET",
      "maxmemory",
      limitBelow(server.state, 1000),
    );
    assert(propagated.length > 0);
    assert(propagated.every((p) => p.startsWith("UNLINK ")), propagated[0]);
  } finally {
    client.close();
    watcher.close();
  }
});

Deno.test("maxmemory-eviction-tenacity 0 evicts 16 keys per call, the rest between commands", async () => {
  await using server = startInProcess([
    "--maxmemory-policy",
    "allkeys-lru",
    "--maxmemory-eviction-tenacity",
    "0",
  ]);
  const client = await server.connect();
  try {
    await fill(client, 3000);
    const limit = Number(limitBelow(server.state, 200_000));
    await client.call("CONFIG", "SET", "maxmemory", String(limit));
    assertEquals(server.state.stats.evictedKeys, 16);
    // The eviction timer goes on until the limit is met.
    for (let i = 0; i < 200 && usedMemory(server.state) > limit; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    assert(usedMemory(server.state) <= limit);
    assert(server.state.stats.evictedKeys > 16);
    // Reads never wait for it; INFO counts the time spent over the limit.
    const info = String(await client.call("INFO", "stats"));
    assert(/total_eviction_exceeded_time:\d+/.test(info));
    assertEquals(/current_eviction_exceeded_time:0\r/.test(info), true);
  } finally {
    client.close();
  }
});

Deno.test("MEMORY USAGE grows with the value and counts the TTL; MEMORY STATS follows the data", async () => {
  await using server = startInProcess();
  const client = await server.connect();
  try {
    await client.call("SET", "small", "x");
    await client.call("SET", "big", "x".repeat(10_000));
    const small = Number(await client.call("MEMORY", "USAGE", "small"));
    const big = Number(await client.call("MEMORY", "USAGE", "big"));
    assert(big - small >= 10_000 && big - small < 10_100, `${small} ${big}`);
    await client.call("EXPIRE", "big", "100");
    const withTtl = Number(await client.call("MEMORY", "USAGE", "big"));
    assert(withTtl > big, `${withTtl} ${big}`);
    await client.call("RPUSH", "list", ...Array(1000).fill("y".repeat(30)));
    const list = Number(await client.call("MEMORY", "USAGE", "list"));
    assert(list > 1000 * 48 && list < 1000 * 80, String(list));
    const stats = await client.call("MEMORY", "STATS") as unknown[];
    const get = (name: string) => stats[stats.indexOf(name) + 1];
    assertEquals(get("keys.count"), 3);
    assert((get("dataset.bytes") as number) > 1000 * 48);
    assertEquals(
      (get("db.0") as unknown[]).filter((_, i) => i % 2 === 0),
      [
        "overhead.hashtable.main",
        "overhead.hashtable.expires",
        "overhead.hashtable.slot-to-keys",
      ],
    );
    const used = Number(
      /used_memory:(\d+)/.exec(String(await client.call("INFO", "memory")))![1],
    );
    assertEquals(get("total.allocated"), used);
  } finally {
    client.close();
  }
});

Deno.test("MEMORY DOCTOR: empty below 5 MB of data, then reports a past peak over 150% of the usage", async () => {
  await using server = startInProcess(["--enable-debug-command", "yes"]);
  const client = await server.connect();
  try {
    assert(
      doctorReport(server.state).startsWith("Hi Sam, this instance is empty"),
    );
    await client.call("DEBUG", "POPULATE", "50000", "key", "100");
    assert(
      !doctorReport(server.state).startsWith("Hi Sam, this instance is empty"),
    );
    serverMemory(server.state).peak = usedMemory(server.state) * 2;
    const report = doctorReport(server.state);
    assert(report.startsWith("Sam, I detected a few issues"), report);
    assert(report.includes(" * Peak memory:"), report);
    assert(
      report.endsWith("I'm here to keep you safe, Sam. I want to help you.\n"),
    );
  } finally {
    client.close();
  }
});

// Polls `read` until it returns `want` or two seconds pass; returns the last value.
async function eventually(
  read: () => Promise<unknown>,
  want: unknown,
): Promise<unknown> {
  const deadline = Date.now() + 2000;
  let value = await read();
  while (value !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  return value;
}
