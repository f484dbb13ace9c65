/**
 * npm `bullmq` (pinned in deno.lock) against a spawned tsredis: BullMQ is
 * built on Lua scripts (EVALSHA of ~50 scripts using cmsgpack, cjson and
 * many commands), so this runs real users' scripts unchanged. Jobs are
 * added, processed by several workers, delayed, retried, failed and
 * completed, and a repeatable job fires on schedule.
 *
 * @module
 */
import { Queue, QueueEvents, Worker } from "npm:bullmq@6.7.0";
import { assert, assertEquals } from "../_deps.ts";
import { spawnServer } from "../_harness/spawn.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function until(
  check: () => boolean | Promise<boolean>,
  ms = 10000,
): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await check()) return resolve();
      if (Date.now() > deadline) return reject(new Error("timed out"));
      setTimeout(tick, 20);
    };
    tick();
  });
}

Deno.test("bullmq queues and workers run on tsredis", options, async () => {
  await using server = await spawnServer();
  const connection = {
    host: "127.0.0.1",
    port: server.port,
    maxRetriesPerRequest: null,
  };
  const queue = new Queue("jobs", { connection });
  const events = new QueueEvents("jobs", { connection });
  const done: string[] = [];
  const failed: string[] = [];
  const attempts = new Map<string, number>();
  const workers: Worker[] = [];
  try {
    await events.waitUntilReady();
    for (let w = 0; w < 3; w++) {
      const worker = new Worker(
        "jobs",
        async (job) => {
          const n = (attempts.get(job.name) ?? 0) + 1;
          attempts.set(job.name, n);
          if (job.name === "flaky" && n === 1) {
            throw new Error("first try fails");
          }
          if (job.name === "broken") throw new Error("always fails");
          await job.updateProgress(50);
          return { doubled: (job.data.n ?? 0) * 2, by: w };
        },
        { connection, concurrency: 2 },
      );
      worker.on("completed", (job) => done.push(job.name));
      worker.on("failed", (job) => {
        if (job !== undefined) failed.push(job.name);
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((w) => w.waitUntilReady()));

    const plain = await queue.add("plain", { n: 21 });
    const many = await queue.addBulk(
      Array.from(
        { length: 20 },
        (_, i) => ({ name: `bulk${i}`, data: { n: i } }),
      ),
    );
    const started = Date.now();
    const delayed = await queue.add("delayed", { n: 1 }, { delay: 300 });
    await queue.add("flaky", { n: 2 }, {
      attempts: 3,
      backoff: { type: "fixed", delay: 50 },
    });
    await queue.add("broken", { n: 3 }, { attempts: 2 });
    // A repeatable job (a job scheduler in BullMQ 6).
    await queue.upsertJobScheduler("tick", { every: 150, limit: 3 }, {
      name: "tick",
      data: { n: 4 },
    });
    await queue.add("prio", { n: 5 }, { priority: 1 });

    await until(() =>
      done.includes("plain") && done.includes("delayed") &&
      done.includes("flaky") && failed.includes("broken") &&
      done.filter((n) => n === "tick").length === 3 &&
      many.every((j) => done.includes(j.name)) && done.includes("prio")
    );

    const result = await queue.getJob(plain.id!);
    assertEquals(result?.returnvalue.doubled, 42);
    assertEquals(result?.progress, 50);
    const late = await queue.getJob(delayed.id!);
    assert(late!.processedOn! - started >= 250, "the delayed job waited");
    assertEquals(attempts.get("flaky"), 2);
    assertEquals(attempts.get("broken"), 2);
    const broken = (await queue.getFailed())[0]!;
    assertEquals(broken.failedReason, "always fails");
    assertEquals(broken.attemptsMade, 2);
    const counts = await queue.getJobCounts(
      "completed",
      "failed",
      "waiting",
      "active",
    );
    assertEquals(counts.failed, 1);
    assertEquals(counts.active, 0);
    assertEquals(counts.completed, done.length);
    // Every worker took a share.
    const by = new Set(
      (await queue.getCompleted(0, -1)).map((j) => j.returnvalue?.by),
    );
    assert(by.size >= 2, `jobs were spread over ${by.size} worker(s)`);

    // Pause, clean and obliterate go through scripts too.
    await queue.pause();
    assert(await queue.isPaused());
    await queue.add("while-paused", {});
    assertEquals(await queue.count(), 1);
    await queue.resume();
    await until(() => done.includes("while-paused"));
    await queue.removeJobScheduler("tick");
    await queue.clean(0, 100, "completed");
    await queue.obliterate({ force: true });
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await events.close();
    await queue.close();
  }
});
