/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 * [AUTH password | AUTH2 username password] [KEYS key ...]
 *
 * The keys are serialized (DUMP payloads, with their TTLs) when the
 * command runs; the server's MigrateService sends them as RESTOREs and the
 * client waits for the target's replies. Then the keys the target
 * acknowledged are deleted here (unless COPY) and propagated as one DEL,
 * as Redis does. Redis blocks the whole server meanwhile; tsredis serves
 * other clients, and leaves a key alone if it changed during the transfer.
 * Inside MULTI and scripts, where tsredis cannot wait for the network,
 * MIGRATE is refused.
 *
 * @module
 */
import {
  CommandError,
  migrateKeysNeedsEmptyKey,
  notInteger,
  syntaxError,
} from "../../errors.ts";
import { OK, simple } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import type { MigrateResult } from "../../services/migrate.ts";
import { NOTIFY_GENERIC, type ServerState } from "../../state.ts";
import type { RedisValue } from "../../store/values.ts";
import { asciiLower } from "../../util/bytes.ts";
import { parseInt64 } from "../../util/number.ts";
import { unblock } from "../blocking.ts";
import { pipelineHooks } from "../dispatch.ts";
import { defineCommand, keyAt, keysAfterKeyword } from "../define.ts";
import type { Context } from "../types.ts";
import { valueCodec } from "./restore.ts";

const NOKEY = simple("NOKEY");

function long(word: string): number {
  const n = parseInt64(word);
  if (n === undefined) throw notInteger();
  return Number(n);
}

// A key on its way: its name and the value that was serialized.
interface Moving {
  key: string;
  value: RedisValue;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

// Redis's second half of migrateCommand, once the target has replied.
function finish(
  server: ServerState,
  dbIndex: number,
  moving: readonly Moving[],
  copy: boolean,
  result: MigrateResult,
): Reply {
  const cmd = server.commands.get("migrate")!;
  const fail = (line: string): Reply => {
    cmd.stats.failedCalls++;
    server.countError(line.slice(0, line.indexOf(" ")));
    return { kind: "error", line };
  };
  if (result.kind === "ioerror") {
    return fail(`IOERR error or timeout ${result.step}`);
  }
  const db = server.db(dbIndex);
  let targetError: string | undefined;
  const deleted: string[] = [];
  for (let j = 0; j < result.restores.length; j++) {
    const line = result.restores[j]!;
    const errorLine = result.auth?.startsWith("-")
      ? result.auth
      : result.select?.startsWith("-")
      ? result.select
      : line.startsWith("-")
      ? line
      : undefined;
    if (errorLine !== undefined) {
      targetError ??= errorLine.slice(1);
      continue;
    }
    if (copy) continue;
    const { key, value } = moving[j]!;
    // Redis deletes atomically; here the key may have changed meanwhile.
    if (db.dict.get(key) !== value) continue;
    db.delete(key);
    server.notify(NOTIFY_GENERIC, "del", key, db.id);
    server.dirty++;
    deleted.push(key);
  }
  if (deleted.length !== 0) server.propagate(db.id, ["DEL", ...deleted]);
  if (targetError !== undefined) {
    return fail(`ERR Target instance replied with error: ${targetError}`);
  }
  if (result.socketError) {
    return fail("IOERR error or timeout reading to target instance");
  }
  return OK;
}

function migrateHandler(ctx: Context): Reply {
  const argv = ctx.argv;
  let copy = false;
  let replace = false;
  let auth: string[] | undefined;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const option = asciiLower(argv[j]!);
    if (option === "copy") {
      copy = true;
    } else if (option === "replace") {
      replace = true;
    } else if (option === "auth") {
      if (more === 0) throw syntaxError();
      auth = [argv[++j]!];
    } else if (option === "auth2") {
      if (more < 2) throw syntaxError();
      auth = [argv[j + 1]!, argv[j + 2]!];
      j += 2;
    } else if (option === "keys") {
      if (argv[3]!.length !== 0) throw migrateKeysNeedsEmptyKey();
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else {
      throw syntaxError();
    }
  }
  let timeout = long(argv[5]!);
  const dbid = long(argv[4]!);
  if (timeout <= 0) timeout = 1000;
  const db = ctx.db;
  const found: Moving[] = [];
  for (let j = 0; j < numKeys; j++) {
    const key = argv[firstKey + j]!;
    const value = db.lookupRead(key);
    if (value !== undefined) found.push({ key, value });
  }
  if (found.length === 0) return NOKEY;
  const service = ctx.server.migrate;
  if (service === undefined || !ctx.blockingAllowed) {
    throw new CommandError(
      "ERR",
      "MIGRATE cannot wait for the target inside MULTI or scripts in tsredis",
    );
  }
  const codec = valueCodec(ctx);
  const now = ctx.server.clock.now();
  const moving: Moving[] = [];
  const restores: Argv[] = [];
  for (const m of found) {
    const expireAt = db.getExpire(m.key);
    let ttl = 0;
    if (expireAt !== -1) {
      ttl = expireAt - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    moving.push(m);
    const restore = [
      "RESTORE",
      m.key,
      String(ttl),
      latin1(codec.dump(m.value)),
    ];
    if (replace) restore.push("REPLACE");
    restores.push(restore);
  }
  const server = ctx.server;
  const client = ctx.client;
  const dbIndex = db.id;
  service.migrate(
    {
      host: argv[1]!,
      port: long(argv[2]!),
      timeoutMs: timeout,
      auth,
      dbid: dbid,
      restores,
    },
    (result) => {
      const reply = finish(server, dbIndex, moving, copy, result);
      unblock(server, client, reply);
      // A deleted stream wakes its blocked readers.
      if (server.readyKeys.length !== 0) pipelineHooks.afterCommand(server);
    },
  );
  return ctx.block({ keys: [], deadline: 0, timeoutReply: null });
}

/** MIGRATE: moves keys to another server. */
export const migrate = defineCommand({
  name: "migrate",
  group: "generic",
  summary: "Atomically transfer a key from a Redis instance to another one.",
  since: "2.6.0",
  complexity:
    "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
  arity: -6,
  flags: ["write"],
  acl: ["keyspace", "dangerous"],
  keys: [
    keyAt(3, "RW ACCESS DELETE"),
    keysAfterKeyword("KEYS", -2, "RW ACCESS DELETE INCOMPLETE", {
      range: { lastkey: -1, keystep: 1, limit: 0 },
    }),
  ],
  tips: ["nondeterministic_output"],
  redact(argv) {
    // AUTH and AUTH2 arguments are secrets (Redis's redactClientCommandArgument).
    const out = argv.slice();
    for (let j = 6; j < out.length; j++) {
      const option = asciiLower(out[j]!);
      if (option === "auth" && j + 1 < out.length) {
        out[++j] = "(redacted)";
      } else if (option === "auth2" && j + 2 < out.length) {
        out[++j] = "(redacted)";
        out[++j] = "(redacted)";
      } else if (option === "keys") {
        break;
      }
    }
    return out;
  },
  docs: {
    history: [
      ["3.0.0", "Added the `COPY` and `REPLACE` options."],
      ["3.0.6", "Added the `KEYS` option."],
      ["4.0.7", "Added the `AUTH` option."],
      ["6.0.0", "Added the `AUTH2` option."],
    ],
    arguments: [
      { name: "host", type: "string" },
      { name: "port", type: "integer" },
      {
        name: "key_or_empty_string",
        type: "oneof",
        arguments: [
          { name: "key", type: "key", keySpecIndex: 0 },
          { name: "empty_string", type: "pure-token", token: "" },
        ],
      },
      { name: "destination-db", type: "integer" },
      { name: "timeout", type: "integer" },
      {
        name: "copy",
        type: "pure-token",
        token: "COPY",
        since: "3.0.0",
        optional: true,
      },
      {
        name: "replace",
        type: "pure-token",
        token: "REPLACE",
        since: "3.0.0",
        optional: true,
      },
      {
        name: "authentication",
        type: "oneof",
        optional: true,
        arguments: [
          {
            name: "password",
            type: "string",
            token: "AUTH",
            since: "4.0.7",
            optional: true,
          },
          {
            name: "username_password",
            type: "block",
            token: "AUTH2",
            since: "6.0.0",
            optional: true,
            arguments: [
              { name: "username", type: "string" },
              { name: "password", type: "string" },
            ],
          },
        ],
      },
      {
        name: "key",
        type: "key",
        keySpecIndex: 1,
        token: "KEYS",
        since: "3.0.6",
        optional: true,
        multiple: true,
      },
    ],
  },
  handler: migrateHandler,
});
