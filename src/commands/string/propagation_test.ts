/**
 * What the string commands propagate (AOF, replicas) and which keyspace
 * events they emit, checked against redis-server 7.0.15: its AOF and its
 * `__keyevent@0__:*` messages for the same script (relative expiry times
 * shifted to this test's frozen clock).
 */
import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordEvents,
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";
import { ManualClock } from "../../util/clock.ts";

const T0 = 1_700_000_000_000;

const SCRIPT: string[][] = [
  ["SET", "s1", "v"],
  ["SET", "s2", "v", "EX", "100"],
  ["SET", "s3", "v", "PX", "5000", "GET"],
  ["set", "s1", "w", "get"],
  ["SET", "s1", "x", "NX"],
  ["SET", "s1", "y", "XX", "KEEPTTL"],
  ["SETNX", "s4", "v"],
  ["SETNX", "s4", "v"],
  ["SETEX", "s5", "10", "v"],
  ["PSETEX", "s6", "10", "v"],
  ["GETSET", "s1", "z"],
  ["GETEX", "s2", "EX", "50"],
  ["GETEX", "s2", "PERSIST"],
  ["GETEX", "s2", "PERSIST"],
  ["GETEX", "s2"],
  ["GETEX", "s2", "PXAT", "1"],
  ["GETDEL", "s3"],
  ["GETDEL", "s3"],
  ["MSET", "m1", "1", "m2", "2"],
  ["MSETNX", "m1", "1", "m3", "3"],
  ["MSETNX", "m4", "1", "m5", "3"],
  ["APPEND", "m1", "x"],
  ["APPEND", "m7", ""],
  ["SETRANGE", "m2", "3", "y"],
  ["SETRANGE", "m9", "0", ""],
  ["SETRANGE", "m2", "0", ""],
  ["INCR", "c"],
  ["INCRBY", "c", "5"],
  ["DECR", "c"],
  ["DECRBY", "c", "2"],
  ["INCRBYFLOAT", "f", "1.5"],
  ["INCRBYFLOAT", "f", "abc"],
  ["SET", "k1", "v", "EXAT", "1"],
];

// redis-server 7.0.15's replies to SCRIPT.
const REPLIES = [
  "OK",
  "OK",
  null,
  "v",
  null,
  "OK",
  1,
  0,
  "OK",
  "OK",
  "y",
  "v",
  "v",
  "v",
  "v",
  "v",
  "v",
  null,
  "OK",
  0,
  1,
  2,
  0,
  4,
  0,
  4,
  1,
  6,
  5,
  3,
  "1.5",
  "ERR value is not a valid float",
  "OK",
];

// redis-server 7.0.15's AOF for SCRIPT.
const PROPAGATED = [
  "SET s1 v",
  `SET s2 v PXAT ${T0 + 100000}`,
  `SET s3 v PXAT ${T0 + 5000}`,
  "set s1 w",
  "SET s1 y XX KEEPTTL",
  "SETNX s4 v",
  `SET s5 v PXAT ${T0 + 10000}`,
  `SET s6 v PXAT ${T0 + 10}`,
  "SET s1 z",
  `PEXPIREAT s2 ${T0 + 50000}`,
  "PERSIST s2",
  "DEL s2",
  "DEL s3",
  "MSET m1 1 m2 2",
  "MSETNX m4 1 m5 3",
  "APPEND m1 x",
  "APPEND m7 ",
  "SETRANGE m2 3 y",
  "INCR c",
  "INCRBY c 5",
  "DECR c",
  "DECRBY c 2",
  "SET f 1.5 KEEPTTL",
  "SET k1 v PXAT 1000",
];

// redis-server 7.0.15's keyevent messages for SCRIPT.
const EVENTS = [
  "set s1",
  "set s2",
  "expire s2",
  "set s3",
  "expire s3",
  "set s1",
  "set s1",
  "set s4",
  "set s5",
  "expire s5",
  "set s6",
  "expire s6",
  "set s1",
  "expire s2",
  "persist s2",
  "del s2",
  "del s3",
  "set m1",
  "set m2",
  "set m4",
  "set m5",
  "append m1",
  "append m7",
  "setrange m2",
  "incrby c",
  "incrby c",
  "incrby c",
  "incrby c",
  "incrbyfloat f",
  "set k1",
  "expire k1",
];

Deno.test("string commands propagate and notify what Redis 7.0 does", async () => {
  await using server = startInProcess([], { clock: new ManualClock(T0) });
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const events = recordEvents(server);
  const client = await server.connect();
  try {
    const replies = [];
    for (const cmd of SCRIPT) {
      const r = await client.call(...cmd);
      replies.push(
        r !== null && typeof r === "object" && "message" in r ? r.message : r,
      );
    }
    assertEquals(replies, REPLIES);
    assertEquals(propagated.slice(0, PROPAGATED.length), PROPAGATED);
    assertEquals(events.slice(0, EVENTS.length), EVENTS);
  } finally {
    client.close();
  }
});

Deno.test("writes over an expired key propagate its DEL first, as Redis 7.0 does", async () => {
  const clock = new ManualClock(T0);
  await using server = startInProcess([], { clock });
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const client = await server.connect();
  try {
    for (const key of ["e1", "e2", "e3", "e4"]) {
      await client.call("SET", key, "v", "PX", "100");
    }
    await client.call("SET", "s", "a");
    clock.advance(200);
    propagated.length = 0;
    await client.call("set", "e1", "w");
    await client.call("mset", "e2", "w");
    await client.call("bitop", "or", "e3", "s");
    await client.call("getset", "e4", "x");
    // redis-server 7.0.15's AOF (which also wraps each pair in MULTI/EXEC).
    assertEquals(propagated, [
      "DEL e1",
      "set e1 w",
      "DEL e2",
      "mset e2 w",
      "DEL e3",
      "bitop or e3 s",
      "DEL e4",
      "SET e4 x",
    ]);
  } finally {
    client.close();
  }
});
