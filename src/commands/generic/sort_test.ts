/**
 * What SORT propagates (AOF, replicas) and which keyspace events it emits,
 * checked against redis-server 7.0.15's AOF and `__keyevent@0__:*`
 * messages for the same script; and its pqsort against a full sort.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordEvents,
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";

// Each command with redis-server 7.0.15's reply.
const SCRIPT: [string[], unknown][] = [
  [["rpush", "l", "3", "1", "2"], 3],
  [["sort", "l"], ["1", "2", "3"]],
  [["sort", "l", "store", "d"], 3],
  [["sort", "l", "limit", "0", "0", "store", "d"], 0],
  [["sort", "l", "limit", "0", "0", "store", "d"], 0],
  [["sort_ro", "l"], ["1", "2", "3"]],
  [["sort", "l", "by", "nosort", "store", "d2"], 3],
  [["sadd", "st", "c", "b", "a"], 3],
  [["sort", "st", "by", "nosort", "store", "d3"], 3],
  [["sort", "nokey", "store", "d3"], 0],
  [["sort", "l", "store", "e"], 3],
];

// redis-server 7.0.15's AOF for SCRIPT.
const PROPAGATED = [
  "rpush l 3 1 2",
  "sort l store d",
  "sort l limit 0 0 store d",
  "sort l by nosort store d2",
  "sadd st c b a",
  "sort st by nosort store d3",
  "sort nokey store d3",
  "sort l store e",
];

// redis-server 7.0.15's keyevent messages for SCRIPT.
const EVENTS = [
  "rpush l",
  "sortstore d",
  "del d",
  "sortstore d2",
  "sadd st",
  "sortstore d3",
  "del d3",
  "sortstore e",
];

Deno.test("SORT propagates STORE as it is and notifies sortstore or del, as Redis 7.0 does", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const events = recordEvents(server);
  const client = await server.connect();
  try {
    for (const [cmd, want] of SCRIPT) {
      assertEquals(await client.call(...cmd), want, cmd.join(" "));
    }
    assertEquals(propagated, PROPAGATED);
    assertEquals(events, EVENTS);
  } finally {
    client.close();
  }
});

Deno.test("SORT STORE dirties once per stored element", async () => {
  await using server = startInProcess();
  const client = await server.connect();
  try {
    await client.call("rpush", "l", "3", "1", "2");
    const before = server.state.dirty;
    await client.call("sort", "l", "get", "#", "get", "x_*", "store", "d");
    // redis-server 7.0.15: rdb_changes_since_last_save grows by 6.
    assertEquals(server.state.dirty - before, 6);
    await client.call("sort", "l");
    assertEquals(server.state.dirty - before, 6);
  } finally {
    client.close();
  }
});

Deno.test("SORT BY with LIMIT returns the window a full sort gives", async () => {
  await using server = startInProcess();
  const client = await server.connect();
  try {
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const items: string[] = [];
    for (let i = 0; i < 300; i++) items.push(`e${i}`);
    await client.call("rpush", "l", ...items);
    for (const e of items) {
      await client.call("set", `w_${e}`, String(rnd(1000)));
    }
    const full = await client.call("sort", "l", "by", "w_*") as string[];
    for (let i = 0; i < 50; i++) {
      const start = rnd(320);
      const count = rnd(80);
      assertEquals(
        await client.call("sort", "l", "by", "w_*", "limit", start, count),
        full.slice(start, start + count),
        `LIMIT ${start} ${count}`,
      );
    }
  } finally {
    client.close();
  }
});
