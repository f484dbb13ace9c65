/**
 * Server group against real redis-server 7.0: COMMAND, CONFIG, INFO, TIME,
 * DEBUG, SHUTDOWN's refusals.
 *
 * Masks and why:
 * - Redis prints CONFIG GET pairs, COMMAND LIST names and INFO
 *   commandstats lines in hash-table order (random per process), so those
 *   replies are sorted before comparing.
 * - INFO values (memory, times, pids, ids, ...) differ between any two
 *   servers; `infoNames` keeps each field's name and position but drops
 *   the value, so the section set, order and field names are compared.
 *   tsredis adds one field of its own, `tsredis_version`, which is removed.
 * - TIME and DEBUG OBJECT's address and LRU clock are clock/memory values.
 * - COMMAND COUNT: tsredis does not have all of Redis's commands yet.
 *
 * @module
 */
import { assert, assertEquals } from "../_deps.ts";
import { differential, masks } from "../_harness/differential.ts";
import { startInProcess } from "../_harness/in_process.ts";
import { parseReply } from "../_harness/resp_client.ts";

// Re-encodes a flat map reply (CONFIG GET) with its pairs sorted by name.
function sortPairs(raw: string): string {
  const r = parseReply(raw, 0);
  if (r === undefined) return raw;
  const items = r.value instanceof Map
    ? [...r.value].flat()
    : (r.value as string[]);
  const pairs: string[] = [];
  for (let i = 0; i < items.length; i += 2) {
    pairs.push(`${items[i]}=${items[i + 1]}`);
  }
  return pairs.sort().join("\n");
}

// INFO with the values gone: `name:` lines, titles and blank lines remain.
// Commandstats and latencystats lines are per command, in hash-table order.
function infoNames(raw: string): string {
  const body = raw.slice(raw.indexOf("\r\n") + 2)
    .replace(/^txt:/, "")
    .replace(/^tsredis_version:.*\r\n/m, "")
    .replace(/^([a-z0-9_|]+):.*$/gm, "$1:");
  const sections = body.split("\r\n\r\n").map((section) => {
    if (!/^# (Commandstats|Latencystats)/.test(section)) return section;
    const [title, ...lines] = section.split("\r\n");
    return [title, ...lines.sort()].join("\r\n");
  });
  return `${raw[0]}${sections.join("\r\n\r\n")}`;
}

// INFO commandstats with times masked and lines sorted.
function cmdstats(raw: string): string {
  const lines = raw.split("\r\n").filter((l) => l.startsWith("cmdstat_"));
  return lines.map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+/, "usec"))
    .sort().join("\n");
}

const timeMask = masks.replace(/\d+/g, "N");

// DEBUG OBJECT: the address and LRU clock are not comparable.
const debugObjectMask = masks.replace(
  /Value at:0x[0-9a-f]+|lru:\d+ lru_seconds_idle:\d+/g,
  "<masked>",
);

const WHY_ORDER = "Redis replies in hash-table order (random per process)";
const WHY_INFO = "INFO values differ between servers; names and order compared";

differential(import.meta.url, {
  "COMMAND INFO of existing, missing and subcommands": [
    [
      "COMMAND",
      "INFO",
      "get",
      "nosuch",
      "CONFIG|GET",
      "config|nosuch",
      "get|x",
    ],
    ["COMMAND", "INFO", "a|b|c"],
  ],
  "COMMAND INFO in RESP3": {
    protocol: 3,
    steps: [["COMMAND", "INFO", "set", "config|set", "nosuch"]],
  },
  "COMMAND DOCS": [
    ["COMMAND", "DOCS", "get", "config|set", "nosuch", "GET"],
    ["COMMAND", "DOCS", "nosuch"],
  ],
  "COMMAND DOCS in RESP3": {
    protocol: 3,
    steps: [["COMMAND", "DOCS", "config|get", "shutdown", "hello"]],
  },
  "COMMAND COUNT is an integer": [
    {
      cmd: ["COMMAND", "COUNT"],
      mask: masks.integers,
      why: "tsredis does not have all of Redis's commands yet",
    },
    ["COMMAND", "COUNT", "x"],
  ],
  "COMMAND LIST with filters": [
    {
      cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"],
      mask: masks.sortArray,
      why: WHY_ORDER,
    },
    {
      cmd: ["command", "list", "filterby", "pattern", "CONFIG|G*"],
      mask: masks.sortArray,
      why: WHY_ORDER,
    },
    ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcategory"],
    ["COMMAND", "LIST", "FILTERBY", "MODULE", "nosuchmodule"],
    ["COMMAND", "LIST", "FILTERBY"],
    ["COMMAND", "LIST", "FILTERBY", "foo", "bar"],
    ["COMMAND", "LIST", "x"],
    ["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "FILTERBY"],
  ],
  "COMMAND GETKEYS and GETKEYSANDFLAGS": [
    ["COMMAND", "GETKEYS", "set", "a", "b"],
    ["COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"],
    ["COMMAND", "GETKEYS", "lmove", "a", "b", "left", "right"],
    ["COMMAND", "GETKEYS", "zunionstore", "d", "2", "a", "b"],
    ["COMMAND", "GETKEYS", "zunionstore", "d", "5", "a"],
    ["COMMAND", "GETKEYS", "zunionstore", "d", "x", "a"],
    [
      "COMMAND",
      "GETKEYS",
      "xread",
      "count",
      "1",
      "streams",
      "a",
      "b",
      "0",
      "0",
    ],
    ["COMMAND", "GETKEYS", "get", "a", "b"],
    ["COMMAND", "GETKEYS", "config", "get", "x"],
    ["COMMAND", "GETKEYS", "nosuch", "a"],
    ["COMMAND", "GETKEYS", "get"],
    ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"],
    ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"],
    ["COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "right"],
    ["COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"],
  ],
  "COMMAND GETKEYSANDFLAGS in RESP3": {
    protocol: 3,
    steps: [["COMMAND", "GETKEYSANDFLAGS", "lmove", "a", "b", "left", "right"]],
  },
  "COMMAND HELP and unknown subcommands": [
    ["COMMAND", "HELP"],
    ["COMMAND", "HELP", "x"],
    ["COMMAND", "nosuch"],
  ],
  "CONFIG GET": [
    ["CONFIG", "GET", "maxclients"],
    {
      cmd: ["CONFIG", "GET", "MAXCLIENTS", "timeout", "TIMEOUT"],
      mask: sortPairs,
      why: WHY_ORDER,
    },
    { cmd: ["CONFIG", "GET", "max*"], mask: sortPairs, why: WHY_ORDER },
    {
      cmd: ["CONFIG", "GET", "hash-max-*", "zset-max-*"],
      mask: sortPairs,
      why: WHY_ORDER,
    },
    {
      cmd: ["CONFIG", "GET", "slave*", "replica-read-only"],
      mask: sortPairs,
      why: WHY_ORDER,
    },
    {
      cmd: ["CONFIG", "GET", "*max-*-entries*"],
      mask: sortPairs,
      why: WHY_ORDER,
    },
    ["CONFIG", "GET", "nosuch"],
    ["CONFIG", "GET", "ti\\meout"],
    {
      cmd: [
        "CONFIG",
        "GET",
        "client-output-buffer-limit",
        "notify-keyspace-events",
      ],
      mask: sortPairs,
      why: WHY_ORDER,
    },
    ["CONFIG", "GET"],
  ],
  "CONFIG GET in RESP3": {
    protocol: 3,
    steps: [["CONFIG", "GET", "maxclients"], ["CONFIG", "GET", "nosuch"]],
  },
  "CONFIG SET errors": [
    ["CONFIG", "SET", "foo", "bar"],
    ["CONFIG", "SET", "maxclients"],
    ["CONFIG", "SET", "maxclients", "10", "timeout"],
    ["CONFIG", "SET", "maxclients", "abc"],
    ["CONFIG", "SET", "MAXCLIENTS", "abc"],
    ["CONFIG", "SET", "slave-priority", "abc"],
    ["CONFIG", "SET", "maxclients", "10", "maxclients", "20"],
    ["CONFIG", "SET", "maxclients", "abc", "daemonize", "yes"],
    ["CONFIG", "SET", "daemonize", "yes", "foo", "1"],
    ["CONFIG", "SET", "foo", "1", "daemonize", "yes"],
    ["CONFIG", "SET", "port", "7300", "port", "7301"],
    ["CONFIG", "SET", "dir", "/tmp"],
    ["CONFIG", "SET", "enable-debug-command", "no"],
    ["CONFIG", "SET", "maxclients", "0"],
    ["CONFIG", "SET", "hz", "-1"],
    ["CONFIG", "SET", "loglevel", "foo"],
    ["CONFIG", "SET", "appendonly", "maybe"],
    ["CONFIG", "SET", "save", "1 2 3"],
    ["CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"],
    ["CONFIG", "SET", "maxmemory", "1x"],
    ["CONFIG", "SET", "notify-keyspace-events", "Q"],
    ["CONFIG", "GET", "maxclients"],
  ],
  "CONFIG SET shutdown-on-sigint/sigterm: SHUTDOWN's flags together": [
    ["CONFIG", "SET", "shutdown-on-sigterm", "nosave now"],
    ["CONFIG", "GET", "shutdown-on-sigterm"],
    ["CONFIG", "SET", "shutdown-on-sigterm", "FORCE now NOSAVE"],
    ["CONFIG", "GET", "shutdown-on-sigterm"],
    ["CONFIG", "SET", "shutdown-on-sigint", "default now"],
    ["CONFIG", "GET", "shutdown-on-sigint"],
    ["CONFIG", "SET", "shutdown-on-sigint", "save nosave"],
    ["CONFIG", "SET", "shutdown-on-sigint", "now  save"],
    ["CONFIG", "SET", "shutdown-on-sigint", ""],
    ["CONFIG", "SET", "shutdown-on-sigint", "bogus"],
    ["CONFIG", "GET", "shutdown-on-sigint"],
    ["CONFIG", "SET", "shutdown-on-sigint", "default"],
    ["CONFIG", "GET", "shutdown-on-sigint"],
  ],
  "CONFIG SET several at once, aliases and normalization": [
    ["CONFIG", "SET", "timeout", "5", "maxclients", "100"],
    ["CONFIG", "GET", "timeout"],
    ["CONFIG", "GET", "maxclients"],
    ["CONFIG", "SET", "SLAVE-priority", "5", "replica-priority", "6"],
    ["CONFIG", "GET", "replica-priority"],
    // lua-time-limit is busy-reply-threshold's old name in 7.0.
    ["CONFIG", "SET", "lua-time-limit", "100"],
    ["CONFIG", "GET", "busy-reply-threshold"],
    ["CONFIG", "SET", "busy-reply-threshold", "5000"],
    ["CONFIG", "GET", "lua-time-limit"],
    ["CONFIG", "SET", "hz", "1000"],
    ["CONFIG", "GET", "hz"],
    ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"],
    ["CONFIG", "GET", "maxmemory-policy"],
    ["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
    ["CONFIG", "GET", "proto-max-bulk-len"],
    ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 2mb 30"],
    ["CONFIG", "GET", "client-output-buffer-limit"],
    [
      "CONFIG",
      "SET",
      "timeout",
      "0",
      "maxclients",
      "10000",
      "replica-priority",
      "100",
      "hz",
      "10",
      "maxmemory-policy",
      "noeviction",
      "proto-max-bulk-len",
      "512mb",
      "client-output-buffer-limit",
      "pubsub 32mb 8mb 60",
    ],
    ["CONFIG", "GET", "client-output-buffer-limit"],
  ],
  // memtoull saturates at 2^64 - 1 and a unit's product wraps; each field
  // then checks its bounds as signed or unsigned, and a negative
  // maxmemory-clients is a percentage.
  "CONFIG SET memory values beyond 64 bits, percentages, empty limits": [
    ["CONFIG", "SET", "maxmemory", "99999999999999999999"],
    ["CONFIG", "GET", "maxmemory"],
    ["CONFIG", "SET", "maxmemory", "17179869184gb"],
    ["CONFIG", "GET", "maxmemory"],
    ["CONFIG", "SET", "proto-max-bulk-len", "18446744073709551615"],
    ["CONFIG", "SET", "auto-aof-rewrite-min-size", "9223372036854775808"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "9223372036854775808"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "17179869184gb"],
    ["CONFIG", "GET", "hll-sparse-max-bytes"],
    ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
    ["CONFIG", "SET", "maxmemory-clients", "99999999999999999999"],
    ["CONFIG", "GET", "maxmemory-clients"],
    ["CONFIG", "SET", "maxmemory-clients", "9223372036854775808"],
    ["CONFIG", "SET", "maxmemory-clients", "0%"],
    ["CONFIG", "GET", "maxmemory-clients"],
    ["CONFIG", "SET", "maxmemory-clients", "007%"],
    ["CONFIG", "SET", "maxmemory-clients", "101%"],
    ["CONFIG", "SET", "maxmemory-clients", "0"],
    ["CONFIG", "SET", "repl-backlog-size", "1"],
    ["CONFIG", "GET", "repl-backlog-size"],
    ["CONFIG", "SET", "repl-backlog-size", "1mb"],
    ["CONFIG", "SET", "client-output-buffer-limit", ""],
    ["CONFIG", "GET", "client-output-buffer-limit"],
    ["CONFIG", "SET", "client-output-buffer-limit", "0 200  800"],
    [
      "CONFIG",
      "SET",
      "client-output-buffer-limit",
      "normal 1mb 1mb 1  pubsub 0 0 0",
    ],
    ["CONFIG", "GET", "client-output-buffer-limit"],
    ["CONFIG", "SET", "maxmemory", "0"],
  ],
  // Split on each single space, each word a double printed back with %f.
  "CONFIG SET latency-tracking-info-percentiles: doubles as Redis reads and prints them":
    [
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "+5 0x10 00 -0"],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "0.0078125 1e-7"],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50  99"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", " 5"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "inf"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "nan"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", ""],
      ["CONFIG", "GET", "latency-tracking-info-percentiles"],
      ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"],
    ],
  "CONFIG RESETSTAT, REWRITE without a file, HELP": [
    ["CONFIG", "RESETSTAT"],
    ["CONFIG", "REWRITE"],
    ["CONFIG", "HELP"],
    ["CONFIG", "nosuch"],
    ["CONFIG"],
    ["CONFIG", "RESETSTAT", "x"],
  ],
  "INFO sections and field names": [
    ["CONFIG", "RESETSTAT"],
    { cmd: ["INFO"], mask: infoNames, why: WHY_INFO },
    { cmd: ["INFO", "everything"], mask: infoNames, why: WHY_INFO },
    { cmd: ["INFO", "all"], mask: infoNames, why: WHY_INFO },
    { cmd: ["INFO", "keyspace", "SERVER"], mask: infoNames, why: WHY_INFO },
    {
      cmd: ["INFO", "default", "commandstats"],
      mask: infoNames,
      why: WHY_INFO,
    },
    { cmd: ["INFO", "modules", "module_list"], mask: infoNames, why: WHY_INFO },
  ],
  "INFO exact sections": [
    ["SET", "k", "v"],
    ["SET", "e", "v", "EX", "100"],
    ["INFO", "keyspace"],
    ["INFO", "cluster"],
    ["INFO", "nosuchsection"],
    ["INFO", "Keyspace", "cluster"],
  ],
  "INFO in RESP3 is a verbatim string": {
    protocol: 3,
    steps: [["INFO", "cluster"], ["INFO", "nosuch"]],
  },
  "INFO errorstats and commandstats": [
    ["CONFIG", "RESETSTAT"],
    ["GET"],
    ["nosuchcommand"],
    ["CONFIG", "SET", "foo", "bar"],
    ["SET", "k", "v"],
    ["LPUSH", "k", "x"],
    ["INFO", "errorstats"],
    {
      cmd: ["INFO", "commandstats"],
      mask: cmdstats,
      why: "times differ; Redis prints commands in hash-table order",
    },
  ],
  "TIME": [
    { cmd: ["TIME"], mask: timeMask, why: "the clock" },
    ["TIME", "x"],
  ],
  "DEBUG PROTOCOL in RESP2": [
    ["DEBUG", "PROTOCOL", "string"],
    ["DEBUG", "PROTOCOL", "integer"],
    ["DEBUG", "PROTOCOL", "double"],
    ["DEBUG", "PROTOCOL", "bignum"],
    ["DEBUG", "PROTOCOL", "null"],
    ["DEBUG", "PROTOCOL", "array"],
    ["DEBUG", "PROTOCOL", "set"],
    ["DEBUG", "PROTOCOL", "map"],
    ["DEBUG", "PROTOCOL", "attrib"],
    ["DEBUG", "PROTOCOL", "push"],
    ["DEBUG", "PROTOCOL", "verbatim"],
    ["DEBUG", "PROTOCOL", "true"],
    ["DEBUG", "PROTOCOL", "false"],
    ["DEBUG", "PROTOCOL", "nosuch"],
  ],
  "DEBUG PROTOCOL in RESP3": {
    protocol: 3,
    steps: [
      ["DEBUG", "PROTOCOL", "string"],
      ["DEBUG", "PROTOCOL", "integer"],
      ["DEBUG", "PROTOCOL", "double"],
      ["DEBUG", "PROTOCOL", "bignum"],
      ["DEBUG", "PROTOCOL", "null"],
      ["DEBUG", "PROTOCOL", "array"],
      ["DEBUG", "PROTOCOL", "set"],
      ["DEBUG", "PROTOCOL", "map"],
      ["DEBUG", "PROTOCOL", "attrib"],
      // A push frame and then the reply: read both.
      {
        raw: "*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$4\r\npush\r\n",
        readFor: 300,
      },
      ["DEBUG", "PROTOCOL", "verbatim"],
      ["DEBUG", "PROTOCOL", "true"],
      ["DEBUG", "PROTOCOL", "false"],
    ],
  },
  "DEBUG OBJECT": [
    ["SET", "n", "123"],
    ["SET", "s", "hello"],
    ["RPUSH", "l", "a", "b", "c", "1", "2"],
    ["SADD", "st", "1", "2", "3"],
    ["HSET", "h", "a", "1"],
    ["ZADD", "z", "1", "a"],
    { cmd: ["DEBUG", "OBJECT", "n"], mask: debugObjectMask, why: "memory" },
    { cmd: ["DEBUG", "OBJECT", "s"], mask: debugObjectMask, why: "memory" },
    { cmd: ["DEBUG", "OBJECT", "l"], mask: debugObjectMask, why: "memory" },
    { cmd: ["DEBUG", "OBJECT", "st"], mask: debugObjectMask, why: "memory" },
    { cmd: ["DEBUG", "OBJECT", "h"], mask: debugObjectMask, why: "memory" },
    { cmd: ["DEBUG", "OBJECT", "z"], mask: debugObjectMask, why: "memory" },
    ["DEBUG", "OBJECT", "nosuch"],
  ],
  "DEBUG subcommands": [
    ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
    ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
    ["DEBUG", "SLEEP", "0"],
    ["DEBUG", "SLEEP", "0.01"],
    ["DEBUG", "LOG", "hello from the conformance suite"],
    ["DEBUG", "ERROR", "some text"],
    ["DEBUG", "ERROR", "-CODE some text"],
    ["DEBUG", "CHANGE-REPL-ID"],
    ["DEBUG", "POPULATE", "3"],
    ["DBSIZE"],
    ["GET", "key:0"],
    ["GET", "key:2"],
    ["DEBUG", "POPULATE", "2", "pre", "10"],
    ["GET", "pre:1"],
    ["DEBUG", "POPULATE", "2", "pre", "3"],
    ["GET", "pre:0"],
    ["DEBUG", "POPULATE", "-1"],
    ["DEBUG", "POPULATE", "abc"],
    ["DEBUG", "POPULATE", "1", "p", "-1"],
    ["DEBUG", "nosuch"],
    ["DEBUG", "SLEEP"],
    ["DEBUG"],
  ],
  "DEBUG SET-ACTIVE-EXPIRE 0 leaves expired keys to lazy expiry": [
    ["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
    ["SET", "k", "v", "PX", "50"],
    { cmd: ["DBSIZE"], sleep: 400 },
    // Until the active cycle has run (DBSIZE does not expire keys itself).
    {
      cmd: ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
      after: { cmd: ["DBSIZE"], until: (raw) => raw === ":0\r\n" },
    },
    { cmd: ["DBSIZE"] },
  ],
  "SHUTDOWN refusals": [
    ["SHUTDOWN", "ABORT"],
    ["SHUTDOWN", "SAVE", "NOSAVE"],
    ["SHUTDOWN", "ABORT", "NOW"],
    ["SHUTDOWN", "foo"],
    ["MULTI"],
    ["SHUTDOWN", "NOSAVE"],
    ["EXEC"],
  ],
}, { args: ["--enable-debug-command", "yes"] });

Deno.test({
  name: "DEBUG SLEEP stops the whole server for the given time",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess(["--enable-debug-command", "yes"]);
    const a = await server.connect();
    const b = await server.connect();
    try {
      const start = performance.now();
      const sleeping = a.call("DEBUG", "SLEEP", "0.3");
      await new Promise((r) => setTimeout(r, 50));
      assertEquals(await b.call("PING"), "PONG");
      assert(performance.now() - start >= 290, "PING waited for the sleep");
      assertEquals(await sleeping, "OK");
    } finally {
      a.close();
      b.close();
    }
  },
});

Deno.test({
  name: "DEBUG is refused unless enable-debug-command allows it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const c = await server.connect();
    try {
      const reply = await c.call("DEBUG", "SLEEP", "0");
      assert(
        String((reply as { message: string }).message).startsWith(
          "ERR DEBUG command not allowed.",
        ),
      );
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name:
    "INFO latencystats reports per-command percentiles as Redis's histogram buckets",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = startInProcess();
    const c = await server.connect();
    try {
      await c.call("CONFIG", "RESETSTAT");
      await c.call("SET", "k", "v");
      const text = String(await c.call("INFO", "latencystats"));
      assert(
        /latency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/
          .test(text),
        text,
      );
      await c.call(
        "CONFIG",
        "SET",
        "latency-tracking-info-percentiles",
        "50 99.99",
      );
      assert(
        /p50=[\d.]+,p99\.99=/.test(
          String(await c.call("INFO", "latencystats")),
        ),
      );
      await c.call("CONFIG", "SET", "latency-tracking", "no");
      assertEquals(await c.call("INFO", "latencystats"), "# Latencystats\r\n");
    } finally {
      c.close();
    }
  },
});
