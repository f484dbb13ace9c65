/**
 * maxmemory eviction under a sustained random-key write load, for every
 * policy, against a spawned tsredis: used_memory stays within 10% of
 * maxmemory, keys are evicted, and the right ones go (volatile policies
 * keep keys without a TTL, volatile-ttl evicts the soonest to expire,
 * LRU and LFU keep a hot set that is read repeatedly, noeviction refuses
 * writes and still serves reads). Then the accounting is checked against
 * the server's real heap growth (DEBUG TSREDIS-HEAP after a full GC).
 *
 * One server runs every case in turn (FLUSHALL between them), started with
 * `--expose-gc` for the heap measurement.
 */
import { assert, assertEquals } from "../_deps.ts";
import { encodeCommand, type RespClient } from "../_harness/resp_client.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";

const BUDGET = 3 * 1024 * 1024;
const VALUE = "v".repeat(100);

async function info(client: RespClient, field: string): Promise<number> {
  const text = String(await client.call("INFO", "all"));
  const m = new RegExp(`^${field}:(\\d+)`, "m").exec(text);
  if (m === null) throw new Error(`INFO has no ${field}`);
  return Number(m[1]);
}

/**
 * Sends `commands` pipelined with replies switched off (fast), then syncs
 * with a PING.
 */
async function load(
  client: RespClient,
  commands: (string | number)[][],
): Promise<void> {
  // CLIENT REPLY OFF itself has no reply.
  await client.sendRaw(encodeCommand(["CLIENT", "REPLY", "OFF"]));
  const BATCH = 2000;
  for (let i = 0; i < commands.length; i += BATCH) {
    await client.sendRaw(
      commands.slice(i, i + BATCH).map(encodeCommand).join(""),
    );
  }
  await client.sendRaw(encodeCommand(["CLIENT", "REPLY", "ON"]));
  assertEquals(await client.read(30000), "OK");
}

/** Empties the server and sets a budget of BUDGET over what it uses empty. */
async function reset(client: RespClient, policy: string): Promise<number> {
  await client.call("CONFIG", "SET", "maxmemory", "0");
  await client.call("FLUSHALL");
  await client.call("CONFIG", "SET", "maxmemory-policy", policy);
  const max = (await info(client, "used_memory")) + BUDGET;
  assertEquals(
    await client.call("CONFIG", "SET", "maxmemory", String(max)),
    "OK",
  );
  return max;
}

function randomSets(
  n: number,
  prefix: string,
  ttl?: (i: number) => number,
): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (let i = 0; i < n; i++) {
    const key = `${prefix}:${Math.floor(Math.random() * 1e9)}`;
    out.push(
      ttl === undefined
        ? ["SET", key, VALUE]
        : ["SET", key, VALUE, "EX", ttl(i)],
    );
  }
  return out;
}

async function assertNearLimit(client: RespClient, max: number) {
  const used = await info(client, "used_memory");
  assert(
    used <= max * 1.1 && used >= max * 0.9,
    `used_memory ${used} is not within 10% of maxmemory ${max}`,
  );
}

async function existing(client: RespClient, keys: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < keys.length; i += 500) {
    n += Number(await client.call("EXISTS", ...keys.slice(i, i + 500)));
  }
  return n;
}

async function withServer(fn: (server: ServerHandle) => Promise<void>) {
  await using server = await spawnServer({
    env: { DENO_V8_FLAGS: "--expose-gc" },
  });
  await fn(server);
}

Deno.test("maxmemory eviction under load, every policy, and the accounting against the real heap", async (t) => {
  await withServer(async (server) => {
    const client = await server.connect();
    try {
      let evicted = 0;
      const newlyEvicted = async () => {
        const total = await info(client, "evicted_keys");
        const n = total - evicted;
        evicted = total;
        return n;
      };

      await t.step(
        "noeviction refuses SET with OOM and still serves GET",
        async () => {
          const max = await reset(client, "noeviction");
          await client.call("SET", "first", "value");
          let oom: unknown;
          for (let round = 0; round < 100 && oom === undefined; round++) {
            const replies = await client.pipeline(randomSets(1000, "k"));
            oom = replies.find((r) => typeof r === "object" && r !== null);
          }
          assertEquals(
            String((oom as { message?: string }).message ?? oom),
            "OOM command not allowed when used memory > 'maxmemory'.",
          );
          assertEquals(await client.call("GET", "first"), "value");
          assertEquals(await newlyEvicted(), 0);
          await assertNearLimit(client, max);
        },
      );

      await t.step(
        "allkeys-random evicts and keeps used_memory at the limit",
        async () => {
          const max = await reset(client, "allkeys-random");
          await load(client, randomSets(40_000, "k"));
          assert(await newlyEvicted() > 0);
          await assertNearLimit(client, max);
        },
      );

      for (
        const policy of ["volatile-lru", "volatile-lfu", "volatile-random"]
      ) {
        await t.step(`${policy} never evicts keys without a TTL`, async () => {
          const max = await reset(client, policy);
          const kept = Array.from({ length: 300 }, (_, i) => `keep:${i}`);
          await load(client, kept.map((k) => ["SET", k, VALUE]));
          await load(client, randomSets(40_000, "vol", () => 100_000));
          assert(await newlyEvicted() > 0);
          await assertNearLimit(client, max);
          assertEquals(await existing(client, kept), kept.length);
        });
      }

      await t.step(
        "volatile-ttl evicts the keys that expire soonest first",
        async () => {
          const max = await reset(client, "volatile-ttl");
          const n = 30_000;
          const keys = Array.from({ length: n }, (_, i) => `ttl:${i}`);
          await load(
            client,
            keys.map((k, i) => ["SET", k, VALUE, "EX", 100_000 + i * 10]),
          );
          assert(await newlyEvicted() > 0);
          await assertNearLimit(client, max);
          // Sampling makes it approximate, as in Redis: survivors grow
          // from the soonest quarter to the latest.
          const quarter = n / 4;
          const survivors: number[] = [];
          for (let q = 0; q < 4; q++) {
            const slice = keys.slice(q * quarter, (q + 1) * quarter);
            survivors.push(await existing(client, slice));
          }
          assert(
            survivors[0]! < quarter * 0.05 && survivors[3]! > quarter * 0.85 &&
              survivors.every((v, i) => i === 0 || v >= survivors[i - 1]!),
            `survivors per quarter, soonest first: ${survivors}`,
          );
        },
      );

      for (const policy of ["allkeys-lru", "allkeys-lfu"]) {
        await t.step(
          `${policy} keeps a hot set that is read repeatedly`,
          async () => {
            const max = await reset(client, policy);
            const hot = Array.from({ length: 200 }, (_, i) => `hot:${i}`);
            await load(client, hot.map((k) => ["SET", k, VALUE]));
            // Older data, almost up to the limit.
            await load(client, randomSets(11_000, "old"));
            assertEquals(await newlyEvicted(), 0);
            if (policy === "allkeys-lru") {
              // The LRU clock counts seconds.
              await new Promise((r) => setTimeout(r, 2100));
            }
            const reads: string[][] = [];
            for (let i = 0; i < (policy === "allkeys-lfu" ? 100 : 1); i++) {
              for (const k of hot) reads.push(["GET", k]);
            }
            await load(client, reads);
            // New data, interleaved with more reads of the hot set.
            for (let round = 0; round < 6; round++) {
              await load(client, randomSets(1500, "new"));
              await load(client, hot.map((k) => ["GET", k]));
            }
            assert(await newlyEvicted() > 0);
            await assertNearLimit(client, max);
            const alive = await existing(client, hot);
            assert(alive >= hot.length * 0.95, `${alive} hot keys left`);
          },
        );
      }

      await t.step(
        "allkeys-lru: CONFIG SET maxmemory below the usage evicts at once",
        async () => {
          const max = await reset(client, "allkeys-lru");
          await load(client, randomSets(20_000, "k"));
          const lower = max - BUDGET / 2;
          await client.call("CONFIG", "SET", "maxmemory", String(lower));
          // What did not fit in the time limit goes between commands.
          await new Promise((r) => setTimeout(r, 100));
          await assertNearLimit(client, lower);
        },
      );

      await t.step(
        "used_memory follows the heap the data really takes",
        async () => {
          await client.call("CONFIG", "SET", "maxmemory", "0");
          await client.call("FLUSHALL");
          const heap0 = Number(await client.call("DEBUG", "TSREDIS-HEAP"));
          const used0 = await info(client, "used_memory");
          const commands: (string | number)[][] = [];
          const word = (n: number) =>
            Math.random().toString(36).slice(2).padEnd(n, "x").slice(0, n);
          for (let i = 0; i < 15_000; i++) {
            commands.push(["SET", `string:${i}`, word(20 + (i % 7) * 300)]);
          }
          for (let i = 0; i < 20_000; i++) {
            commands.push(["SET", `small:${i}`, word(8), "EX", 100_000]);
          }
          for (let h = 0; h < 300; h++) {
            for (let c = 0; c < 5; c++) {
              const args: string[] = [];
              for (let f = 0; f < 100; f++) {
                args.push(`field:${c}:${f}`, word(30));
              }
              commands.push(["HSET", `hash:${h}`, ...args]);
            }
          }
          for (let l = 0; l < 300; l++) {
            const args = Array.from({ length: 300 }, () => word(25));
            commands.push(["RPUSH", `list:${l}`, ...args]);
          }
          for (let s = 0; s < 200; s++) {
            const args = Array.from({ length: 300 }, () => word(12));
            commands.push(["SADD", `set:${s}`, ...args]);
          }
          for (let z = 0; z < 200; z++) {
            const args: (string | number)[] = [];
            for (let m = 0; m < 300; m++) args.push(m * 1.5, word(12));
            commands.push(["ZADD", `zset:${z}`, ...args]);
          }
          for (let x = 0; x < 20; x++) {
            for (let e = 0; e < 500; e++) {
              commands.push([
                "XADD",
                `stream:${x}`,
                "*",
                "a",
                word(10),
                "b",
                word(20),
              ]);
            }
          }
          await load(client, commands);
          const used = (await info(client, "used_memory")) - used0;
          const heap = Number(await client.call("DEBUG", "TSREDIS-HEAP")) -
            heap0;
          assert(heap > 40e6, `only ${heap} bytes loaded`);
          if (Deno.env.get("TSREDIS_VERBOSE") === "1") {
            console.log(`used_memory +${used}, heap +${heap}`);
          }
          assert(
            Math.abs(used / heap - 1) <= 0.2,
            `used_memory grew by ${used}, the heap by ${heap}`,
          );
        },
      );
    } finally {
      client.close();
    }
  });
});
