/**
 * SHUTDOWN and SIGTERM on a master with a lagging replica, as Redis 7.0
 * does it: writes pause and the master waits (up to shutdown-timeout) for
 * its replicas to acknowledge everything, so they hold every write; NOW
 * skips the wait, SHUTDOWN ABORT cancels it (the waiting SHUTDOWN callers
 * get an error, held writes go on). A replica lags here because it is
 * inside DEBUG SLEEP. Each scenario runs against tsredis and, when it is
 * installed, against real redis-server, to check the test itself.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import {
  encodeCommand,
  type RespClient,
  RespError,
} from "../_harness/resp_client.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";
import { waitFor } from "../_harness/dataset.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Target = "tsredis" | "redis-server";
const TARGETS: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A master (no save points) and one replica of it, in sync. */
async function pair(target: Target, masterArgs: string[] = []) {
  const master = await spawnServer({
    target,
    args: ["--save", "", "--repl-diskless-sync-delay", "0", ...masterArgs],
  });
  const replica = await spawnServer({
    target,
    args: ["--save", "", "--replicaof", "127.0.0.1", String(master.port)],
  });
  const m = await master.connect();
  const r = await replica.connect();
  assertEquals(await m.call("SET", "before", "1"), "OK");
  await waitFor(
    "the replica to sync",
    async () => (await r.call("GET", "before")) === "1",
  );
  return { master, replica, m, r };
}

/**
 * Makes `replica` deaf for `seconds` (DEBUG SLEEP on its own connection),
 * and returns once it is: a PING on another connection goes unanswered.
 */
async function lag(replica: ServerHandle, seconds: number): Promise<void> {
  const c = await replica.connect();
  c.sendRaw(encodeCommand(["DEBUG", "SLEEP", seconds])).then(() =>
    c.read(30_000)
  ).catch(() => {}).finally(() => c.close());
  const probe = await replica.connect();
  try {
    for (;;) {
      await probe.sendRaw(encodeCommand(["PING"]));
      const answered = await probe.read(300).then(() => true, () => false);
      if (!answered) return;
      await sleep(20);
    }
  } finally {
    probe.close();
  }
}

/** Resolves true once `p` settles within `ms`, false otherwise. */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => true), sleep(ms).then(() => false)]);
}

async function exitedWithin(
  handle: ServerHandle,
  ms: number,
): Promise<Deno.CommandStatus> {
  const status = await Promise.race([handle.exited, sleep(ms)]);
  if (status === undefined) throw new Error(`still running after ${ms} ms`);
  return status;
}

/** The next reply of `c`, or "closed" when the connection closes first. */
function reply(c: RespClient): Promise<unknown> {
  return c.read(30_000).catch(() => "closed");
}

for (const target of TARGETS) {
  Deno.test(
    `${target}: SHUTDOWN waits for a lagging replica, holding writes, then exits with the replica in sync`,
    opts,
    async () => {
      const { master, replica, m, r } = await pair(target);
      await using _m = master;
      await using _r = replica;
      await lag(replica, 1.5);
      assertEquals(await m.call("SET", "acked", "yes"), "OK");
      const shutdown = await master.connect();
      await shutdown.sendRaw(encodeCommand(["SHUTDOWN"]));
      const shutdownReply = reply(shutdown);
      await sleep(300);
      // Still up and answering reads; writes wait.
      assertEquals(await m.call("GET", "acked"), "yes");
      const writer = await master.connect();
      await writer.sendRaw(encodeCommand(["SET", "held", "1"]));
      const held = reply(writer);
      assertEquals(await settlesWithin(held, 300), false);
      assertMatch(master.output(), /Waiting for replicas before shutting down/);
      const status = await exitedWithin(master, 8000);
      assertEquals(status.code, 0);
      // The SHUTDOWN caller and the held writer only see the connection go.
      assertEquals(await shutdownReply, "closed");
      assertEquals(await held, "closed");
      assertMatch(
        master.output(),
        /1 of 1 replicas are in sync when shutting down/,
      );
      assertEquals(await r.call("GET", "acked"), "yes");
      assertEquals(await r.call("GET", "held"), null);
      for (const c of [m, r, shutdown, writer]) c.close();
    },
  );

  Deno.test(
    `${target}: SHUTDOWN ABORT cancels the wait: callers get an error, held writes run`,
    opts,
    async () => {
      const { master, replica, m, r } = await pair(target);
      await using _m = master;
      await using _r = replica;
      await lag(replica, 2);
      assertEquals(await m.call("SET", "k", "v"), "OK");
      const first = await master.connect();
      const second = await master.connect();
      await first.sendRaw(encodeCommand(["SHUTDOWN"]));
      const firstReply = reply(first);
      await sleep(100);
      await second.sendRaw(encodeCommand(["SHUTDOWN", "NOSAVE"]));
      const secondReply = reply(second);
      const writer = await master.connect();
      await writer.sendRaw(encodeCommand(["SET", "held", "1"]));
      const held = reply(writer);
      assertEquals(await settlesWithin(firstReply, 200), false);
      assertEquals(await m.call("SHUTDOWN", "ABORT"), "OK");
      const failed = new RespError(
        "ERR Errors trying to SHUTDOWN. Check logs.",
      );
      assertEquals(await firstReply, failed);
      assertEquals(await secondReply, failed);
      assertEquals(await held, "OK");
      assertEquals(
        await m.call("SHUTDOWN", "ABORT"),
        new RespError("ERR No shutdown in progress."),
      );
      assertMatch(master.output(), /Shutdown manually aborted/);
      assertEquals(await m.call("PING"), "PONG");
      await waitFor(
        "the held write to reach the replica",
        async () => (await r.call("GET", "held")) === "1",
      );
      for (const c of [m, r, first, second, writer]) c.close();
    },
  );

  Deno.test(
    `${target}: a replica lagging past shutdown-timeout is logged and the master exits anyway; NOW does not wait`,
    opts,
    async () => {
      const { master, replica, m, r } = await pair(target, [
        "--shutdown-timeout",
        "1",
      ]);
      await using _m = master;
      await using _r = replica;
      await lag(replica, 3);
      assertEquals(await m.call("SET", "k", "v"), "OK");
      const started = Date.now();
      await m.sendRaw(encodeCommand(["SHUTDOWN"]));
      const status = await exitedWithin(master, 4000);
      assertEquals(status.code, 0);
      const took = Date.now() - started;
      assert(took >= 800, `exited after ${took} ms`);
      assertMatch(
        master.output(),
        new RegExp(
          `Lagging replica 127\\.0\\.0\\.1:${replica.port} reported offset \\d+ behind master, lag=\\d+, state=online\\.`,
        ),
      );
      assertMatch(
        master.output(),
        /0 of 1 replicas are in sync when shutting down/,
      );
      m.close();
      r.close();

      const second = await pair(target);
      await using _m2 = second.master;
      await using _r2 = second.replica;
      await lag(second.replica, 2);
      assertEquals(await second.m.call("SET", "k", "v"), "OK");
      await second.m.sendRaw(encodeCommand(["SHUTDOWN", "NOW"]));
      // The log, not the time, tells: a busy machine may be slow to exit.
      await exitedWithin(second.master, 5000);
      assert(!/Waiting for replicas/.test(second.master.output()));
      assertMatch(second.master.output(), /0 of 1 replicas are in sync/);
      second.m.close();
      second.r.close();
    },
  );

  Deno.test(
    `${target}: SIGTERM waits for a lagging replica too`,
    opts,
    async () => {
      const { master, replica, m, r } = await pair(target);
      await using _m = master;
      await using _r = replica;
      await lag(replica, 1.5);
      assertEquals(await m.call("SET", "acked", "yes"), "OK");
      await master.stop();
      assertEquals((await master.exited).code, 0);
      const out = master.output();
      assertMatch(out, /Waiting for replicas before shutting down/);
      assertMatch(out, /1 of 1 replicas are in sync when shutting down/);
      assertEquals(await r.call("GET", "acked"), "yes");
      m.close();
      r.close();
    },
  );
}
