/**
 * Blocking commands with sub-millisecond timeouts (`BLPOP k 0.001`), run
 * against tsredis and redis-server with the same expectations: the
 * command times out with a null reply promptly (Redis takes up to one
 * cron tick, 100 ms) and leaves INFO blocked_clients at 0, also when the
 * client disconnects while blocked.
 */
import { assert, assertEquals } from "../_deps.ts";
import { encodeCommand, type RespClient } from "../_harness/resp_client.ts";
import { registerScenarios, sleep } from "../_harness/scenarios.ts";

async function blockedClients(admin: RespClient): Promise<number> {
  const info = String(await admin.call("INFO", "clients"));
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
}

// Polls until no client is blocked; returns how long that took.
async function untilNoneBlocked(admin: RespClient): Promise<number> {
  const start = performance.now();
  while (await blockedClients(admin) !== 0) {
    if (performance.now() - start > 2000) throw new Error("still blocked");
    await sleep(5);
  }
  return performance.now() - start;
}

registerScenarios("Sub-millisecond blocking timeouts", {
  "BLPOP k 0.001 replies null within a cron tick and leaves blocked_clients at 0":
    async (connect) => {
      const client = await connect();
      const admin = await connect();
      for (const cmd of [["BLPOP"], ["BRPOP"], ["BZPOPMIN"], ["BLMPOP"]]) {
        const argv = cmd[0] === "BLMPOP"
          ? ["BLMPOP", "0.001", "1", "k", "LEFT"]
          : [cmd[0]!, "k", "0.001"];
        const start = performance.now();
        const raw = await client.callRaw(...argv);
        const took = performance.now() - start;
        assertEquals(raw, "*-1\r\n", argv.join(" "));
        assert(took < 1000, `${argv.join(" ")} took ${took} ms`);
        assertEquals(await blockedClients(admin), 0);
      }
    },
  "a client blocked with BLPOP k 0.001 that another client watches": async (
    connect,
  ) => {
    const client = await connect();
    const admin = await connect();
    await admin.call("CONFIG", "RESETSTAT");
    await client.sendRaw(encodeCommand(["BLPOP", "k", "0.001"]));
    const took = await untilNoneBlocked(admin);
    assert(took < 1000, `blocked for ${took} ms`);
    assertEquals(await client.readRaw(), "*-1\r\n");
    const stats = String(await admin.call("INFO", "commandstats"));
    assert(/cmdstat_blpop:calls=1,/.test(stats), stats);
  },
  "a client that disconnects while blocked is no longer counted": async (
    connect,
  ) => {
    const admin = await connect();
    for (const timeout of ["0.001", "5"]) {
      const client = await connect();
      await client.sendRaw(encodeCommand(["BLPOP", "k", timeout]));
      client.close();
      const took = await untilNoneBlocked(admin);
      assert(took < 1000, `blocked for ${took} ms`);
    }
  },
});
