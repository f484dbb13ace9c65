import { assertEquals } from "../../tests/_deps.ts";
import { Client } from "../client.ts";
import { Config } from "../config.ts";
import { ServerState } from "../state.ts";
import { ManualClock } from "../util/clock.ts";
import {
  checkSoftLimits,
  enforceOutputLimits,
  outputLimitOf,
} from "./output_limits.ts";

function setup(limit: string) {
  const clock = new ManualClock(1_000_000);
  const config = new Config();
  config.set("client-output-buffer-limit", limit);
  const server = new ServerState(config, { clock });
  const closed: string[] = [];
  const client = new Client({
    id: 1,
    addr: "127.0.0.1:1",
    laddr: "127.0.0.1:2",
    now: clock.now(),
    authenticated: true,
    close: (reason) => {
      closed.push(reason);
      client.closed = true;
    },
  });
  client.channels.add("ch");
  fill(client, STATIC);
  return { clock, server, client, closed };
}

// Output that fits Redis's static reply buffer is not counted; the tests
// start with it full.
const STATIC = 16 * 1024;

function fill(client: Client, bytes: number): void {
  client.out.bytes(new Uint8Array(bytes));
}

Deno.test("enforceOutputLimits closes a subscriber at the hard limit at once", () => {
  const { server, client, closed } = setup("pubsub 1000 0 0");
  fill(client, 999);
  assertEquals(enforceOutputLimits(server, client), false);
  fill(client, 1);
  assertEquals(enforceOutputLimits(server, client), true);
  assertEquals(closed, ["output buffer limit"]);
});

Deno.test("enforceOutputLimits counts bytes in flight on the socket", () => {
  const { server, client, closed } = setup("pubsub 1000 0 0");
  client.outInFlight = 600;
  fill(client, 400);
  assertEquals(enforceOutputLimits(server, client), true);
  assertEquals(closed.length, 1);
});

Deno.test("enforceOutputLimits leaves non-subscribers to the normal class", () => {
  const { server, client } = setup("pubsub 1000 0 0");
  client.channels.clear();
  fill(client, 5000);
  assertEquals(enforceOutputLimits(server, client), false);
});

Deno.test("enforceOutputLimits closes after the soft seconds over the soft limit, not before", () => {
  const { clock, server, client, closed } = setup("pubsub 0 1000 2");
  fill(client, 1500);
  assertEquals(enforceOutputLimits(server, client), false);
  clock.advance(2000);
  assertEquals(enforceOutputLimits(server, client), false);
  clock.advance(1);
  assertEquals(enforceOutputLimits(server, client), true);
  assertEquals(closed.length, 1);
});

Deno.test("enforceOutputLimits restarts the soft period once output drains below it", () => {
  const { clock, server, client, closed } = setup("pubsub 0 1000 2");
  fill(client, 1500);
  enforceOutputLimits(server, client);
  clock.advance(1500);
  client.out.reset();
  fill(client, STATIC);
  assertEquals(enforceOutputLimits(server, client), false);
  fill(client, 1500);
  clock.advance(1000);
  assertEquals(enforceOutputLimits(server, client), false);
  clock.advance(1500);
  checkSoftLimits(server);
  assertEquals(closed.length, 0);
  clock.advance(600);
  checkSoftLimits(server);
  assertEquals(closed.length, 1);
});

Deno.test("checkSoftLimits closes a client over its soft limit with no new output", () => {
  const { clock, server, client, closed } = setup("pubsub 0 1000 1");
  fill(client, 2000);
  enforceOutputLimits(server, client);
  checkSoftLimits(server);
  assertEquals(closed.length, 0);
  clock.advance(1001);
  checkSoftLimits(server);
  assertEquals(closed, ["output buffer limit"]);
  // Nothing left to check.
  checkSoftLimits(server);
  assertEquals(closed.length, 1);
});

Deno.test("enforceOutputLimits with a CONFIG SET lifting the limits keeps the client", () => {
  const { clock, server, client, closed } = setup("pubsub 0 1000 1");
  fill(client, 2000);
  enforceOutputLimits(server, client);
  server.config.set("client-output-buffer-limit", "pubsub 0 0 0");
  clock.advance(5000);
  checkSoftLimits(server);
  assertEquals(enforceOutputLimits(server, client), false);
  assertEquals(closed.length, 0);
});

Deno.test("enforceOutputLimits does not count the first 16 KB, which Redis keeps in its static reply buffer", () => {
  const { server, client, closed } = setup("pubsub 1 0 0");
  client.out.reset();
  fill(client, STATIC);
  assertEquals(enforceOutputLimits(server, client), false);
  fill(client, 1);
  assertEquals(enforceOutputLimits(server, client), true);
  assertEquals(closed.length, 1);
});

Deno.test("enforceOutputLimits applies the normal class to clients without subscriptions", () => {
  const { server, client, closed } = setup("normal 1000 0 0 pubsub 0 0 0");
  fill(client, 2000);
  assertEquals(enforceOutputLimits(server, client), false);
  client.channels.clear();
  assertEquals(enforceOutputLimits(server, client), true);
  assertEquals(closed.length, 1);
});

Deno.test("outputLimitOf gives a class's limits with their threshold, or undefined for 0 0 0", () => {
  const { server } = setup("normal 0 2000 5 pubsub 0 0 0");
  assertEquals(outputLimitOf(server, "normal"), {
    hard: 0,
    soft: 2000,
    softSeconds: 5,
    threshold: STATIC + 2000,
  });
  assertEquals(outputLimitOf(server, "pubsub"), undefined);
});
