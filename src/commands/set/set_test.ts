import { assert, assertEquals } from "../../../tests/_deps.ts";
import {
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";
import type { SetValue } from "../../store/set_value.ts";

Deno.test("SPOP without a count propagates SREM of the popped member", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server);
  const c = await server.connect();
  try {
    await c.call("SADD", "s", "a", "b");
    propagated.length = 0;
    const popped = await c.call("SPOP", "s") as string;
    assertEquals(propagated, [["SREM", "s", popped]]);
    await c.call("SPOP", "s");
    assertEquals(propagated.length, 2);
    assertEquals(await c.call("EXISTS", "s"), 0);
    propagated.length = 0;
    assertEquals(await c.call("SPOP", "s"), null);
    assertEquals(propagated, []);
  } finally {
    c.close();
  }
});

Deno.test("SPOP with a count propagates one SREM per popped member, both strategies", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server);
  const c = await server.connect();
  try {
    for (const count of [3, 18]) {
      const members = Array.from({ length: 20 }, (_, i) => `m${i}`);
      await c.call("DEL", "s");
      await c.call("SADD", "s", ...members);
      await c.call("PEXPIRE", "s", 100000);
      propagated.length = 0;
      const popped = await c.call("SPOP", "s", count) as string[];
      // Several commands from one command are wrapped in MULTI/EXEC, as
      // Redis 7.0 does.
      assertEquals(propagated, [
        ["MULTI"],
        ...popped.map((m) => ["SREM", "s", m]),
        ["EXEC"],
      ]);
      assertEquals(await c.call("SCARD", "s"), 20 - count);
      // The set that stays keeps its time to live.
      assert((await c.call("PTTL", "s") as number) > 0);
    }
  } finally {
    c.close();
  }
});

Deno.test("SPOP with a count covering the set propagates DEL", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server);
  const c = await server.connect();
  try {
    await c.call("SADD", "s", "3", "1", "2");
    propagated.length = 0;
    assertEquals(await c.call("SPOP", "s", 3), ["1", "2", "3"]);
    assertEquals(propagated, [["DEL", "s"]]);
    propagated.length = 0;
    await c.call("SPOP", "s", 3);
    await c.call("SADD", "t", "x");
    propagated.length = 0;
    await c.call("SPOP", "t", 0);
    assertEquals(propagated, []);
  } finally {
    c.close();
  }
});

Deno.test("SPOP of most of an oversized intset leaves an intset behind", async () => {
  await using server = startInProcess(["--set-max-intset-entries", "4"]);
  const c = await server.connect();
  try {
    await c.call("SADD", "s", "1", "2", "3", "4", "5", "6");
    const db = server.state.db(0);
    assertEquals(db.dict.get("s") !== undefined, true);
    assertEquals((db.dict.get("s") as SetValue).encoding(), "hashtable");
    await c.call("SPOP", "s", 5);
    assertEquals((db.dict.get("s") as SetValue).encoding(), "intset");
  } finally {
    c.close();
  }
});

Deno.test("SADD and SREM propagate only when they change the set", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server);
  const c = await server.connect();
  try {
    await c.call("SADD", "s", "a");
    assertEquals(propagated, [["SADD", "s", "a"]]);
    propagated.length = 0;
    await c.call("SADD", "s", "a");
    await c.call("SREM", "s", "b");
    await c.call("SMOVE", "s", "t", "zz");
    await c.call("SINTERSTORE", "d", "s", "missing");
    assertEquals(propagated, []);
    await c.call("SMOVE", "s", "t", "a");
    assertEquals(propagated, [["SMOVE", "s", "t", "a"]]);
  } finally {
    c.close();
  }
});

Deno.test("set commands read the encoding limits from the configuration", async () => {
  await using server = startInProcess(["--set-max-intset-entries", "2"]);
  const c = await server.connect();
  try {
    await c.call("SADD", "s", "1", "2");
    assertEquals(await c.call("OBJECT", "ENCODING", "s"), "intset");
    await c.call("SADD", "s", "3");
    assertEquals(await c.call("OBJECT", "ENCODING", "s"), "hashtable");
    await c.call("SUNIONSTORE", "u", "s");
    assertEquals(await c.call("OBJECT", "ENCODING", "u"), "hashtable");
    await c.call("SINTERSTORE", "i", "s", "s");
    assertEquals(await c.call("OBJECT", "ENCODING", "i"), "hashtable");
    await c.call("SDIFFSTORE", "d", "s", "nothing");
    assertEquals(await c.call("OBJECT", "ENCODING", "d"), "hashtable");
  } finally {
    c.close();
  }
});

Deno.test("SPOP with a count covering the set counts one keyspace hit, as Redis does", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    await c.call("SADD", "s", "1", "2");
    const stats = server.state.stats;
    const hits = stats.keyspaceHits;
    const misses = stats.keyspaceMisses;
    await c.call("SPOP", "s", 5);
    assertEquals(stats.keyspaceHits - hits, 1);
    await c.call("SPOP", "s", 5);
    assertEquals(stats.keyspaceMisses - misses, 0);
  } finally {
    c.close();
  }
});
