import { assertEquals } from "../../tests/_deps.ts";
import { startInProcess } from "../../tests/_harness/in_process.ts";
import { RespPush } from "../../tests/_harness/resp_client.ts";
import { trackingOf } from "./tracking.ts";

Deno.test("Tracker keeps a disconnected client's entries until their keys change, as Redis does", async () => {
  await using server = startInProcess();
  const tracker = trackingOf(server.state);
  const a = await server.connect();
  const b = await server.connect();
  try {
    await a.call("HELLO", "3");
    await a.call("CLIENT", "TRACKING", "on");
    await a.call("MGET", "k1", "k2");
    await b.call("HELLO", "3");
    await b.call("CLIENT", "TRACKING", "on");
    await b.call("GET", "k1");
    assertEquals(
      [tracker.clients, tracker.totalKeys, tracker.totalItems],
      [2, 2, 3],
    );
    a.close();
    // The close reaches the server asynchronously.
    for (let i = 0; i < 100 && tracker.clients !== 1; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assertEquals([tracker.clients, tracker.totalKeys], [1, 2]);
    const c = await server.connect();
    await c.call("MSET", "k1", "x", "k2", "y");
    c.close();
    // b hears about k1; the gone client's entries go with their keys.
    const push = await b.read();
    assertEquals(push instanceof RespPush ? push.items : push, [
      "invalidate",
      ["k1"],
    ]);
    assertEquals([tracker.totalKeys, tracker.totalItems], [0, 0]);
  } finally {
    b.close();
  }
});

Deno.test("Tracker BCAST prefixes are counted once however many clients share them", async () => {
  await using server = startInProcess();
  const tracker = trackingOf(server.state);
  const a = await server.connect();
  const b = await server.connect();
  try {
    await a.call("CLIENT", "TRACKING", "on", "bcast", "prefix", "user:");
    await b.call(
      "CLIENT",
      "TRACKING",
      "on",
      "bcast",
      "prefix",
      "user:",
      "prefix",
      "order:",
    );
    assertEquals(tracker.totalPrefixes, 2);
    await b.call("CLIENT", "TRACKING", "off");
    assertEquals(tracker.totalPrefixes, 1);
    await a.call("RESET");
    assertEquals([tracker.totalPrefixes, tracker.clients], [0, 0]);
  } finally {
    a.close();
    b.close();
  }
});
