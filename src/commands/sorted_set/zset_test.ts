import { assertEquals } from "../../../tests/_deps.ts";
import { startInProcess } from "../../../tests/_harness/in_process.ts";
import { encodeCommand } from "../../../tests/_harness/resp_client.ts";

function zaddMany(key: string, n: number): (string | number)[] {
  const argv: (string | number)[] = ["ZADD", key];
  for (let i = 0; i < n; i++) argv.push(i, `m${i}`);
  return argv;
}

Deno.test("ZSCAN over a skiplist set returns every member with its score", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    await c.call(...zaddMany("z", 1000));
    assertEquals(await c.call("OBJECT", "ENCODING", "z"), "skiplist");
    const seen = new Map<string, string>();
    let cursor = "0";
    let calls = 0;
    do {
      const [next, items] = await c.call("ZSCAN", "z", cursor, "COUNT", 50) as [
        string,
        string[],
      ];
      for (let i = 0; i < items.length; i += 2) {
        seen.set(items[i]!, items[i + 1]!);
      }
      cursor = next;
      calls++;
    } while (cursor !== "0");
    assertEquals(seen.size, 1000);
    assertEquals(seen.get("m123"), "123");
    assertEquals(calls > 5, true);
    const [, matched] = await c.call(
      "ZSCAN",
      "z",
      "0",
      "MATCH",
      "m99*",
      "COUNT",
      100000,
    ) as [
      string,
      string[],
    ];
    assertEquals(matched.filter((_, i) => i % 2 === 0).sort(), [
      "m99",
      "m990",
      "m991",
      "m992",
      "m993",
      "m994",
      "m995",
      "m996",
      "m997",
      "m998",
      "m999",
    ]);
  } finally {
    c.close();
  }
});

Deno.test("ZRANDMEMBER picks distinct members for a positive count, repeats for a negative one", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    for (const n of [10, 300]) {
      await c.call("DEL", "z");
      await c.call(...zaddMany("z", n));
      for (const count of [1, 3, Math.floor(n / 2), n - 1]) {
        const members = await c.call("ZRANDMEMBER", "z", count) as string[];
        assertEquals(members.length, count);
        assertEquals(new Set(members).size, count);
      }
      const repeated = await c.call("ZRANDMEMBER", "z", -(n * 3)) as string[];
      assertEquals(repeated.length, n * 3);
      const pairs = await c.call(
        "ZRANDMEMBER",
        "z",
        5,
        "WITHSCORES",
      ) as string[];
      for (let i = 0; i < pairs.length; i += 2) {
        assertEquals(pairs[i], `m${pairs[i + 1]}`);
      }
    }
  } finally {
    c.close();
  }
});

Deno.test("sorted set writes invalidate WATCH; no-op writes do not", async () => {
  await using server = startInProcess();
  const [a, b] = [await server.connect(), await server.connect()];
  try {
    await a.call("ZADD", "z", "1", "x");
    const writes: [(string | number)[], boolean][] = [
      [["ZADD", "z", "1", "x"], false],
      [["ZADD", "z", "2", "x"], true],
      [["ZINCRBY", "z", "1", "x"], true],
      [["ZREM", "z", "nope"], false],
      [["ZADD", "z", "1", "y"], true],
      [["ZREM", "z", "y"], true],
      [["ZREMRANGEBYSCORE", "z", "100", "200"], false],
      [["ZPOPMIN", "z", "0"], false],
      [["GEOADD", "z", "XX", "1", "1", "x"], true],
    ];
    for (const [write, invalidates] of writes) {
      await a.call("WATCH", "z");
      await b.call(...write);
      await a.call("MULTI");
      await a.call("PING");
      const result = await a.call("EXEC");
      assertEquals(result === null, invalidates, write.join(" "));
    }
  } finally {
    a.close();
    b.close();
  }
});

Deno.test("large sorted sets: 200k members added, ranged and popped quickly", async () => {
  await using server = startInProcess();
  const c = await server.connect();
  try {
    const n = 200_000;
    let batch = "";
    for (let i = 0; i < n; i += 1000) {
      const argv: string[] = ["ZADD", "big"];
      for (let j = i; j < i + 1000; j++) {
        argv.push(String((j * 7919) % n), `m${j}`);
      }
      batch += encodeCommand(argv);
    }
    const start = performance.now();
    await c.sendRaw(batch);
    for (let i = 0; i < n; i += 1000) await c.read();
    assertEquals(await c.call("ZCARD", "big"), n);
    const middle = await c.call("ZRANGE", "big", 100000, 100002) as string[];
    assertEquals(middle.length, 3);
    assertEquals(await c.call("ZCOUNT", "big", "1000", "(2000"), 1000);
    assertEquals(await c.call("ZRANK", "big", middle[0]!), 100000);
    const popped = await c.call("ZPOPMIN", "big", 1000) as string[];
    assertEquals(popped[1], "0");
    assertEquals(
      await c.call("ZREMRANGEBYRANK", "big", 0, 49_999),
      50_000,
    );
    const elapsed = performance.now() - start;
    assertEquals(elapsed < 10_000, true, `took ${elapsed} ms`);
  } finally {
    c.close();
  }
});
