/**
 * The server's own tasks need nothing from the npm registry: `deno task
 * start` from an empty Deno cache, with the registry unreachable, starts
 * quietly (no download lines) and runs scripts (the Lua engine is vendored).
 *
 * @module
 */
import { assert, assertEquals } from "../_deps.ts";
import { RespClient } from "../_harness/resp_client.ts";
import { freePort } from "../_harness/tools.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test({
  name:
    "deno task start from an empty cache with no npm registry starts quietly and runs EVAL",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const cache = await Deno.makeTempDir({ prefix: "tsredis-deno-dir-" });
    const dir = await Deno.makeTempDir({ prefix: "tsredis-offline-" });
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start", "--port", String(port), "--dir", dir],
      cwd: ROOT,
      env: {
        DENO_DIR: cache,
        // A closed port: any npm download would fail the start.
        NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
        DENO_NO_UPDATE_CHECK: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const decoder = new TextDecoder();
    let output = "";
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) output += decoder.decode(chunk);
    };
    const done = Promise.all([collect(child.stdout), collect(child.stderr)]);
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes("Ready to accept connections")) {
        assert(Date.now() < deadline, `no readiness line in:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const client = await RespClient.connect(port);
      try {
        assertEquals(await client.call("EVAL", "return 1 + 1", "0"), 2);
        await client.call("SHUTDOWN", "NOSAVE").catch(() => undefined);
      } finally {
        client.close();
      }
      assertEquals((await child.status).code, 0);
      await done;
      assert(!/Download/.test(output), `something was downloaded:\n${output}`);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await Deno.remove(cache, { recursive: true }).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
