/**
 * MODULE with `enable-module-command yes`, against real redis-server 7.0:
 * tsredis answers as a Redis with no module loaded whose every load fails.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { differential } from "../_harness/differential.ts";
import { spawnServer } from "../_harness/spawn.ts";

differential(import.meta.url, {
  "MODULE LIST with no module is an empty array": [["MODULE", "LIST"]],
  "MODULE LIST in RESP3 is an empty array": {
    protocol: 3,
    steps: [["MODULE", "LIST"]],
  },
  "MODULE LOAD of a missing file fails with Redis's text": [
    ["MODULE", "LOAD", "/nonexistent/tsredis-test.so"],
    ["MODULE", "LOAD", "/nonexistent/tsredis-test.so", "arg1", "arg2"],
  ],
  "MODULE LOADEX fails with Redis's text whatever its arguments": [
    ["MODULE", "LOADEX", "/nonexistent/m.so"],
    ["MODULE", "LOADEX", "/nonexistent/m.so", "CONFIG", "a", "b", "ARGS", "c"],
    ["MODULE", "LOADEX", "/nonexistent/m.so", "FOO"],
  ],
  "MODULE UNLOAD of an unknown module": [["MODULE", "UNLOAD", "foo"]],
  "MODULE HELP": [["MODULE", "HELP"]],
  "MODULE errors: arity, unknown subcommand": [
    ["MODULE"],
    ["MODULE", "foo"],
    ["MODULE", "LIST", "x"],
    ["MODULE", "LOAD"],
    ["MODULE", "UNLOAD"],
    ["MODULE", "UNLOAD", "a", "b"],
  ],
}, { args: ["--enable-module-command", "yes"] });

Deno.test({
  name:
    "tsredis starts from a config file that enables the MODULE command and answers MODULE LIST",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await spawnServer({
      target: "tsredis",
      configText: "enable-module-command yes\n",
    });
    const client = await server.connect();
    try {
      assertEquals(await client.call("MODULE", "LIST"), []);
    } finally {
      client.close();
    }
  },
});
