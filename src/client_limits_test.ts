import { assertEquals } from "../tests/_deps.ts";
import { Client } from "./client.ts";
import { Config } from "./config.ts";
import { ServerState } from "./state.ts";
import { clientEvictionLimit, clientMemoryUsage } from "./client_limits.ts";
import type { Command } from "./commands/types.ts";

function client(): Client {
  return new Client({
    id: 1,
    addr: "127.0.0.1:1",
    laddr: "127.0.0.1:2",
    now: 0,
    authenticated: true,
  });
}

Deno.test("clientEvictionLimit: bytes, a percentage of maxmemory, 0 for off, never under 128 KB", () => {
  const config = new Config();
  const state = new ServerState(config);
  assertEquals(clientEvictionLimit(state), 0);
  config.set("maxmemory-clients", "10mb");
  assertEquals(clientEvictionLimit(state), 10 * 1024 * 1024);
  config.set("maxmemory-clients", "1");
  assertEquals(clientEvictionLimit(state), 128 * 1024);
  config.set("maxmemory-clients", "10%");
  assertEquals(clientEvictionLimit(state), 0); // no maxmemory
  config.set("maxmemory", "20mb");
  assertEquals(clientEvictionLimit(state), 2 * 1024 * 1024);
});

Deno.test("clientMemoryUsage counts the query buffer's room, replies in flight, the MULTI queue and subscriptions", () => {
  const c = client();
  const base = clientMemoryUsage(c);
  c.queryBufferRoom = 1000;
  c.outInFlight = 500;
  assertEquals(clientMemoryUsage(c), base + 1500);
  c.multi = { queue: [], aborted: false };
  c.multi.queue.push({
    command: {} as Command,
    argv: ["set", "k", "v".repeat(100)],
  });
  const one = clientMemoryUsage(c);
  assertEquals(one, base + 1500 + 3 + 1 + 100 + 3 * 16);
  c.multi.queue.push({
    command: {} as Command,
    argv: ["set", "k", "v".repeat(100)],
  });
  assertEquals(clientMemoryUsage(c), one + 104 + 48);
  // A new transaction starts from nothing.
  c.multi = { queue: [], aborted: false };
  assertEquals(clientMemoryUsage(c), base + 1500);
  c.channels.add("a");
  c.patterns.add("b*");
  assertEquals(clientMemoryUsage(c), base + 1500 + 2 * 48);
});
