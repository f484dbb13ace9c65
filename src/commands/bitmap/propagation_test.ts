/**
 * What the bitmap commands propagate (AOF, replicas) and which keyspace
 * events they emit, checked against redis-server 7.0.15's AOF and its
 * `__keyevent@0__:*` messages for the same script: writes that change
 * nothing (same bit, same field value, FAIL overflow) are not propagated.
 */
import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordEvents,
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";

const SCRIPT: string[][] = [
  ["SET", "x", "a"],
  ["SETBIT", "x", "1", "1"],
  ["SETBIT", "x", "9", "0"],
  ["SETBIT", "x", "9", "0"],
  ["SETBIT", "x", "2", "0"],
  ["SETBIT", "b", "3", "1"],
  ["SETBIT", "b", "3", "1"],
  ["SETBIT", "b", "3", "0"],
  ["BITFIELD", "b", "SET", "u8", "8", "255"],
  ["BITFIELD", "b", "SET", "u8", "8", "255"],
  ["BITFIELD", "b", "GET", "u8", "0"],
  ["BITFIELD", "b", "INCRBY", "u8", "8", "0"],
  [
    "BITFIELD",
    "y",
    "OVERFLOW",
    "FAIL",
    "INCRBY",
    "u2",
    "0",
    "1",
    "INCRBY",
    "u2",
    "0",
    "5",
  ],
  ["BITFIELD", "q", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5"],
  ["EXISTS", "q"],
  ["BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5"],
  ["BITOP", "OR", "d", "b", "m9"],
  ["BITOP", "AND", "d", "m9"],
  ["BITOP", "AND", "d", "m9"],
];

// redis-server 7.0.15's replies to SCRIPT.
const REPLIES = [
  "OK",
  1,
  0,
  0,
  1,
  0,
  1,
  1,
  [0],
  [255],
  [0],
  [255],
  [1, null],
  [null],
  1,
  [3],
  2,
  0,
  0,
];

// redis-server 7.0.15's AOF for SCRIPT.
const PROPAGATED = [
  "SET x a",
  "SETBIT x 9 0",
  "SETBIT x 2 0",
  "SETBIT b 3 1",
  "SETBIT b 3 0",
  "BITFIELD b SET u8 8 255",
  "BITFIELD y OVERFLOW FAIL INCRBY u2 0 1 INCRBY u2 0 5",
  "BITFIELD w OVERFLOW SAT INCRBY u2 0 5",
  "BITOP OR d b m9",
  "BITOP AND d m9",
];

// redis-server 7.0.15's keyevent messages for SCRIPT.
const EVENTS = [
  "set x",
  "setbit x",
  "setbit x",
  "setbit b",
  "setbit b",
  "setbit b",
  "setbit y",
  "setbit w",
  "set d",
  "del d",
];

Deno.test("bitmap commands propagate and notify what Redis 7.0 does", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const events = recordEvents(server);
  const client = await server.connect();
  try {
    const replies = [];
    for (const cmd of SCRIPT) replies.push(await client.call(...cmd));
    assertEquals(replies, REPLIES);
    assertEquals(propagated, PROPAGATED);
    assertEquals(events, EVENTS);
  } finally {
    client.close();
  }
});
