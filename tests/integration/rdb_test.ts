/**
 * The RDB file across restarts and against redis-server 7.0: SAVE, BGSAVE,
 * LASTSAVE and their errors, save points, the final save of SHUTDOWN and
 * SIGTERM, loading (every type and encoding, expired keys, corrupt and
 * truncated files, -LOADING while a large file loads), -MISCONF after a
 * failed BGSAVE, DEBUG RELOAD, FLUSHALL's save, redis-check-rdb, files
 * moving between tsredis and redis-server in both directions, and a BGSAVE
 * under concurrent writes holding the point in time it started at.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import {
  type RespClient,
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
import { findExecutable, REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/rdb/", import.meta.url).pathname;
const CHECK_RDB = findExecutable("redis-check-rdb");
const EXPIRE_2100 = 4102444800000;

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "tsredis-rdb-" });
}

function start(
  dir: string,
  args: string[] = [],
  target: "tsredis" | "redis-server" = "tsredis",
): Promise<ServerHandle> {
  // redis-server's harness default is `save ""`; put the default back so
  // both servers run with Redis's save points unless a test says otherwise.
  const saves = target === "redis-server"
    ? ["--save", "3600 1 300 100 60 10000"]
    : [];
  return spawnServer({ target, cwd: dir, args: [...saves, ...args] });
}

async function bgsaveDone(c: RespClient): Promise<boolean> {
  const info = await c.call("INFO", "persistence");
  return infoField(info, "rdb_bgsave_in_progress") === "0";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every type in the encodings Redis 7.0 picks, in three databases. */
async function fillAllTypes(c: RespClient): Promise<void> {
  const big = (n: number, f: (i: number) => (string | number)[]) =>
    Array.from({ length: n }, (_, i) => f(i)).flat();
  await c.pipeline([
    ["SET", "s:int", "12345"],
    ["SET", "s:neg", "-7"],
    ["SET", "s:int64", "12345678901234"],
    ["SET", "s:raw", "hello"],
    ["SET", "s:empty", ""],
    ["SET", "s:bin", "\x00\x01\xff\r\n"],
    ["SET", "s:lzf", "a".repeat(200)],
    ["SET", "s:ttl", "expires", "PXAT", EXPIRE_2100],
    ["SET", "s:rel", "expires", "EX", 100000],
    ["APPEND", "s:appended", "abc"],
    ["APPEND", "s:appended", "def"],
    ["SETRANGE", "s:range", 10, "x"],
    ["RPUSH", "l:small", "a", "b", "c", "1", "2"],
    ["RPUSH", "l:big", ...big(1000, (i) => [`element-${i}`])],
    ["RPUSH", "l:plain", "x".repeat(10000), "small"],
    ["SADD", "set:int", "1", "2", "3", "-5", "100000"],
    ["SADD", "set:str", "a", "b", "c"],
    ["SADD", "set:big", ...big(600, (i) => [i])],
    ["HSET", "h:small", "f1", "v1", "f2", "2", "f3", ""],
    ["HSET", "h:big", ...big(600, (i) => [`field-${i}`, `value-${i}`])],
    ["HSET", "h:long", "short", "x", "long", "y".repeat(65)],
    ["PEXPIREAT", "h:small", EXPIRE_2100],
    ["ZADD", "z:small", "1", "a", "2.5", "b", "-3", "c", "inf", "d"],
    ["ZADD", "z:big", ...big(200, (i) => [i * 1.5, `member-${i}`])],
    ["XADD", "x:s", "1-1", "f", "v1", "n", "1"],
    ["XADD", "x:s", "1-2", "f", "v2", "n", "2"],
    ["XADD", "x:s", "1-3", "f", "v3", "n", "3"],
    ["XADD", "x:s", "2-0", "other", "x"],
    ["XDEL", "x:s", "1-2"],
    ["XGROUP", "CREATE", "x:s", "g1", "0"],
    ["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "1", "STREAMS", "x:s", ">"],
    ["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "x:s", ">"],
    ["XGROUP", "CREATE", "x:s", "g2", "$"],
    ["XGROUP", "CREATECONSUMER", "x:s", "g2", "carol"],
    ["XADD", "x:empty", "5-1", "f", "v"],
    ["XDEL", "x:empty", "5-1"],
    ["SELECT", "1"],
    ["SET", "db1:key", "in-db-1"],
    ["RPUSH", "db1:list", "z"],
    ["SET", "db1:ttl", "x", "PXAT", EXPIRE_2100],
    ["SELECT", "15"],
    ["SET", "db15:key", "last"],
    ["SELECT", "0"],
    ["FUNCTION", "LOAD", LIBRARY],
  ]);
}

/** A FUNCTION library (an RDB FUNCTION2 record). */
const LIBRARY =
  "#!lua name=rdblib\nredis.register_function('echo1', function(keys, args) return args[1] end)";

/** True when the library of fillAllTypes is loaded. */
async function hasLibrary(c: RespClient): Promise<boolean> {
  return (await c.call("FCALL", "echo1", 0, "hi")) === "hi";
}

/** Every key: type, encoding, value and absolute expiry. */
function dataset(c: RespClient): Promise<Record<string, unknown>> {
  return keyByKey(c, { encodings: true });
}

async function digest(c: RespClient): Promise<RespValue> {
  return await c.call("DEBUG", "DIGEST");
}

Deno.test({
  ...opts,
  name: "SAVE, BGSAVE and LASTSAVE write dump.rdb and answer as redis-server",
  async fn() {
    for (const target of ["tsredis", "redis-server"] as const) {
      if (target === "redis-server" && REDIS_SERVER === undefined) continue;
      const dir = await tempDir();
      try {
        await using server = await start(dir, [], target);
        const c = await server.connect();
        await c.call("SET", "k", "v");
        const before = await c.call("LASTSAVE") as number;
        assertEquals(await c.call("SAVE"), "OK", target);
        assert(await exists(`${dir}/dump.rdb`), target);
        const info = await c.call("INFO", "persistence");
        assertEquals(infoField(info, "rdb_changes_since_last_save"), "0");
        assertEquals(infoField(info, "rdb_saves"), "1");
        assert(await c.call("LASTSAVE") as number >= before);
        assertEquals(
          await c.call("BGSAVE", "now"),
          new RespError("ERR syntax error"),
        );
        assertEquals(await c.call("BGSAVE"), "Background saving started");
        await waitFor("BGSAVE", () => bgsaveDone(c));
        // A slow BGSAVE: every request for another save is refused.
        await c.call("DEBUG", "POPULATE", 1000);
        await c.call("CONFIG", "SET", "rdb-key-save-delay", 2000);
        assertEquals(await c.call("BGSAVE"), "Background saving started");
        const busy = new RespError("ERR Background save already in progress");
        assertEquals(await c.call("BGSAVE"), busy, target);
        assertEquals(await c.call("BGSAVE", "SCHEDULE"), busy, target);
        assertEquals(await c.call("SAVE"), busy, target);
        const during = await c.call("INFO", "persistence");
        assertEquals(infoField(during, "rdb_bgsave_in_progress"), "1");
        assertEquals(infoField(during, "current_save_keys_total"), "1001");
        await c.call("CONFIG", "SET", "rdb-key-save-delay", 0);
        await waitFor("BGSAVE", () => bgsaveDone(c));
        const after = await c.call("INFO", "persistence");
        assertEquals(infoField(after, "rdb_last_bgsave_status"), "ok");
        assertEquals(infoField(after, "rdb_saves"), "3");
        assertEquals(infoField(after, "current_save_keys_total"), "0");
        assertMatch(server.output(), /Background saving started by pid \d+/);
        assertMatch(
          server.output(),
          /Background saving terminated with success/,
        );
        // In a transaction a BGSAVE only gets scheduled, then runs from the cron.
        const tx = await c.pipeline([["MULTI"], ["BGSAVE"], ["EXEC"]]);
        assertEquals(tx[2], ["Background saving scheduled"], target);
        await waitFor("the scheduled BGSAVE", async () => {
          const i = await c.call("INFO", "persistence");
          return infoField(i, "rdb_saves") === "4" &&
            infoField(i, "rdb_bgsave_in_progress") === "0";
        });
        assertEquals(await c.call("MULTI"), "OK");
        assertEquals(
          await c.call("SAVE"),
          new RespError("ERR Command not allowed inside a transaction"),
        );
        await c.call("DISCARD");
        c.close();
        if (CHECK_RDB !== undefined) {
          const check = await new Deno.Command(CHECK_RDB, {
            args: [`${dir}/dump.rdb`],
            stdout: "piped",
          }).output();
          assertEquals(check.code, 0, new TextDecoder().decode(check.stdout));
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  ...opts,
  name:
    "A restart keeps every type, encoding, TTL and database (SAVE, then SIGTERM)",
  async fn() {
    const dir = await tempDir();
    try {
      let before: Record<string, unknown>;
      let sum: RespValue;
      {
        await using server = await start(dir);
        const c = await server.connect();
        await fillAllTypes(c);
        before = await dataset(c);
        sum = await digest(c);
        assertEquals(await c.call("SAVE"), "OK");
        c.close();
      }
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await dataset(c), before);
        assertEquals(await digest(c), sum);
        assert(await hasLibrary(c));
        const info = await c.call("INFO", "persistence");
        assertEquals(
          infoField(info, "rdb_last_load_keys_loaded"),
          String(Object.keys(before).length),
        );
        assertMatch(
          server.output(),
          /Loading RDB produced by version 7\.0\.15/,
        );
        assertMatch(server.output(), /RDB age \d+ seconds/);
        assertMatch(server.output(), /RDB memory usage when created [\d.]+ Mb/);
        assertMatch(
          server.output(),
          new RegExp(
            `Done loading RDB, keys loaded: ${
              Object.keys(before).length
            }, keys expired: 0\\.`,
          ),
        );
        assertMatch(server.output(), /DB loaded from disk: \d+\.\d{3} seconds/);
        // Changes after the load reach the file through the final save.
        await c.call("SET", "after", "restart");
        await c.call("DEL", "s:raw");
        before = await dataset(c);
        c.close();
        await server.stop();
        assertMatch(
          server.output(),
          /Received SIGTERM scheduling shutdown\.\.\./,
        );
        assertMatch(
          server.output(),
          /Saving the final RDB snapshot before exiting\./,
        );
        assertMatch(server.output(), /DB saved on disk/);
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

Deno.test({
  ...opts,
  name:
    "SHUTDOWN saves with save points or SAVE, not with NOSAVE or without save points",
  async fn() {
    const cases: [string[], string[], boolean][] = [
      [[], ["SHUTDOWN"], true],
      [[], ["SHUTDOWN", "NOSAVE"], false],
      [["--save", ""], ["SHUTDOWN"], false],
      [["--save", ""], ["SHUTDOWN", "SAVE"], true],
      [["--save", "", "--shutdown-on-sigterm", "save"], [], true],
      [[], [], true],
    ];
    for (const [args, command, saved] of cases) {
      const dir = await tempDir();
      try {
        await using server = await start(dir, args);
        const c = await server.connect();
        await c.call("SET", "k", "v");
        if (command.length !== 0) {
          await c.sendRaw(
            command.map((w) => `$${w.length}\r\n${w}\r\n`).join("").replace(
              /^/,
              `*${command.length}\r\n`,
            ),
          );
          assertEquals(await c.readFor(3000), "<EOF>");
          assertEquals((await server.exited).code, 0);
        } else {
          await server.stop();
          assertEquals((await server.exited).code, 0);
        }
        c.close();
        assertEquals(
          await exists(`${dir}/dump.rdb`),
          saved,
          `${args.join(" ")} / ${command.join(" ")}`,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  ...opts,
  name:
    "save points start a BGSAVE from the cron once enough changes are old enough",
  async fn() {
    const dir = await tempDir();
    try {
      await using server = await start(dir, ["--save", "1 3"]);
      const c = await server.connect();
      await c.call("SET", "a", "1");
      await c.call("SET", "b", "2");
      await new Promise((r) => setTimeout(r, 2200));
      // Two changes are not enough.
      assertEquals(await exists(`${dir}/dump.rdb`), false);
      await c.call("SET", "c", "3");
      await waitFor("the save point", () => exists(`${dir}/dump.rdb`), 5000);
      await waitFor("BGSAVE", () => bgsaveDone(c));
      const info = await c.call("INFO", "persistence");
      assertEquals(infoField(info, "rdb_changes_since_last_save"), "0");
      assertMatch(server.output(), /3 changes in 1 seconds\. Saving\.\.\./);
      c.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "a failed BGSAVE makes writes and PING answer -MISCONF until a save works or the option is off",
  async fn() {
    for (const target of ["tsredis", "redis-server"] as const) {
      if (target === "redis-server" && REDIS_SERVER === undefined) continue;
      const dir = await tempDir();
      let dir2 = "";
      await using server = await start(
        dir,
        ["--enable-protected-configs", "yes"],
        target,
      );
      const c = await server.connect();
      try {
        await c.call("SET", "k", "v");
        // The directory goes away: the temp file cannot be created.
        await Deno.remove(dir, { recursive: true });
        assertEquals(await c.call("BGSAVE"), "Background saving started");
        await waitFor("BGSAVE", () => bgsaveDone(c));
        const info = await c.call("INFO", "persistence");
        assertEquals(infoField(info, "rdb_last_bgsave_status"), "err");
        const misconf = await c.callRaw("SET", "k", "w");
        assertEquals(
          misconf,
          "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n",
          target,
        );
        assertEquals(await c.callRaw("PING"), misconf, target);
        assertEquals(await c.call("GET", "k"), "v");
        // SAVE fails too, with a bare ERR.
        assertEquals(await c.callRaw("SAVE"), "-ERR\r\n", target);
        await c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
        assertEquals(await c.call("SET", "k", "w"), "OK");
        await c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
        assertEquals(await c.callRaw("SET", "k", "x"), misconf);
        // A save that works lifts it.
        dir2 = await tempDir();
        await c.call("CONFIG", "SET", "dir", dir2);
        assertEquals(await c.call("SAVE"), "OK");
        assertEquals(await c.call("SET", "k", "x"), "OK");
        assertMatch(server.output(), /Background saving error/);
        assertMatch(
          server.output(),
          /Failed opening the temp RDB file temp-\d+\.rdb \(in server root dir .*\) for saving: No such file or directory/,
        );
      } finally {
        c.close();
        await server.stop();
        if (dir2 !== "") await Deno.remove(dir2, { recursive: true });
      }
    }
  },
});

Deno.test({
  ...opts,
  name:
    "dump.rdb moves between tsredis and redis-server both ways, key by key and by DEBUG DIGEST",
  ignore: REDIS_SERVER === undefined,
  async fn() {
    const dir = await tempDir();
    try {
      let fromRedis: Record<string, unknown>;
      let redisDigest: RespValue;
      {
        await using redis = await start(dir, [], "redis-server");
        const c = await redis.connect();
        await fillAllTypes(c);
        fromRedis = await dataset(c);
        redisDigest = await digest(c);
        assertEquals(await c.call("SAVE"), "OK");
        c.close();
        await redis.stop();
      }
      let ours: Record<string, unknown>;
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await dataset(c), fromRedis);
        assertEquals(await digest(c), redisDigest);
        assert(await hasLibrary(c));
        // Change it, and let the final save write our own file.
        await c.call("SET", "written-by", "tsredis");
        await c.call("RPUSH", "l:small", "more");
        await c.call("HSET", "h:big", "field-0", "changed");
        await c.call("ZADD", "z:small", "7", "e");
        await c.call("XADD", "x:s", "3-0", "k", "v");
        await c.call("XACK", "x:s", "g1", "1-1");
        ours = await dataset(c);
        redisDigest = await digest(c);
        c.close();
        await server.stop();
      }
      if (CHECK_RDB !== undefined) {
        const check = await new Deno.Command(CHECK_RDB, {
          args: [`${dir}/dump.rdb`],
          stdout: "piped",
        }).output();
        const text = new TextDecoder().decode(check.stdout);
        assertEquals(check.code, 0, text);
        assertMatch(text, /RDB looks OK/);
      }
      {
        await using redis = await start(dir, [], "redis-server");
        const c = await redis.connect();
        assertEquals(await dataset(c), ours);
        assertEquals(await digest(c), redisDigest);
        assert(await hasLibrary(c));
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
    "the fixtures written by redis-server 7.0.15 load, and expired keys are dropped",
  async fn() {
    const dir = await tempDir();
    try {
      await Deno.copyFile(`${FIXTURES}all_types.rdb`, `${dir}/dump.rdb`);
      {
        await using server = await start(dir, ["--save", ""]);
        const c = await server.connect();
        assertEquals(await c.call("DBSIZE"), 22);
        assertEquals(await c.call("GET", "str:lzf"), "a".repeat(100));
        assertEquals(
          await c.call("OBJECT", "ENCODING", "list:big"),
          "quicklist",
        );
        assertEquals(await c.call("PEXPIRETIME", "hash:small"), EXPIRE_2100);
        assertEquals(await c.call("SELECT", 1), "OK");
        assertEquals(await c.call("DBSIZE"), 3);
        c.close();
      }
      // A key whose expiry has passed is not loaded.
      {
        await using server = await start(dir, ["--save", ""]);
        const c = await server.connect();
        await c.call("SET", "old", "x", "PX", 100);
        await c.call("SET", "new", "y");
        assertEquals(await c.call("SAVE"), "OK");
        c.close();
      }
      await new Promise((r) => setTimeout(r, 200));
      {
        await using server = await start(dir, ["--save", ""]);
        const c = await server.connect();
        assertEquals(await c.call("EXISTS", "old", "new"), 1);
        const info = await c.call("INFO", "persistence");
        assertEquals(infoField(info, "rdb_last_load_keys_expired"), "1");
        assertMatch(server.output(), /keys expired: 1\./);
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
    "a corrupt or truncated dump.rdb stops the server with the file and the offset",
  async fn() {
    const good = await Deno.readFile(`${FIXTURES}all_types.rdb`);
    const cases: [string, Uint8Array, RegExp][] = [
      [
        "truncated",
        good.subarray(0, 10000),
        /dump\.rdb at offset \d+: .*/,
      ],
      [
        "bad type byte",
        (() => {
          const b = good.slice();
          b[200] = 0xee;
          return b;
        })(),
        /dump\.rdb at offset \d+/,
      ],
      ["bad magic", new TextEncoder().encode("REDIX0010"), /Wrong signature/],
      [
        "checksum",
        (() => {
          const b = good.slice();
          b[b.length - 1]! ^= 0xff;
          return b;
        })(),
        /dump\.rdb at offset \d+: RDB CRC error/,
      ],
    ];
    for (const [what, bytes, re] of cases) {
      const dir = await tempDir();
      try {
        await Deno.writeFile(`${dir}/dump.rdb`, bytes);
        const { code, log } = await startFailing(dir);
        assertEquals(code, 1, `${what}: ${log}`);
        assertMatch(log, re, what);
        assertMatch(log, /Fatal error loading the DB/, what);
        assert(!log.includes("Ready to accept connections"), what);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  ...opts,
  name:
    "while a large dump.rdb loads, clients get -LOADING and INFO shows the progress",
  async fn() {
    const dir = await tempDir();
    try {
      {
        await using server = await start(dir);
        const c = await server.connect();
        await c.call("DEBUG", "POPULATE", 20000);
        assertEquals(await c.call("SAVE"), "OK");
        c.close();
      }
      const server = await spawnServer({
        cwd: dir,
        // Six seconds of loading: long enough that a client connects and
        // asks while it lasts even on a busy machine.
        args: [
          "--key-load-delay",
          "300",
          "--loading-process-events-interval-bytes",
          "1024",
        ],
        noWait: true,
      });
      try {
        let c: RespClient | undefined;
        await waitFor("the listener", async () => {
          try {
            c = await server.connect();
            return true;
          } catch {
            return false;
          }
        });
        const client = c!;
        assertEquals(
          await client.callRaw("PING"),
          "-LOADING Redis is loading the dataset in memory\r\n",
        );
        assertEquals(
          await client.callRaw("GET", "key:1"),
          "-LOADING Redis is loading the dataset in memory\r\n",
        );
        const info = await client.call("INFO", "persistence");
        assertEquals(infoField(info, "loading"), "1");
        assertEquals(
          infoField(info, "loading_total_bytes"),
          String((await Deno.stat(`${dir}/dump.rdb`)).size),
        );
        assert(Number(infoField(info, "loading_rdb_used_mem")) > 0);
        for (
          const f of [
            "loading_start_time",
            "loading_loaded_bytes",
            "loading_loaded_perc",
            "loading_eta_seconds",
          ]
        ) {
          assert(infoField(info, f) !== "", f);
        }
        assertEquals(
          String(info).trimEnd().split("\r\n").at(-1)!.split(":")[0],
          "loading_eta_seconds",
        );
        await waitFor(
          "the load",
          async () => (await client.call("DBSIZE")) === 20000,
          60000,
        );
        const done = await client.call("INFO", "persistence");
        assertEquals(infoField(done, "loading"), "0");
        assertEquals(infoField(done, "loading_total_bytes"), "");
        client.close();
      } finally {
        await server.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "SIGTERM during the load exits without saving over the file",
  async fn() {
    const dir = await tempDir();
    try {
      {
        await using server = await start(dir);
        const c = await server.connect();
        await c.call("DEBUG", "POPULATE", 20000);
        assertEquals(await c.call("SAVE"), "OK");
        c.close();
      }
      const before = await Deno.readFile(`${dir}/dump.rdb`);
      const server = await spawnServer({
        cwd: dir,
        args: ["--key-load-delay", "200"],
        noWait: true,
      });
      let c: RespClient | undefined;
      await waitFor("the listener", async () => {
        try {
          c = await server.connect();
          return true;
        } catch {
          return false;
        }
      });
      const info = await c!.call("INFO", "persistence");
      assertEquals(infoField(info, "loading"), "1");
      c!.close();
      await server.stop();
      assertEquals((await server.exited).code, 0);
      assertMatch(
        server.output(),
        /Received shutdown signal during loading, scheduling shutdown\./,
      );
      assert(!server.output().includes("Saving the final RDB snapshot"));
      assert(!server.output().includes("Ready to accept connections"));
      assertEquals(await Deno.readFile(`${dir}/dump.rdb`), before);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name:
    "BGSAVE under concurrent writes saves the dataset as it was when it started",
  async fn() {
    const dir = await tempDir();
    try {
      let atStart: RespValue;
      {
        await using server = await start(dir, ["--save", ""]);
        const c = await server.connect();
        await c.call("DEBUG", "POPULATE", 30000, "key", 20);
        await fillAllTypes(c);
        await c.call("CONFIG", "SET", "rdb-key-save-delay", 20);
        atStart = await digest(c);
        assertEquals(await c.call("BGSAVE"), "Background saving started");
        const w = await server.connect();
        let round = 0;
        while (!(await bgsaveDone(c))) {
          const batch: (string | number)[][] = [];
          for (let i = 0; i < 50; i++) {
            const k = `key:${(round * 7919 + i * 613) % 30000}`;
            batch.push(
              round % 3 === 0
                ? ["SET", k, `changed-${round}`]
                : round % 3 === 1
                ? ["DEL", k]
                : ["APPEND", k, "+"],
            );
          }
          batch.push(["RPUSH", "l:big", `r${round}`]);
          batch.push(["HSET", "h:big", `new-${round}`, "x"]);
          batch.push(["SET", `created:${round}`, "x"]);
          batch.push(["SELECT", 1], ["FLUSHDB"], ["SELECT", 0]);
          if (round === 5) batch.push(["SWAPDB", 0, 15]);
          await w.pipeline(batch);
          round++;
        }
        assert(round > 10, `only ${round} write rounds ran during the BGSAVE`);
        assert((await digest(c)) !== atStart);
        const info = await c.call("INFO", "persistence");
        assertEquals(infoField(info, "rdb_last_bgsave_status"), "ok");
        assert(Number(infoField(info, "rdb_last_cow_size")) > 0);
        w.close();
        c.close();
        await server.stop();
      }
      {
        await using server = await start(dir, ["--save", ""]);
        const c = await server.connect();
        assertEquals(await digest(c), atStart);
        c.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "DEBUG RELOAD saves and loads back; NOSAVE, NOFLUSH and MERGE as Redis",
  async fn() {
    for (const target of ["tsredis", "redis-server"] as const) {
      if (target === "redis-server" && REDIS_SERVER === undefined) continue;
      const dir = await tempDir();
      try {
        await using server = await start(dir, [], target);
        const c = await server.connect();
        await fillAllTypes(c);
        const before = await dataset(c);
        assertEquals(await c.call("DEBUG", "RELOAD"), "OK");
        assertEquals(await dataset(c), before, target);
        assertMatch(server.output(), /DB reloaded by DEBUG RELOAD/);
        // NOSAVE: the file on disk comes back, later changes are gone.
        await c.call("SET", "later", "x");
        assertEquals(await c.call("DEBUG", "RELOAD", "NOSAVE"), "OK");
        assertEquals(await c.call("EXISTS", "later"), 0);
        // NOFLUSH with MERGE: the file's keys join the ones in memory.
        await c.call("SET", "extra", "kept");
        assertEquals(
          await c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"),
          "OK",
        );
        assertEquals(await c.call("GET", "extra"), "kept");
        assertEquals(await c.call("GET", "s:raw"), "hello");
        assertEquals(
          await c.call("DEBUG", "RELOAD", "BOGUS"),
          new RespError(
            "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
          ),
        );
        c.close();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test({
  ...opts,
  name:
    "FLUSHALL with save points saves the empty dataset and stops a running BGSAVE",
  async fn() {
    const dir = await tempDir();
    try {
      await using server = await start(dir);
      const c = await server.connect();
      await c.call("DEBUG", "POPULATE", 2000);
      await c.call("CONFIG", "SET", "rdb-key-save-delay", 1000);
      assertEquals(await c.call("BGSAVE"), "Background saving started");
      assertEquals(await c.call("FLUSHALL"), "OK");
      const info = await c.call("INFO", "persistence");
      assertEquals(infoField(info, "rdb_bgsave_in_progress"), "0");
      assertEquals(infoField(info, "rdb_changes_since_last_save"), "0");
      assertEquals(infoField(info, "rdb_last_bgsave_status"), "ok");
      assertMatch(server.output(), /Background saving terminated by signal 10/);
      const files = [];
      for await (const e of Deno.readDir(dir)) files.push(e.name);
      assertEquals(files.filter((f) => f.startsWith("temp-")), []);
      // The file holds the empty dataset (RDB header, aux fields, EOF, CRC).
      const bytes = await Deno.readFile(`${dir}/dump.rdb`);
      assertEquals(new TextDecoder().decode(bytes.subarray(0, 9)), "REDIS0010");
      assert(!new TextDecoder().decode(bytes).includes("key:1"));
      c.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...opts,
  name: "SHUTDOWN during a BGSAVE stops it and saves synchronously",
  async fn() {
    const dir = await tempDir();
    try {
      {
        await using server = await start(dir);
        const c = await server.connect();
        await c.call("DEBUG", "POPULATE", 3000);
        await c.call("CONFIG", "SET", "rdb-key-save-delay", 1000);
        assertEquals(await c.call("BGSAVE"), "Background saving started");
        await c.call("CONFIG", "SET", "rdb-key-save-delay", 0);
        await c.sendRaw("*1\r\n$8\r\nSHUTDOWN\r\n");
        assertEquals(await c.readFor(5000), "<EOF>");
        assertEquals((await server.exited).code, 0);
        c.close();
        assertMatch(
          server.output(),
          /There is a child saving an \.rdb\. Killing it!\n.*Saving the final RDB snapshot before exiting\.\n.*DB saved on disk/,
        );
      }
      {
        await using server = await start(dir);
        const c = await server.connect();
        assertEquals(await c.call("DBSIZE"), 3000);
        c.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
