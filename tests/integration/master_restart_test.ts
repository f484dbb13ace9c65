/**
 * A master restarted from its RDB file (SHUTDOWN, then the same port and
 * dir) keeps serving its replica with a partial resync, and the keys that
 * expired while it was down reach the replica as DELs in the stream (Redis
 * 7.0 feeds them into the backlog as it loads). The replica, which never
 * expires keys itself, would otherwise keep them for good. Runs against
 * tsredis and, when installed, real redis-server as both master and
 * replica, and across the two.
 *
 * @module
 */
import { assertEquals, assertMatch } from "../_deps.ts";
import { encodeCommand, RespClient } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { waitFor } from "../_harness/dataset.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Target = "tsredis" | "redis-server";
const PAIRS: [Target, Target][] = REDIS_SERVER === undefined
  ? [["tsredis", "tsredis"]]
  : [
    ["tsredis", "tsredis"],
    ["redis-server", "redis-server"],
    ["tsredis", "redis-server"],
  ];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

for (const [masterTarget, replicaTarget] of PAIRS) {
  Deno.test(
    `${masterTarget} master restarted from its RDB: keys that expired while it was down are deleted on its ${replicaTarget} replica`,
    opts,
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "tsredis-restart-" });
      try {
        const masterArgs = [
          "--save",
          "",
          "--dir",
          dir,
          "--repl-diskless-sync-delay",
          "0",
        ];
        const first = await spawnServer({
          target: masterTarget,
          cwd: dir,
          args: masterArgs,
        });
        const port = first.port;
        let expiresAt = 0;
        await using replica = await spawnServer({
          target: replicaTarget,
          args: ["--save", "", "--replicaof", "127.0.0.1", String(port)],
        });
        const r = await replica.connect();
        {
          await using _first = first;
          const m = await first.connect();
          await m.call("SET", "stays", "1");
          await waitFor(
            "the replica to sync",
            async () => (await r.call("DBSIZE")) === 1,
          );
          // Long enough that the master cannot expire them itself before
          // its shutdown, even on a busy machine.
          expiresAt = Date.now() + 3000;
          await m.call("SET", "goes", "1", "PX", "3000");
          await m.call("SELECT", "3");
          await m.call("SET", "goes-too", "1", "PX", "3000");
          await waitFor(
            "the replica to sync",
            async () => (await r.call("DBSIZE")) === 2,
          );
          await m.sendRaw(encodeCommand(["SHUTDOWN", "SAVE"]));
          assertEquals((await first.exited).code, 0);
          m.close();
        }
        await sleep(Math.max(0, expiresAt - Date.now() + 200));
        // Expired, but a replica leaves that to its master.
        assertEquals(await r.call("DBSIZE"), 2);
        assertEquals(await r.call("GET", "goes"), null);
        await using second = await spawnServer({
          target: masterTarget,
          cwd: dir,
          args: [...masterArgs, "--port", String(port)],
        });
        // Its handle's port is the harness's own pick; ours comes last.
        const m = await RespClient.connect(port);
        assertEquals(await m.call("DBSIZE"), 1);
        await waitFor(
          "the replica to get the DELs",
          async () => (await r.call("DBSIZE")) === 1,
        );
        await r.call("SELECT", "3");
        await waitFor(
          "the replica to delete db 3's key",
          async () => (await r.call("DBSIZE")) === 0,
        );
        assertEquals(await r.call("SELECT", "0"), "OK");
        assertEquals(await r.call("GET", "stays"), "1");
        // It continued the master's history; no full resync was needed.
        assertMatch(
          second.output(),
          /Partial resynchronization request from .* accepted/,
        );
        m.close();
        r.close();
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  );
}
