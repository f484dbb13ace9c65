/**
 * The fuzzer's commands sent to tsredis and to redis-server alike, one at a
 * time on one connection each, comparing the reply bytes: a well-formed
 * but unusual command (an argument of the wrong kind, options in an odd
 * order, a count at a limit) must get the same reply, error text
 * included. Commands whose replies legitimately differ are left out:
 * randomness, time, ordering of unordered collections, server state
 * (INFO, CLIENT, CONFIG, DEBUG, OBJECT, MEMORY), IDs a server picks
 * (`*`, `$`), blocking and connection-state commands.
 *
 * What it finds is not a crash: `deno task fuzz --differential N` prints
 * the differences, and each one fixed becomes a case in
 * `differential_findings_test.ts`.
 *
 * @module
 */
import { RespClient } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { CommandGen } from "./commands.ts";
import { Rng } from "./rng.ts";

// Replies that depend on more than the command and the data.
const SKIP = new RegExp(
  "^(" + [
    "randomkey|spop|srandmember|hrandfield|zrandmember|time|lastsave",
    "info|client|config|debug|object|memory|latency|slowlog|command|lolwut",
    "acl|module|role|failover|shutdown|monitor|hello|auth|reset|quit",
    "scan|sscan|hscan|zscan|keys|smembers|sunion|sinter|sdiff",
    "hgetall|hkeys|hvals|dump|restore|function|script|migrate",
    "save|bgsave|bgrewriteaof|wait|swapdb|select|move|flushall|flushdb",
    "subscribe|psubscribe|ssubscribe|unsubscribe|punsubscribe|sunsubscribe",
    "blpop|brpop|blmove|brpoplpush|blmpop|bzpopmin|bzpopmax|bzmpop",
    "xread|xreadgroup",
    "xinfo|xautoclaim|xclaim|xpending|pfselftest|ttl|pttl|expiretime",
    "pexpiretime",
    // A TTL in seconds expires at a slightly different moment on each
    // server, and then the datasets differ.
    "expire|pexpire|expireat|pexpireat|setex|psetex|getex|persist",
  ].join("|") + ")$",
  "i",
);

// SET ... EX 5 and the like.
const TTL_OPTION = /^(ex|px|exat|pxat)$/i;

/** One difference: the command and both replies (raw). */
export interface Difference {
  argv: string[];
  redis: string;
  tsredis: string;
}

/**
 * Sends `count` commands of seed `seed` to a fresh redis-server and a fresh
 * tsredis (in RESP3 for odd seeds); returns the differences (at most `perCommand` per command name)
 * and how many commands were compared.
 */
export async function fuzzDifferential(
  opts: { seed: number; count: number; perCommand?: number },
): Promise<{ compared: number; differences: Map<string, Difference[]> }> {
  const perCommand = opts.perCommand ?? 3;
  const [redis, tsredis] = await Promise.all([
    spawnServer({ target: "redis-server" }),
    spawnServer({ target: "tsredis" }),
  ]);
  let rc: RespClient | undefined;
  let tc: RespClient | undefined;
  try {
    rc = await redis.connect();
    tc = await tsredis.connect();
    // Odd seeds speak RESP3 (HELLO's own reply names the server: not compared).
    if (opts.seed % 2 === 1) {
      await Promise.all([rc.call("HELLO", "3"), tc.call("HELLO", "3")]);
    }
    const gen = new CommandGen(new Rng(opts.seed));
    const differences = new Map<string, Difference[]>();
    let compared = 0;
    for (let i = 0; i < opts.count; i++) {
      const argv = gen.next();
      if (
        SKIP.test(argv[0]!) || argv.some(serverPicked) ||
        argv.some((w) => TTL_OPTION.test(w)) || unorderedSort(argv)
      ) continue;
      compared++;
      const [a, b] = await Promise.all([
        rc.callRaw(...argv),
        tc.callRaw(...argv),
      ]);
      if (a === b) continue;
      const name = argv[0]!.toLowerCase();
      const list = differences.get(name) ?? [];
      if (list.length < perCommand) {
        list.push({ argv, redis: a, tsredis: b });
      }
      differences.set(name, list);
    }
    return { compared, differences };
  } finally {
    rc?.close();
    tc?.close();
    await Promise.all([redis.stop(), tsredis.stop()]);
  }
}

// SORT ... BY a pattern without `*` keeps the collection's own order,
// which for a set is its hash table's.
function unorderedSort(argv: string[]): boolean {
  return /^sort(_ro)?$/i.test(argv[0]!) &&
    argv.some((w) => w.toLowerCase() === "by");
}

// Stream IDs the server chooses, or reads relative to the last one.
function serverPicked(word: string): boolean {
  return word === "*" || word === "$" || word === ">" || word.endsWith("-*");
}
