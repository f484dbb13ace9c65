/**
 * Memory accounting: what the data in a keyspace costs in V8's heap, kept
 * current in O(1) per change, for `used_memory`, `maxmemory` eviction and
 * MEMORY USAGE.
 *
 * The size model follows V8's object layout on 64-bit builds without
 * pointer compression (what Deno ships), calibrated by measuring heap
 * growth (`memory_test.ts` asserts it stays within 15% of the real cost):
 *
 * - a latin1 string is a SeqOneByteString: a 16-byte header and the bytes
 *   rounded up to 8. Strings of one character (and the empty string) are
 *   shared by V8 and cost nothing.
 * - a `Uint8Array` value (strings edited in place) is a JSTypedArray and a
 *   JSArrayBuffer on the heap plus its backing store outside it.
 * - an array is a JSArray and a FixedArray of 8-byte slots; arrays grow
 *   by half their length plus 16 slots, and only grow (`ArrayCapacity`).
 * - a `Dict` is its object and 3 parallel arrays of slots (4 for the
 *   keyspace, which keeps LRU/LFU data per key).
 * - a key with a TTL costs one boxed number in the expires table.
 *
 * Collections report their size through an O(1) `bytes` getter. The
 * keyspace does not follow every element that is added or removed:
 * a collection is marked when a command looks it up, and its size is
 * reconciled with what the database counted for it before anyone reads the
 * total (`reconcile`), or when many are marked. Each database counts into a
 * `MemCounter` that SWAPDB exchanges and FLUSHDB replaces.
 *
 * @module
 */
import type { ServerState } from "../state.ts";
import type { Database } from "./database.ts";
import type { Keyspace } from "./keyspace.ts";
import type { RedisValue } from "./values.ts";

/** A running byte total of a database's keys and values. */
export class MemCounter {
  /** Bytes of keys and values (tables excluded). */
  used = 0;
}

/** What the keyspace keeps about a collection it holds. */
export class ValueMemory {
  /** The counter of the database holding the value, while one does. */
  owner: MemCounter | undefined = undefined;
  /** Keys holding the value (two while RENAME moves it). */
  refs = 0;
  /** Bytes last counted in `owner` for the value. */
  accounted = 0;
  /** True while the value waits in the reconcile list. */
  dirty = false;
}

/** A collection that takes part in memory accounting. */
export interface SizedValue {
  /** The value's size in bytes, in O(1). */
  readonly bytes: number;
  /** Accounting state, set by the keyspace (undefined until first stored). */
  mem: ValueMemory | undefined;
}

// ---------------------------------------------------------------------------
// The size model.

/** Header of a SeqOneByteString (map, hash, length). */
export const STRING_HEADER = 16;
/** A JSArray object (map, properties, elements, length). */
export const JS_ARRAY = 32;
/** Header of a FixedArray (map, length). */
export const FIXED_ARRAY_HEADER = 16;
/** One tagged slot of an array or an object. */
export const SLOT = 8;
/** A boxed double (HeapNumber). */
export const HEAP_NUMBER = 16;
/** A JSTypedArray with its JSArrayBuffer, without the backing store. */
export const TYPED_ARRAY = 200;
/** A `ValueMemory`, which every collection in a keyspace has. */
export const VALUE_MEMORY = 56;
/** A `Dict` object, its arrays not included. */
export const DICT_OBJECT = 80;
/** Bytes per slot of a keyspace `Dict` (keys, values, hashes, LRU/LFU data). */
export const KEYSPACE_SLOT = 2 * SLOT + 8;
/** Bytes per slot of the expires `Dict` (keys, times, hashes). */
export const EXPIRES_SLOT = 3 * SLOT;
/** Bytes per slot of the `Dict` of a hash or set (keys, values, hashes). */
export const DICT_SLOT = 3 * SLOT;

/** Bytes of a latin1 string of `length` characters. */
export function stringBytes(length: number): number {
  return length <= 1 ? 0 : STRING_HEADER + ((length + 7) & ~7);
}

/** Bytes of a string value (either form). */
export function stringValueBytes(v: string | Uint8Array): number {
  if (typeof v === "string") {
    const n = v.length;
    return n <= 1 ? 0 : STRING_HEADER + ((n + 7) & ~7);
  }
  // RawBytes adds one field (`shared`).
  return TYPED_ARRAY + (v.constructor === Uint8Array ? 0 : SLOT) +
    v.buffer.byteLength;
}

/** Bytes of an array with room for `capacity` elements. */
export function arrayBytes(capacity: number): number {
  // An empty array shares the empty FixedArray.
  return capacity === 0
    ? JS_ARRAY
    : JS_ARRAY + FIXED_ARRAY_HEADER + SLOT * capacity;
}

/**
 * The capacity of an array after it grew to `length` elements from
 * `capacity` by push or splice (V8's JSObject::NewElementsCapacity).
 * Arrays are assumed never to shrink: V8 trims them only now and then.
 */
export function grownCapacity(capacity: number, length: number): number {
  return length <= capacity ? capacity : length + (length >> 1) + 16;
}

/** Bytes of a `Dict` with `slots` slots in `arrays` parallel arrays. */
export function dictBytes(slots: number, arrays: number): number {
  // The keyspace table (4 columns) keeps hashes and LRU/LFU data in
  // Int32Arrays, 4 bytes a slot; collection dicts use JS arrays throughout.
  if (arrays === 4) {
    return DICT_OBJECT + 2 * (JS_ARRAY + FIXED_ARRAY_HEADER + SLOT * slots) +
      2 * (TYPED_ARRAY + 4 * slots);
  }
  return DICT_OBJECT + arrays * (JS_ARRAY + FIXED_ARRAY_HEADER + SLOT * slots);
}

/** Bytes of a value; a collection without a size reports a rough estimate. */
export function valueBytes(v: RedisValue): number {
  if (typeof v === "string" || v instanceof Uint8Array) {
    return stringValueBytes(v);
  }
  const bytes = (v as Partial<SizedValue>).bytes;
  return bytes ?? roughBytes(v);
}

// Collections that do not report a size yet: 64 bytes per element.
function roughBytes(v: object): number {
  const n = (v as { size?: number; length?: number }).size ??
    (v as { length?: number }).length ?? 0;
  return 64 + 64 * n;
}

// ---------------------------------------------------------------------------
// Keyspace bookkeeping.

// Collections looked up since the last reconcile, process wide, in a
// preallocated array (emptying a JS array drops its storage).
const MARKED_MAX = 256;
const marked: (SizedValue | undefined)[] = new Array(MARKED_MAX).fill(
  undefined,
);
let markedCount = 0;

/**
 * Bytes `v` adds when a database starts holding it under a key (the key
 * itself not included), recording `owner` as its database's counter.
 */
export function retain(v: RedisValue, owner: MemCounter): number {
  if (typeof v === "string") {
    const n = v.length;
    return n <= 1 ? 0 : STRING_HEADER + ((n + 7) & ~7);
  }
  if (v instanceof Uint8Array) return stringValueBytes(v);
  const s = v as unknown as SizedValue;
  let m = s.mem;
  if (m === undefined) m = s.mem = new ValueMemory();
  else if (m.refs > 0 && m.owner !== undefined) sync(s, m);
  m.refs++;
  m.owner = owner;
  m.accounted = valueBytes(v);
  mark(s, m);
  return m.accounted;
}

/** Bytes `v` stops adding when its database no longer holds it under a key. */
export function release(v: RedisValue): number {
  if (typeof v === "string") {
    const n = v.length;
    return n <= 1 ? 0 : STRING_HEADER + ((n + 7) & ~7);
  }
  if (v instanceof Uint8Array) return stringValueBytes(v);
  const m = (v as unknown as SizedValue).mem;
  if (m === undefined) return valueBytes(v);
  if (--m.refs <= 0) {
    m.refs = 0;
    m.owner = undefined;
  }
  return m.accounted;
}

/**
 * Notes that a command looked up collection `v` (it may change it): its
 * size is reconciled before the total is read.
 */
export function noteUse(v: object): void {
  const m = (v as SizedValue).mem;
  if (m !== undefined && !m.dirty) mark(v as SizedValue, m);
}

function mark(v: SizedValue, m: ValueMemory): void {
  if (m.dirty) return;
  if (markedCount === MARKED_MAX) reconcile();
  m.dirty = true;
  marked[markedCount++] = v;
}

function sync(v: SizedValue, m: ValueMemory): void {
  const owner = m.owner;
  if (owner === undefined) return;
  const bytes = v.bytes ?? roughBytes(v);
  owner.used += bytes - m.accounted;
  m.accounted = bytes;
}

/** Brings every database's count up to date with the collections looked up since the last call. */
export function reconcile(): void {
  const n = markedCount;
  markedCount = 0;
  for (let i = 0; i < n; i++) {
    const v = marked[i]!;
    marked[i] = undefined;
    const m = v.mem!;
    m.dirty = false;
    if (m.owner !== undefined) sync(v, m);
  }
}

// ---------------------------------------------------------------------------
// Totals.

/** What one database costs, split the way MEMORY STATS reports it. */
export interface DbMemory {
  /** Keys and values. */
  data: number;
  /** The main hash table. */
  mainTable: number;
  /** The expires hash table, with the boxed expiry times. */
  expiresTable: number;
}

/** The cost of database `db` (reconcile first for an exact `data`). */
export function dbMemory(db: Database): DbMemory {
  return {
    data: db.mem.used,
    mainTable: dictBytes(db.dict.slots, 4),
    expiresTable: dictBytes(db.expires.slots, 3) +
      HEAP_NUMBER * db.expires.size,
  };
}

/** Bytes of every database's keys, values and tables, up to date. */
export function keyspaceBytes(keyspace: Keyspace): number {
  if (markedCount !== 0) reconcile();
  let total = 0;
  const dbs = keyspace.dbs;
  for (let i = 0; i < dbs.length; i++) {
    const db = dbs[i]!;
    total += db.mem.used + dictBytes(db.dict.slots, 4) +
      dictBytes(db.expires.slots, 3) + HEAP_NUMBER * db.expires.size;
  }
  return total;
}

// ---------------------------------------------------------------------------
// Server figures: used_memory and friends.

/** Memory figures of one server kept between calls. */
export interface ServerMemory {
  /** Heap in use when the server started (used_memory_startup). */
  startup: number;
  /** Process RSS when the server started. */
  startupRss: number;
  /** Highest used_memory seen (used_memory_peak). */
  peak: number;
  /** Client query and output buffers, refreshed by the cron (mem_clients_normal). */
  clients: number;
}

const servers = new WeakMap<ServerState, ServerMemory>();
let lastServer: ServerState | undefined;
let lastMemory: ServerMemory | undefined;
// The first server in a process measures the heap once: later servers of
// the same process (tests) would count the tests' heap as theirs.
let processStartup: { heap: number; rss: number } | undefined;

/** The memory figures of `server`, measuring its startup size on first use. */
export function serverMemory(server: ServerState): ServerMemory {
  if (server === lastServer) return lastMemory!;
  let m = servers.get(server);
  if (m === undefined) {
    processStartup ??= { heap: heapInUse(), rss: processRss() };
    m = {
      startup: processStartup.heap,
      startupRss: processStartup.rss,
      peak: 0,
      clients: 0,
    };
    servers.set(server, m);
  }
  lastServer = server;
  lastMemory = m;
  return m;
}

function heapInUse(): number {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
}

/** The resident set size of the process, in bytes. */
export function processRss(): number {
  try {
    return Deno.memoryUsage().rss;
  } catch {
    return 0;
  }
}

/**
 * The server's used_memory: the heap at startup, the keyspace and the
 * client buffers, all from the model (O(number of databases)).
 */
export function usedMemory(server: ServerState): number {
  const m = serverMemory(server);
  const used = m.startup + keyspaceBytes(server.keyspace) + m.clients;
  if (used > m.peak) m.peak = used;
  return used;
}

/** Re-reads the client buffers (server cron). */
export function refreshClientMemory(server: ServerState): void {
  let bytes = 0;
  for (const c of server.clients.values()) {
    bytes += c.out.buf.length + c.queryBuffer;
  }
  serverMemory(server).clients = bytes;
}

/**
 * A real measurement of the heap: runs a full garbage collection first
 * when the process was started with `--expose-gc` (DENO_V8_FLAGS).
 */
export function measureHeap(): { heap: number; gc: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === "function") {
    gc();
    gc();
  }
  return { heap: heapInUse(), gc: typeof gc === "function" };
}

/** Bytes as Redis's bytesToHuman prints them (`1.08M`). */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ["K", "M", "G", "T", "P", "E"];
  let d = n / 1024;
  let i = 0;
  while (d >= 1024 && i < units.length - 1) {
    d /= 1024;
    i++;
  }
  return `${d.toFixed(2)}${units[i]}`;
}

/** What MEMORY STATS and INFO memory report (Redis's getMemoryOverheadData). */
export interface MemoryOverhead {
  total: number;
  startup: number;
  peak: number;
  clients: number;
  dbs: { id: number; main: number; expires: number }[];
  overhead: number;
  keys: number;
  bytesPerKey: number;
  dataset: number;
  datasetPerc: number;
  peakPerc: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  /**
   * The resident memory of the runtime itself (Deno, V8, the compiled
   * code): the process's RSS at start-up less the heap then in use. Redis's
   * own code and libraries take a few MB; Deno's take tens, which no
   * dataset should be judged by.
   */
  runtime: number;
  /** What the heap keeps resident: RSS less the runtime (allocator_resident). */
  resident: number;
}

/** The breakdown of used_memory, as Redis's getMemoryOverheadData computes it. */
export function memoryOverhead(server: ServerState): MemoryOverhead {
  const m = serverMemory(server);
  const total = usedMemory(server);
  let overhead = m.startup + m.clients;
  let keys = 0;
  const dbs: MemoryOverhead["dbs"] = [];
  for (const db of server.keyspace.dbs) {
    if (db.dict.size === 0) continue;
    keys += db.dict.size;
    const d = dbMemory(db);
    dbs.push({ id: db.id, main: d.mainTable, expires: d.expiresTable });
    overhead += d.mainTable + d.expiresTable;
  }
  const net = total > m.startup ? total - m.startup : 1;
  const heap = Deno.memoryUsage();
  const runtime = Math.max(0, m.startupRss - m.startup);
  const heapTotal = heap.heapTotal + heap.external;
  return {
    total,
    startup: m.startup,
    peak: m.peak,
    clients: m.clients,
    dbs,
    overhead,
    keys,
    bytesPerKey: keys === 0 ? 0 : Math.floor(net / keys),
    dataset: total - overhead,
    datasetPerc: Math.fround(((total - overhead) * 100) / net),
    peakPerc: Math.fround((total * 100) / m.peak),
    heapUsed: heap.heapUsed + heap.external,
    heapTotal,
    rss: heap.rss,
    runtime,
    resident: Math.max(heapTotal, heap.rss - runtime),
  };
}

function ratio(a: number, b: number): string {
  return b === 0 ? "0.00" : (a / b).toFixed(2);
}

function totalSystemMemory(): number {
  try {
    return Deno.systemMemoryInfo().total;
  } catch {
    return 0;
  }
}

/**
 * The fields of INFO's memory section, in Redis 7.0's order. The
 * allocator fields describe V8's heap: `allocator_allocated` is the heap
 * in use, `allocator_active` the heap V8 has reserved, `allocator_resident`
 * the RSS less the runtime's own (see `MemoryOverhead.runtime`). The
 * ratios follow Redis's definitions over these figures: Redis divides the
 * RSS by what its allocator holds, so `mem_fragmentation_ratio` is the
 * resident heap over the heap in use (both measured, where used_memory is
 * the dataset model maxmemory counts, which leaves out V8's own overhead
 * per object). It reads about 1 on a fresh server or a settled dataset, as
 * a dashboard expects, and grows with space V8 keeps reserved after a
 * burst; `rss_overhead_bytes` is the runtime.
 */
export function memoryInfo(server: ServerState): [string, string | number][] {
  const o = memoryOverhead(server);
  const maxmemory = server.config.number("maxmemory");
  const system = totalSystemMemory();
  // Lua figures; before the first script, what Redis 7.0 reports when idle.
  const lua = server.scripting?.memory() ?? {
    vmEval: 31744,
    vmFunctions: 32768,
    scriptsEval: 0,
    functions: 184,
    numberOfCachedScripts: 0,
    numberOfFunctions: 0,
    numberOfLibraries: 0,
  };
  return [
    ["used_memory", o.total],
    ["used_memory_human", bytesToHuman(o.total)],
    ["used_memory_rss", o.rss],
    ["used_memory_rss_human", bytesToHuman(o.rss)],
    ["used_memory_peak", o.peak],
    ["used_memory_peak_human", bytesToHuman(o.peak)],
    ["used_memory_peak_perc", `${o.peakPerc.toFixed(2)}%`],
    ["used_memory_overhead", o.overhead],
    ["used_memory_startup", o.startup],
    ["used_memory_dataset", o.dataset],
    ["used_memory_dataset_perc", `${o.datasetPerc.toFixed(2)}%`],
    ["allocator_allocated", o.heapUsed],
    ["allocator_active", o.heapTotal],
    ["allocator_resident", o.resident],
    ["total_system_memory", system],
    ["total_system_memory_human", bytesToHuman(system)],
    ["used_memory_lua", lua.vmEval],
    ["used_memory_vm_eval", lua.vmEval],
    ["used_memory_lua_human", bytesToHuman(lua.vmEval)],
    ["used_memory_scripts_eval", lua.scriptsEval],
    ["number_of_cached_scripts", lua.numberOfCachedScripts],
    ["number_of_functions", lua.numberOfFunctions],
    ["number_of_libraries", lua.numberOfLibraries],
    ["used_memory_vm_functions", lua.vmFunctions],
    ["used_memory_vm_total", lua.vmEval + lua.vmFunctions],
    ["used_memory_vm_total_human", bytesToHuman(lua.vmEval + lua.vmFunctions)],
    ["used_memory_functions", lua.functions],
    ["used_memory_scripts", lua.scriptsEval + lua.functions],
    [
      "used_memory_scripts_human",
      bytesToHuman(lua.scriptsEval + lua.functions),
    ],
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(maxmemory)],
    ["maxmemory_policy", server.config.get("maxmemory-policy")],
    ["allocator_frag_ratio", ratio(o.heapTotal, o.heapUsed)],
    ["allocator_frag_bytes", o.heapTotal - o.heapUsed],
    ["allocator_rss_ratio", ratio(o.resident, o.heapTotal)],
    ["allocator_rss_bytes", o.resident - o.heapTotal],
    ["rss_overhead_ratio", ratio(o.rss, o.resident)],
    ["rss_overhead_bytes", o.rss - o.resident],
    ["mem_fragmentation_ratio", ratio(o.resident, o.heapUsed)],
    ["mem_fragmentation_bytes", o.resident - o.heapUsed],
    ["mem_not_counted_for_evict", 0],
    // The replication buffer, shared by the backlog and the replicas.
    ["mem_replication_backlog", server.replication?.memory() ?? 0],
    ["mem_total_replication_buffers", server.replication?.memory() ?? 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", o.clients],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", `v8-${Deno.version.v8}`],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", 0],
    ["lazyfreed_objects", server.stats.lazyfreedObjects],
  ];
}
