/**
 * The base file of an AOF rewrite: with aof-use-rdb-preamble an RDB image
 * of the dataset (aux `aof-base` 1), otherwise the commands that rebuild
 * it, as Redis's rewriteAppendOnlyFileRio writes them: FUNCTION LOAD per
 * library, SELECT per database, SET / RPUSH / SADD / ZADD / HMSET in batches of 64 items,
 * XADD + XSETID + XGROUP CREATE + XCLAIM / XGROUP CREATECONSUMER for
 * streams, PEXPIREAT after a key with a TTL.
 *
 * @module
 */
import { RespWriter } from "../../protocol/encoder.ts";
import type { ServerState } from "../../state.ts";
import type { RedisValue } from "../../store/values.ts";
import { isString } from "../../store/values.ts";
import { ListValue } from "../../store/list_value.ts";
import { HashValue } from "../../store/hash_value.ts";
import { SetValue } from "../../store/set_value.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { StreamValue } from "../../store/stream_value.ts";
import {
  MAX_ID,
  MIN_ID,
  type StreamId,
} from "../../store/structures/stream_id.ts";
import { formatG17 } from "../../util/number.ts";
import { aofBaseRdb } from "./rdb_bridge.ts";
import {
  type EventLoopTurn,
  Snapshot,
  SNAPSHOT_SLICE_MS,
  type SnapshotProgress,
  type SnapshotVisitor,
} from "../snapshot.ts";

/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
export const ITEMS_PER_CMD = 64;
/** Redis's REDIS_AUTOSYNC_BYTES: fsync every 4 MB with aof-rewrite-incremental-fsync. */
export const AUTOSYNC_BYTES = 4 * 1024 * 1024;

/** How the base is written. */
export interface BaseOptions {
  /** aof-use-rdb-preamble: an RDB image instead of commands. */
  preamble: boolean;
  /** aof-timestamp-enabled: a `#TS:` line first (command form only). */
  timestamps: boolean;
  /** aof-rewrite-incremental-fsync: fsync every 4 MB. */
  incrementalFsync: boolean;
  /** Aborts the write (the rewrite was killed). */
  signal: AbortSignal;
}

/** Where a base's bytes come from: an RDB snapshot, or commands from one. */
interface BaseSource {
  /** The snapshot underneath (progress, copy-on-write bytes). */
  readonly snapshot: SnapshotProgress;
  /** The next piece, made in about `budgetMs`; null after the last. */
  next(budgetMs: number): Uint8Array | null;
  /** Lets go of the snapshot (a failed or killed rewrite). */
  cancel(): void;
}

/**
 * Starts writing a base file of the dataset as it is at the moment of the
 * call to `path` (created or truncated). The point in time is taken (a
 * fork-less snapshot) before this returns, so the caller can switch the
 * writes to a new incr file in the same synchronous step; the file is then
 * written in short slices while clients are served. `done` resolves once
 * it is written and fsynced.
 */
export function startBaseWrite(
  state: ServerState,
  path: string,
  opts: BaseOptions,
): { done: Promise<void>; progress: SnapshotProgress } {
  const source = opts.preamble
    ? aofBaseRdb(state)
    : new CommandSource(state, opts.timestamps);
  return {
    done: pump(source, path, opts, state.ioTurn),
    progress: source.snapshot,
  };
}

async function pump(
  source: BaseSource,
  path: string,
  opts: BaseOptions,
  turn: EventLoopTurn,
): Promise<void> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { write: true, create: true, truncate: true });
    let sinceSync = 0;
    for (;;) {
      opts.signal.throwIfAborted();
      const piece = source.next(SNAPSHOT_SLICE_MS);
      if (piece === null) break;
      for (let off = 0; off < piece.length;) {
        off += await file.write(off === 0 ? piece : piece.subarray(off));
      }
      sinceSync += piece.length;
      if (opts.incrementalFsync && sinceSync >= AUTOSYNC_BYTES) {
        await file.syncData();
        sinceSync = 0;
      }
      await turn.next();
    }
    opts.signal.throwIfAborted();
    await file.sync();
  } catch (e) {
    source.cancel();
    throw e;
  } finally {
    file?.close();
  }
}

/** The commands of a rewrite, made from a point-in-time snapshot. */
class CommandSource implements BaseSource {
  readonly snapshot: Snapshot;
  readonly #out = new RespWriter(64 * 1024);
  readonly #visitor: SnapshotVisitor;
  #done = false;

  constructor(state: ServerState, timestamps: boolean) {
    const out = this.#out;
    // The point in time: the snapshot and the function libraries, now.
    this.snapshot = new Snapshot(state.keyspace);
    writePrelude(out, state, state.clock.now(), timestamps);
    const config = state.config;
    this.#visitor = {
      db(db) {
        out.ascii(SELECT);
        out.bulk(String(db));
      },
      key(key, value, expireAt) {
        rewriteKey(out, key, value, expireAt);
        spin(config.number("rdb-key-save-delay"));
      },
      record() {
        // Only snapshots with an encoder hand out records.
        throw new TypeError("A command rewrite got an encoded record");
      },
    };
  }

  next(budgetMs: number): Uint8Array | null {
    if (this.#done && this.#out.length === 0) return null;
    if (!this.#done) {
      this.#done = this.snapshot.step(this.#visitor, budgetMs);
    }
    const piece = this.#out.view().slice();
    this.#out.reset();
    return piece;
  }

  cancel(): void {
    this.snapshot.cancel();
  }
}

const SELECT = "*2\r\n$6\r\nSELECT\r\n";

// What comes before the keys: a #TS line, then FUNCTION LOAD per library.
function writePrelude(
  out: RespWriter,
  state: ServerState,
  nowMs: number,
  timestamps: boolean,
): void {
  if (timestamps) out.ascii(`#TS:${Math.floor(nowMs / 1000)}\r\n`);
  for (const code of state.functions?.libraries() ?? []) {
    out.ascii("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n");
    out.bulk(code);
  }
}

// rdb-key-save-delay: Redis's debugDelay after each key, a busy wait (tests).
function spin(us: number): void {
  if (us <= 0) return;
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // Busy wait, as Redis's debugDelay does.
  }
}

/**
 * The whole dataset as AOF commands, now (the base without an RDB
 * preamble, in one piece: tests and small datasets).
 */
export function rewriteCommands(
  state: ServerState,
  nowMs: number,
  timestamps: boolean,
): Uint8Array {
  const out = new RespWriter(64 * 1024);
  writePrelude(out, state, nowMs, timestamps);
  for (const db of state.keyspace.dbs) {
    if (db.size === 0) continue;
    out.ascii(SELECT);
    out.bulk(String(db.id));
    const expires = db.expires;
    db.dict.forEach((value, key) => {
      const expireAt = expires.size === 0 ? undefined : expires.get(key);
      rewriteKey(out, key, value, expireAt);
    });
  }
  return out.view().slice();
}

/** Appends the commands that rebuild one key (and its TTL) to `out`. */
export function rewriteKey(
  out: RespWriter,
  key: string,
  value: RedisValue,
  expireAt: number | undefined,
): void {
  if (isString(value)) {
    out.ascii("*3\r\n$3\r\nSET\r\n");
    out.bulk(key);
    out.bulk(value);
  } else if (value instanceof ListValue) {
    batched(out, "RPUSH", key, value.length, 1, (emit) => {
      for (let i = 0; i < value.length; i++) emit(value.at(i));
    });
  } else if (value instanceof SetValue) {
    batched(out, "SADD", key, value.size, 1, (emit) => value.forEach(emit));
  } else if (value instanceof ZSetValue) {
    batched(out, "ZADD", key, value.size, 2, (emit) => {
      value.tree.forEach((member, score) => {
        emit(formatG17(score));
        emit(member);
      });
    });
  } else if (value instanceof HashValue) {
    batched(out, "HMSET", key, value.size, 2, (emit) => {
      value.forEach((field, v) => {
        emit(field);
        emit(v);
      });
    });
  } else if (value instanceof StreamValue) {
    rewriteStream(out, key, value);
  } else {
    throw new TypeError(`Cannot rewrite a value of type ${value.type}`);
  }
  if (expireAt !== undefined) {
    out.ascii("*3\r\n$9\r\nPEXPIREAT\r\n");
    out.bulk(key);
    out.bulk(String(expireAt));
  }
}

// Emits `<cmd> key item...` commands of at most ITEMS_PER_CMD items each
// (an item is `width` words: a member, or a score and a member).
function batched(
  out: RespWriter,
  cmd: string,
  key: string,
  items: number,
  width: number,
  each: (emit: (word: string) => void) => void,
): void {
  let left = items;
  let inCmd = 0;
  let words = 0;
  each((word) => {
    if (inCmd === 0 && words === 0) {
      const n = Math.min(left, ITEMS_PER_CMD);
      out.header(42, 2 + n * width); // '*'
      out.bulk(cmd);
      out.bulk(key);
    }
    out.bulk(word);
    if (++words === width) {
      words = 0;
      left--;
      if (++inCmd === ITEMS_PER_CMD) inCmd = 0;
    }
  });
}

function id(s: StreamId): string {
  return s.toString();
}

function rewriteStream(out: RespWriter, key: string, s: StreamValue): void {
  if (s.length > 0) {
    const c = s.entries.cursor(MIN_ID, MAX_ID);
    while (c.next()) {
      const fields = c.fields();
      out.header(42, 3 + fields.length);
      out.bulk("XADD");
      out.bulk(key);
      out.bulk(id(c.id()));
      for (const f of fields) out.bulk(f);
    }
  } else {
    // An empty stream: XADD MAXLEN 0 creates the key and leaves it empty.
    out.ascii("*7\r\n");
    for (const w of ["XADD", key, "MAXLEN", "0", "0-1", "x", "y"]) out.bulk(w);
  }
  out.ascii("*7\r\n");
  out.bulk("XSETID");
  out.bulk(key);
  out.bulk(id(s.lastId));
  out.bulk("ENTRIESADDED");
  out.bulk(String(s.entriesAdded));
  out.bulk("MAXDELETEDID");
  out.bulk(id(s.maxDeletedId));
  for (const g of s.sortedGroups()) {
    out.ascii("*7\r\n");
    out.bulk("XGROUP");
    out.bulk("CREATE");
    out.bulk(key);
    out.bulk(g.name);
    out.bulk(id(g.lastId));
    out.bulk("ENTRIESREAD");
    out.bulk(String(g.entriesRead));
    const consumers = [...g.consumers.values()].sort((a, b) =>
      compareBytes(a.name, b.name)
    );
    for (const consumer of consumers) {
      if (consumer.pel.size === 0) {
        out.ascii("*5\r\n");
        out.bulk("XGROUP");
        out.bulk("CREATECONSUMER");
        out.bulk(key);
        out.bulk(g.name);
        out.bulk(consumer.name);
        continue;
      }
      consumer.pel.forEachFrom(undefined, (nackId, nack) => {
        out.ascii("*12\r\n");
        out.bulk("XCLAIM");
        out.bulk(key);
        out.bulk(g.name);
        out.bulk(consumer.name);
        out.bulk("0");
        out.bulk(id(nackId));
        out.bulk("TIME");
        out.bulk(String(nack.deliveryTime));
        out.bulk("RETRYCOUNT");
        out.bulk(String(nack.deliveryCount));
        out.bulk("JUSTID");
        out.bulk("FORCE");
      });
    }
  }
}

// Radix-tree order of names: bytewise, a prefix first.
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
