import { assertEquals } from "../../tests/_deps.ts";
import { PROPAGATE_AOF, PROPAGATE_REPL } from "../state.ts";
import {
  recordPropagation,
  startInProcess,
} from "../../tests/_harness/in_process.ts";

Deno.test("EVAL propagates the commands it ran, several wrapped in MULTI/EXEC", async () => {
  await using server = startInProcess();
  const propagated = recordPropagation(server, (argv) => argv.join(" "));
  const client = await server.connect();
  try {
    await client.call(
      "EVAL",
      "redis.call('SET', KEYS[1], 'a') redis.call('INCR', 'n') return 1",
      1,
      "k",
    );
    await client.call("EVAL", "return redis.call('SET', 'one', '1')", 0);
    await client.call("EVAL", "return redis.call('GET', 'one')", 0);
    await client.call(
      "EVAL",
      "redis.call('SET', 'x', '1') error('after a write')",
      0,
    );
    await client.call(
      "EVAL",
      "redis.set_repl(redis.REPL_NONE) redis.call('SET', 'quiet', '1') " +
        "redis.set_repl(redis.REPL_ALL) redis.call('SET', 'loud', '1')",
      0,
    );
    await client.call(
      "FUNCTION",
      "LOAD",
      "#!lua name=l\nredis.register_function('f', function() return 1 end)",
    );
    await client.call("FCALL", "f", 0);
    await client.call("FUNCTION", "DELETE", "l");
    assertEquals(propagated, [
      "MULTI",
      "SET k a",
      "INCR n",
      "EXEC",
      "SET one 1",
      "SET x 1",
      "SET loud 1",
      "FUNCTION LOAD #!lua name=l\nredis.register_function('f', function() return 1 end)",
      "FUNCTION DELETE l",
    ]);
  } finally {
    client.close();
  }
});

Deno.test("state.functions lists and loads libraries for persistence", async () => {
  await using server = startInProcess();
  const functions = server.state.functions!;
  const code =
    "#!lua name=lib\nredis.register_function('g', function() return 'g' end)";
  functions.load(code, false);
  assertEquals(functions.libraries(), [code]);
  const client = await server.connect();
  try {
    assertEquals(await client.call("FCALL", "g", 0), "g");
    functions.flush();
    assertEquals(functions.libraries(), []);
  } finally {
    client.close();
  }
});

Deno.test("A busy script answers other clients BUSY until SCRIPT KILL stops it", async () => {
  await using server = startInProcess(["--busy-reply-threshold", "50"]);
  const a = await server.connect();
  const b = await server.connect();
  try {
    const looping = a.call("EVAL", "while true do end", 0).catch((e) => e);
    await new Promise((r) => setTimeout(r, 200));
    const busy = await b.call("GET", "k");
    assertEquals(
      String((busy as { message?: string }).message ?? busy),
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
    );
    assertEquals(server.state.scripting?.busy, true);
    assertEquals(await b.call("SCRIPT", "KILL"), "OK");
    await looping;
    assertEquals(await b.call("PING"), "PONG");
    assertEquals(server.state.scripting?.busy, false);
  } finally {
    a.close();
    b.close();
  }
});

Deno.test("redis.set_repl sends a script's commands to the AOF or the replicas only, with MULTI/EXEC to both as Redis", async () => {
  await using server = startInProcess();
  const aof: string[] = [];
  const replicas: string[] = [];
  server.state.sinks.push(
    {
      target: PROPAGATE_AOF,
      propagate: (_db, argv) => aof.push(argv.join(" ")),
    },
    {
      target: PROPAGATE_REPL,
      propagate: (_db, argv) => replicas.push(argv.join(" ")),
    },
  );
  const client = await server.connect();
  try {
    await client.call(
      "EVAL",
      "redis.set_repl(redis.REPL_AOF) redis.call('SET', 'a', '1') " +
        "redis.set_repl(redis.REPL_REPLICA) redis.call('SET', 'b', '2') " +
        "redis.set_repl(redis.REPL_NONE) redis.call('SET', 'c', '3')",
      0,
    );
    await client.call(
      "EVAL",
      "redis.set_repl(redis.REPL_REPLICA) return redis.call('SET', 'd', '4')",
      0,
    );
    await client.call("SET", "e", "5");
  } finally {
    client.close();
  }
  assertEquals(aof, ["MULTI", "SET a 1", "EXEC", "SET e 5"]);
  assertEquals(replicas, ["MULTI", "SET b 2", "EXEC", "SET d 4", "SET e 5"]);
});
