/**
 * Snapshot: a point-in-time view of the whole keyspace, produced while the
 * server keeps serving clients, without fork().
 *
 * BGSAVE, SAVE, the AOF rewrite (RDB preamble or commands) and replication
 * (the full-sync payload) all consume it. `Snapshot` is the core: it walks
 * the databases in short time slices and hands each key, as it was at the
 * start, to a visitor. `RdbSnapshot` builds the RDB bytes on it, pulled as a
 * `ReadableStream` (a slow reader such as a replica socket slows it down) or
 * produced at once for SAVE.
 *
 * How the point in time holds (Dragonfly's scheme, on our hash table):
 * - At the start it records, per database, the `Dict` objects of keys and
 *   expiry times and the table's size. FLUSHDB puts new ones in place and
 *   SWAPDB exchanges them, so the snapshot keeps reading the originals;
 *   nothing is copied up front.
 * - Keys are handed out bucket by bucket, a bucket being the keys whose
 *   hash falls in one slot of the table as it was at the start (wherever
 *   a resize has put them since). One bit per bucket says it is done.
 * - Copy on write: every write primitive of `Database` (and dispatch, for
 *   the keys a write command declares) calls `beforeWrite` first. If the
 *   key's bucket is not done, the whole bucket is handed out at once
 *   (encoded, or copied, and kept until the next slice) and marked done.
 *   So a bucket not yet done holds exactly what it held at the start, and
 *   a key created later lands in a done bucket and is never handed out.
 * - The walk goes through the buckets in table order, so it reads memory
 *   sequentially, skipping those already done.
 *
 * Cost: one bit per slot of the table (256 KB for a million keys), and the
 * kept copies of buckets written before the walk reached them, until the
 * next slice hands them out.
 *
 * @module
 */
import { hashKey } from "../store/structures/dict.ts";
import type { Dict } from "../store/structures/dict.ts";
import type { Database, WriteObserver } from "../store/database.ts";
import type { Keyspace } from "../store/keyspace.ts";
import type { RedisValue } from "../store/values.ts";
import { concatBytes } from "../util/bytes.ts";
import {
  encodeKeyRecord,
  type KeyMeta,
  type RdbWriteOptions,
  RdbWriter,
} from "./rdb/writer.ts";

/** Receives a snapshot's contents, database by database. */
export interface SnapshotVisitor {
  /**
   * Database `db` begins, with its number of keys and of expiry times at
   * the start. Only databases that had keys are visited, in order.
   */
  db(db: number, size: number, expires: number): void;
  /** A key as it was at the start: value, expiry (Unix ms) and LRU/LFU data. */
  key(
    key: string,
    value: RedisValue,
    expireAt: number | undefined,
    meta: number,
  ): void;
  /** A key kept by copy on write as the record `SnapshotOptions.encode` made. */
  record(record: Uint8Array): void;
}

/** How a snapshot keeps keys that change before it reaches them. */
export interface SnapshotOptions {
  /**
   * Encodes a key about to change (compact: the RDB stream passes the
   * record encoder). Without it the value is copied and handed to
   * `SnapshotVisitor.key` later.
   */
  encode?: (
    key: string,
    value: RedisValue,
    expireAt: number | undefined,
    meta: number,
  ) => Uint8Array;
  /** Read each key's LRU/LFU data (`meta`); 0 is passed otherwise. */
  withMeta?: boolean;
}

// A key kept by copy on write, when there is no encoder.
interface KeptKey {
  key: string;
  value: RedisValue;
  expireAt: number | undefined;
  meta: number;
}

// One database as it was at the start.
interface View {
  readonly index: number;
  readonly order: number;
  readonly dict: Dict<RedisValue>;
  readonly expires: Dict<number>;
  readonly size: number;
  readonly expiresSize: number;
  // The table's slot mask at the start: a key's bucket is `hash & mask`.
  readonly mask: number;
  // One bit per bucket: handed out already.
  readonly done: Uint8Array;
  // Buckets marked done by copy on write (the walk of a database not begun
  // can skip the check when there are none).
  marked: number;
  // The next bucket the walk looks at.
  next: number;
  kept: (Uint8Array | KeptKey)[];
  started: boolean;
}

/** Where a snapshot has got to (INFO current_save_keys_*, cow fields). */
export interface SnapshotProgress {
  /** Keys at the start, over every database. */
  readonly keysTotal: number;
  /** Keys handed to the visitor so far. */
  readonly keysProcessed: number;
  /** Bytes held by copy on write right now (approximate for copies). */
  readonly cowBytes: number;
  /** The most `cowBytes` has been. */
  readonly cowPeak: number;
  /** `cowBytes` on average over the slices so far. */
  readonly cowAverage: number;
}

/** A point-in-time walk over every database; see the module comment. */
export class Snapshot implements SnapshotProgress {
  /** Unix ms of the point in time. */
  readonly startedAt: number;
  readonly keysTotal: number;
  keysProcessed = 0;
  cowBytes = 0;
  cowPeak = 0;
  readonly #keyspace: Keyspace;
  readonly #views: View[] = [];
  readonly #encode: SnapshotOptions["encode"];
  readonly #withMeta: boolean;
  #pos = 0;
  #finished = false;
  #cowSum = 0;
  #cowSamples = 0;
  // What the bucket callbacks work on (set around each use, so the
  // callbacks are made once, not per bucket).
  #visitor: SnapshotVisitor | undefined;
  #view: View | undefined;
  #bucket = 0;
  readonly #emit: (key: string, value: RedisValue) => void;
  readonly #keep: (key: string, value: RedisValue) => void;
  readonly #emitIfHere: (key: string, value: RedisValue) => void;
  readonly #keepIfHere: (key: string, value: RedisValue) => void;

  /** Takes the point in time of `keyspace` now. */
  constructor(keyspace: Keyspace, opts: SnapshotOptions = {}) {
    this.#keyspace = keyspace;
    this.#encode = opts.encode;
    this.#withMeta = opts.withMeta ?? false;
    this.startedAt = keyspace.hooks.clock.now();
    let total = 0;
    for (const db of keyspace.dbs) {
      if (db.dict.size === 0) continue;
      const slots = db.dict.slots;
      this.#views.push({
        index: db.id,
        order: this.#views.length,
        dict: db.dict,
        expires: db.expires,
        size: db.dict.size,
        expiresSize: db.expires.size,
        mask: slots - 1,
        done: new Uint8Array(Math.ceil(slots / 8)),
        marked: 0,
        next: 0,
        kept: [],
        started: false,
      });
      total += db.dict.size;
    }
    this.keysTotal = total;
    this.#emit = (key, value) => this.#emitKey(key, value);
    this.#keep = (key, value) => this.#keepKey(key, value);
    this.#emitIfHere = (key, value) => {
      if ((hashKey(key) & this.#view!.mask) === this.#bucket) {
        this.#emitKey(key, value);
      }
    };
    this.#keepIfHere = (key, value) => {
      if ((hashKey(key) & this.#view!.mask) === this.#bucket) {
        this.#keepKey(key, value);
      }
    };
    if (this.#views.length === 0) this.#finished = true;
    else hubOf(keyspace).add(this);
  }

  /** `cowBytes` on average, sampled at each slice. */
  get cowAverage(): number {
    return this.#cowSamples === 0 ? 0 : this.#cowSum / this.#cowSamples;
  }

  /** True once every key has been handed out (or the snapshot was cancelled). */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Hands keys to `visitor` for about `budgetMs` milliseconds (at least a
   * few buckets). Returns true when the snapshot is complete.
   */
  step(visitor: SnapshotVisitor, budgetMs: number): boolean {
    if (this.#finished) return true;
    const deadline = performance.now() + budgetMs;
    this.#cowSum += this.cowBytes;
    this.#cowSamples++;
    this.#visitor = visitor;
    try {
      while (this.#pos < this.#views.length) {
        const view = this.#views[this.#pos]!;
        if (!view.started) {
          view.started = true;
          visitor.db(view.index, view.size, view.expiresSize);
        }
        this.#flushKept(view, visitor);
        // A batch of buckets between clock reads: reading it costs more
        // than visiting a small key.
        const end = Math.min(view.next + 64, view.mask + 1);
        const done = view.done;
        for (let b = view.next; b < end; b++) {
          if ((done[b >> 3]! & (1 << (b & 7))) !== 0) continue;
          done[b >> 3]! |= 1 << (b & 7);
          this.#bucketDo(view, b, this.#emit, this.#emitIfHere);
        }
        view.next = end;
        if (end > view.mask) {
          this.#flushKept(view, visitor);
          this.#pos++;
        }
        if (performance.now() >= deadline) break;
      }
    } finally {
      this.#visitor = undefined;
    }
    if (this.#pos >= this.#views.length) this.#finish();
    return this.#finished;
  }

  /**
   * Hands out everything left, now. Nothing else runs meanwhile, so a
   * database the walk has not begun is read straight through its table
   * (SAVE, SHUTDOWN, DEBUG RELOAD).
   */
  drain(visitor: SnapshotVisitor): void {
    while (!this.#finished) {
      const view = this.#views[this.#pos];
      if (view === undefined || view.started) {
        this.step(visitor, Infinity);
        continue;
      }
      view.started = true;
      visitor.db(view.index, view.size, view.expiresSize);
      this.#flushKept(view, visitor);
      const { dict, expires, done, mask } = view;
      const withMeta = this.#withMeta;
      const check = view.marked !== 0;
      dict.forEach((value, key) => {
        if (check) {
          const b = hashKey(key) & mask;
          if ((done[b >> 3]! & (1 << (b & 7))) !== 0) return;
        }
        const expireAt = expires.size === 0 ? undefined : expires.get(key);
        const meta = withMeta ? dict.metaAt(dict.indexOf(key)) : 0;
        this.keysProcessed++;
        visitor.key(key, value, expireAt, meta);
      });
      this.#pos++;
      if (this.#pos >= this.#views.length) this.#finish();
    }
  }

  /** Stops early and lets go of everything held. */
  cancel(): void {
    this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    hubOf(this.#keyspace).remove(this);
    for (const view of this.#views) view.kept = [];
    this.#views.length = 0;
    this.cowBytes = 0;
  }

  // Calls `fn` for every key of bucket `b` of `view` (the keys whose hash
  // gives `b` under the table size at the start), wherever they are now.
  #bucketDo(
    view: View,
    b: number,
    fn: (key: string, value: RedisValue) => void,
    filtered: (key: string, value: RedisValue) => void,
  ): void {
    const dict = view.dict;
    const mask = dict.slots - 1;
    this.#view = view;
    if (mask >= view.mask) {
      // The table grew (or kept its size): the bucket's keys are in the
      // buckets that extend `b` with higher bits.
      for (let c = b; c <= mask; c += view.mask + 1) dict.scan(c, fn);
    } else {
      // It shrank: one bucket now holds several; keep only ours.
      this.#bucket = b;
      dict.scan(b & mask, filtered);
    }
  }

  #emitKey(key: string, value: RedisValue): void {
    const view = this.#view!;
    const expireAt = view.expires.size === 0
      ? undefined
      : view.expires.get(key);
    const meta = this.#withMeta ? view.dict.metaAt(view.dict.indexOf(key)) : 0;
    this.keysProcessed++;
    this.#visitor!.key(key, value, expireAt, meta);
  }

  #keepKey(key: string, value: RedisValue): void {
    const view = this.#view!;
    const expireAt = view.expires.size === 0
      ? undefined
      : view.expires.get(key);
    const meta = this.#withMeta ? view.dict.metaAt(view.dict.indexOf(key)) : 0;
    let size: number;
    if (this.#encode !== undefined) {
      const record = this.#encode(key, value, expireAt, meta);
      view.kept.push(record);
      size = record.length;
    } else {
      const copy = copyValue(value);
      view.kept.push({ key, value: copy, expireAt, meta });
      size = approximateSize(copy);
    }
    this.cowBytes += size;
    if (this.cowBytes > this.cowPeak) this.cowPeak = this.cowBytes;
  }

  #flushKept(view: View, visitor: SnapshotVisitor): void {
    if (view.kept.length === 0) return;
    const kept = view.kept;
    view.kept = [];
    for (const k of kept) {
      this.keysProcessed++;
      if (k instanceof Uint8Array) {
        this.cowBytes -= k.length;
        visitor.record(k);
      } else {
        this.cowBytes -= approximateSize(k.value);
        visitor.key(k.key, k.value, k.expireAt, k.meta);
      }
    }
  }

  /** Copy on write: `key` of `db` is about to change (see WriteObserver). */
  beforeWrite(db: Database, key: string): void {
    const view = this.#viewOf(db);
    if (view === undefined || view.order < this.#pos) return;
    const b = hashKey(key) & view.mask;
    const done = view.done;
    if ((done[b >> 3]! & (1 << (b & 7))) !== 0) return;
    done[b >> 3]! |= 1 << (b & 7);
    view.marked++;
    this.#bucketDo(view, b, this.#keep, this.#keepIfHere);
  }

  // The view whose table `db` holds now (SWAPDB moves tables between
  // databases; FLUSHDB gives a database a table no view has).
  #viewOf(db: Database): View | undefined {
    const dict = db.dict;
    for (const view of this.#views) if (view.dict === dict) return view;
    return undefined;
  }
}

function copyValue(value: RedisValue): RedisValue {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return value.slice();
  return value.clone();
}

// Only for INFO's copy-on-write figures when values are copied.
function approximateSize(value: RedisValue): number {
  if (typeof value === "string" || value instanceof Uint8Array) {
    return value.length;
  }
  return 64;
}

// Every running snapshot of a keyspace, behind one observer per database.
class Hub implements WriteObserver {
  readonly #keyspace: Keyspace;
  readonly #snapshots: Snapshot[] = [];

  constructor(keyspace: Keyspace) {
    this.#keyspace = keyspace;
  }

  add(snapshot: Snapshot): void {
    this.#snapshots.push(snapshot);
    if (this.#snapshots.length === 1) {
      for (const db of this.#keyspace.dbs) db.cow = this;
    }
  }

  remove(snapshot: Snapshot): void {
    const i = this.#snapshots.indexOf(snapshot);
    if (i < 0) return;
    this.#snapshots.splice(i, 1);
    if (this.#snapshots.length === 0) {
      for (const db of this.#keyspace.dbs) db.cow = undefined;
    }
  }

  beforeWrite(db: Database, key: string): void {
    const snapshots = this.#snapshots;
    for (let i = 0; i < snapshots.length; i++) {
      snapshots[i]!.beforeWrite(db, key);
    }
  }
}

const hubs = new WeakMap<Keyspace, Hub>();

function hubOf(keyspace: Keyspace): Hub {
  let hub = hubs.get(keyspace);
  if (hub === undefined) {
    hub = new Hub(keyspace);
    hubs.set(keyspace, hub);
  }
  return hub;
}

/** What an RDB image holds besides the keys. */
export interface RdbSnapshotOptions {
  /** rdbcompression, rdbchecksum and the encoding limits. */
  write: RdbWriteOptions;
  /** AUX fields in order (`redis-ver`, `redis-bits`, `ctime`, `used-mem`, `repl-*`, `aof-base`). */
  aux: readonly (readonly [string, string | number])[];
  /** Function library sources (FUNCTION2 records), as they are at the start. */
  functions?: readonly string[];
  /**
   * IDLE or FREQ for a key from its LRU/LFU data, when the eviction policy
   * keeps them (Redis writes them only under an LRU or LFU policy).
   */
  accessMeta?: (meta: number) => { idle?: number; freq?: number };
  /** rdb-key-save-delay: microseconds spent on each key (for tests). */
  keyDelayUs?: () => number;
}

/**
 * Work per slice of a snapshot written while clients are served (BGSAVE,
 * an AOF rewrite, a full sync), in ms. With the event loop's turn between
 * slices costing microseconds (io_turn.ts), 1 ms slices kept the worst
 * PING under a write load during a million-key BGSAVE at 6-8 ms, against
 * 8-12 ms with 2 ms slices, and the save took no longer.
 */
export const SNAPSHOT_SLICE_MS = 1;

// Bytes gathered before a piece is handed out, so a slice's output stays
// bounded even when the slice is long.
const PIECE_BYTES = 1 << 20;

/**
 * An RDB image of a snapshot: header and aux fields, FUNCTION2 records,
 * per database SELECTDB, RESIZEDB and the keys, then EOF and the CRC64.
 */
export class RdbSnapshot {
  /** The point-in-time walk underneath (progress, copy-on-write figures). */
  readonly snapshot: Snapshot;
  readonly #writer: RdbWriter;
  readonly #opts: RdbSnapshotOptions;
  readonly #visitor: SnapshotVisitor;
  #ended = false;
  #closed = false;
  // Where writeSync sends each full piece as it fills.
  #sink: ((piece: Uint8Array) => void) | undefined;

  /** Takes the point in time of `keyspace` now. */
  constructor(keyspace: Keyspace, opts: RdbSnapshotOptions) {
    this.#opts = opts;
    const writeOpts = opts.write;
    const accessMeta = opts.accessMeta;
    const meta = (expireAt: number | undefined, access: number) => {
      const m: KeyMeta = {};
      if (expireAt !== undefined) m.expireAt = expireAt;
      if (accessMeta !== undefined) Object.assign(m, accessMeta(access));
      return m;
    };
    this.snapshot = new Snapshot(keyspace, {
      encode: (key, value, expireAt, access) =>
        encodeKeyRecord(key, value, meta(expireAt, access), writeOpts),
      withMeta: accessMeta !== undefined,
    });
    const w = new RdbWriter(writeOpts);
    this.#writer = w;
    w.header();
    for (const [key, value] of opts.aux) w.aux(key, value);
    for (const code of opts.functions ?? []) w.function(code);
    const delay = opts.keyDelayUs;
    // During writeSync, hand out each piece as it fills.
    const flush = () => {
      if (this.#sink !== undefined && w.pending >= PIECE_BYTES) {
        this.#sink(w.take());
      }
    };
    this.#visitor = {
      db(db, size, expires) {
        w.selectDb(db);
        w.resizeDb(size, expires);
      },
      key(key, value, expireAt, access) {
        if (delay !== undefined) spin(delay());
        w.key(
          key,
          value,
          expireAt === undefined && accessMeta === undefined
            ? undefined
            : meta(expireAt, access),
        );
        flush();
      },
      record(record) {
        if (delay !== undefined) spin(delay());
        w.raw(record);
        flush();
      },
    };
  }

  /**
   * The next piece of the image, made in about `budgetMs` milliseconds;
   * null after the last piece.
   */
  next(budgetMs: number): Uint8Array | null {
    if (this.#closed) return null;
    if (this.#ended) {
      this.#closed = true;
      return null;
    }
    const w = this.#writer;
    const deadline = performance.now() + budgetMs;
    for (;;) {
      // Steps of at most 10 ms, so the piece stays near PIECE_BYTES even
      // when the budget is long (SAVE).
      const left = Math.min(10, Math.max(0, deadline - performance.now()));
      const done = this.snapshot.step(this.#visitor, left);
      if (done) {
        w.end();
        this.#ended = true;
        break;
      }
      if (w.pending >= PIECE_BYTES || performance.now() >= deadline) break;
    }
    return w.take();
  }

  /**
   * The image as a pull stream: each read makes one slice of about
   * `sliceMs`, and between slices `turn` lets the event loop serve clients
   * (a server passes its `ioTurn`); a slow reader holds the work back.
   */
  stream(
    sliceMs = SNAPSHOT_SLICE_MS,
    turn: EventLoopTurn = TIMER_TURN,
  ): ReadableStream<Uint8Array> {
    let first = true;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        // A pull must enqueue or close: the stream does not call it again
        // for the read that is waiting. A slice can produce nothing (every
        // key it met was written early by copy on write), so go on.
        for (;;) {
          if (!first) await turn.next();
          first = false;
          const piece = this.next(sliceMs);
          if (piece === null) {
            controller.close();
            return;
          }
          if (piece.length !== 0) {
            controller.enqueue(piece);
            return;
          }
        }
      },
      cancel: () => this.cancel(),
    }, { highWaterMark: 0 });
  }

  /** Produces the whole image now (SAVE, SHUTDOWN, DEBUG RELOAD), piece by piece. */
  writeSync(sink: (piece: Uint8Array) => void): void {
    if (this.#closed) return;
    const w = this.#writer;
    if (!this.#ended) {
      this.#sink = sink;
      try {
        this.snapshot.drain(this.#visitor);
      } finally {
        this.#sink = undefined;
      }
      w.end();
      this.#ended = true;
    }
    const piece = w.take();
    if (piece.length !== 0) sink(piece);
    this.#closed = true;
  }

  /** The whole image now, as one array. */
  toBytes(): Uint8Array {
    const pieces: Uint8Array[] = [];
    this.writeSync((p) => pieces.push(p));
    return concatBytes(pieces);
  }

  /** Stops early (a failed write, a replica gone, SHUTDOWN). */
  cancel(): void {
    this.#closed = true;
    this.snapshot.cancel();
  }
}

/** Something that resolves once the event loop has handled pending I/O. */
export interface EventLoopTurn {
  next(): Promise<void>;
}

/**
 * A turn without a server's IoTurn: a timer (MessageChannel and
 * setImmediate callbacks run before the event loop polls sockets again).
 * It costs a millisecond or more.
 */
const TIMER_TURN: EventLoopTurn = {
  next: () => new Promise((resolve) => setTimeout(resolve, 0)),
};

// rdb-key-save-delay: Redis's debugDelay, a busy wait of `us` microseconds.
function spin(us: number): void {
  if (us <= 0) return;
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // Busy wait, as Redis's debugDelay does.
  }
}
