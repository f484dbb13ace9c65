import { assertEquals } from "../../../tests/_deps.ts";
import {
  recordPropagation,
  startInProcess,
} from "../../../tests/_harness/in_process.ts";

Deno.test("MIGRATE propagates the keys the target acknowledged as one DEL, and nothing with COPY", async () => {
  await using source = startInProcess();
  await using target = startInProcess();
  const propagated = recordPropagation(source, (argv) => argv.join(" "));
  const client = await source.connect();
  try {
    await client.call("MSET", "a", "1", "b", "2", "c", "3");
    const port = String(target.port);
    assertEquals(
      await client.call(
        "MIGRATE",
        "127.0.0.1",
        port,
        "",
        "0",
        "1000",
        "KEYS",
        "a",
        "b",
        "x",
      ),
      "OK",
    );
    assertEquals(
      await client.call("MIGRATE", "127.0.0.1", port, "c", "0", "1000", "COPY"),
      "OK",
    );
    assertEquals(propagated, ["MSET a 1 b 2 c 3", "DEL a b"]);
    assertEquals(source.state.migrate?.cachedSockets, 1);
  } finally {
    client.close();
  }
});

Deno.test("MIGRATE inside MULTI is refused, since tsredis cannot wait for the network there", async () => {
  await using server = startInProcess();
  const client = await server.connect();
  try {
    await client.call("SET", "k", "v");
    await client.call("MULTI");
    await client.call("MIGRATE", "127.0.0.1", "1", "k", "0", "1000");
    const replies = await client.call("EXEC");
    assertEquals(
      JSON.stringify(replies),
      JSON.stringify([{
        message:
          "ERR MIGRATE cannot wait for the target inside MULTI or scripts in tsredis",
      }]),
    );
  } finally {
    client.close();
  }
});
