/**
 * What the AOF needs from the RDB side: loading an RDB base file or
 * preamble into the dataset (with rdbLoad's log lines; keys already
 * expired are kept, as Redis does for an AOF preamble), and an RDB image
 * of the dataset marked as an AOF base (aux `aof-base` 1).
 *
 * @module
 */
import { lfuDecayed, type ServerState } from "../../state.ts";
import { REDIS_VERSION } from "../../config.ts";
import { log } from "../../log.ts";
import { LRU_CLOCK_MAX, lruClock } from "../../store/database.ts";
import { RdbFormatError, RdbReader } from "../rdb/reader.ts";
import { RdbSnapshot, type RdbSnapshotOptions } from "../snapshot.ts";
import { rdbReadOptions, rdbWriteOptions } from "../codec.ts";

/** RDB services for the AOF. */
export interface RdbBridge {
  /**
   * Loads the RDB image at the start of `bytes` into the dataset and
   * returns the offset where it ends. Throws on a malformed image.
   */
  load(state: ServerState, bytes: Uint8Array): number;
  /** An RDB image of the dataset as it is now, marked as an AOF base. */
  dumpNow(state: ServerState): Uint8Array;
}

/** The RDB services the AOF uses. */
export const rdbBridge: RdbBridge = { load: loadRdb, dumpNow };

function loadRdb(state: ServerState, bytes: Uint8Array): number {
  const reader = new RdbReader(bytes, rdbReadOptions(state));
  let db = state.db(0);
  let loaded = 0;
  const now = state.clock.now();
  for (;;) {
    const item = reader.next();
    switch (item.kind) {
      case "aux":
        logAux(item.key, item.value, now);
        break;
      case "db":
        if (item.db >= state.keyspace.count) {
          throw new RdbFormatError(
            `FATAL: Data file was created with a Redis server configured to handle more than ${state.keyspace.count} databases. Exiting`,
            reader.offset,
          );
        }
        db = state.db(item.db);
        break;
      case "resize":
        break;
      case "function": {
        const functions = state.functions;
        if (functions === undefined) {
          throw new RdbFormatError(
            "Failed loading library: functions are not available",
            reader.offset,
          );
        }
        functions.load(item.code, false);
        break;
      }
      case "key": {
        if (db.has(item.key)) {
          throw new RdbFormatError(
            `Duplicate key '${item.key}' when loading RDB`,
            reader.offset,
          );
        }
        db.add(item.key, item.value);
        if (item.expireAt !== undefined) db.setExpire(item.key, item.expireAt);
        setAccess(item.key, db, item.idle, item.freq, now);
        loaded++;
        break;
      }
      case "end":
        log.notice(
          `Done loading RDB, keys loaded: ${loaded}, keys expired: 0.`,
        );
        return reader.offset;
    }
  }
}

// rdbLoad's notes on the aux fields it knows.
function logAux(key: string, value: string, nowMs: number): void {
  switch (key) {
    case "redis-ver":
      log.notice(`Loading RDB produced by version ${value}`);
      break;
    case "ctime": {
      const age = Math.max(
        0,
        Math.floor(nowMs / 1000) - (parseInt(value) || 0),
      );
      log.notice(`RDB age ${age} seconds`);
      break;
    }
    case "used-mem":
      log.notice(
        `RDB memory usage when created ${
          ((parseInt(value) || 0) / (1024 * 1024)).toFixed(2)
        } Mb`,
      );
      break;
    case "aof-preamble":
      if ((parseInt(value) || 0) !== 0) log.notice("RDB has an AOF tail");
      break;
    case "aof-base":
      if ((parseInt(value) || 0) !== 0) log.notice("RDB is base AOF");
      break;
    case "redis-bits":
    case "repl-stream-db":
    case "repl-id":
    case "repl-offset":
    case "lua":
      break;
    default:
      log.debug(`Unrecognized RDB AUX field: '${key}'`);
  }
}

// objectSetLRUOrLFU: the IDLE or FREQ the record carries, per the policy.
function setAccess(
  key: string,
  db: ReturnType<ServerState["db"]>,
  idle: number | undefined,
  freq: number | undefined,
  now: number,
): void {
  if (db.hooks.accessPolicy === "lfu") {
    if (freq !== undefined) {
      const minutes = Math.floor(now / 60000) & 0xffff;
      db.setAccessMeta(key, (minutes << 8) | freq);
    }
  } else if (idle !== undefined) {
    const clock = lruClock(now);
    let abs = clock - idle;
    if (abs < 0) abs = (clock + Math.floor(LRU_CLOCK_MAX / 2)) % LRU_CLOCK_MAX;
    db.setAccessMeta(key, abs);
  }
}

/**
 * An RDB image of the dataset as it is now, as a point-in-time snapshot
 * to be pulled in slices (rdbSaveRio with RDBFLAGS_AOF_PREAMBLE: aux
 * `aof-base` 1, function libraries, IDLE/FREQ under an LRU/LFU policy).
 */
export function aofBaseRdb(state: ServerState): RdbSnapshot {
  const config = state.config;
  const mem = Deno.memoryUsage();
  const policy = config.get("maxmemory-policy");
  const lru = policy.includes("lru");
  const lfu = policy.includes("lfu");
  const now = state.clock.now();
  const clock = lruClock(now);
  const opts: RdbSnapshotOptions = {
    write: rdbWriteOptions(state),
    aux: [
      ["redis-ver", REDIS_VERSION],
      ["redis-bits", 64],
      ["ctime", Math.floor(now / 1000)],
      ["used-mem", mem.heapUsed + mem.external],
      ["aof-base", 1],
    ],
    functions: state.functions?.libraries() ?? [],
    keyDelayUs: () => config.number("rdb-key-save-delay"),
  };
  if (lru) {
    opts.accessMeta = (at) => ({
      idle: at <= clock ? clock - at : LRU_CLOCK_MAX - at + clock,
    });
  } else if (lfu) {
    opts.accessMeta = (meta) => ({ freq: lfuDecayed(meta, state) });
  }
  return new RdbSnapshot(state.keyspace, opts);
}

// The whole image at once (the empty base of a fresh start).
function dumpNow(state: ServerState): Uint8Array {
  return aofBaseRdb(state).toBytes();
}
