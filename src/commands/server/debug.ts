/**
 * DEBUG subcommand [arg ...]: the subcommands tsredis can do for real
 * (SLEEP, SET-ACTIVE-EXPIRE, OBJECT, LOG, PROTOCOL, ERROR, POPULATE,
 * CHANGE-REPL-ID, HELP). Allowed only as `enable-debug-command` says;
 * dispatch checks that through the `protected` flag.
 *
 * @module
 */
import {
  CommandError,
  debugProtocolType,
  noSuchKey,
  notEncodedAs,
  notInteger,
  notSdsString,
  outOfRange,
  resp2NotSupported,
  subcommandSyntaxError,
} from "../../errors.ts";
import { log } from "../../log.ts";
import {
  bignum,
  bool,
  double,
  map,
  OK,
  push,
  set,
  simple,
  verbatim,
} from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { LRU_CLOCK_MAX } from "../../store/database.ts";
import { HashValue } from "../../store/hash_value.ts";
import { ListValue } from "../../store/list_value.ts";
import { SetValue } from "../../store/set_value.ts";
import {
  RawBytes,
  stringEncoding,
  stringToLatin1,
} from "../../store/strings.ts";
import { isString, type RedisValue } from "../../store/values.ts";
import { asciiLower } from "../../util/bytes.ts";
import { parseInt64, parseIntNumber, strtod } from "../../util/number.ts";
import { defineCommand } from "../define.ts";
import { reply } from "../dispatch.ts";
import type { Context } from "../types.ts";
import { measureHeap } from "../../store/memory.ts";
import { changeReplicationId } from "./info.ts";
import { helpReply } from "./help.ts";
import { DEBUG_EXTRA } from "./debug_extra.ts";
import {
  DEFAULT_PEAK_RESET_TIME,
  jemallocSize,
  replyBufferSettings,
} from "../connection/client_buffers.ts";
import { lpEntrySize, quicklistNodes } from "../../store/listpack_size.ts";

// Redis 7.0's DEBUG HELP, every line of it (including subcommands tsredis
// answers with an error, as a Redis built without them would list them).
const HELP = [
  "AOF-FLUSH-SLEEP <microsec>",
  "    Server will sleep before flushing the AOF, this is used for testing.",
  "ASSERT",
  "    Crash by assertion failed.",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "CONFIG-REWRITE-FORCE-ALL",
  "    Like CONFIG REWRITE but writes all configuration options, including",
  "    keywords not listed in original configuration file or default values.",
  "CRASH-AND-RECOVER [<milliseconds>]",
  "    Hard crash and restart after a <milliseconds> delay (default 0).",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LEAK <string>",
  "    Create a memory leak of the input string.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "HTSTATS <dbid>",
  "    Return hash table statistics of the specified Redis database.",
  "HTSTATS-KEY <key>",
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  "LOADAOF",
  "    Flush the AOF buffers on disk and reload the AOF in memory.",
  "REPLICATE <string>",
  "    Replicates the provided string to replicas, allowing data divergence.",
  "MALLCTL <key> [<val>]",
  "    Get or set a malloc tuning integer.",
  "MALLCTL-STR <key> [<val>]",
  "    Get or set a malloc tuning string.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "DROP-CLUSTER-PACKET-FILTER <packet-type>",
  "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
  "OOM",
  "    Crash the server simulating an out-of-memory error.",
  "PANIC",
  "    Crash the server simulating a panic.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "RELOAD [option ...]",
  "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
  "    * MERGE: conflicting keys will be loaded from RDB.",
  "    * NOFLUSH: the existing database will not be removed before load, but",
  "      conflicting keys will generate an exception and kill the server.",
  "    * NOSAVE: the database will be loaded from an existing RDB file.",
  "    Examples:",
  "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
  "      the database.",
  "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
  "      existing RDB file.",
  "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
  "      file to the database.",
  "RESTART [<milliseconds>]",
  "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
  "SDSLEN <key>",
  "    Show low level SDS string info representing `key` and value.",
  "SEGFAULT",
  "    Crash the server with sigsegv.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "QUICKLIST-PACKED-THRESHOLD <size>",
  "    Sets the threshold for elements to be inserted as plain vs packed nodes",
  "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
  "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "STRINGMATCH-TEST",
  "    Run a fuzz tester against the stringmatchlen() function.",
  "STRUCTSIZE",
  "    Return the size of different Redis core C structures.",
  "LISTPACK <key>",
  "    Show low level info about the listpack encoding of <key>.",
  "QUICKLIST <key> [<0|1>]",
  "    Show low level info about the quicklist encoding of <key>.",
  "    The optional argument (0 by default) sets the level of detail",
  "CLIENT-EVICTION",
  "    Show low level client eviction pools info (maxmemory-clients).",
  "PAUSE-CRON <0|1>",
  "    Stop periodic cron job processing.",
  "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
  "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
  "    In case NEVER is provided the last observed peak will never be reset",
  "    In case RESET is provided the peak reset time will be restored to the default value",
  "REPLYBUFFER RESIZING <0|1>",
  "    Enable or disable the reply buffer resize cron job",
  "CLUSTERLINK KILL <to|from|all> <node-id>",
  "    Kills the link based on the direction to/from (both) with the provided node.",
];

// C's atoi/atof: a leading number, or 0.
function atoi(text: string): number {
  const m = /^\s*[+-]?\d+/.exec(text);
  return m === null ? 0 : Number(m[0]);
}

function atof(text: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
  return m === null ? 0 : strtod(m[0].trim()) ?? 0;
}

/** Blocks the whole process, as Redis's DEBUG SLEEP does. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, ms);
}

// Sizes as Redis's RDB and listpack encodings would make them, for
// DEBUG OBJECT's serializedlength and ql_* fields.
function rdbLenSize(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

function rdbStringSize(s: string): number {
  const n = parseIntNumber(s);
  if (n !== undefined && String(n) === s) {
    if (n >= -128 && n <= 127) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -2147483648 && n <= 2147483647) return 5;
  }
  return rdbLenSize(s.length) + s.length;
}

function listpackSize(items: readonly string[]): number {
  let size = 7; // 6-byte header and the end byte
  for (const s of items) size += lpEntrySize(s);
  return size;
}

function serializedLength(ctx: Context, value: RedisValue): number {
  if (isString(value)) return rdbStringSize(stringToLatin1(value));
  if (value instanceof ListValue) {
    const nodes = quicklistNodes(
      value.toArray(),
      ctx.server.encoding.listMaxListpackSize,
    );
    let size = rdbLenSize(nodes.length);
    for (const n of nodes) size += 1 + rdbLenSize(n) + n;
    return size;
  }
  if (value instanceof SetValue) {
    const members = value.members();
    if (value.encoding() === "intset") {
      let width = 2;
      for (const m of members) {
        const n = Number(m);
        if (n < -2147483648 || n > 2147483647) width = 8;
        else if ((n < -32768 || n > 32767) && width < 4) width = 4;
      }
      const blob = 8 + members.length * width;
      return rdbLenSize(blob) + blob;
    }
    let size = rdbLenSize(members.length);
    for (const m of members) size += rdbStringSize(m);
    return size;
  }
  if (value instanceof HashValue) {
    const flat = value.entries();
    if (value.encoding() === "listpack") {
      const blob = listpackSize(flat);
      return rdbLenSize(blob) + blob;
    }
    let size = rdbLenSize(flat.length / 2);
    for (const s of flat) size += rdbStringSize(s);
    return size;
  }
  if (value.type === "zset") {
    // Read through the shape every sorted set value has (scan by cursor).
    const zset = value as unknown as {
      scan(cursor: number, fn: (member: string, score: number) => void): number;
    };
    const flat: string[] = [];
    let cursor = 0;
    do {
      cursor = zset.scan(cursor, (member, score) => {
        flat.push(member, String(score));
      });
    } while (cursor !== 0);
    if (value.encoding() === "listpack") {
      const blob = listpackSize(flat);
      return rdbLenSize(blob) + blob;
    }
    let size = rdbLenSize(flat.length / 2);
    for (let i = 0; i < flat.length; i += 2) {
      size += rdbStringSize(flat[i]!) + 8; // a binary double per score
    }
    return size;
  }
  return 1; // streams: not estimated
}

// Redis prints the value's address; a stable fake one keyed by db and key.
function address(db: number, key: string): string {
  let h = 0x811c9dc5 ^ db;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return `0x7f${(h >>> 0).toString(16).padStart(8, "0")}${
    ((h >>> 16) & 0xf0).toString(16).padStart(2, "0")
  }`;
}

function refcount(ctx: Context, value: RedisValue): number {
  if (typeof value !== "string" || stringEncoding(value) !== "int") return 1;
  const n = Number(value);
  if (value.length > 4 || n < 0 || n >= 10000) return 1;
  const policy = ctx.server.config.get("maxmemory-policy");
  if (
    ctx.server.config.number("maxmemory") !== 0 &&
    (policy.includes("lru") || policy.includes("lfu"))
  ) {
    return 1;
  }
  return 2147483647; // a shared integer object
}

function objectLine(ctx: Context, key: string): string {
  // Redis looks in the dict directly: no expiry, no LRU update.
  const value = ctx.db.dict.get(key);
  if (value === undefined) throw noSuchKey();
  const encoding = isString(value) ? stringEncoding(value) : value.encoding();
  const lru = ctx.db.accessMeta(key);
  const clock = ctx.db.hooks.lruClock();
  const idle = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
  let extra = "";
  if (value instanceof ListValue) {
    const fill = ctx.server.encoding.listMaxListpackSize;
    const nodes = quicklistNodes(value.toArray(), fill);
    const count = value.length;
    extra = ` ql_nodes:${nodes.length} ql_avg_node:${
      (nodes.length === 0 ? 0 : count / nodes.length).toFixed(2)
    } ql_listpack_max:${fill} ql_compressed:${
      ctx.server.encoding.listCompressDepth !== 0 ? 1 : 0
    } ql_uncompressed_size:${nodes.reduce((a, b) => a + b, 0)}`;
  }
  return `Value at:${address(ctx.db.id, key)} refcount:${
    refcount(ctx, value)
  } encoding:${encoding} serializedlength:${
    serializedLength(ctx, value)
  } lru:${lru} lru_seconds_idle:${idle}${extra}`;
}

// The header of an sds string of `len` bytes (Redis's sdsReqType; type 5
// for short keys only, values start at type 8).
function sdsHeader(len: number, allowType5: boolean): number {
  if (allowType5 && len < 32) return 1;
  return len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
}

// DEBUG SDSLEN: the key's and the value's sds sizes as Redis allocates
// them with jemalloc (an embstr shares its allocation with the object).
function sdsLine(ctx: Context, key: string): string {
  const value = ctx.db.dict.get(key);
  if (value === undefined) throw noSuchKey();
  if (!isString(value) || stringEncoding(value) === "int") {
    throw notSdsString();
  }
  const keyHeader = sdsHeader(key.length, true);
  const keyZmalloc = jemallocSize(keyHeader + key.length + 1);
  // Type 5 headers keep no allocation size: no free room to report.
  const keyAvail = keyHeader === 1
    ? 0
    : keyZmalloc - keyHeader - 1 - key.length;
  const len = value.length;
  let avail: number;
  let zmalloc: number;
  if (stringEncoding(value) === "embstr") {
    avail = 0;
    zmalloc = jemallocSize(16 + 3 + len + 1) - 16;
  } else {
    // Edited in place: the capacity it grew to; otherwise sdsnewlen's.
    const capacity = value instanceof RawBytes
      ? value.buffer.byteLength - value.byteOffset
      : len;
    const header = sdsHeader(capacity, false);
    zmalloc = jemallocSize(header + capacity + 1);
    avail = zmalloc - header - 1 - len;
  }
  return `key_sds_len:${key.length}, key_sds_avail:${keyAvail}, key_zmalloc: ${keyZmalloc}, val_sds_len:${len}, val_sds_avail:${avail}, val_zmalloc: ${zmalloc}`;
}

function protocol(ctx: Context, type: string): Reply {
  switch (asciiLower(type)) {
    case "string":
      return "Hello World";
    case "integer":
      return 12345;
    case "double":
      return double(3.141);
    case "bignum":
      return bignum("1234567999999999999999999999999999999");
    case "null":
      return null;
    case "array":
      return [0, 1, 2];
    case "set":
      return set([0, 1, 2]);
    case "map":
      return map([0, bool(false), 1, bool(true), 2, bool(false)]);
    case "attrib":
      return {
        kind: "attribute",
        entries: ["key-popularity", ["key:123", 90]],
        value: "Some real reply following the attribute",
      };
    case "push":
      if (ctx.client.protocol < 3) {
        throw resp2NotSupported();
      }
      // A push is not the command's reply: the real reply follows it.
      reply(ctx.client, push(["server-cpu-usage", 42]));
      return "Some real reply following the push reply";
    case "true":
      return bool(true);
    case "false":
      return bool(false);
    case "verbatim":
      return verbatim("This is a verbatim\nstring");
    default:
      throw debugProtocolType();
  }
}

function populate(ctx: Context, words: readonly string[]): Reply {
  // getPositiveLongFromObjectOrReply: one message for both kinds of mistake.
  const positive = (text: string) => {
    const n = parseIntNumber(text);
    if (n === undefined || n < 0) throw outOfRange("value");
    return n;
  };
  const count = positive(words[2]!);
  const size = words.length === 5 ? positive(words[4]!) : 0;
  const prefix = words.length === 3 ? "key" : words[3]!;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (ctx.db.lookupWrite(key) !== undefined) continue;
    let value = `value:${j}`;
    if (size !== 0) {
      value = size <= value.length
        ? value.slice(0, size)
        : value + "\0".repeat(size - value.length);
    }
    ctx.db.add(key, value);
  }
  return OK;
}

/** DEBUG: server debugging helpers. */
export const debug = defineCommand({
  name: "debug",
  group: "server",
  summary: "A container for debugging commands",
  since: "1.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: ["admin", "noscript", "loading", "stale", "protected"],
  docs: { docFlags: ["syscmd"] },
  handler(ctx, args) {
    const words = ctx.argv;
    const sub = args.option();
    const argc = words.length;
    if (sub === "help" && argc === 2) return helpReply("DEBUG", HELP);
    if (sub === "sleep" && argc === 3) {
      sleepSync(atof(words[2]!) * 1000);
      return OK;
    }
    if (sub === "set-active-expire" && argc === 3) {
      ctx.server.activeExpire = atoi(words[2]!) !== 0;
      return OK;
    }
    if (sub === "object" && argc === 3) {
      return simple(objectLine(ctx, words[2]!));
    }
    if (sub === "log" && argc === 3) {
      log.warning(`DEBUG LOG: ${words[2]}`);
      return OK;
    }
    if (sub === "protocol" && argc === 3) return protocol(ctx, words[2]!);
    if (sub === "error" && argc === 3) {
      // The text is sent as the whole error line, "-" and all.
      const text = words[2]!;
      const space = text.indexOf(" ");
      throw new CommandError(
        space < 0 ? text : text.slice(0, space),
        space < 0 ? "" : text.slice(space + 1),
      );
    }
    if (sub === "populate" && argc >= 3 && argc <= 5) {
      return populate(ctx, words);
    }
    if (sub === "tsredis-heap" && argc === 2) {
      // tsredis only: the heap in use (with array buffers) after a full
      // collection, to check the memory accounting against; a real
      // measurement needs the collector (DENO_V8_FLAGS=--expose-gc).
      const m = measureHeap();
      if (!m.gc) {
        throw new CommandError(
          "ERR",
          "DEBUG TSREDIS-HEAP needs the server started with DENO_V8_FLAGS=--expose-gc",
        );
      }
      return m.heap;
    }
    if (sub === "sdslen" && argc === 3) return simple(sdsLine(ctx, words[2]!));
    if (sub === "listpack" && argc === 3) {
      const value = ctx.db.dict.get(words[2]!);
      if (value === undefined) throw noSuchKey();
      if (isString(value) || value.encoding() !== "listpack") {
        throw notEncodedAs("listpack");
      }
      // Redis prints the listpack on its standard output.
      return simple("Listpack structure printed on stdout");
    }
    if (sub === "quicklist" && (argc === 3 || argc === 4)) {
      const value = ctx.db.dict.get(words[2]!);
      if (value === undefined) throw noSuchKey();
      if (!(value instanceof ListValue)) throw notEncodedAs("quicklist");
      return simple("Quicklist structure printed on stdout");
    }
    if (sub === "structsize" && argc === 2) {
      return "bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ";
    }
    if (sub === "replybuffer" && argc === 4) {
      // Redis's reply buffer resizing knobs (commands/connection/client_buffers.ts).
      const s = replyBufferSettings(ctx.server);
      const what = asciiLower(words[2]!);
      if (what === "peak-reset-time") {
        const value = asciiLower(words[3]!);
        if (value === "never") s.peakResetTime = -1;
        else if (value === "reset") s.peakResetTime = DEFAULT_PEAK_RESET_TIME;
        else {
          const n = parseInt64(words[3]!);
          if (n === undefined) throw notInteger();
          s.peakResetTime = Number(n);
        }
      } else if (what === "resizing") {
        s.resizing = atoi(words[3]!) !== 0;
      } else {
        throw subcommandSyntaxError(words[1]!, "debug");
      }
      return OK;
    }
    if (sub === "change-repl-id" && argc === 2) {
      changeReplicationId(ctx.server);
      log.notice(
        "Changing replication IDs after receiving DEBUG change-repl-id",
      );
      return OK;
    }
    const extra = DEBUG_EXTRA.get(sub);
    const result = extra?.(ctx, words);
    if (result !== undefined) return result;
    throw subcommandSyntaxError(words[1]!, "debug");
  },
});
