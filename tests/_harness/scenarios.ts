/**
 * Scenarios with several clients (the blocking suites): each one runs as a
 * step against tsredis and, when installed, against the reference
 * redis-server, with the same expectations.
 *
 * @module
 */
import { encodeCommand, RespClient } from "./resp_client.ts";
import { spawnServer, type Target } from "./spawn.ts";
import { REDIS_SERVER } from "./tools.ts";

/** A scenario: it opens the clients it needs with `connect`. */
export type Scenario = (connect: () => Promise<RespClient>) => Promise<void>;

/**
 * Registers `<title> against tsredis` and `<title> against redis-server`
 * (ignored when redis-server is not installed): one server each, every
 * scenario a step after FLUSHALL, its clients closed when it ends.
 */
export function registerScenarios(
  title: string,
  scenarios: Record<string, Scenario>,
): void {
  register(title, scenarios, "tsredis", true);
  register(title, scenarios, "redis-server", REDIS_SERVER !== undefined);
}

function register(
  title: string,
  scenarios: Record<string, Scenario>,
  target: Target,
  available: boolean,
): void {
  Deno.test({
    name: `${title} against ${target}`,
    ignore: !available,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      await using server = await spawnServer({ target });
      for (const [name, scenario] of Object.entries(scenarios)) {
        await t.step(name, async () => {
          const admin = await server.connect();
          await admin.call("FLUSHALL");
          admin.close();
          const clients: RespClient[] = [];
          try {
            await scenario(async () => {
              const c = await server.connect();
              clients.push(c);
              return c;
            });
          } finally {
            for (const c of clients) c.close();
          }
        });
      }
    },
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** True if a reply arrives on `client` within `ms`. */
export async function repliesWithin(
  client: RespClient,
  ms: number,
): Promise<boolean> {
  return (await client.readFor(ms)) !== "";
}

/** Sends a command without reading its reply, then waits until the server has parked it. */
export async function block(
  client: RespClient,
  ...argv: string[]
): Promise<void> {
  await client.sendRaw(encodeCommand(argv));
  await untilBlocked(client);
}

/**
 * Waits until the server lists `client` as blocked (`flags` with `b` in
 * CLIENT LIST), asking over a connection of its own. A fixed pause would
 * do on an idle machine only: on a busy one the command may not have
 * been read yet when the test goes on.
 */
export async function untilBlocked(
  client: RespClient,
  timeoutMs = 10000,
): Promise<void> {
  await untilListed(client, (line) => /\bflags=\w*b/.test(line ?? ""), {
    what: "blocked",
    timeoutMs,
  });
}

/** Waits until the server no longer lists `client` (it saw the close). */
export async function untilGone(
  client: RespClient,
  timeoutMs = 10000,
): Promise<void> {
  await untilListed(client, (line) => line === undefined, {
    what: "gone",
    timeoutMs,
  });
}

async function untilListed(
  client: RespClient,
  done: (line: string | undefined) => boolean,
  opts: { what: string; timeoutMs: number },
): Promise<void> {
  const local = client.conn.localAddr as Deno.NetAddr;
  const remote = client.conn.remoteAddr as Deno.NetAddr;
  const addr = `addr=${local.hostname}:${local.port} `;
  const admin = await RespClient.connect(remote.port, remote.hostname);
  try {
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      const list = String(await admin.call("CLIENT", "LIST"));
      const line = list.split("\n").find((l) => l.includes(addr));
      if (done(line)) return;
      if (Date.now() > deadline) {
        throw new Error(`Client ${addr}not ${opts.what}: ${line}`);
      }
      await sleep(5);
    }
  } finally {
    admin.close();
  }
}
