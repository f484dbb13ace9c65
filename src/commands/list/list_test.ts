import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";
import { NOTIFY_GENERIC, NOTIFY_LIST } from "../../state.ts";
import { unblockByRequest } from "../blocking.ts";

Deno.test("list commands propagate only real changes, as Redis 7.0's AOF shows", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(
    server,
    (argv, db) => `${db}: ${argv.join(" ")}`,
  );
  const c = await server.connect();
  try {
    for (
      const argv of [
        ["lpush", "k", "a", "b"],
        ["RPUSH", "k", "c"],
        ["LPUSHX", "k", "d"],
        ["RPUSHX", "nokey", "e"],
        ["RPUSHX", "k", "e"],
        ["LPOP", "k"],
        ["RPOP", "k", "1"],
        ["LPOP", "k", "0"],
        ["LSET", "k", "-1", "X"],
        ["LINSERT", "k", "AFTER", "a", "Y"],
        ["LINSERT", "k", "AFTER", "zz", "Y"],
        ["LREM", "k", "-1", "Y"],
        ["LREM", "k", "0", "zz"],
        ["LTRIM", "k", "0", "0"],
        ["LTRIM", "k", "0", "-1"],
        ["LMOVE", "k", "k2", "LEFT", "RIGHT"],
        ["LMOVE", "k", "k2", "LEFT", "RIGHT"],
        ["RPOPLPUSH", "k2", "k3"],
        ["SELECT", "3"],
        ["RPUSH", "k3", "x"],
        ["LMPOP", "2", "k", "k3", "LEFT", "COUNT", "9"],
        ["RPUSH", "k", "1", "2", "3"],
        ["LTRIM", "k", "5", "10"],
        ["SET", "s", "v"],
        ["LPUSH", "s", "x"],
      ]
    ) await c.call(...argv);
  } finally {
    c.close();
  }
  // What redis-server 7.0.15 wrote to its AOF for the same commands.
  assertEquals(propagated, [
    "0: lpush k a b",
    "0: RPUSH k c",
    "0: LPUSHX k d",
    "0: RPUSHX k e",
    "0: LPOP k",
    "0: RPOP k 1",
    "0: LSET k -1 X",
    "0: LINSERT k AFTER a Y",
    "0: LREM k -1 Y",
    "0: LTRIM k 0 0",
    "0: LMOVE k k2 LEFT RIGHT",
    "0: RPOPLPUSH k2 k3",
    "3: RPUSH k3 x",
    "3: LPOP k3 1",
    "3: RPUSH k 1 2 3",
    "3: LTRIM k 5 10",
    "3: SET s v",
  ]);
});

Deno.test("list commands send keyspace events in Redis's order, in the client's database", async () => {
  await using server = startInProcess();
  const events: string[] = [];
  server.state.eventSinks.push((type, event, key, db) => {
    const kind = type === NOTIFY_LIST
      ? "list"
      : type === NOTIFY_GENERIC
      ? "generic"
      : String(type);
    events.push(`${db} ${kind} ${event} ${key}`);
  });
  const c = await server.connect();
  try {
    await c.call("SELECT", "2");
    await c.call("RPUSH", "a", "1");
    await c.call("LMOVE", "a", "b", "LEFT", "LEFT");
    await c.call("LMPOP", "1", "b", "RIGHT", "COUNT", "3");
  } finally {
    c.close();
  }
  assertEquals(events, [
    "2 list rpush a",
    "2 list lpush b",
    "2 list lpop a",
    "2 generic del a",
    "2 list rpop b",
    "2 generic del b",
  ]);
});

Deno.test("OBJECT ENCODING of a list is quicklist whatever its size, as in Redis 7.0", async () => {
  await using server = startInProcess(["--list-max-listpack-size", "4"]);
  const c = await server.connect();
  try {
    await c.call("RPUSH", "small", "a");
    await c.call("RPUSH", "big", ...Array.from({ length: 1000 }, String));
    assertEquals(await c.call("OBJECT", "ENCODING", "small"), "quicklist");
    assertEquals(await c.call("OBJECT", "ENCODING", "big"), "quicklist");
  } finally {
    c.close();
  }
});

Deno.test("CLIENT UNBLOCK's release gives blocked list commands Redis's timeout reply or the UNBLOCKED error", async () => {
  await using server = startInProcess();
  const a = await server.connect();
  const b = await server.connect();
  try {
    const blockedClient = async () => {
      for (let i = 0; i < 100; i++) {
        for (const c of server.state.clients.values()) {
          if (c.blocked !== undefined) return c;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error("no client blocked");
    };
    for (
      const argv of [
        ["BLPOP", "k", "0"],
        ["BLMOVE", "k", "d", "LEFT", "LEFT", "0"],
        ["BRPOPLPUSH", "k", "d", "0"],
        ["BLMPOP", "0", "1", "k", "LEFT"],
      ]
    ) {
      await a.sendRaw(
        `*${argv.length}\r\n` +
          argv.map((x) => `$${x.length}\r\n${x}\r\n`).join(""),
      );
      assertEquals(
        unblockByRequest(server.state, await blockedClient(), false),
        true,
      );
      assertEquals(await a.readRaw(), "*-1\r\n");
    }
    await a.sendRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
    const client = await blockedClient();
    assertEquals(unblockByRequest(server.state, client, true), true);
    assertEquals(
      await a.readRaw(),
      "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n",
    );
    assertEquals(unblockByRequest(server.state, client, true), false);
    // The released client is no longer in line: a push stays in the list.
    assertEquals(await b.call("RPUSH", "k", "x"), 1);
    assertEquals(await b.call("LLEN", "k"), 1);
  } finally {
    a.close();
    b.close();
  }
});
