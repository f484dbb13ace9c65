import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";

Deno.test("HINCRBYFLOAT propagates HSET with the result", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server);
  const c = await server.connect();
  try {
    assertEquals(await c.call("HINCRBYFLOAT", "h", "f", "10.5"), "10.5");
    assertEquals(await c.call("HINCRBYFLOAT", "h", "f", "0.1"), "10.6");
    assertEquals(propagated, [
      ["HSET", "h", "f", "10.5"],
      ["HSET", "h", "f", "10.6"],
    ]);
    propagated.length = 0;
    await c.call("HINCRBYFLOAT", "h", "f", "x");
    assertEquals(propagated, []);
  } finally {
    c.close();
  }
});

Deno.test("hash writes propagate only when they change the hash", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server);
  const c = await server.connect();
  try {
    await c.call("HSET", "h", "a", "1");
    await c.call("HSETNX", "h", "a", "2");
    await c.call("HDEL", "h", "nope");
    await c.call("HINCRBY", "h", "a", "x");
    await c.call("HINCRBY", "h", "a", "2");
    assertEquals(propagated, [
      ["HSET", "h", "a", "1"],
      ["HINCRBY", "h", "a", "2"],
    ]);
  } finally {
    c.close();
  }
});

Deno.test("hash commands read the encoding limits from the configuration", async () => {
  await using server = startInProcess([
    "--hash-max-listpack-entries",
    "2",
    "--hash-max-listpack-value",
    "3",
  ]);
  const c = await server.connect();
  try {
    await c.call("HSET", "h", "a", "1", "b", "2");
    assertEquals(await c.call("OBJECT", "ENCODING", "h"), "listpack");
    await c.call("HSET", "h", "c", "3");
    assertEquals(await c.call("OBJECT", "ENCODING", "h"), "hashtable");
    await c.call("HSET", "v", "a", "123");
    assertEquals(await c.call("OBJECT", "ENCODING", "v"), "listpack");
    await c.call("HSET", "v", "a", "1234");
    assertEquals(await c.call("OBJECT", "ENCODING", "v"), "hashtable");
    await c.call("HINCRBY", "w", "f", "1000");
    assertEquals(await c.call("OBJECT", "ENCODING", "w"), "hashtable");
  } finally {
    c.close();
  }
});
