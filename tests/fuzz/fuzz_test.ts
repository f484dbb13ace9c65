/**
 * The CI-sized fuzz run: a few seconds of every fuzzer with a fixed seed,
 * so a run is the same bytes every time. `deno task fuzz` runs the same
 * campaign for as long as asked, with any seed.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { runCampaign } from "./campaign.ts";
import { fuzzDecoder } from "./decoder_fuzz.ts";
import { fuzzRdb } from "./rdb_fuzz.ts";
import { Rng } from "./rng.ts";
import { Watchdog } from "./server_fuzz.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { encodeCommand } from "../_harness/resp_client.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("RespDecoder gives the same commands and errors for fuzzed input however it is split", () => {
  const r = fuzzDecoder(new Rng(1), 300);
  assertEquals(r.failures.map((f) => f.problem), []);
});

Deno.test("RdbReader and DUMP payload parsing refuse damaged input with an RdbFormatError", () => {
  const r = fuzzRdb(new Rng(1), 400);
  assertEquals(r.failures.map((f) => f.problem), []);
});

Deno.test({
  ...opts,
  name:
    "tsredis survives fuzzed RESP, commands and RESTORE payloads, and starts on damaged files or refuses them (seed 1)",
  async fn() {
    const r = await runCampaign({
      seed: 1,
      rounds: 1,
      sizes: { decoderInputs: 0, rdbInputs: 0, serverBatches: 50, starts: 3 },
    });
    assertEquals(r.failures, []);
    assertEquals(r.serverBatches, 50);
    assertEquals(r.starts, 3);
  },
});

Deno.test({
  ...opts,
  name:
    "Watchdog reports a hang when the server stops answering and a crash when it is gone",
  async fn() {
    await using server = await spawnServer();
    const watchdog = new Watchdog(server, 500);
    assertEquals(await watchdog.check(true), undefined);
    const busy = await server.connect();
    await busy.sendRaw(encodeCommand(["DEBUG", "SLEEP", "2"]));
    assertEquals((await watchdog.check(false))?.kind, "hang");
    busy.close();
    await server.stop();
    assertEquals((await watchdog.check(false))?.kind, "crash");
  },
});
