/**
 * What a server holds, read key by key over RESP, so tests can compare two
 * servers (or one server before and after a restart) with `assertEquals`:
 * `dataset()` reads every value in a comparable form, `digests()` reads
 * each key's DEBUG DIGEST-VALUE. Also `waitFor()` and `infoField()`, the
 * polling and INFO helpers the persistence and replication suites share.
 *
 * @module
 */
import type { RespClient, RespValue } from "./resp_client.ts";

/** Options for `dataset` and `streamState`. */
export interface DatasetOptions {
  /**
   * Include OBJECT ENCODING for every key but strings (a string edited in
   * place is "raw" until a reload makes it "embstr" again, in redis-server
   * too). Right after a reload the encodings must match; after an AOF
   * replay they follow the commands replayed, so the AOF suite leaves
   * them out.
   */
  encodings?: boolean;
  /**
   * Mask each stream group's entries-read and lag. Replaying XREADGROUP's
   * XCLAIM leaves entries-read unknown (nil) in redis-server too, and lag
   * follows from it: only an RDB keeps them.
   */
  maskEntriesRead?: boolean;
}

/**
 * Every key of every database as `"db:key" → [type, (encoding,) value,
 * absolute expiry]`, values in an order-independent form (sets and hashes
 * sorted). Leaves the client in database 0.
 */
export async function dataset(
  c: RespClient,
  options: DatasetOptions = {},
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (let db = 0; db < 16; db++) {
    await c.call("SELECT", db);
    const keys = (await c.call("KEYS", "*")) as string[];
    for (const key of keys.sort()) {
      const type = await c.call("TYPE", key);
      let value: RespValue;
      switch (type) {
        case "string":
          value = await c.call("GET", key);
          break;
        case "list":
          value = await c.call("LRANGE", key, 0, -1);
          break;
        case "set":
          value = ((await c.call("SMEMBERS", key)) as string[]).sort();
          break;
        case "zset":
          value = await c.call("ZRANGE", key, 0, -1, "WITHSCORES");
          break;
        case "hash": {
          const flat = (await c.call("HGETALL", key)) as string[];
          const pairs: string[] = [];
          for (let i = 0; i < flat.length; i += 2) {
            pairs.push(`${flat[i]}=${flat[i + 1]}`);
          }
          value = pairs.sort();
          break;
        }
        case "stream":
          value = await streamState(c, key, options);
          break;
        default:
          value = `unexpected type ${String(type)}`;
      }
      out[`${db}:${key}`] = options.encodings
        ? [
          type,
          type === "string" ? "-" : await c.call("OBJECT", "ENCODING", key),
          value,
          await c.call("PEXPIRETIME", key),
        ]
        : [type, value, await c.call("PEXPIRETIME", key)];
    }
  }
  await c.call("SELECT", 0);
  return out;
}

/**
 * What a stream holds and remembers, without what depends on the moment
 * (idle and seen times) or on node layout (radix tree sizes).
 */
export async function streamState(
  c: RespClient,
  key: string,
  options: DatasetOptions = {},
): Promise<RespValue> {
  const info = (await c.call("XINFO", "STREAM", key)) as RespValue[];
  const kept: RespValue[] = [];
  for (let i = 0; i < info.length; i += 2) {
    if (!String(info[i]).startsWith("radix-tree")) {
      kept.push(info[i]!, info[i + 1]!);
    }
  }
  const groups = (await c.call("XINFO", "GROUPS", key)) as RespValue[][];
  const perGroup: RespValue[] = [];
  for (const g of groups) {
    if (options.maskEntriesRead) {
      for (let i = 0; i < g.length; i += 2) {
        if (g[i] === "entries-read" || g[i] === "lag") g[i + 1] = "(masked)";
      }
    }
    const name = g[1] as string;
    const consumers =
      (await c.call("XINFO", "CONSUMERS", key, name)) as RespValue[][];
    perGroup.push(
      await c.call("XPENDING", key, name),
      consumers.map((cons) => [cons[1]!, cons[3]!]),
    );
  }
  return [await c.call("XRANGE", key, "-", "+"), kept, groups, perGroup];
}

/**
 * Every key of every database as one line of database, key, type, absolute
 * expiry and DEBUG DIGEST-VALUE: cheaper than `dataset` for large loads,
 * and blind to encodings. Leaves the client in database 0.
 */
export async function digests(client: RespClient): Promise<string[]> {
  const out: string[] = [];
  for (let db = 0; db < 16; db++) {
    await client.call("SELECT", db);
    let cursor = "0";
    const keys: string[] = [];
    do {
      const r = await client.call("SCAN", cursor, "COUNT", 1000) as [
        string,
        string[],
      ];
      cursor = r[0];
      keys.push(...r[1]);
    } while (cursor !== "0");
    keys.sort();
    for (const key of keys) {
      const [type, when, digest] = await client.pipeline([
        ["TYPE", key],
        ["PEXPIRETIME", key],
        ["DEBUG", "DIGEST-VALUE", key],
      ]);
      out.push(
        `${db} ${JSON.stringify(key)} ${type} ${when} ${
          JSON.stringify(digest)
        }`,
      );
    }
  }
  await client.call("SELECT", 0);
  return out;
}

/** One field of an INFO reply ("" when it is not there). */
export function infoField(info: RespValue, name: string): string {
  const m = new RegExp(`^${name}:(.*)\r$`, "m").exec(String(info));
  return m === null ? "" : m[1]!;
}

/**
 * Polls `check` every 50 ms until it is true; throws naming `what` after
 * `ms` milliseconds.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms = 30000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
