/**
 * COMMAND INFO for every command in the tsredis table, byte for byte
 * against real redis-server 7.0 (RESP3, so sets and maps count too).
 *
 * Other engineers add commands while this suite exists; it is the check
 * that their metadata (arity, flags, key specs, ACL categories, tips) was
 * copied from Redis. All mismatches are listed in one failure message.
 *
 * Containers are compared without their subcommand list (Redis prints it
 * in hash-table order, and a container may not have every subcommand
 * yet); each subcommand is compared on its own as `container|sub`.
 *
 * Without redis-server, the replies recorded in
 * `recorded/command_info_test.json` (written with TSREDIS_RECORD=1) are
 * used.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { parseReply, type RespClient } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

const RECORDING = new URL(
  "./recorded/command_info_test.json",
  import.meta.url,
).pathname;
const DOCS_RECORDING = new URL(
  "./recorded/command_docs_test.json",
  import.meta.url,
).pathname;
const RECORD = Deno.env.get("TSREDIS_RECORD") === "1";

/**
 * Commands tsredis has that Redis 7.0 does not: Redis 7.2's, added because
 * client libraries use them. Their metadata is copied from Redis 7.2.
 */
const FROM_REDIS_7_2 = new Set(["client|setinfo", "client|no-touch"]);

async function readReply(client: RespClient, ...argv: string[]) {
  return await client.callRaw(...argv);
}

/**
 * One COMMAND INFO entry's bytes, with the subcommand list (the 10th
 * element) replaced by `<subcommands>`.
 */
function withoutSubcommands(raw: string): string {
  // raw is `*1\r\n` followed by the entry (or a null).
  const outer = raw.indexOf("\r\n") + 2;
  if (raw[outer] !== "*") return raw.slice(outer);
  let pos = raw.indexOf("\r\n", outer) + 2;
  for (let i = 0; i < 9; i++) pos = parseReply(raw, pos)!.end;
  return raw.slice(outer, pos) + "<subcommands>";
}

async function infoOf(
  client: RespClient,
  names: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of names) {
    out.set(
      name,
      withoutSubcommands(await readReply(client, "COMMAND", "INFO", name)),
    );
  }
  return out;
}

async function commandNames(client: RespClient): Promise<string[]> {
  const r = parseReply(await readReply(client, "COMMAND", "LIST"), 0)!;
  return (r.value as string[]).slice().sort();
}

async function speaks3(client: RespClient): Promise<void> {
  await client.call("HELLO", "3");
}

Deno.test({
  name:
    "COMMAND INFO of every tsredis command matches redis-server 7.0 byte for byte",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    let expected: Record<string, string> = {};
    try {
      expected = JSON.parse(Deno.readTextFileSync(RECORDING));
    } catch {
      // No recording yet.
    }
    if (REDIS_SERVER !== undefined) {
      await using reference = await spawnServer({ target: "redis-server" });
      const client = await reference.connect();
      try {
        await speaks3(client);
        const names = await commandNames(client);
        expected = Object.fromEntries(await infoOf(client, names));
      } finally {
        client.close();
      }
      if (RECORD) {
        Deno.writeTextFileSync(
          RECORDING,
          JSON.stringify(expected, null, 1) + "\n",
        );
      }
    }
    if (Object.keys(expected).length === 0) {
      console.warn("No redis-server and no recording: nothing to compare");
      return;
    }
    await using ours = await spawnServer({ target: "tsredis" });
    const client = await ours.connect();
    let actual: Map<string, string>;
    try {
      await speaks3(client);
      actual = await infoOf(client, await commandNames(client));
    } finally {
      client.close();
    }
    const mismatches: string[] = [];
    for (const [name, bytes] of actual) {
      if (FROM_REDIS_7_2.has(name)) continue;
      const want = expected[name];
      if (want === undefined) {
        mismatches.push(`${name}: not a Redis 7.0 command`);
      } else if (want !== bytes) {
        mismatches.push(
          `${name}:\n  redis:   ${JSON.stringify(want)}\n  tsredis: ${
            JSON.stringify(bytes)
          }`,
        );
      }
    }
    assertEquals(
      mismatches.length,
      0,
      `${mismatches.length} command(s) differ from Redis 7.0's COMMAND INFO:\n${
        mismatches.join("\n")
      }`,
    );
  },
});

// COMMAND DOCS recordings live next to the COMMAND INFO ones, under "docs:".
function docsEntry(raw: string): Map<unknown, unknown> | undefined {
  const outer = parseReply(raw, 0)!.value as Map<unknown, unknown>;
  return [...outer.values()][0] as Map<unknown, unknown> | undefined;
}

function plain(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) => x instanceof Map ? [...x] : x instanceof Set ? [...x] : x,
  );
}

Deno.test({
  name:
    "COMMAND DOCS of every tsredis command matches redis-server 7.0 (summary, since, group, complexity, history, flags; arguments where declared)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    let expected: Record<string, string> = {};
    try {
      expected = JSON.parse(Deno.readTextFileSync(DOCS_RECORDING));
    } catch {
      // No recording yet.
    }
    if (REDIS_SERVER !== undefined) {
      await using reference = await spawnServer({ target: "redis-server" });
      const client = await reference.connect();
      try {
        await speaks3(client);
        expected = {};
        for (const name of await commandNames(client)) {
          expected[name] = await readReply(client, "COMMAND", "DOCS", name);
        }
      } finally {
        client.close();
      }
      if (RECORD) {
        Deno.writeTextFileSync(
          DOCS_RECORDING,
          JSON.stringify(expected, null, 1) + "\n",
        );
      }
    }
    if (Object.keys(expected).length === 0) return;
    await using ours = await spawnServer({ target: "tsredis" });
    const client = await ours.connect();
    const mismatches: string[] = [];
    try {
      await speaks3(client);
      for (const name of await commandNames(client)) {
        if (FROM_REDIS_7_2.has(name) || expected[name] === undefined) continue;
        const mine = docsEntry(
          await readReply(client, "COMMAND", "DOCS", name),
        )!;
        const theirs = docsEntry(expected[name]!)!;
        const fields = new Set([...mine.keys(), ...theirs.keys()]);
        fields.delete("subcommands");
        // Argument docs are optional in tsredis; when declared they must match.
        if (!mine.has("arguments")) fields.delete("arguments");
        for (const field of fields) {
          const a = plain(mine.get(field));
          const b = plain(theirs.get(field));
          if (a !== b) {
            mismatches.push(
              `${name} ${field}:\n  redis:   ${b}\n  tsredis: ${a}`,
            );
          }
        }
      }
    } finally {
      client.close();
    }
    assertEquals(
      mismatches.length,
      0,
      `${mismatches.length} difference(s) from Redis 7.0's COMMAND DOCS:\n${
        mismatches.join("\n")
      }`,
    );
  },
});

Deno.test({
  name:
    "COMMAND INFO shows Redis 7.2's metadata for CLIENT SETINFO and NO-TOUCH",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using ours = await spawnServer({ target: "tsredis" });
    const client = await ours.connect();
    try {
      assertEquals(await client.call("COMMAND", "INFO", "client|setinfo"), [[
        "client|setinfo",
        4,
        ["noscript", "loading", "stale"],
        0,
        0,
        0,
        ["@slow", "@connection"],
        ["request_policy:all_nodes", "response_policy:all_succeeded"],
        [],
        [],
      ]]);
      assertEquals(await client.call("COMMAND", "INFO", "client|no-touch"), [[
        "client|no-touch",
        3,
        ["noscript", "loading", "stale"],
        0,
        0,
        0,
        ["@slow", "@connection"],
        [],
        [],
        [],
      ]]);
    } finally {
      client.close();
    }
  },
});
