import { assertEquals } from "../../../tests/_deps.ts";
import { startRecording } from "../../../tests/_harness/in_process.ts";

const START = 1_700_000_000_000;

Deno.test("RESTORE with a relative TTL propagates the absolute time with ABSTTL", async () => {
  const { server, propagated } = startRecording(START);
  await using _ = server;
  const c = await server.connect();
  try {
    await c.call("set", "src", "hello");
    const payload = await c.call("dump", "src") as string;
    propagated.length = 0;
    assertEquals(await c.call("restore", "k", "5000", payload), "OK");
    assertEquals(await c.call("restore", "k2", "0", payload), "OK");
    assertEquals(
      await c.call("restore", "k3", String(START + 9000), payload, "ABSTTL"),
      "OK",
    );
    assertEquals(
      await c.call("restore", "k", "100", payload, "replace", "idletime", "3"),
      "OK",
    );
    assertEquals(propagated, [
      [0, "restore", "k", String(START + 5000), payload, "ABSTTL"],
      [0, "restore", "k2", "0", payload],
      [0, "restore", "k3", String(START + 9000), payload, "ABSTTL"],
      [
        0,
        "restore",
        "k",
        String(START + 100),
        payload,
        "replace",
        "idletime",
        "3",
        "ABSTTL",
      ],
    ]);
    assertEquals(await c.call("pexpiretime", "k3"), START + 9000);
  } finally {
    c.close();
  }
});

Deno.test("RESTORE of an expired time replaces nothing, or propagates DEL of what it replaced", async () => {
  const { server, propagated } = startRecording(START);
  await using _ = server;
  const c = await server.connect();
  try {
    await c.call("set", "src", "hello");
    const payload = await c.call("dump", "src") as string;
    propagated.length = 0;
    assertEquals(
      await c.call("restore", "k", String(START - 1), payload, "absttl"),
      "OK",
    );
    assertEquals(await c.call("exists", "k"), 0);
    assertEquals(propagated, []);
    await c.call("set", "k", "old");
    propagated.length = 0;
    assertEquals(
      await c.call("restore", "k", "1", payload, "absttl", "replace"),
      "OK",
    );
    assertEquals(await c.call("exists", "k"), 0);
    assertEquals(propagated, [[0, "DEL", "k"]]);
  } finally {
    c.close();
  }
});

Deno.test("RESTORE propagates UNLINK for an expired replacement under lazyfree-lazy-server-del", async () => {
  const { server, propagated } = startRecording(START, [
    "--lazyfree-lazy-server-del",
    "yes",
  ]);
  await using _ = server;
  const c = await server.connect();
  try {
    await c.call("set", "k", "old");
    const payload = await c.call("dump", "k") as string;
    propagated.length = 0;
    await c.call("restore", "k", "1", payload, "absttl", "replace");
    assertEquals(propagated, [[0, "UNLINK", "k"]]);
  } finally {
    c.close();
  }
});
