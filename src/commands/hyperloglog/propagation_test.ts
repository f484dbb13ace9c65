/**
 * What the HyperLogLog commands propagate (AOF, replicas) and which
 * keyspace events they emit, checked against redis-server 7.0.15: its AOF
 * and its `__keyevent@0__:*` messages for the same script.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordEvents,
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";

// Each command with redis-server 7.0.15's reply (GETREG: its length).
const SCRIPT: [string[], unknown][] = [
  [["pfadd", "h", "a", "b", "c"], 1],
  [["pfadd", "h", "a"], 0],
  [["pfadd", "h"], 0],
  [["pfcount", "h"], 3],
  [["pfcount", "h"], 3],
  [["pfcount", "h", "h2"], 3],
  [["pfcount", "nokey"], 0],
  [["pfmerge", "m", "h"], "OK"],
  [["pfmerge", "m"], "OK"],
  [["pfdebug", "encoding", "h"], "sparse"],
  [["pfdebug", "todense", "h"], 1],
  [["pfdebug", "todense", "h"], 0],
  [["pfdebug", "getreg", "m"], 16384],
  [["pfdebug", "getreg", "m"], 16384],
  [["set", "s", "HYLLx"], "OK"],
  [
    ["pfadd", "s", "a"],
    "WRONGTYPE Key is not a valid HyperLogLog string value.",
  ],
  [["pfadd", "n"], 1],
  [["pfmerge", "n2", "n"], "OK"],
];

// redis-server 7.0.15's AOF for SCRIPT.
const PROPAGATED = [
  "pfadd h a b c",
  "pfcount h",
  "pfmerge m h",
  "pfmerge m",
  "pfdebug todense h",
  "pfdebug getreg m",
  "set s HYLLx",
  "pfadd n",
  "pfmerge n2 n",
];

// redis-server 7.0.15's keyevent messages for SCRIPT.
const EVENTS = [
  "pfadd h",
  "pfadd m",
  "pfadd m",
  "set s",
  "pfadd n",
  "pfadd n2",
];

Deno.test("HLL commands propagate and notify what Redis 7.0 does", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const events = recordEvents(server);
  const client = await server.connect();
  try {
    for (const [cmd, want] of SCRIPT) {
      const r = await client.call(...cmd);
      const got = Array.isArray(r)
        ? r.length
        : r !== null && typeof r === "object" && "message" in r
        ? r.message
        : r;
      assertEquals(got, want, cmd.join(" "));
    }
    assertEquals(propagated, PROPAGATED);
    assertEquals(events, EVENTS);
  } finally {
    client.close();
  }
});

Deno.test("PFADD dirties once per changed register, plus one for a new key", async () => {
  await using server = startInProcess();
  const client = await server.connect();
  try {
    const before = server.state.dirty;
    await client.call("pfadd", "h", "a", "b", "c");
    // redis-server 7.0.15: rdb_changes_since_last_save goes from 0 to 4.
    assertEquals(server.state.dirty - before, 4);
    await client.call("pfadd", "h", "a", "d");
    assertEquals(server.state.dirty - before, 5);
  } finally {
    client.close();
  }
});
