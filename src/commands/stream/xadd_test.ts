import { assertEquals } from "../../../tests/_deps.ts";
import { startInProcess } from "../../../tests/_harness/in_process.ts";
import { ManualClock } from "../../util/clock.ts";

Deno.test("XADD * takes the milliseconds from the server clock and never goes back", async () => {
  const clock = new ManualClock(1000);
  await using server = startInProcess([], { clock });
  const c = await server.connect();
  try {
    assertEquals(await c.call("XADD", "s", "*", "f", "v"), "1000-0");
    assertEquals(await c.call("XADD", "s", "*", "f", "v"), "1000-1");
    clock.advance(5);
    assertEquals(await c.call("XADD", "s", "*", "f", "v"), "1005-0");
    clock.advance(-100);
    assertEquals(await c.call("XADD", "s", "*", "f", "v"), "1005-1");
    assertEquals(await c.call("XADD", "s", "2000-*", "f", "v"), "2000-0");
    assertEquals(await c.call("XADD", "s", "*", "f", "v"), "2000-1");
    assertEquals(await c.call("XLEN", "s"), 6);
  } finally {
    c.close();
  }
});

Deno.test("XADD MAXLEN ~ follows stream-node-max-entries", async () => {
  await using server = startInProcess(["--stream-node-max-entries", "4"]);
  const c = await server.connect();
  try {
    for (let i = 1; i <= 10; i++) await c.call("XADD", "s", i, "f", "v");
    assertEquals(await c.call("XTRIM", "s", "MAXLEN", "~", "5"), 4);
    assertEquals(await c.call("XLEN", "s"), 6);
    const info = await c.call("XINFO", "STREAM", "s") as unknown[];
    assertEquals(info.slice(0, 6), [
      "length",
      6,
      "radix-tree-keys",
      2,
      "radix-tree-nodes",
      6,
    ]);
    // The default LIMIT is 100 nodes' worth of entries.
    for (let i = 11; i <= 1000; i++) await c.call("XADD", "s", i, "f", "v");
    assertEquals(await c.call("XTRIM", "s", "MAXLEN", "~", "0"), 400);
  } finally {
    c.close();
  }
});
