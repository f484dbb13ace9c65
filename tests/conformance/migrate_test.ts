/**
 * MIGRATE against real redis-server 7.0: argument errors and NOKEY as a
 * differential suite, and transfers to a third server (a tsredis target)
 * as scenarios run on tsredis and redis-server with the
 * same expectations: keys and TTLs arrive, the source deletes them unless
 * COPY, the target's errors come back as Redis words them, AUTH and SELECT
 * reach the target, connection errors are IOERR, and the deletion is
 * seen as a deletion (WATCH, keyspace events).
 */
import { assert, assertEquals } from "../_deps.ts";
import { differential } from "../_harness/differential.ts";
import { registerScenarios } from "../_harness/scenarios.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { freePort } from "../_harness/tools.ts";

differential(import.meta.url, {
  "MIGRATE argument errors and NOKEY": [
    ["SET", "k", "v"],
    ["MIGRATE", "127.0.0.1", "1", "nokey", "0", "1000"],
    ["MIGRATE", "127.0.0.1", "1", "", "0", "1000", "KEYS", "no1", "no2"],
    ["MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "KEYS", "a"],
    ["MIGRATE", "127.0.0.1", "1", "k", "x", "1000"],
    ["MIGRATE", "127.0.0.1", "1", "k", "0", "x"],
    ["MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "foo"],
    ["MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "AUTH"],
    ["MIGRATE", "127.0.0.1", "1", "k", "0", "1000", "AUTH2", "u"],
    ["MIGRATE", "127.0.0.1", "1", "k", "0"],
    ["EXISTS", "k"],
  ],
});

registerScenarios("MIGRATE to another server", {
  "keys move with their TTLs; COPY, REPLACE, KEYS, SELECT": async (
    connect,
  ) => {
    await using t = await spawnServer({ target: "tsredis" });
    const dst = await t.connect();
    try {
      await dst.call("FLUSHALL");
      const src = await connect();
      const port = String(t.port);
      await src.call("SET", "k", "v");
      assertEquals(
        await src.callRaw("MIGRATE", "127.0.0.1", port, "k", "0", "1000"),
        "+OK\r\n",
      );
      assertEquals(await src.call("EXISTS", "k"), 0);
      assertEquals(await dst.call("GET", "k"), "v");
      await src.call("SET", "k", "v2");
      assertEquals(
        await src.callRaw("MIGRATE", "127.0.0.1", port, "k", "0", "1000"),
        "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n",
      );
      assertEquals(await src.call("GET", "k"), "v2");
      assertEquals(
        await src.callRaw(
          "MIGRATE",
          "127.0.0.1",
          port,
          "k",
          "0",
          "1000",
          "COPY",
          "REPLACE",
        ),
        "+OK\r\n",
      );
      assertEquals(await src.call("GET", "k"), "v2");
      assertEquals(await dst.call("GET", "k"), "v2");
      await src.call("RPUSH", "l", "a", "b");
      await src.call("SET", "t", "x", "PX", "100000");
      assertEquals(
        await src.callRaw(
          "MIGRATE",
          "127.0.0.1",
          port,
          "",
          "3",
          "1000",
          "KEYS",
          "l",
          "t",
          "missing",
        ),
        "+OK\r\n",
      );
      assertEquals(await src.call("EXISTS", "l", "t"), 0);
      await dst.call("SELECT", "3");
      assertEquals(await dst.call("LRANGE", "l", "0", "-1"), ["a", "b"]);
      const ttl = Number(await dst.call("PTTL", "t"));
      assert(ttl > 90000 && ttl <= 100000, `PTTL ${ttl}`);
      await src.call("SET", "k2", "v");
      assertEquals(
        await src.callRaw("MIGRATE", "127.0.0.1", port, "k2", "99", "1000"),
        "-ERR Target instance replied with error: ERR DB index is out of range\r\n",
      );
      assertEquals(
        await src.callRaw(
          "MIGRATE",
          "127.0.0.1",
          port,
          "k2",
          "0",
          "1000",
          "AUTH",
          "pw",
        ),
        "-ERR Target instance replied with error: ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n",
      );
      const info = String(await src.call("INFO", "stats"));
      assert(/migrate_cached_sockets:1\r\n/.test(info), info);
    } finally {
      dst.close();
    }
  },
  "a closed port is an IOERR and the key stays": async (connect) => {
    const src = await connect();
    await src.call("SET", "k", "v");
    const port = String(freePort());
    assertEquals(
      await src.callRaw("MIGRATE", "127.0.0.1", port, "k", "0", "1000"),
      "-IOERR error or timeout writing to target instance\r\n",
    );
    assertEquals(await src.call("EXISTS", "k"), 1);
    const errors = String(await src.call("INFO", "errorstats"));
    assert(/errorstat_IOERR:count=1/.test(errors), errors);
  },
  "the deletion is a change: WATCH fails and a del event is published": async (
    connect,
  ) => {
    await using t = await spawnServer({ target: "tsredis" });
    const src = await connect();
    const watcher = await connect();
    const events = await connect();
    await src.call("CONFIG", "SET", "notify-keyspace-events", "Kg");
    await events.call("SUBSCRIBE", "__keyspace@0__:p");
    await src.call("SET", "p", "1");
    await watcher.call("WATCH", "p");
    assertEquals(
      await src.callRaw(
        "MIGRATE",
        "127.0.0.1",
        String(t.port),
        "p",
        "0",
        "1000",
        "REPLACE",
      ),
      "+OK\r\n",
    );
    await watcher.call("MULTI");
    await watcher.call("PING");
    assertEquals(await watcher.callRaw("EXEC"), "*-1\r\n");
    assertEquals(await events.read(), ["message", "__keyspace@0__:p", "del"]);
    await src.call("CONFIG", "SET", "notify-keyspace-events", "");
  },
});
