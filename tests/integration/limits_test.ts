/**
 * Limits and fairness, each checked on tsredis and on the reference
 * redis-server 7.0 with the same expectations: maxclients (and the open
 * files limit), timeout, client-output-buffer-limit for normal and pub/sub
 * clients, maxmemory-clients with CLIENT NO-EVICT, and the room a big
 * argument holds once it is parsed.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import { RespClient, RespError } from "../_harness/resp_client.ts";
import {
  type ServerHandle,
  spawnServer,
  type Target,
} from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const TARGETS: Target[] = ["tsredis", "redis-server"];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** One test per target; the reference is skipped where it is not installed. */
function both(name: string, fn: (target: Target) => Promise<void>): void {
  for (const target of TARGETS) {
    Deno.test({
      ...opts,
      name: `${name} (${target})`,
      ignore: target === "redis-server" && REDIS_SERVER === undefined,
      fn: () => fn(target),
    });
  }
}

// CLIENT LIST field `field` of the client named `name`, or undefined once gone.
async function field(
  admin: RespClient,
  name: string,
  f: string,
): Promise<string | undefined> {
  const list = String(await admin.call("CLIENT", "LIST"));
  const line = list.split("\n").find((l) => l.includes(` name=${name} `));
  return line === undefined
    ? undefined
    : new RegExp(` ${f}=(\\S*)`).exec(line)?.[1];
}

async function named(server: ServerHandle, name: string): Promise<RespClient> {
  const c = await server.connect();
  assertEquals(await c.call("CLIENT", "SETNAME", name), "OK");
  return c;
}

// Waits until `check` holds (10 s at most).
async function until(
  check: () => Promise<boolean>,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await sleep(50);
  }
}

async function stat(admin: RespClient, name: string): Promise<number> {
  const info = String(await admin.call("INFO", "stats"));
  return Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1]);
}

function openFilesLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(
      Deno.readTextFileSync("/proc/self/limits"),
    );
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

both(
  "maxclients: one connection too many gets the error and is closed, and rejected_connections counts it",
  async (target) => {
    await using server = await spawnServer({
      target,
      args: ["--maxclients", "3"],
    });
    const open = [await server.connect(), await server.connect()];
    const third = await server.connect();
    try {
      assertEquals(await third.call("PING"), "PONG");
      const extra = await server.connect();
      assertEquals(
        await extra.readFor(2000),
        "-ERR max number of clients reached\r\n<EOF>",
      );
      extra.close();
      assertEquals(await stat(open[0]!, "rejected_connections"), 1);
      // A free slot is usable again.
      third.close();
      await sleep(200);
      const again = await server.connect();
      assertEquals(await again.call("PING"), "PONG");
      again.close();
    } finally {
      for (const c of open) c.close();
      third.close();
    }
  },
);

both(
  "maxclients: CONFIG SET beyond the open files limit is refused with Redis's words",
  async (target) => {
    const files = openFilesLimit();
    if (files === undefined) return;
    await using server = await spawnServer({ target });
    const c = await server.connect();
    try {
      const reply = await c.call("CONFIG", "SET", "maxclients", files * 2);
      assert(reply instanceof RespError);
      assertEquals(
        reply.message,
        `ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating system is not able to handle the specified number of clients, try with ${
          files - 32
        }`,
      );
      assertEquals(await c.call("CONFIG", "GET", "maxclients"), [
        "maxclients",
        "10000",
      ]);
      assertEquals(await c.call("CONFIG", "SET", "maxclients", "50"), "OK");
    } finally {
      c.close();
    }
  },
);

both(
  "maxclients beyond the open files limit at start-up is lowered to fit, as Redis logs it",
  async (target) => {
    const files = openFilesLimit();
    if (files === undefined) return;
    const wanted = files * 2;
    await using server = await spawnServer({
      target,
      args: ["--maxclients", String(wanted)],
    });
    const c = await server.connect();
    try {
      assertEquals(await c.call("CONFIG", "GET", "maxclients"), [
        "maxclients",
        String(files - 32),
      ]);
      const log = server.output();
      assertMatch(
        log,
        new RegExp(
          `# You requested maxclients of ${wanted} requiring at least ${
            wanted + 32
          } max file descriptors\\.`,
        ),
      );
      assertMatch(
        log,
        new RegExp(
          `# Current maximum open files is ${files}\\. maxclients has been reduced to ${
            files - 32
          } to compensate for low ulimit\\.`,
        ),
      );
    } finally {
      c.close();
    }
  },
);

both(
  "timeout: idle clients and clients in MULTI are closed; subscribers, blocked clients and MONITOR are not",
  async (target) => {
    await using server = await spawnServer({
      target,
      args: ["--timeout", "1"],
    });
    const admin = await named(server, "admin");
    const idle = await named(server, "idle");
    const multi = await named(server, "multi");
    const sub2 = await named(server, "sub2");
    const sub3 = await named(server, "sub3");
    const blocked = await named(server, "blocked");
    const monitor = await named(server, "monitor");
    const all = [admin, idle, multi, sub2, sub3, blocked, monitor];
    try {
      assertEquals(await multi.call("MULTI"), "OK");
      await sub2.call("SUBSCRIBE", "ch");
      await sub3.call("HELLO", "3");
      await sub3.call("SUBSCRIBE", "ch");
      assertEquals(await monitor.call("MONITOR"), "OK");
      await blocked.sendRaw("*3\r\n$5\r\nBLPOP\r\n$6\r\nnolist\r\n$1\r\n0\r\n");
      for (let i = 0; i < 14; i++) {
        await sleep(250);
        assertEquals(await admin.call("PING"), "PONG");
      }
      const list = String(await admin.call("CLIENT", "LIST"));
      const names = [...list.matchAll(/ name=(\S+)/g)].map((m) => m[1]).sort();
      assertEquals(names, ["admin", "blocked", "monitor", "sub2", "sub3"]);
      assertEquals(await idle.isClosedByServer(500), true);
    } finally {
      for (const c of all) c.close();
    }
  },
);

both(
  "client-output-buffer-limit normal: a client piling up replies is closed at the hard limit, nothing after it runs, others are served",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await server.connect();
    const c = await named(server, "piler");
    try {
      await admin.call("SET", "big", "x".repeat(1_000_000));
      await admin.call(
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "normal 4mb 0 0",
      );
      // Far more than the kernel's socket buffers take, never read; the
      // INCR at the end must not run.
      const get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n";
      await c.sendRaw(get.repeat(40) + "*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n");
      await until(
        async () => await field(admin, "piler", "id") === undefined,
        "closed",
      );
      assertEquals(await admin.call("GET", "counter"), null);
      assertEquals(await admin.call("PING"), "PONG");
      // What it had been sent before is a prefix of the replies, then EOF.
      const got = await c.readFor(3000);
      assert(got.endsWith("<EOF>"), "closed");
      assert(got.length < 40 * 1_000_014, "not every reply was sent");
    } finally {
      admin.close();
      c.close();
    }
  },
);

both(
  "client-output-buffer-limit normal: one reply over the hard limit closes the client without sending it",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await server.connect();
    const c = await server.connect();
    try {
      await admin.call("SET", "big", "x".repeat(1_000_000));
      await admin.call(
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "normal 500kb 0 0",
      );
      assertEquals(await c.call("PING"), "PONG");
      await c.sendRaw("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
      assertEquals(await c.readFor(3000), "<EOF>");
      // Small replies are not affected.
      const d = await server.connect();
      assertEquals(await d.call("GET", "nokey"), null);
      d.close();
    } finally {
      admin.close();
      c.close();
    }
  },
);

both(
  "client-output-buffer-limit normal soft: over the soft limit for the soft seconds closes the client, with no more output",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await server.connect();
    const c = await named(server, "soft");
    try {
      await admin.call("SET", "big", "x".repeat(1_000_000));
      await admin.call(
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "normal 0 1mb 1",
      );
      await c.sendRaw("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".repeat(12));
      await sleep(300);
      assertEquals(await field(admin, "soft", "name"), "soft");
      await until(
        async () => await field(admin, "soft", "name") === undefined,
        "closed",
      );
    } finally {
      admin.close();
      c.close();
    }
  },
);

both(
  "client-output-buffer-limit classes: MONITOR follows the normal limits, a RESP3 subscriber the pubsub ones",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await server.connect();
    const monitor = await named(server, "monitor");
    const sub = await named(server, "sub");
    try {
      await admin.call(
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "normal 1mb 0 0 pubsub 0 0 0",
      );
      assertEquals(await monitor.call("MONITOR"), "OK");
      await sub.call("HELLO", "3");
      await sub.call("SUBSCRIBE", "ch");
      const value = "q".repeat(500_000);
      for (let i = 0; i < 40; i++) {
        await admin.call("SET", "m", value);
        await admin.call("PUBLISH", "ch", value);
      }
      await until(
        async () => await field(admin, "monitor", "name") === undefined,
        "monitor closed",
      );
      assertEquals(await field(admin, "sub", "name"), "sub");
      await admin.call(
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "normal 0 0 0 pubsub 1mb 0 0",
      );
      for (let i = 0; i < 10; i++) await admin.call("PUBLISH", "ch", value);
      await until(
        async () => await field(admin, "sub", "name") === undefined,
        "subscriber closed",
      );
    } finally {
      admin.close();
      monitor.close();
      sub.close();
    }
  },
);

both(
  "maxmemory-clients: a client whose query buffer holds a big argument is evicted (evicted_clients, 'Evicting client' log)",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await named(server, "admin");
    const small = await named(server, "small");
    const big = await named(server, "big");
    try {
      assertEquals(await admin.call("CLIENT", "NO-EVICT", "on"), "OK");
      assertEquals(
        await admin.call("CONFIG", "SET", "maxmemory-clients", "3mb"),
        "OK",
      );
      // Under the limit: stays.
      await small.sendRaw(
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000\r\n" + "v".repeat(1000),
      );
      // The header announces 4 MB: the room is taken (and counted) at once.
      await big.sendRaw(
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n" + "v".repeat(1000),
      );
      await until(
        async () => await field(admin, "big", "name") === undefined,
        "evicted",
      );
      assertEquals(await field(admin, "small", "name"), "small");
      assertEquals(await stat(admin, "evicted_clients"), 1);
      assertMatch(
        server.output(),
        /\* Evicting client: id=\d+ addr=\S+ laddr=\S+ fd=\d+ name=big /,
      );
      assertEquals(await big.readFor(1000), "<EOF>");
    } finally {
      admin.close();
      small.close();
      big.close();
    }
  },
);

both(
  "maxmemory-clients: CLIENT NO-EVICT on protects a client; MULTI queues and subscriptions count",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await named(server, "admin");
    const kept = await named(server, "kept");
    let queue: RespClient | undefined;
    let subs: RespClient | undefined;
    try {
      await admin.call("CLIENT", "NO-EVICT", "on");
      await admin.call("CONFIG", "SET", "maxmemory-clients", "1mb");
      assertEquals(await kept.call("CLIENT", "NO-EVICT", "on"), "OK");
      await kept.sendRaw("*1\r\n$3000000\r\n" + "v".repeat(1000));
      await sleep(300);
      assertEquals(await field(admin, "kept", "flags"), "e");
      kept.close();
      await until(
        async () => await field(admin, "kept", "name") === undefined,
        "kept gone",
      );
      queue = await named(server, "queue");
      subs = await named(server, "subs");
      // 100 KB commands queued in MULTI: evicted before 1 MB of them.
      assertEquals(await queue.call("MULTI"), "OK");
      let queued = 0;
      try {
        for (; queued < 20; queued++) {
          assertEquals(
            await queue.call("SET", "k", "v".repeat(100_000)),
            "QUEUED",
          );
        }
      } catch {
        // Closed.
      }
      assert(queued < 12, `${queued} queued`);
      // Subscriptions cost memory too.
      await admin.call("CONFIG", "SET", "maxmemory-clients", "200000");
      let channels = 0;
      try {
        for (; channels < 20_000; channels += 100) {
          await subs.call(
            "SUBSCRIBE",
            ...Array.from({ length: 100 }, (_, i) => `c${channels + i}`),
          );
          for (let i = 1; i < 100; i++) await subs.read();
        }
      } catch {
        // Closed.
      }
      assert(channels < 20_000, "the subscriber was never evicted");
      assertEquals(await stat(admin, "evicted_clients"), 2);
    } finally {
      admin.close();
      kept.close();
      queue?.close();
      subs?.close();
    }
  },
);

both(
  "maxmemory-clients: a percentage of maxmemory, at least 128 KB, and a lower setting evicts at once",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await named(server, "admin");
    const clients: RespClient[] = [];
    try {
      await admin.call("CLIENT", "NO-EVICT", "on");
      // 1 byte means 128 KB: a 100 KB argument is too much, 50 KB is not.
      await admin.call("CONFIG", "SET", "maxmemory-clients", "1");
      const a = await named(server, "a");
      clients.push(a);
      await a.sendRaw("*1\r\n$50000\r\n" + "v".repeat(40_000));
      await sleep(300);
      assertEquals(await field(admin, "a", "name"), "a");
      a.close();
      const b = await named(server, "b");
      clients.push(b);
      await b.sendRaw("*1\r\n$120000\r\n" + "v".repeat(40_000));
      await until(
        async () => await field(admin, "b", "name") === undefined,
        "b evicted",
      );
      // 10% of 20 MB is 2 MB.
      await admin.call("CONFIG", "SET", "maxmemory", "20mb");
      await admin.call("CONFIG", "SET", "maxmemory-clients", "10%");
      for (let i = 0; i < 4; i++) {
        const c = await named(server, `c${i}`);
        clients.push(c);
        await c.sendRaw(`*1\r\n$400000\r\n` + "v".repeat(1000));
      }
      await sleep(300);
      for (let i = 0; i < 4; i++) {
        assertEquals(await field(admin, `c${i}`, "name"), `c${i}`);
      }
      // Down to 1 MB: some must go, at once.
      await admin.call("CONFIG", "SET", "maxmemory-clients", "5%");
      await until(async () => {
        let left = 0;
        for (let i = 0; i < 4; i++) {
          if (await field(admin, `c${i}`, "name") !== undefined) left++;
        }
        return left <= 2;
      }, "evicted down to the new limit");
      // Only as many as needed: not all of them.
      let left = 0;
      for (let i = 0; i < 4; i++) {
        if (await field(admin, `c${i}`, "name") !== undefined) left++;
      }
      assert(left >= 1, "every client was evicted");
    } finally {
      admin.close();
      for (const c of clients) c.close();
    }
  },
);

both(
  "a big argument's room is given back after the command ran",
  async (target) => {
    await using server = await spawnServer({ target });
    const admin = await server.connect();
    const c = await named(server, "writer");
    try {
      assertEquals(await c.call("SET", "k", "v".repeat(5_000_000)), "OK");
      assertEquals(await c.call("PING"), "PONG");
      // Redis trims the query buffer in its cron, within a few seconds.
      await until(
        async () => Number(await field(admin, "writer", "tot-mem")) < 1_000_000,
        "the room given back",
      );
    } finally {
      admin.close();
      c.close();
    }
  },
);

Deno.test({
  ...opts,
  name:
    "a client that does not read its replies is not served past about 1 MB of them until it reads (tsredis; Redis buffers them all)",
  async fn() {
    await using server = await spawnServer({ target: "tsredis" });
    const admin = await server.connect();
    const c = await named(server, "unread");
    try {
      await admin.call("SET", "big", "x".repeat(1_000_000));
      // One read's worth of requests: 100 MB of replies, then an INCR.
      const get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n";
      await c.sendRaw(get.repeat(100) + "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
      await sleep(500);
      assertEquals(await admin.call("GET", "n"), null);
      const omem = Number(await field(admin, "unread", "tot-mem"));
      assert(omem < 8_000_000, `tot-mem ${omem}`);
      // Reading lets it go on to the end.
      for (let i = 0; i < 100; i++) {
        assertEquals((await c.read(20_000) as string).length, 1_000_000);
      }
      assertEquals(await c.read(), 1);
      assertEquals(await admin.call("GET", "n"), "1");
    } finally {
      admin.close();
      c.close();
    }
  },
});

both(
  "client-query-buffer-limit logs the client and the first 64 bytes of its query buffer, as Redis does",
  async (target) => {
    await using server = await spawnServer({
      target,
      args: ["--client-query-buffer-limit", "1mb"],
    });
    const c = await named(server, "hog");
    try {
      await c.sendRaw(
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n" + "q".repeat(1_500_000),
      ).catch(() => {});
      assertEquals(await c.readFor(5000), "<EOF>");
      assertMatch(
        server.output(),
        new RegExp(
          `# Closing client that reached max query buffer length: id=\\d+ addr=\\S+ laddr=\\S+ fd=\\d+ name=hog .* \\(qbuf initial bytes: "${
            "q".repeat(64)
          }"\\)`,
        ),
      );
    } finally {
      c.close();
    }
  },
);
