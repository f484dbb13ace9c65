/**
 * The multi-part AOF across restarts, against the fixtures written by
 * redis-server 7.0.15 and against redis-server itself: loading (base and
 * incr files, #TS annotations, truncated tails, garbage, bad manifests,
 * the Redis 6 upgrade), writing and restarting, BGREWRITEAOF under writes,
 * CONFIG SET appendonly at run time, redis-check-aof, and directories
 * moving between tsredis and redis-server in both directions.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import {
  RespClient,
  RespError,
  type RespValue,
} from "../_harness/resp_client.ts";
import {
  type ServerHandle,
  spawnServer,
  startFailing,
} from "../_harness/spawn.ts";
import {
  dataset as keyByKey,
  infoField,
  waitFor,
} from "../_harness/dataset.ts";
import { findExecutable, freePort, REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const FIXTURES = new URL("../fixtures/aof/", import.meta.url).pathname;
const CHECK_AOF = findExecutable("redis-check-aof");
const EXPIRE_2100 = 4102444800000;

/** A temp dir holding a copy of a fixture's appendonlydir. */
async function fixtureDir(name: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tsredis-aof-" });
  await Deno.mkdir(`${dir}/appendonlydir`);
  for await (const e of Deno.readDir(`${FIXTURES}${name}/appendonlydir`)) {
    await Deno.copyFile(
      `${FIXTURES}${name}/appendonlydir/${e.name}`,
      `${dir}/appendonlydir/${e.name}`,
    );
  }
  return dir;
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "tsredis-aof-" });
}

function start(
  dir: string,
  args: string[] = [],
  target: "tsredis" | "redis-server" = "tsredis",
): Promise<ServerHandle> {
  return spawnServer({
    target,
    cwd: dir,
    args: ["--appendonly", "yes", ...args],
  });
}

/** Every key: type, value and absolute expiry (encodings follow the replay). */
function dataset(c: RespClient): Promise<Record<string, unknown>> {
  return keyByKey(c, { maskEntriesRead: true });
}

/** The dataset every fixture holds (README "Expected dataset"). */
function expectedFixture(): Record<string, unknown> {
  return {
    "0:after1": ["string", "yes", -1],
    "0:counter": ["string", "2", -1],
    "0:h": ["hash", ["f=v"], -1],
    "0:k1": ["string", "v1", EXPIRE_2100],
    "0:lua1": ["string", "x", -1],
    "0:m1": ["string", "1", -1],
    "0:m2": ["string", "2", -1],
    "0:s": ["set", ["a", "b"], -1],
    "0:ttl1": ["string", "x", EXPIRE_2100],
    "0:z": ["zset", ["a", "1", "b", "2.5"], -1],
    "2:k2": ["string", "v2", -1],
    "2:n2": ["string", "5", -1],
  };
}

/** The fixture dataset without the stream (compared separately). */
async function fixtureData(
  c: RespClient,
): Promise<[Record<string, unknown>, unknown]> {
  const all = await dataset(c);
  const stream = all["0:st"];
  delete all["0:st"];
  return [all, stream];
}

function assertFixtureStream(stream: unknown): void {
  const [type, [entries, info, groups], ttl] = stream as [
    string,
    [RespValue, RespValue[], RespValue],
    number,
  ];
  assertEquals([type, ttl], ["stream", -1]);
  assertEquals(entries, [["1-1", ["f", "v"]]]);
  const fields = new Map<RespValue, RespValue>();
  for (let i = 0; i < info.length; i += 2) fields.set(info[i]!, info[i + 1]!);
  assertEquals(fields.get("last-generated-id"), "1-1");
  assertEquals(fields.get("entries-added"), 1);
  assertEquals(fields.get("groups"), 0);
  assertEquals(groups, []);
}

for (
  const [name, extra] of [
    ["rdb_preamble", {}],
    ["multi_incr", { "0:afterfail": ["string", "1", -1] }],
    ["aof_base_timestamps", {
      "0:afterfail": ["string", "1", -1],
      "0:tsk": ["string", "2", -1],
    }],
  ] as [string, Record<string, unknown>][]
) {
  Deno.test({
    ...opts,
    name:
      `AOF fixture ${name} from redis-server 7.0.15 loads with exactly its README's dataset`,
    async fn() {
      const dir = await fixtureDir(name);
      try {
        await using server = await start(dir);
        const c = await server.connect();
        try {
          const [data, stream] = await fixtureData(c);
          assertEquals(data, { ...expectedFixture(), ...extra });
          assertFixtureStream(stream);
          assert(!("0:l1" in data));
        } finally {
          c.close();
        }
        assertMatch(server.output(), /DB loaded from append only file/);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  ...opts,
  name:
    "AOF with a cut-off last command and aof-load-truncated yes is truncated to offset 169 and loads without key s",
  async fn() {
    const dir = await fixtureDir("rdb_preamble");
    const incr = `${dir}/appendonlydir/appendonly.aof.2.incr.aof`;
    try {
      await Deno.truncate(incr, (await Deno.stat(incr)).size - 5);
      await using server = await start(dir);
      const c = await server.connect();
      try {
        assertEquals(await c.call("EXISTS", "s"), 0);
        assertEquals(await c.call("HGET", "h", "f"), "v");
        // New writes land after the cut, on a command boundary.
        assertEquals(await c.call("SET", "later", "1"), "OK");
      } finally {
        c.close();
      }
      const log = server.output();
      assertMatch(
        log,
        /!!! Warning: short read while loading the AOF file appendonly\.aof\.2\.incr\.aof!!!/,
      );
      assertMatch(
        log,
        /!!! Truncating the AOF appendonly\.aof\.2\.incr\.aof at offset 169 !!!/,
      );
      assertMatch(
        log,
        /AOF appendonly\.aof\.2\.incr\.aof loaded anyway because aof-load-truncated is enabled/,
      );
      await server.stop();
      await using again = await start(dir);
      const c2 = await again.connect();
      try {
        assertEquals(await c2.call("GET", "later"), "1");
        assertEquals(await c2.call("EXISTS", "s"), 0);
      } finally {
        c2.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "AOF with a cut-off last command and aof-load-truncated no refuses to start, naming the file and offset",
  async fn() {
    const dir = await fixtureDir("rdb_preamble");
    const incr = `${dir}/appendonlydir/appendonly.aof.2.incr.aof`;
    try {
      const size = (await Deno.stat(incr)).size;
      await Deno.truncate(incr, size - 5);
      const r = await startFailing(dir, [
        "--appendonly",
        "yes",
        "--aof-load-truncated",
        "no",
      ]);
      assertEquals(r.code, 1);
      assertMatch(
        r.log,
        /Unexpected end of file reading the append only file appendonly\.aof\.2\.incr\.aof\. You can: 1\) Make a backup/,
      );
      assertMatch(r.log, /offset 169/);
      // Nothing was cut.
      assertEquals((await Deno.stat(incr)).size, size - 5);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "AOF with garbage in an incr file refuses to start",
  async fn() {
    const dir = await fixtureDir("aof_base_timestamps");
    try {
      await Deno.writeTextFile(
        `${dir}/appendonlydir/appendonly.aof.4.incr.aof`,
        "this is not RESP\r\n",
        { append: true },
      );
      const r = await startFailing(dir, ["--appendonly", "yes"]);
      assertEquals(r.code, 1);
      assertMatch(
        r.log,
        /Bad file format reading the append only file appendonly\.aof\.4\.incr\.aof: make a backup of your AOF file, then use \.\/redis-check-aof --fix <filename\.manifest>/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "AOF with an invalid manifest refuses to start with Redis's report",
  async fn() {
    const dir = await fixtureDir("aof_base_timestamps");
    try {
      await Deno.writeTextFile(
        `${dir}/appendonlydir/appendonly.aof.manifest`,
        "file appendonly.aof.3.base.aof seq 3 type b\nfile x seq 1 type q\n",
      );
      const r = await startFailing(dir, ["--appendonly", "yes"]);
      assertEquals(r.code, 1);
      assertMatch(r.log, /\*\*\* FATAL AOF MANIFEST FILE ERROR \*\*\*/);
      assertMatch(r.log, />>> 'file x seq 1 type q'/);
      assertMatch(r.log, /Unknown AOF file type/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "AOF ending inside MULTI drops the unfinished transaction and keeps what came before",
  async fn() {
    const dir = await fixtureDir("aof_base_timestamps");
    try {
      await Deno.writeTextFile(
        `${dir}/appendonlydir/appendonly.aof.4.incr.aof`,
        "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$3\r\ntsk\r\n$1\r\n3\r\n",
        { append: true },
      );
      await using server = await start(dir);
      const c = await server.connect();
      try {
        assertEquals(await c.call("GET", "tsk"), "2");
      } finally {
        c.close();
      }
      assertMatch(
        server.output(),
        /Revert incomplete MULTI\/EXEC transaction in AOF file appendonly\.aof\.4\.incr\.aof/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Writes one of everything, in several databases, with TTLs and MULTI. */
async function writeMix(c: RespClient, tag: string): Promise<void> {
  const far = EXPIRE_2100 + 1234;
  await c.pipeline([
    ["SET", `s:${tag}`, "v\x00\xff\r\n"],
    ["SET", `n:${tag}`, "10"],
    ["INCRBY", `n:${tag}`, "5"],
    ["INCRBYFLOAT", `f:${tag}`, "1.5"],
    ["RPUSH", `l:${tag}`, "a", "b", "c"],
    ["LPOP", `l:${tag}`],
    ["SADD", `set:${tag}`, "1", "2", "x"],
    ["SPOP", `set:${tag}`],
    ["ZADD", `z:${tag}`, "1", "a", "-2.5", "b", "inf", "c"],
    ["HSET", `h:${tag}`, "f1", "v1", "f2", "v2"],
    ["XADD", `x:${tag}`, "1-1", "f", "v"],
    ["XADD", `x:${tag}`, "*", "g", "w"],
    ["XGROUP", "CREATE", `x:${tag}`, "grp", "0"],
    [
      "XREADGROUP",
      "GROUP",
      "grp",
      "alice",
      "COUNT",
      "1",
      "STREAMS",
      `x:${tag}`,
      ">",
    ],
    ["XGROUP", "CREATECONSUMER", `x:${tag}`, "grp", "bob"],
    ["SET", `ttl:${tag}`, "t", "PXAT", String(far)],
    ["SET", `rel:${tag}`, "t", "EX", "100000"],
    ["MULTI"],
    ["SET", `m1:${tag}`, "1"],
    ["INCR", `m1:${tag}`],
    ["EXEC"],
    ["SELECT", "5"],
    ["SET", `db5:${tag}`, "five"],
    ["SELECT", "0"],
    ["SET", `gone:${tag}`, "x"],
    ["DEL", `gone:${tag}`],
  ]);
}

Deno.test({
  ...opts,
  name: "AOF keeps every write across a restart (SIGTERM and SIGKILL)",
  async fn() {
    const dir = await tempDir();
    try {
      let before: Record<string, unknown>;
      {
        await using server = await start(dir);
        const c = await server.connect();
        await writeMix(c, "a");
        before = await dataset(c);
        c.close();
        assertMatch(
          server.output(),
          /Creating AOF base file appendonly\.aof\.1\.base\.rdb on server start/,
        );
        await server.stop();
      }
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await dataset(c), before);
        await writeMix(c, "b");
        before = await dataset(c);
        // A crash: the writes were acknowledged, so they are in the file.
        const pid = infoField(await c.call("INFO", "server"), "process_id");
        c.close();
        Deno.kill(Number(pid), "SIGKILL");
        await server.exited;
      }
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await dataset(c), before);
        c.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

async function rewriteDone(c: RespClient): Promise<boolean> {
  const info = await c.call("INFO", "persistence");
  return infoField(info, "aof_rewrite_in_progress") === "0" &&
    infoField(info, "aof_rewrite_scheduled") === "0";
}

/** The files of the AOF dir, and those its manifest names. */
async function aofFiles(dir: string): Promise<[string[], string[]]> {
  const onDisk: string[] = [];
  for await (const e of Deno.readDir(`${dir}/appendonlydir`)) {
    onDisk.push(e.name);
  }
  const manifest = await Deno.readTextFile(
    `${dir}/appendonlydir/appendonly.aof.manifest`,
  );
  const listed = manifest.trim().split("\n").map((l) => l.split(" ")[1]!);
  return [onDisk.sort(), [...listed, "appendonly.aof.manifest"].sort()];
}

for (const preamble of ["yes", "no"]) {
  Deno.test({
    ...opts,
    name:
      `BGREWRITEAOF under writes loses nothing and deletes history files (aof-use-rdb-preamble ${preamble})`,
    async fn() {
      const dir = await tempDir();
      try {
        let before: Record<string, unknown>;
        {
          await using server = await start(dir, [
            "--aof-use-rdb-preamble",
            preamble,
          ]);
          const c = await server.connect();
          await writeMix(c, "pre");
          const writer = await server.connect();
          let stop = false;
          let n = 0;
          const load = (async () => {
            while (!stop) {
              const batch: (string | number)[][] = [];
              for (let i = 0; i < 50; i++, n++) {
                batch.push(["RPUSH", "seq", n], ["INCR", "counter"], [
                  "SET",
                  `k${n % 500}`,
                  n,
                ]);
              }
              await writer.pipeline(batch);
            }
          })();
          // Slow rewrites (200 us a key), so the writes go on during each.
          await c.call("CONFIG", "SET", "rdb-key-save-delay", "200");
          for (let round = 0; round < 3; round++) {
            await new Promise((r) => setTimeout(r, 50));
            const reply = await c.call("BGREWRITEAOF");
            assertEquals(
              reply,
              "Background append only file rewriting started",
            );
            const before = n;
            await waitFor("the rewrite", () => rewriteDone(c));
            assert(n > before, "no write happened during the rewrite");
          }
          stop = true;
          await load;
          writer.close();
          assertEquals(await c.call("LLEN", "seq"), n);
          assertEquals(await c.call("GET", "counter"), String(n));
          before = await dataset(c);
          const info = await c.call("INFO", "persistence");
          assertEquals(infoField(info, "aof_last_bgrewrite_status"), "ok");
          assertEquals(infoField(info, "aof_rewrites"), "3");
          c.close();
          await waitFor("history files to go", async () => {
            const [onDisk, listed] = await aofFiles(dir);
            return onDisk.join() === listed.join();
          });
          const [onDisk] = await aofFiles(dir);
          const suffix = preamble === "yes" ? "rdb" : "aof";
          assertEquals(
            onDisk,
            [
              `appendonly.aof.4.base.${suffix}`,
              "appendonly.aof.4.incr.aof",
              "appendonly.aof.manifest",
            ],
          );
        }
        {
          await using server = await start(dir);
          const c = await server.connect();
          assertEquals(await dataset(c), before);
          c.close();
        }
        if (CHECK_AOF !== undefined) {
          const out = await new Deno.Command(CHECK_AOF, {
            args: [`${dir}/appendonlydir/appendonly.aof.manifest`],
            stdout: "piped",
            stderr: "piped",
          }).output();
          const text = new TextDecoder().decode(out.stdout);
          assertEquals(out.code, 0, text);
          assertMatch(text, /All AOF files and manifest are valid/);
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  ...opts,
  name:
    "CONFIG SET appendonly yes at run time writes a base from the dataset, and the AOF then holds everything",
  async fn() {
    const dir = await tempDir();
    try {
      let before: Record<string, unknown>;
      {
        await using server = await spawnServer({ target: "tsredis", cwd: dir });
        const c = await server.connect();
        await writeMix(c, "x");
        assertEquals(await c.call("CONFIG", "SET", "appendonly", "yes"), "OK");
        await waitFor("the first rewrite", () => rewriteDone(c));
        await writeMix(c, "y");
        before = await dataset(c);
        const info = await c.call("INFO", "persistence");
        assertEquals(infoField(info, "aof_enabled"), "1");
        c.close();
        assertMatch(
          server.output(),
          /Creating AOF incr file temp-appendonly\.aof\.incr on background rewrite/,
        );
        assertMatch(
          server.output(),
          /Successfully renamed the temporary AOF incr file temp-appendonly\.aof\.incr into appendonly\.aof\.1\.incr\.aof/,
        );
      }
      const [onDisk] = await aofFiles(dir);
      assertEquals(onDisk, [
        "appendonly.aof.1.base.rdb",
        "appendonly.aof.1.incr.aof",
        "appendonly.aof.manifest",
      ]);
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await dataset(c), before);
        // Switching off stops the writes; the files stay.
        assertEquals(await c.call("CONFIG", "SET", "appendonly", "no"), "OK");
        await c.call("SET", "after-off", "1");
        c.close();
      }
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await c.call("EXISTS", "after-off"), 0);
        c.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "a Redis 6 appendonly.aof is moved into the AOF directory as the base, as Redis 7 upgrades it",
  async fn() {
    const dir = await tempDir();
    try {
      await Deno.writeTextFile(
        `${dir}/appendonly.aof`,
        "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$3\r\nold\r\n$1\r\n1\r\n",
      );
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await c.call("GET", "old"), "1");
        await c.call("SET", "new", "2");
        c.close();
        assertMatch(
          server.output(),
          /Successfully migrated an old-style AOF file \(appendonly\.aof\) into the AOF directory \(appendonlydir\)\./,
        );
      }
      assertEquals(
        await Deno.readTextFile(`${dir}/appendonlydir/appendonly.aof.manifest`),
        "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
      );
      await using server = await start(dir);
      const c = await server.connect();
      assertEquals(await c.call("MGET", "old", "new"), ["1", "2"]);
      c.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "DEBUG LOADAOF reloads the dataset from the AOF",
  async fn() {
    const dir = await tempDir();
    try {
      await using server = await start(dir);
      const c = await server.connect();
      await writeMix(c, "d");
      const before = await dataset(c);
      assertEquals(await c.call("DEBUG", "LOADAOF"), "OK");
      assertEquals(await dataset(c), before);
      assertMatch(server.output(), /Append Only File loaded by DEBUG LOADAOF/);
      c.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "BGREWRITEAOF while one runs, and INFO persistence's aof fields",
  async fn() {
    const dir = await tempDir();
    try {
      await using server = await start(dir);
      const c = await server.connect();
      const info = String(await c.call("INFO", "persistence"));
      const names = info.split("\r\n").filter((l) => l.startsWith("aof_")).map(
        (l) => l.split(":")[0],
      );
      assertEquals(names, [
        "aof_enabled",
        "aof_rewrite_in_progress",
        "aof_rewrite_scheduled",
        "aof_last_rewrite_time_sec",
        "aof_current_rewrite_time_sec",
        "aof_last_bgrewrite_status",
        "aof_rewrites",
        "aof_rewrites_consecutive_failures",
        "aof_last_write_status",
        "aof_last_cow_size",
        "aof_current_size",
        "aof_base_size",
        "aof_pending_rewrite",
        "aof_buffer_length",
        "aof_pending_bio_fsync",
        "aof_delayed_fsync",
      ]);
      await c.call("SET", "k", "v");
      const replies = await c.pipeline([["BGREWRITEAOF"], ["BGREWRITEAOF"]]);
      assertEquals(replies[0], "Background append only file rewriting started");
      assertEquals(
        replies[1],
        new RespError(
          "ERR Background append only file rewriting already in progress",
        ),
      );
      await waitFor("the rewrite", () => rewriteDone(c));
      c.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "AOF directories move between tsredis and redis-server in both directions with the same data and digest",
  ignore: REDIS_SERVER === undefined,
  async fn() {
    for (const preamble of ["yes", "no"]) {
      const dir = await tempDir();
      try {
        // tsredis writes, redis-server reads.
        let ours: Record<string, unknown>;
        let ourDigest: RespValue;
        {
          await using server = await start(dir, [
            "--aof-use-rdb-preamble",
            preamble,
          ]);
          const c = await server.connect();
          await writeMix(c, "t1");
          assertEquals(
            await c.call("BGREWRITEAOF"),
            "Background append only file rewriting started",
          );
          await waitFor("the rewrite", () => rewriteDone(c));
          await writeMix(c, "t2");
          ours = await dataset(c);
          ourDigest = await c.call("DEBUG", "DIGEST");
          c.close();
        }
        {
          await using real = await start(dir, [], "redis-server");
          const c = await real.connect();
          assertEquals(await dataset(c), ours);
          assertEquals(await c.call("DEBUG", "DIGEST"), ourDigest);
          // redis-server writes more, rewrites, and tsredis reads it back.
          await writeMix(c, "r1");
          await c.call("BGREWRITEAOF");
          await waitFor("the rewrite", () => rewriteDone(c));
          await writeMix(c, "r2");
          ours = await dataset(c);
          ourDigest = await c.call("DEBUG", "DIGEST");
          c.close();
        }
        {
          await using server = await start(dir);
          const c = await server.connect();
          assertEquals(await dataset(c), ours);
          assertEquals(await c.call("DEBUG", "DIGEST"), ourDigest);
          c.close();
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

/** An AOF directory with one incr file of `n` SETs (no base). */
async function bigAofDir(n: number): Promise<string> {
  const dir = await tempDir();
  await Deno.mkdir(`${dir}/appendonlydir`);
  await Deno.writeTextFile(
    `${dir}/appendonlydir/appendonly.aof.manifest`,
    "file appendonly.aof.1.incr.aof seq 1 type i\n",
  );
  const parts = ["*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"];
  for (let i = 0; i < n; i++) {
    const k = `key:${i}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$1\r\nv\r\n`);
  }
  await Deno.writeTextFile(
    `${dir}/appendonlydir/appendonly.aof.1.incr.aof`,
    parts.join(""),
  );
  return dir;
}

/** Starts tsredis on `port` in `dir` without waiting for it to be ready. */
function spawnRaw(dir: string, port: number): Deno.ChildProcess {
  const bin = Deno.env.get("TSREDIS_BIN");
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--appendonly",
    "yes",
  ];
  return new Deno.Command(bin ?? Deno.execPath(), {
    args: bin !== undefined ? args : ["run", "--allow-all", MAIN, ...args],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Connects as soon as the port accepts. */
async function connectSoon(port: number): Promise<RespClient> {
  for (let i = 0; i < 400; i++) {
    try {
      return await RespClient.connect(port);
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error("could not connect");
}

const LOADING = "LOADING Redis is loading the dataset in memory";

Deno.test({
  ...opts,
  name:
    "clients connected while a big AOF loads get -LOADING, then the whole dataset",
  async fn() {
    const n = 300_000;
    const dir = await bigAofDir(n);
    try {
      const port = freePort();
      const child = spawnRaw(dir, port);
      try {
        const c = await connectSoon(port);
        const replies: RespValue[] = [];
        for (;;) {
          const r = await c.call("DBSIZE");
          replies.push(r);
          if (r === n) break;
          assert(r instanceof RespError && r.message === LOADING, String(r));
        }
        assert(
          replies.length > 1,
          "the load was over before the first command",
        );
        c.close();
      } finally {
        child.kill("SIGKILL");
        await child.output();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "SIGTERM while the AOF loads stops the server at once, exit 0, files untouched",
  async fn() {
    const dir = await bigAofDir(600_000);
    const incr = `${dir}/appendonlydir/appendonly.aof.1.incr.aof`;
    try {
      const size = (await Deno.stat(incr)).size;
      const port = freePort();
      const child = spawnRaw(dir, port);
      const c = await connectSoon(port);
      assertEquals(await c.call("DBSIZE"), new RespError(LOADING));
      c.close();
      child.kill("SIGTERM");
      const out = await child.output();
      assertEquals(out.code, 0);
      const log = new TextDecoder().decode(out.stdout);
      assert(!log.includes("DB loaded from append only file"), log);
      assertEquals((await Deno.stat(incr)).size, size);
      assertEquals(
        await Deno.readTextFile(`${dir}/appendonlydir/appendonly.aof.manifest`),
        "file appendonly.aof.1.incr.aof seq 1 type i\n",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

for (const target of ["tsredis", "redis-server"] as const) {
  Deno.test({
    ...opts,
    name:
      `BGREWRITEAOF during a BGSAVE is scheduled and runs when it ends (${target})`,
    ignore: target === "redis-server" && REDIS_SERVER === undefined,
    async fn() {
      const dir = await tempDir();
      try {
        await using server = await start(dir, [], target);
        const c = await server.connect();
        const fill: (string | number)[][] = [];
        for (let i = 0; i < 200; i++) fill.push(["SET", `k${i}`, i]);
        await c.pipeline(fill);
        // 200 keys at 2 ms each: the BGSAVE takes about 0.4 s.
        await c.call("CONFIG", "SET", "rdb-key-save-delay", "2000");
        assertEquals(await c.call("BGSAVE"), "Background saving started");
        assertEquals(
          await c.call("BGREWRITEAOF"),
          "Background append only file rewriting scheduled",
        );
        const info = await c.call("INFO", "persistence");
        assertEquals(infoField(info, "aof_rewrite_scheduled"), "1");
        assertEquals(infoField(info, "aof_rewrite_in_progress"), "0");
        await c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
        await waitFor("the scheduled rewrite", async () => {
          const i = await c.call("INFO", "persistence");
          return infoField(i, "aof_rewrites") === "1" &&
            infoField(i, "aof_rewrite_in_progress") === "0";
        });
        assertEquals(
          infoField(
            await c.call("INFO", "persistence"),
            "aof_last_bgrewrite_status",
          ),
          "ok",
        );
        c.close();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
