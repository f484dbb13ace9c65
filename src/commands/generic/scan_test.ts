/**
 * SCAN through the in-process server: Redis's iteration guarantee while the
 * keyspace changes between calls, COUNT, MATCH and TYPE together, and the
 * cursor parser.
 */
import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { startInProcess } from "../../../tests/_harness/in_process.ts";
import type { RespClient } from "../../../tests/_harness/resp_client.ts";
import { CommandError } from "../../errors.ts";
import { parseScanCursor } from "./scan.ts";

async function fullScan(
  c: RespClient,
  options: string[],
  between: () => Promise<void> = async () => {},
): Promise<{ keys: string[]; calls: number }> {
  const keys: string[] = [];
  let cursor = "0";
  let calls = 0;
  do {
    const [next, batch] = await c.call("SCAN", cursor, ...options) as [
      string,
      string[],
    ];
    keys.push(...batch);
    cursor = next;
    calls++;
    await between();
  } while (cursor !== "0");
  return { keys, calls };
}

async function mset(c: RespClient, keys: string[]): Promise<void> {
  await c.pipeline(keys.map((k) => ["SET", k, "v"]));
}

Deno.test("SCAN returns each key once over a full iteration of a still keyspace", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
    await mset(c, keys);
    const { keys: seen, calls } = await fullScan(c, ["COUNT", "10"]);
    assertEquals(seen.length, 1000);
    assertEquals(new Set(seen).size, 1000);
    assertEquals(calls > 50, true);
  } finally {
    c.close();
  }
});

Deno.test("SCAN returns every key that stays while the keyspace grows and shrinks", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    const stable = Array.from({ length: 300 }, (_, i) => `stable:${i}`);
    await mset(c, stable);
    const churn = Array.from({ length: 3000 }, (_, i) => `churn:${i}`);
    await mset(c, churn);
    let step = 0;
    const { keys } = await fullScan(c, ["COUNT", "20"], async () => {
      step++;
      // Delete most of the churn keys early (the table shrinks), then add
      // many more (it grows again).
      if (step <= 10) {
        await c.call("DEL", ...churn.slice((step - 1) * 300, step * 300));
      } else if (step <= 20) {
        await mset(
          c,
          Array.from({ length: 400 }, (_, i) => `grow:${step}:${i}`),
        );
      }
    });
    const seen = new Set(keys);
    for (const k of stable) assertEquals(seen.has(k), true, k);
  } finally {
    c.close();
  }
});

Deno.test("SCAN filters by MATCH and TYPE after collecting COUNT buckets", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    await mset(c, Array.from({ length: 200 }, (_, i) => `s:${i}`));
    for (let i = 0; i < 50; i++) await c.call("RPUSH", `l:${i}`, "x");
    const lists = await fullScan(c, ["TYPE", "list", "COUNT", "7"]);
    assertEquals(
      lists.keys.sort(),
      Array.from({ length: 50 }, (_, i) => `l:${i}`).sort(),
    );
    const some = await fullScan(c, ["MATCH", "s:1?", "TYPE", "string"]);
    assertEquals(
      some.keys.sort(),
      Array.from({ length: 10 }, (_, i) => `s:1${i}`).sort(),
    );
    const none = await fullScan(c, ["MATCH", "l:*", "TYPE", "string"]);
    assertEquals(none.keys, []);
    // A COUNT larger than the keyspace finishes in one call.
    const all = await fullScan(c, ["COUNT", "100000"]);
    assertEquals(all.calls, 1);
    assertEquals(all.keys.length, 250);
  } finally {
    c.close();
  }
});

Deno.test("parseScanCursor reads cursors as strtoul does", () => {
  assertEquals(parseScanCursor("0"), 0n);
  assertEquals(parseScanCursor(""), 0n);
  assertEquals(parseScanCursor("+12"), 12n);
  assertEquals(parseScanCursor("-0"), 0n);
  assertEquals(parseScanCursor("-1"), 2n ** 64n - 1n);
  assertEquals(parseScanCursor("-18446744073709551615"), 1n);
  assertEquals(parseScanCursor("18446744073709551615"), 2n ** 64n - 1n);
  assertEquals(parseScanCursor("007"), 7n);
  // The word is a C string: it ends at a NUL byte.
  assertEquals(parseScanCursor("5\x00junk"), 5n);
  assertEquals(parseScanCursor("\x00"), 0n);
  for (
    const bad of [
      " 1",
      "\t1",
      "1 ",
      "+",
      "-",
      "0x10",
      "1.5",
      "abc",
      "18446744073709551616",
      "-18446744073709551616",
    ]
  ) {
    const e = assertThrows(() => parseScanCursor(bad), CommandError);
    assertEquals((e as CommandError).line, "ERR invalid cursor", bad);
  }
});
