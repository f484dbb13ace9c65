/**
 * A BullMQ-style job queue built on lists, driven by the real `ioredis`
 * client: producers LPUSH job ids, workers move them atomically into a
 * processing list with BLMOVE / BRPOPLPUSH and acknowledge with LREM,
 * a reaper requeues the jobs of a worker that died, and delayed jobs wait
 * in a sorted set until a scheduler moves them to the queue.
 *
 * `TSREDIS_TARGET=redis-server` runs the same test against real Redis.
 */
import { Redis } from "npm:ioredis@5.9.3";
import { assert, assertEquals } from "../_deps.ts";
import { defaultTarget, spawnServer } from "../_harness/spawn.ts";
import { ALL_COMMANDS } from "../../src/commands/table.ts";

const WAIT = "q:wait";
const ACTIVE = "q:active";
const DONE = "q:done";
const DELAYED = "q:delayed";

// Sorted sets come from another part of tsredis; the delayed-jobs test
// needs ZADD, ZRANGEBYSCORE and ZREM.
const HAS_ZSETS = defaultTarget() === "redis-server" ||
  ["zadd", "zrangebyscore", "zrem"].every((name) =>
    ALL_COMMANDS.some((c) => c.name === name)
  );

function client(port: number): Redis {
  return new Redis({
    port,
    host: "127.0.0.1",
    // The ready check sends INFO; the queue itself never needs it.
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface WorkerStats {
  processed: string[];
}

/**
 * One worker: takes jobs until `stop()` says so, blocking in between.
 * Odd workers use the deprecated BRPOPLPUSH, even ones BLMOVE.
 */
async function work(
  redis: Redis,
  n: number,
  stop: () => boolean,
  stats: WorkerStats,
): Promise<void> {
  while (!stop()) {
    const id = n % 2 === 0
      ? await redis.blmove(WAIT, ACTIVE, "RIGHT", "LEFT", 0.1)
      : await redis.brpoplpush(WAIT, ACTIVE, 0.1);
    if (id === null) continue;
    const payload = await redis.hget(`q:job:${id}`, "payload");
    assertEquals(payload, `payload of ${id}`);
    // Acknowledge: drop from the processing list and record, atomically.
    const result = await redis.multi()
      .lrem(ACTIVE, 1, id)
      .lpush(DONE, id)
      .del(`q:job:${id}`)
      .exec();
    assertEquals(result?.[0], [null, 1]);
    stats.processed.push(id);
  }
}

async function produce(redis: Redis, p: number, jobs: number): Promise<void> {
  for (let i = 0; i < jobs; i++) {
    const id = `p${p}-${i}`;
    await redis.hset(`q:job:${id}`, "payload", `payload of ${id}`);
    await redis.lpush(WAIT, id);
    if (i % 10 === 0) await sleep(1);
  }
}

Deno.test({
  name:
    "job queue: producers LPUSH, blocked workers take each job exactly once with BLMOVE/BRPOPLPUSH and ack with LREM",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer();
    const admin = client(server.port);
    const workers = Array.from({ length: 4 }, () => client(server.port));
    const producers = Array.from({ length: 3 }, () => client(server.port));
    const JOBS = 60;
    const total = JOBS * producers.length;
    const stats = workers.map(() => ({ processed: [] as string[] }));
    try {
      // Workers first, so they start out blocked on an empty queue.
      let finished = false;
      const running = workers.map((w, n) =>
        work(w, n, () => finished, stats[n]!)
      );
      await sleep(50);
      await Promise.all(producers.map((p, i) => produce(p, i, JOBS)));
      const deadline = Date.now() + 20000;
      while ((await admin.llen(DONE)) < total && Date.now() < deadline) {
        await sleep(20);
      }
      finished = true;
      await Promise.all(running);

      const done = await admin.lrange(DONE, 0, -1);
      assertEquals(done.length, total);
      assertEquals(new Set(done).size, total);
      const all = stats.flatMap((s) => s.processed).sort();
      assertEquals(all, [...done].sort());
      // The work was shared: every worker took some jobs.
      for (const s of stats) assert(s.processed.length > 0);
      assertEquals(await admin.exists(WAIT, ACTIVE), 0);
      // The queue is FIFO: each worker took any one producer's jobs in
      // the order they were pushed.
      for (const s of stats) {
        for (let p = 0; p < producers.length; p++) {
          const seq = s.processed.filter((id) => id.startsWith(`p${p}-`))
            .map((id) => Number(id.split("-")[1]));
          assertEquals(seq, seq.slice().sort((a, b) => a - b));
        }
      }
    } finally {
      for (const c of [admin, ...workers, ...producers]) c.disconnect();
    }
  },
});

Deno.test({
  name:
    "job queue: a job taken by a worker that dies stays in the processing list until a reaper requeues it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer();
    const admin = client(server.port);
    const doomed = client(server.port);
    const survivor = client(server.port);
    try {
      // The doomed worker blocks first, so it gets the first job.
      const taken = doomed.blmove(WAIT, ACTIVE, "RIGHT", "LEFT", 0);
      await sleep(50);
      const waiting = survivor.brpoplpush(WAIT, ACTIVE, 0);
      await sleep(50);
      await admin.lpush(WAIT, "job-1");
      assertEquals(await taken, "job-1");
      doomed.disconnect(); // dies before acknowledging
      await sleep(50);
      assertEquals(await admin.lrange(ACTIVE, 0, -1), ["job-1"]);
      // The reaper moves unacknowledged jobs back to the queue, where the
      // blocked survivor picks the job up.
      assertEquals(
        await admin.lmove(ACTIVE, WAIT, "RIGHT", "LEFT"),
        "job-1",
      );
      assertEquals(await waiting, "job-1");
      assertEquals(await survivor.lrem(ACTIVE, 1, "job-1"), 1);
      assertEquals(await admin.exists(WAIT, ACTIVE), 0);
      // LPOS finds a job's place in the queue, LMPOP drains in batches.
      await admin.lpush(WAIT, "a", "b", "c", "d");
      assertEquals(await admin.lpos(WAIT, "a"), 3);
      assertEquals(await admin.lmpop(1, WAIT, "RIGHT", "COUNT", 3), [
        WAIT,
        ["a", "b", "c"],
      ]);
    } finally {
      for (const c of [admin, doomed, survivor]) c.disconnect();
    }
  },
});

Deno.test({
  name:
    "job queue: delayed jobs wait in a sorted set until a scheduler moves them to the queue",
  ignore: !HAS_ZSETS,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer();
    const admin = client(server.port);
    const worker = client(server.port);
    try {
      const now = Date.now();
      await admin.zadd(DELAYED, now + 300, "late", now + 100, "soon");
      await admin.lpush(WAIT, "now");
      const order: string[] = [];
      let stop = false;
      const consuming = (async () => {
        while (!stop) {
          const id = await worker.blmove(WAIT, ACTIVE, "RIGHT", "LEFT", 0.05);
          if (id === null) continue;
          order.push(id);
          await worker.lrem(ACTIVE, 1, id);
        }
      })();
      // The scheduler: due jobs go to the queue, each move atomic.
      const deadline = Date.now() + 5000;
      while (order.length < 3 && Date.now() < deadline) {
        const due = await admin.zrangebyscore(DELAYED, "-inf", Date.now());
        for (const id of due) {
          const res = await admin.multi().zrem(DELAYED, id).lpush(WAIT, id)
            .exec();
          assertEquals(res?.[0], [null, 1]);
        }
        await sleep(10);
      }
      stop = true;
      await consuming;
      assertEquals(order, ["now", "soon", "late"]);
      assertEquals(await admin.exists(DELAYED, WAIT, ACTIVE), 0);
    } finally {
      admin.disconnect();
      worker.disconnect();
    }
  },
});
