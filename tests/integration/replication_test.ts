/**
 * Replication across processes, with real redis-server 7.0 on either side:
 * a tsredis replica of a Redis master, a Redis replica of a tsredis master
 * and tsredis of tsredis (chained, disk and diskless, swapdb load), after a
 * mixed write load of every type (expiries, MULTI/EXEC, blocking pops,
 * SPOP, stream groups, EVAL, FCALL) with the data compared key by key and
 * with DEBUG DIGEST; partial resynchronisation after CLIENT KILL of the link
 * and after a replica restart; WAIT and min-replicas-to-write; read-only
 * and stale replicas; expired keys on a replica; INFO replication and ROLE
 * beside Redis's; FAILOVER; redis-cli --replica and --rdb.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import {
  type RespClient,
  RespError,
  type RespValue,
} from "../_harness/resp_client.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";
import { digests, waitFor } from "../_harness/dataset.ts";
import { freePort, REDIS_CLI, REDIS_SERVER } from "../_harness/tools.ts";
import { makeTestCertificates, OPENSSL } from "../_harness/tls_certs.ts";

const opts = {
  sanitizeOps: false,
  sanitizeResources: false,
  ignore: REDIS_SERVER === undefined,
};

type Target = "tsredis" | "redis-server";

// Small timeouts and no diskless delay keep the suite quick.
const BASE = [
  "--repl-diskless-sync-delay",
  "0",
  "--repl-timeout",
  "10",
  "--repl-ping-replica-period",
  "1",
];

function start(
  target: Target,
  args: string[] = [],
  cwd?: string,
): Promise<ServerHandle> {
  return spawnServer({
    target,
    args: [...BASE, ...args],
    ...(cwd === undefined ? {} : { cwd }),
  });
}

async function info(
  client: RespClient,
  section = "replication",
): Promise<Map<string, string>> {
  const text = String(await client.call("INFO", section));
  const out = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) {
      out.set(line.slice(0, i), line.slice(i + 1));
    }
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `replica` has applied everything `master` has sent. */
async function waitSynced(
  master: RespClient,
  replica: RespClient,
): Promise<void> {
  await waitFor("the replica to catch up", async () => {
    const r = await info(replica);
    if (r.get("master_link_status") !== "up") return false;
    const m = await info(master);
    return m.get("master_repl_offset") === r.get("slave_repl_offset");
  });
}

/** Both servers hold the same data: DEBUG DIGEST, then key by key. */
async function assertSameData(a: RespClient, b: RespClient): Promise<void> {
  // Keys may still be expiring on the master: retry a few times.
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      assertEquals(
        await a.call("DEBUG", "DIGEST"),
        await b.call("DEBUG", "DIGEST"),
      );
      const da = await digests(a);
      const db = await digests(b);
      assertEquals(db, da);
      assert(da.length > 40, `only ${da.length} keys`);
      assertEquals(
        await a.call("DEBUG", "DIGEST"),
        await b.call("DEBUG", "DIGEST"),
      );
      return;
    } catch (e) {
      last = e;
      await sleep(200);
    }
  }
  throw last;
}

const LIBRARY = `#!lua name=tsrlib
redis.register_function('tsr_incr', function(keys, args)
  return redis.call('incrby', keys[1], args[1])
end)`;

/** What the load needs first: a function library and a consumer group. */
async function prepare(m: RespClient): Promise<void> {
  await m.call("FUNCTION", "LOAD", "REPLACE", LIBRARY);
  await m.call("XGROUP", "CREATE", "stream", "g1", "$", "MKSTREAM");
  await m.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
}

/** One round of writes of every type; replies are not checked. */
function round(r: number): (string | number)[][] {
  return [
    ["SELECT", 0],
    ["SET", `s:${r}`, `v${r}`],
    ["INCRBY", "counter", r],
    ["INCRBYFLOAT", "float", "1.5"],
    ["APPEND", `s:${r}`, "-tail"],
    ["SETRANGE", "range", r % 50, "x"],
    ["SET", `ttl:${r}`, "v", "EX", 100000],
    ["SET", `short:${r}`, "v", "PX", 30],
    ["EXPIRE", `s:${r}`, 5000],
    ["PERSIST", `s:${r - 1}`],
    ["GETDEL", `s:${r - 5}`],
    ["LPUSH", "list", `a${r}`, `b${r}`, `c${r}`],
    ["LMOVE", "list", "list2", "LEFT", "RIGHT"],
    ["RPOP", "list"],
    ["LTRIM", "list2", 0, 40],
    ["LPUSH", "bl", `item${r}`],
    ["HSET", "hash", `f${r}`, r, "g", `x${r}`],
    ["HINCRBYFLOAT", "hash", "fl", "0.1"],
    ["HDEL", "hash", `f${r - 2}`],
    ["SADD", "set", `m${r}`, `n${r}`, `o${r}`],
    ["SPOP", "set"],
    ["SPOP", "set", 1],
    ["SADD", "iset", r, r + 1000],
    ["SMOVE", "iset", "iset2", r],
    ["ZADD", "zset", r, `z${r}`, r * 2, `w${r}`],
    ["ZINCRBY", "zset", "2.5", `z${r - 1}`],
    ["ZPOPMIN", "zset"],
    ["ZREMRANGEBYSCORE", "zset", "-inf", r - 30],
    ["XADD", "stream", "*", "k", `v${r}`],
    ["XADD", "stream", "MAXLEN", "~", 200, "*", "a", r],
    [
      "XREADGROUP",
      "GROUP",
      "g1",
      `c${r % 3}`,
      "COUNT",
      2,
      "STREAMS",
      "stream",
      ">",
    ],
    ["XAUTOCLAIM", "stream", "g1", "c9", 0, "0-0", "COUNT", 1],
    ["PFADD", "hll", `e${r}`, `f${r % 7}`],
    ["SETBIT", "bits", r * 7, 1],
    ["BITOP", "OR", "bits2", "bits", "hll"],
    ["GEOADD", "geo", 13 + r / 100, 38 + r / 100, `p${r}`],
    ["MULTI"],
    ["INCR", "tx"],
    ["LPUSH", "txlist", r],
    ["SADD", "txset", r],
    ["EXEC"],
    [
      "EVAL",
      "redis.call('set', KEYS[1], ARGV[1]); return redis.call('incr', KEYS[2])",
      2,
      `ev:${r}`,
      "evc",
      r,
    ],
    ["FCALL", "tsr_incr", 1, "fkey", r],
    ["SELECT", 3],
    ["SET", `db3:${r}`, r],
    ["HSET", `db3h:${r % 10}`, "f", r],
    ["SELECT", 0],
    ["RENAME", `ev:${r}`, `renamed:${r}`],
    ["COPY", `renamed:${r}`, `copied:${r}`],
    ["DEL", `ttl:${r - 10}`],
    ["UNLINK", `copied:${r - 10}`],
  ];
}

/** Rounds `from` .. `to - 1`, each pipelined, plus blocked pops served by them. */
async function load(
  port: number,
  m: RespClient,
  from: number,
  to: number,
): Promise<void> {
  const { RespClient: Client } = await import("../_harness/resp_client.ts");
  const blocked: Promise<RespValue>[] = [];
  const waiters: RespClient[] = [];
  for (let i = 0; i < 3; i++) {
    const w = await Client.connect(port);
    waiters.push(w);
    blocked.push(w.call("BLPOP", `bq${i}`, 5));
  }
  const bz = await Client.connect(port);
  waiters.push(bz);
  blocked.push(bz.call("BZPOPMIN", "bz", 5));
  await sleep(50);
  for (let r = from; r < to; r++) {
    await m.pipeline(round(r));
    if (r === from + 2) {
      await m.pipeline([
        ["RPUSH", "bq0", "x", "y"],
        ["RPUSH", "bq1", "z"],
        ["LPUSH", "bq2", "w"],
        ["ZADD", "bz", 1, "one", 2, "two"],
      ]);
    }
  }
  for (const b of await Promise.all(blocked)) {
    assert(Array.isArray(b), `a blocked pop was not served: ${String(b)}`);
  }
  for (const w of waiters) w.close();
  await m.call("SELECT", 0);
}

// ---------------------------------------------------------------------------

Deno.test(
  "REPLICAOF: a tsredis replica of a real Redis master holds the same data after a mixed load",
  opts,
  async () => {
    await using master = await start("redis-server");
    await using replica = await start("tsredis");
    const m = await master.connect();
    const r = await replica.connect();
    await prepare(m);
    await load(master.port, m, 0, 20);
    assertEquals(await r.call("REPLICAOF", "127.0.0.1", master.port), "OK");
    // Writes go on while the full sync runs.
    await load(master.port, m, 20, 60);
    await waitSynced(m, r);
    await sleep(300);
    await waitSynced(m, r);
    await assertSameData(m, r);
    assertEquals(
      await r.call("REPLICAOF", "127.0.0.1", master.port),
      "OK Already connected to specified master",
    );
    const role = await r.call("ROLE") as RespValue[];
    assertEquals(role.slice(0, 4), [
      "slave",
      "127.0.0.1",
      master.port,
      "connected",
    ]);
    m.close();
    r.close();
  },
);

Deno.test(
  "REPLICAOF: a real Redis replica of a tsredis master holds the same data after a mixed load",
  opts,
  async () => {
    await using master = await start("tsredis");
    await using replica = await start("redis-server");
    const m = await master.connect();
    const r = await replica.connect();
    await prepare(m);
    await load(master.port, m, 0, 20);
    assertEquals(await r.call("REPLICAOF", "127.0.0.1", master.port), "OK");
    await load(master.port, m, 20, 60);
    await waitSynced(m, r);
    await sleep(300);
    await waitSynced(m, r);
    await assertSameData(m, r);
    // The replica acknowledges once a second.
    await waitFor("the ACK", async () => {
      const role = await m.call("ROLE") as RespValue[];
      const offset = Number((await info(m)).get("master_repl_offset"));
      return JSON.stringify(role) === JSON.stringify([
        "master",
        offset,
        [["127.0.0.1", String(replica.port), String(offset)]],
      ]);
    });
    m.close();
    r.close();
  },
);

Deno.test(
  "REPLICAOF: tsredis chains (master, replica with disk sync and swapdb load, sub-replica) stay identical",
  opts,
  async () => {
    await using master = await start("tsredis");
    await using middle = await start("tsredis", [
      "--repl-diskless-sync",
      "no",
      "--repl-diskless-load",
      "swapdb",
    ]);
    await using leaf = await start("tsredis");
    const m = await master.connect();
    const mid = await middle.connect();
    const l = await leaf.connect();
    await prepare(m);
    await load(master.port, m, 0, 15);
    // The middle one starts with data of its own, which the sync replaces.
    await mid.call("SET", "stale", "gone after the sync");
    await mid.call("REPLICAOF", "127.0.0.1", master.port);
    await waitSynced(m, mid);
    await l.call("REPLICAOF", "127.0.0.1", middle.port);
    await load(master.port, m, 15, 45);
    await waitSynced(m, mid);
    await waitSynced(mid, l);
    await assertSameData(m, mid);
    await assertSameData(m, l);
    assertEquals(await mid.call("EXISTS", "stale"), 0);
    // Offsets and replication id are the same all along the chain.
    const [im, imid, il] = [await info(m), await info(mid), await info(l)];
    assertEquals(imid.get("master_replid"), im.get("master_replid"));
    assertEquals(il.get("master_replid"), im.get("master_replid"));
    assertEquals(il.get("master_repl_offset"), im.get("master_repl_offset"));
    assertEquals(imid.get("connected_slaves"), "1");
    m.close();
    mid.close();
    l.close();
  },
);

Deno.test(
  "CLIENT KILL of the link during a write load: both sides resume with a partial resync",
  opts,
  async () => {
    await using master = await start("tsredis");
    await using tsReplica = await start("tsredis");
    await using redisReplica = await start("redis-server");
    const m = await master.connect();
    const t = await tsReplica.connect();
    const r = await redisReplica.connect();
    await prepare(m);
    await load(master.port, m, 0, 10);
    await t.call("REPLICAOF", "127.0.0.1", master.port);
    await r.call("REPLICAOF", "127.0.0.1", master.port);
    await waitSynced(m, t);
    await waitSynced(m, r);
    const before = await info(m, "stats");
    const loading = load(master.port, m, 10, 40);
    await sleep(100);
    assertEquals(await t.call("CLIENT", "KILL", "TYPE", "master"), 1);
    await waitFor(
      "the link back up",
      async () => (await info(t)).get("master_link_status") === "up",
    );
    await sleep(100);
    assertEquals(await m.call("CLIENT", "KILL", "TYPE", "replica"), 2);
    await loading;
    await waitSynced(m, t);
    await waitSynced(m, r);
    const after = await info(m, "stats");
    assertEquals(after.get("sync_full"), before.get("sync_full"));
    assertEquals(
      Number(after.get("sync_partial_ok")),
      Number(before.get("sync_partial_ok")) + 3,
    );
    await assertSameData(m, t);
    await assertSameData(m, r);
    m.close();
    t.close();
    r.close();
  },
);

Deno.test(
  "CLIENT KILL TYPE master on a tsredis replica of Redis: PSYNC continues from the backlog",
  opts,
  async () => {
    await using master = await start("redis-server");
    await using replica = await start("tsredis");
    const m = await master.connect();
    const r = await replica.connect();
    await prepare(m);
    await load(master.port, m, 0, 10);
    await r.call("REPLICAOF", "127.0.0.1", master.port);
    await waitSynced(m, r);
    const loading = load(master.port, m, 10, 30);
    await sleep(100);
    assertEquals(await r.call("CLIENT", "KILL", "TYPE", "master"), 1);
    await loading;
    await waitSynced(m, r);
    const stats = await info(m, "stats");
    assertEquals(stats.get("sync_full"), "1");
    assertEquals(stats.get("sync_partial_ok"), "1");
    await assertSameData(m, r);
    m.close();
    r.close();
  },
);

Deno.test(
  "A restarted replica resumes with a partial resync from the replid and offset in its RDB file",
  opts,
  async () => {
    for (
      const [masterTarget, replicaTarget] of [
        ["tsredis", "tsredis"],
        ["redis-server", "tsredis"],
        ["tsredis", "redis-server"],
      ] as [Target, Target][]
    ) {
      const dir = await Deno.makeTempDir({ prefix: "tsredis-repl-" });
      try {
        await using master = await start(masterTarget);
        const m = await master.connect();
        await prepare(m);
        await load(master.port, m, 0, 10);
        const saves = ["--save", "3600 1"];
        let replica = await start(replicaTarget, [
          ...saves,
          "--replicaof",
          "127.0.0.1",
          String(master.port),
        ], dir);
        let r = await replica.connect();
        await waitSynced(m, r);
        await load(master.port, m, 10, 20);
        await waitSynced(m, r);
        await r.call("SHUTDOWN").catch(() => {});
        await replica.exited;
        // Writes the replica misses while it is down.
        await load(master.port, m, 20, 25);
        const before = await info(m, "stats");
        replica = await start(replicaTarget, [
          ...saves,
          "--replicaof",
          "127.0.0.1",
          String(master.port),
        ], dir);
        r = await replica.connect();
        await waitSynced(m, r);
        const after = await info(m, "stats");
        assertEquals(
          after.get("sync_full"),
          before.get("sync_full"),
          `${masterTarget} master, ${replicaTarget} replica: full resync`,
        );
        assertEquals(
          Number(after.get("sync_partial_ok")),
          Number(before.get("sync_partial_ok")) + 1,
        );
        await assertSameData(m, r);
        r.close();
        await replica.stop();
        m.close();
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    }
  },
);

Deno.test(
  "WAIT counts tsredis and Redis replicas; min-replicas-to-write refuses writes as Redis does",
  opts,
  async () => {
    for (const masterTarget of ["tsredis", "redis-server"] as Target[]) {
      await using master = await start(masterTarget);
      await using tsReplica = await start("tsredis");
      await using redisReplica = await start("redis-server");
      const m = await master.connect();
      const t = await tsReplica.connect();
      const r = await redisReplica.connect();
      await t.call("REPLICAOF", "127.0.0.1", master.port);
      await r.call("REPLICAOF", "127.0.0.1", master.port);
      await waitSynced(m, t);
      await waitSynced(m, r);
      await m.call("SET", "k", "v");
      assertEquals(await m.call("WAIT", 2, 5000), 2);
      // The GETACK that WAIT sent counts as this client's last write (as in
      // Redis): replicas acknowledge it with their next ACK.
      const zero = await m.call("WAIT", 0, 0) as number;
      assert(zero >= 0 && zero <= 2);
      const started = Date.now();
      assertEquals(await m.call("WAIT", 3, 300), 2);
      assert(Date.now() - started >= 290, "WAIT 3 returned before its timeout");
      // Inside MULTI, WAIT answers at once (the GETACK of the WAIT above
      // counts as this client's write, as in Redis: not all acked yet).
      assertEquals(await m.call("MULTI"), "OK");
      assertEquals(await m.call("WAIT", 5, 0), "QUEUED");
      const [count] = await m.call("EXEC") as number[];
      assert(count! >= 0 && count! <= 2);
      assertEquals(
        await t.callRaw("WAIT", 1, 0),
        await r.callRaw("WAIT", 1, 0),
      );
      // min-replicas-to-write
      await m.call("CONFIG", "SET", "min-replicas-to-write", "3");
      assertEquals(
        await m.callRaw("SET", "k", "v2"),
        "-NOREPLICAS Not enough good replicas to write.\r\n",
      );
      assertEquals((await info(m)).get("min_slaves_good_slaves"), "2");
      await m.call("CONFIG", "SET", "min-replicas-to-write", "2");
      assertEquals(await m.call("SET", "k", "v3"), "OK");
      await m.call("CONFIG", "SET", "min-replicas-to-write", "0");
      m.close();
      t.close();
      r.close();
    }
  },
);

Deno.test(
  "A read-only replica refuses writes exactly as a Redis replica does; replica-serve-stale-data no answers MASTERDOWN",
  opts,
  async () => {
    await using master = await start("redis-server");
    await using tsReplica = await start("tsredis");
    await using redisReplica = await start("redis-server");
    const m = await master.connect();
    const t = await tsReplica.connect();
    const r = await redisReplica.connect();
    await t.call("REPLICAOF", "127.0.0.1", master.port);
    await r.call("REPLICAOF", "127.0.0.1", master.port);
    await m.call("SET", "k", "v");
    await waitSynced(m, t);
    await waitSynced(m, r);
    const steps: (string | number)[][] = [
      ["SET", "k", "x"],
      ["GET", "k"],
      ["DEL", "k"],
      ["MULTI"],
      ["SET", "k", "y"],
      ["GET", "k"],
      ["EXEC"],
      ["EVAL", "return redis.call('set', KEYS[1], 'z')", 1, "k"],
      ["EVAL", "return redis.call('get', KEYS[1])", 1, "k"],
      ["EVAL_RO", "return redis.call('get', KEYS[1])", 1, "k"],
      ["WAIT", 0, 0],
      ["CONFIG", "SET", "replica-read-only", "no"],
      ["SET", "local", "1"],
      ["GET", "local"],
      ["CONFIG", "SET", "replica-read-only", "yes"],
    ];
    for (const step of steps) {
      assertEquals(
        await t.callRaw(...step),
        await r.callRaw(...step),
        step.join(" "),
      );
    }
    // The master goes away: stale data is served, or refused with 'no'.
    for (const c of [t, r]) {
      await c.call("CONFIG", "SET", "replica-serve-stale-data", "no");
    }
    await master.stop();
    for (const c of [t, r]) {
      await waitFor(
        "the link to go down",
        async () => (await info(c)).get("master_link_status") === "down",
      );
    }
    for (
      const step of [["GET", "k"], ["PING"], ["SET", "k", "1"], ["ECHO", "x"]]
    ) {
      assertEquals(
        await t.callRaw(...step),
        await r.callRaw(...step),
        step.join(" "),
      );
    }
    assertMatch(String(await t.call("INFO", "replication")), /role:slave/);
    t.close();
    r.close();
  },
);

Deno.test(
  "A replica keeps an expired key, unseen by readers, until its master's DEL",
  opts,
  async () => {
    await using master = await start("tsredis");
    await using tsReplica = await start("tsredis");
    await using redisReplica = await start("redis-server");
    const m = await master.connect();
    const t = await tsReplica.connect();
    const r = await redisReplica.connect();
    await t.call("REPLICAOF", "127.0.0.1", master.port);
    await r.call("REPLICAOF", "127.0.0.1", master.port);
    await m.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    await m.call("SET", "k", "v", "PX", 200);
    await waitSynced(m, t);
    await waitSynced(m, r);
    await sleep(300);
    for (const c of [t, r]) {
      assertEquals(await c.call("GET", "k"), null);
      assertEquals(await c.call("EXISTS", "k"), 0);
      assertEquals(await c.call("DBSIZE"), 1);
    }
    // The master's lazy expiry propagates the DEL.
    assertEquals(await m.call("GET", "k"), null);
    await waitSynced(m, t);
    await waitSynced(m, r);
    for (const c of [t, r]) assertEquals(await c.call("DBSIZE"), 0);
    m.close();
    t.close();
    r.close();
  },
);

/** Field names in order, with the values Redis and tsredis must agree on. */
function shape(fields: Map<string, string>, keep: string[]): string[] {
  return [...fields].map(([k, v]) => keep.includes(k) ? `${k}:${v}` : k);
}

Deno.test(
  "INFO replication and ROLE have Redis's fields on a master and on a replica",
  opts,
  async () => {
    const keep = [
      "role",
      "master_host",
      "master_link_status",
      "master_sync_in_progress",
      "slave_priority",
      "slave_read_only",
      "replica_announced",
      "connected_slaves",
      "master_failover_state",
      "second_repl_offset",
      "repl_backlog_active",
      "repl_backlog_size",
      "repl_backlog_first_byte_offset",
    ];
    const shapes: Record<Target, { master: string[]; replica: string[] }> = {
      tsredis: { master: [], replica: [] },
      "redis-server": { master: [], replica: [] },
    };
    const roles: Record<Target, unknown[]> = {
      tsredis: [],
      "redis-server": [],
    };
    for (const target of ["tsredis", "redis-server"] as Target[]) {
      await using master = await start(target);
      await using replica = await start(target);
      const m = await master.connect();
      const r = await replica.connect();
      // Before any replica: no backlog.
      const alone = await info(m);
      assertEquals(alone.get("repl_backlog_active"), "0");
      await r.call("REPLICAOF", "127.0.0.1", master.port);
      // Online on the master's side too (Redis notices its child ended on
      // its next cron tick), then a write both have applied.
      await waitFor(
        "the replica online",
        async () => /state=online/.test((await info(m)).get("slave0") ?? ""),
      );
      await m.call("SET", "k", "v");
      await waitSynced(m, r);
      const im = await info(m);
      assertMatch(
        im.get("slave0")!,
        new RegExp(
          `^ip=127\\.0\\.0\\.1,port=${replica.port},state=online,offset=\\d+,lag=[01]$`,
        ),
      );
      im.set("slave0", "");
      shapes[target].master = shape(im, keep);
      shapes[target].replica = shape(await info(r), keep);
      const mr = await m.call("ROLE") as RespValue[];
      const rr = await r.call("ROLE") as RespValue[];
      roles[target] = [
        mr[0],
        typeof mr[1],
        (mr[2] as string[][]).map((x) => x.length),
        rr[0],
        rr[1],
        rr[2] === master.port,
        rr[3],
        typeof rr[4],
      ];
      m.close();
      r.close();
    }
    assertEquals(shapes.tsredis, shapes["redis-server"]);
    assertEquals(roles.tsredis, roles["redis-server"]);
  },
);

Deno.test(
  "FAILOVER hands the master role to a caught-up replica; REPLICAOF NO ONE keeps the old replid as replid2",
  opts,
  async () => {
    await using a = await start("tsredis");
    await using b = await start("tsredis");
    const ca = await a.connect();
    const cb = await b.connect();
    await cb.call("REPLICAOF", "127.0.0.1", a.port);
    await ca.call("SET", "before", "1");
    await waitSynced(ca, cb);
    assertEquals(
      await ca.call("FAILOVER", "ABORT"),
      new RespError("ERR No failover in progress."),
    );
    assertEquals(await ca.call("FAILOVER", "TIMEOUT", 5000), "OK");
    await waitFor("the roles to swap", async () => {
      const [ra, rb] = [await ca.call("ROLE"), await cb.call("ROLE")] as [
        RespValue[],
        RespValue[],
      ];
      return ra[0] === "slave" && ra[3] === "connected" && rb[0] === "master";
    });
    const ib = await info(cb);
    assertEquals(ib.get("master_failover_state"), "no-failover");
    assertEquals(ib.get("connected_slaves"), "1");
    await cb.call("SET", "after", "2");
    await waitSynced(cb, ca);
    assertEquals(await ca.call("GET", "after"), "2");
    assertEquals(await ca.call("GET", "before"), "1");
    // A replica promoted with REPLICAOF NO ONE.
    const old = (await info(ca)).get("master_replid");
    assertEquals(await ca.call("REPLICAOF", "NO", "ONE"), "OK");
    const ia = await info(ca);
    assertEquals(ia.get("role"), "master");
    assertEquals(ia.get("master_replid2"), old);
    assertEquals(
      Number(ia.get("second_repl_offset")),
      Number(ia.get("master_repl_offset")) + 1,
    );
    ca.close();
    cb.close();
  },
);

Deno.test(
  "redis-cli --replica and --rdb work against a tsredis master",
  { ...opts, ignore: opts.ignore || REDIS_CLI === undefined },
  async () => {
    await using master = await start("tsredis");
    const m = await master.connect();
    await m.call("SET", "k", "v");
    await m.call("RPUSH", "l", "a", "b");
    const dir = await Deno.makeTempDir({ prefix: "tsredis-repl-" });
    try {
      const file = `${dir}/dump.rdb`;
      const rdb = await new Deno.Command(REDIS_CLI!, {
        args: ["-p", String(master.port), "--rdb", file],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(rdb.code, 0, new TextDecoder().decode(rdb.stderr));
      await using check = await spawnServer({
        target: "redis-server",
        cwd: dir,
        args: ["--dbfilename", "dump.rdb"],
      });
      const c = await check.connect();
      assertEquals(await c.call("GET", "k"), "v");
      assertEquals(await c.call("LRANGE", "l", 0, -1), ["a", "b"]);
      c.close();
      const child = new Deno.Command(REDIS_CLI!, {
        args: ["-p", String(master.port), "--replica"],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let output = "";
      const reading = (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of child.stdout) {
          output += decoder.decode(chunk);
        }
      })();
      await waitFor("redis-cli to sync", async () => {
        await m.call("SET", "seen", "yes");
        await sleep(100);
        return output.includes('"SET","seen","yes"');
      }, 10000);
      child.kill("SIGTERM");
      await child.status;
      await reading.catch(() => {});
      await child.stderr.cancel().catch(() => {});
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    m.close();
  },
);

Deno.test(
  "Replicas arriving together share one snapshot (repl-diskless-sync-delay, repl-diskless-sync-max-replicas)",
  opts,
  async () => {
    await using master = await start("tsredis", [
      "--repl-diskless-sync-delay",
      "5",
      "--repl-diskless-sync-max-replicas",
      "2",
    ]);
    await using a = await start("redis-server");
    await using b = await start("tsredis");
    const m = await master.connect();
    await prepare(m);
    await load(master.port, m, 0, 10);
    const started = Date.now();
    const ca = await a.connect();
    const cb = await b.connect();
    await ca.call("REPLICAOF", "127.0.0.1", master.port);
    await cb.call("REPLICAOF", "127.0.0.1", master.port);
    await waitSynced(m, ca);
    await waitSynced(m, cb);
    // The second replica made the count: no 5 s delay.
    assert(Date.now() - started < 4000, "the sync waited for the delay");
    const starts = master.output().match(/Starting BGSAVE for SYNC/g) ?? [];
    assertEquals(starts.length, 1);
    assertEquals((await info(m, "stats")).get("sync_full"), "2");
    await assertSameData(m, ca);
    await assertSameData(m, cb);
    m.close();
    ca.close();
    cb.close();
  },
);

Deno.test(
  "A replica that stops reading is dropped at its output buffer limit, then resyncs",
  opts,
  async () => {
    await using master = await start("tsredis", [
      "--client-output-buffer-limit",
      "replica 1mb 0 0",
    ]);
    await using replica = await start("redis-server");
    const m = await master.connect();
    const r = await replica.connect();
    await r.call("REPLICAOF", "127.0.0.1", master.port);
    await m.call("SET", "k", "v");
    await waitSynced(m, r);
    // The replica sleeps; the master keeps writing.
    const sleeping = r.call("DEBUG", "SLEEP", "2");
    await sleep(100);
    const value = "x".repeat(100_000);
    for (let i = 0; i < 300; i++) await m.call("SET", `big:${i % 50}`, value);
    await sleeping;
    assertMatch(
      master.output(),
      /scheduled to be closed ASAP for overcoming of output buffer limits/,
    );
    await waitSynced(m, r);
    await assertSameData(m, r);
    m.close();
    r.close();
  },
);

Deno.test(
  "tls-replication: the link runs over TLS both ways with redis-server",
  { ...opts, ignore: opts.ignore || OPENSSL === undefined },
  async () => {
    const c = await makeTestCertificates();
    try {
      const tls = (port: number) => [
        "--tls-port",
        String(port),
        "--tls-cert-file",
        c.server.cert,
        "--tls-key-file",
        c.server.key,
        "--tls-ca-cert-file",
        c.ca,
        // What a replica presents to its master.
        "--tls-client-cert-file",
        c.client.cert,
        "--tls-client-key-file",
        c.client.key,
        "--tls-replication",
        "yes",
      ];
      for (
        const [masterTarget, replicaTarget] of [
          ["tsredis", "redis-server"],
          ["redis-server", "tsredis"],
        ] as [Target, Target][]
      ) {
        const masterTls = freePort();
        await using master = await start(masterTarget, tls(masterTls));
        await using replica = await start(replicaTarget, tls(freePort()));
        const m = await master.connect();
        const r = await replica.connect();
        await prepare(m);
        await load(master.port, m, 0, 10);
        // The TLS port: a plain connection there would fail the handshake.
        await r.call("REPLICAOF", "127.0.0.1", masterTls);
        await load(master.port, m, 10, 20);
        await waitSynced(m, r).catch((e) => {
          console.log(master.output().slice(-3000));
          console.log(replica.output().slice(-3000));
          throw e;
        });
        await assertSameData(m, r);
        m.close();
        r.close();
      }
    } finally {
      await c.remove();
    }
  },
);

Deno.test(
  "PUBLISH on a master reaches the subscribers of its replicas, both ways",
  opts,
  async () => {
    for (
      const [masterTarget, replicaTarget] of [
        ["tsredis", "redis-server"],
        ["redis-server", "tsredis"],
      ] as [Target, Target][]
    ) {
      await using master = await start(masterTarget);
      await using replica = await start(replicaTarget);
      const m = await master.connect();
      const r = await replica.connect();
      await r.call("REPLICAOF", "127.0.0.1", master.port);
      await m.call("SET", "k", "v");
      await waitSynced(m, r);
      const sub = await replica.connect();
      assertEquals(await sub.call("SUBSCRIBE", "news"), [
        "subscribe",
        "news",
        1,
      ]);
      assertEquals(await m.call("PUBLISH", "news", "hello"), 0);
      assertEquals(await sub.read(), ["message", "news", "hello"]);
      await waitSynced(m, r);
      sub.close();
      m.close();
      r.close();
    }
  },
);

Deno.test(
  "A replica loading its master's payload keeps answering: INFO (loading:1), ROLE, and -LOADING for the rest",
  opts,
  async () => {
    await using master = await start("tsredis");
    // 100 µs per key: the load of 20,000 keys takes about two seconds.
    await using replica = await start("tsredis", ["--key-load-delay", "100"]);
    const m = await master.connect();
    const r = await replica.connect();
    await m.call("DEBUG", "POPULATE", 20000);
    await r.call("REPLICAOF", "127.0.0.1", master.port);
    await waitFor(
      "the load to start",
      async () => (await info(r, "persistence")).get("loading") === "1",
    );
    // The server answers at once; PING, like GET, has no `loading` flag.
    for (const cmd of [["PING"], ["GET", "key:1"]]) {
      assertEquals(
        await r.callRaw(...cmd),
        "-LOADING Redis is loading the dataset in memory\r\n",
      );
    }
    const role = await r.call("ROLE") as RespValue[];
    assertEquals(role[3], "sync");
    assertEquals((await info(r)).get("master_sync_in_progress"), "1");
    await waitSynced(m, r);
    assertEquals((await info(r, "persistence")).get("loading"), "0");
    assertEquals(await r.call("DBSIZE"), 20000);
    m.close();
    r.close();
  },
);

Deno.test(
  "masterauth and masteruser: a replica authenticates to a master that asks for a password, both ways",
  opts,
  async () => {
    for (
      const [masterTarget, replicaTarget] of [
        ["tsredis", "redis-server"],
        ["redis-server", "tsredis"],
      ] as [Target, Target][]
    ) {
      await using master = await start(masterTarget, [
        "--requirepass",
        "secret",
      ]);
      await using replica = await start(replicaTarget, [
        "--masteruser",
        "default",
        "--masterauth",
        "secret",
      ]);
      const m = await master.connect();
      assertEquals(await m.call("AUTH", "secret"), "OK");
      const r = await replica.connect();
      await m.call("SET", "k", "v");
      await r.call("REPLICAOF", "127.0.0.1", master.port);
      await waitSynced(m, r);
      assertEquals(await r.call("GET", "k"), "v");
      // A wrong password keeps the link down.
      await r.call("CONFIG", "SET", "masterauth", "wrong");
      assertEquals(await m.call("CLIENT", "KILL", "TYPE", "replica"), 1);
      await waitFor(
        "the link down",
        async () => (await info(r)).get("master_link_status") === "down",
      );
      await sleep(1500);
      assertEquals((await info(r)).get("master_link_status"), "down");
      m.close();
      r.close();
    }
  },
);
