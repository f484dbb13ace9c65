/**
 * String commands and time: expiry options read the injected clock, and
 * writes that Redis treats as in-place edits keep the time to live.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import { startInProcess } from "../../../tests/_harness/in_process.ts";
import { ManualClock } from "../../util/clock.ts";

const T0 = 1_700_000_000_000;

Deno.test("SET EX and PX count from the server clock and expire with it", async () => {
  const clock = new ManualClock(T0);
  await using server = startInProcess([], { clock });
  const c = await server.connect();
  try {
    assertEquals(await c.call("SET", "a", "1", "EX", "10"), "OK");
    assertEquals(await c.call("SET", "b", "1", "PX", "1500"), "OK");
    assertEquals(await c.call("PEXPIRETIME", "a"), T0 + 10_000);
    assertEquals(await c.call("PEXPIRETIME", "b"), T0 + 1500);
    clock.advance(1501);
    assertEquals(await c.call("GET", "b"), null);
    assertEquals(await c.call("GET", "a"), "1");
    clock.advance(8500);
    assertEquals(await c.call("GET", "a"), null);
  } finally {
    c.close();
  }
});

Deno.test("SETEX, PSETEX and GETEX compute absolute times from the clock", async () => {
  const clock = new ManualClock(T0);
  await using server = startInProcess([], { clock });
  const c = await server.connect();
  try {
    await c.call("SETEX", "a", "5", "v");
    await c.call("PSETEX", "b", "5", "v");
    assertEquals(await c.call("PEXPIRETIME", "a"), T0 + 5000);
    assertEquals(await c.call("PEXPIRETIME", "b"), T0 + 5);
    assertEquals(await c.call("GETEX", "a", "PX", "100"), "v");
    assertEquals(await c.call("PEXPIRETIME", "a"), T0 + 100);
    assertEquals(
      await c.call("GETEX", "a", "EXAT", String(T0 / 1000 + 7)),
      "v",
    );
    assertEquals(await c.call("PEXPIRETIME", "a"), T0 + 7000);
    // A time that is now (not later) has passed: the key is deleted.
    assertEquals(await c.call("GETEX", "a", "PXAT", String(T0)), "v");
    assertEquals(await c.call("EXISTS", "a"), 0);
  } finally {
    c.close();
  }
});

Deno.test("in-place edits and INCRBYFLOAT keep the time to live; SET drops it", async () => {
  const clock = new ManualClock(T0);
  await using server = startInProcess([], { clock });
  const c = await server.connect();
  try {
    for (
      const edit of [
        ["APPEND", "k", "x"],
        ["SETRANGE", "k", "0", "7"],
        ["INCR", "k"],
        ["INCRBYFLOAT", "k", "0.5"],
        ["SETBIT", "k", "30", "1"],
        ["BITFIELD", "k", "SET", "u8", "0", "49"],
      ]
    ) {
      await c.call("SET", "k", "1", "PX", "1000");
      await c.call(...edit);
      assertEquals(await c.call("PEXPIRETIME", "k"), T0 + 1000, edit[0]);
    }
    await c.call("SET", "k", "2");
    assertEquals(await c.call("PEXPIRETIME", "k"), -1);
  } finally {
    c.close();
  }
});
