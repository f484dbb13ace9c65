/**
 * A stream consumer-group worker pool driven by the real `ioredis` client:
 * producers XADD jobs, two consumers XREADGROUP with BLOCK and acknowledge
 * with XACK, a third consumer crashes holding messages it never acked, and
 * a reaper takes those over with XAUTOCLAIM once they have been idle long
 * enough. Every job must be processed exactly once and nothing may stay
 * pending.
 *
 * `TSREDIS_TARGET=redis-server` runs the same test against real Redis.
 */
import { Redis } from "npm:ioredis@5.9.3";
import { assert, assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

const STREAM = "jobs";
const GROUP = "workers";

type Entry = [string, string[]];
type ReadReply = [string, Entry[]][] | null;

function client(port: number): Redis {
  return new Redis({
    port,
    host: "127.0.0.1",
    // The ready check sends INFO; the workers never need it.
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Turns an entry's flat field list into an object. */
function fields(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

/** Reads new messages as `name`, processes and acknowledges them until stopped. */
async function consume(
  redis: Redis,
  name: string,
  stop: () => boolean,
  done: Map<string, string>,
): Promise<void> {
  while (!stop()) {
    const reply = await redis.xreadgroup(
      "GROUP",
      GROUP,
      name,
      "COUNT",
      5,
      "BLOCK",
      100,
      "STREAMS",
      STREAM,
      ">",
    ) as ReadReply;
    if (reply === null) continue;
    const [[key, entries]] = reply as [[string, Entry[]]];
    assertEquals(key, STREAM);
    for (const [id, list] of entries) {
      const job = fields(list);
      assert(!done.has(job.job!), `job ${job.job} processed twice`);
      done.set(job.job!, name);
      assertEquals(await redis.xack(STREAM, GROUP, id), 1);
    }
  }
}

Deno.test({
  name:
    "ioredis stream workers: XREADGROUP BLOCK consumers, XACK, and XAUTOCLAIM of a crashed consumer's messages",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer();
    const admin = client(server.port);
    const producers = [client(server.port), client(server.port)];
    const workers = [client(server.port), client(server.port)];
    const crashed = client(server.port);
    try {
      assertEquals(
        await admin.xgroup("CREATE", STREAM, GROUP, "$", "MKSTREAM"),
        "OK",
      );
      // The crashing consumer takes three messages and dies without acking.
      const early: string[] = [];
      for (let i = 0; i < 3; i++) {
        early.push(
          (await admin.xadd(STREAM, "*", "job", `early-${i}`, "n", i))!,
        );
      }
      const taken = await crashed.xreadgroup(
        "GROUP",
        GROUP,
        "crashed",
        "COUNT",
        3,
        "STREAMS",
        STREAM,
        ">",
      ) as ReadReply;
      const held = taken![0]![1].map(([id]) => id);
      assertEquals(held, early);
      crashed.disconnect();

      const done = new Map<string, string>();
      let stopped = false;
      const running = workers.map((w, i) =>
        consume(w, `worker-${i}`, () => stopped, done)
      );

      const perProducer = 40;
      await Promise.all(producers.map(async (p, n) => {
        for (let i = 0; i < perProducer; i++) {
          const id = await p.xadd(STREAM, "*", "job", `p${n}-${i}`, "n", i);
          assert(/^\d+-\d+$/.test(id!));
          if (i % 8 === 0) await sleep(2);
        }
      }));

      // Wait until everything but the crashed consumer's messages is done.
      const total = 3 + 2 * perProducer;
      for (let i = 0; i < 200 && done.size < total - held.length; i++) {
        await sleep(20);
      }
      assertEquals(done.size, total - held.length);

      const summary = await admin.xpending(STREAM, GROUP) as unknown[];
      assertEquals(summary[0], held.length);
      assertEquals(summary[3], [["crashed", String(held.length)]]);

      // The reaper: claim what has been idle for 50 ms, in pages of 2.
      await sleep(60);
      let cursor = "0-0";
      const reclaimed: string[] = [];
      do {
        const [next, entries, deleted] = await admin.xautoclaim(
          STREAM,
          GROUP,
          "reaper",
          50,
          cursor,
          "COUNT",
          2,
        ) as [string, Entry[], string[]];
        assertEquals(deleted, []);
        for (const [id, list] of entries) {
          const job = fields(list);
          assert(!done.has(job.job!), `job ${job.job} processed twice`);
          done.set(job.job!, "reaper");
          reclaimed.push(id);
          assertEquals(await admin.xack(STREAM, GROUP, id), 1);
        }
        cursor = next;
      } while (cursor !== "0-0");
      assertEquals(reclaimed, held);

      stopped = true;
      await Promise.all(running);

      assertEquals(done.size, total);
      assertEquals(await admin.xlen(STREAM), total);
      assertEquals(
        await admin.xpending(STREAM, GROUP),
        [0, null, null, null],
      );
      const [group] = await admin.xinfo("GROUPS", STREAM) as unknown[][];
      const info = fields(group!.map(String));
      assertEquals(info.pending, "0");
      assertEquals(info.lag, "0");
      assertEquals(info["entries-read"], String(total));
      const consumers = await admin.xinfo("CONSUMERS", STREAM, GROUP) as [
        string,
        string,
        string,
        number,
        string,
        number,
      ][];
      const names = consumers.map((c) => c[1]);
      for (const name of ["worker-0", "worker-1", "reaper"]) {
        assert(names.includes(name), `consumer ${name} is listed`);
      }
      assert(consumers.every((c) => c[3] === 0), "nothing pending");
      // Both workers did some of the work.
      const byWorker = [...done.values()];
      assert(byWorker.includes("worker-0") && byWorker.includes("worker-1"));
      // The history of a consumer is empty once everything is acked.
      assertEquals(
        await admin.xreadgroup(
          "GROUP",
          GROUP,
          "worker-0",
          "STREAMS",
          STREAM,
          "0",
        ),
        [[STREAM, []]],
      );
    } finally {
      for (const r of [admin, ...producers, ...workers, crashed]) {
        r.disconnect();
      }
    }
  },
});
