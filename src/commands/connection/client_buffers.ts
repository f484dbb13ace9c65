/**
 * Redis 7.0's bookkeeping of a client's buffers, as CLIENT LIST and INFO
 * report it: the query buffer's allocation (`qbuf-free`, grown by 16 KB
 * reads and given back after two idle seconds), the reply buffer's size
 * and peak (`rbs`, `rbp`: 16 KB at first, shrunk or grown by the cron to
 * fit the peak of the last 5 seconds, INFO `reply_buffer_shrinks` and
 * `_expands`, DEBUG REPLYBUFFER), and the client's memory (`tot-mem`) as
 * Redis's getClientMemoryUsage adds it up, with jemalloc's size classes.
 *
 * tsredis's own buffers are sized differently; these numbers are Redis's,
 * so tools that read them see what they would see with redis-server.
 *
 * @module
 */
import type { Client } from "../../client.ts";
import { encodeReply } from "../../protocol/encoder.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";

// Redis's PROTO_IOBUF_LEN, PROTO_REPLY_CHUNK_BYTES, PROTO_REPLY_MIN_BYTES.
const IOBUF_LEN = 16 * 1024;
const REPLY_CHUNK_BYTES = 16 * 1024;
const REPLY_MIN_BYTES = 1024;
// The allocation of a client struct in Redis 7.0 (zmalloc_size(c)).
const CLIENT_STRUCT = 768;
// sizeof(robj*), sizeof(multiCmd), sizeof(listNode), sizeof(dictEntry).
const POINTER = 8;
const MULTI_CMD = 24;
const LIST_NODE = 24;
const DICT_ENTRY = 24;
// A reply list block holds up to 16 KB (Redis's clientReplyBlock).
const REPLY_BLOCK = 16 * 1024;

/** jemalloc's size class for an allocation of `n` bytes (its usable size). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const group = 2 ** Math.floor(Math.log2(n - 1));
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

// The header of an sds string of `len` bytes (types 8, 16, 32).
function sdsHeader(len: number): number {
  return len < 256 ? 3 : len < 65536 ? 5 : 9;
}

/** Redis's reply-buffer settings (DEBUG REPLYBUFFER). */
export interface ReplyBufferSettings {
  /** DEBUG REPLYBUFFER RESIZING 0|1. */
  resizing: boolean;
  /** DEBUG REPLYBUFFER PEAK-RESET-TIME: ms between peak resets, -1 never. */
  peakResetTime: number;
}

/** Redis's REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME. */
export const DEFAULT_PEAK_RESET_TIME = 5000;

const settings = new WeakMap<ServerState, ReplyBufferSettings>();

/** The reply-buffer settings of `server`. */
export function replyBufferSettings(server: ServerState): ReplyBufferSettings {
  let s = settings.get(server);
  if (s === undefined) {
    s = { resizing: true, peakResetTime: DEFAULT_PEAK_RESET_TIME };
    settings.set(server, s);
  }
  return s;
}

/**
 * A read of `n` bytes arrives (Redis's readQueryFromClient): a query
 * buffer with less than 16 KB allocated grows by 16 KB past what it holds.
 * `client.queryBuffer` still holds the bytes left from before.
 */
export function noteQueryRead(client: Client, n: number): void {
  const held = client.queryBuffer;
  if (client.queryAlloc < IOBUF_LEN) {
    const len = held + IOBUF_LEN;
    const header = sdsHeader(len);
    client.queryAlloc = jemallocSize(header + len + 1) - header - 1;
  }
  // The bytes Redis's query buffer holds while this read's commands run.
  client.queryChunk = held + n;
}

/**
 * Replies are about to be written: the reply buffer held `pending` bytes
 * of them (at most its size; the rest goes to the reply list in Redis).
 */
export function noteReplyPeak(client: Client, pending: number): void {
  const used = Math.min(pending, client.replyBufferSize);
  if (used > client.replyBufferPeak) client.replyBufferPeak = used;
}

/** The CLIENT LIST buffer fields of `client`, Redis's way. */
export interface BufferFields {
  qbuf: number;
  qbufFree: number;
  argvMem: number;
  multiMem: number;
  rbs: number;
  rbp: number;
  obl: number;
  oll: number;
  omem: number;
  totMem: number;
}

// argv_len_sum, and the argument count of the command being run.
function argvSum(argv: Argv | undefined): number {
  if (argv === undefined) return 0;
  let n = 0;
  for (const word of argv) n += word.length;
  return n;
}

// A dict of `n` entries: its entries and its table (Redis's dictSlots).
function dictMemory(n: number): number {
  if (n === 0) return 0;
  const slots = Math.max(4, 2 ** Math.ceil(Math.log2(n)));
  return n * DICT_ENTRY + slots * POINTER;
}

/**
 * The buffer fields of `client`; `running` is the argv of the command it
 * runs right now (the client asking), if any.
 */
export function bufferFields(
  client: Client,
  running: Argv | undefined,
): BufferFields {
  // A blocked client keeps its command's arguments, as in Redis; inside
  // EXEC, the arguments are EXEC's and the count the queued command's.
  const argv = running ?? client.blocked?.argv;
  const execution = client.execution;
  const argvMem = argvSum(execution?.argv ?? argv);
  const argc = argv?.length ?? 0;
  const qbuf = running !== undefined ? client.queryChunk : client.queryBuffer;
  const alloc = Math.max(client.queryAlloc, qbuf);
  const queue = (client.multi ?? execution?.state)?.queue ?? [];
  let multiMem = 0;
  for (const q of queue) multiMem += argvSum(q.argv) + POINTER * q.argv.length;
  const allocCount = queue.length === 0
    ? 0
    : Math.max(2, 2 ** Math.ceil(Math.log2(queue.length)));
  const rbs = client.replyBufferSize;
  // The replies of the current batch that sit in the buffer, and the rest.
  let pending = client.out.length;
  if (execution !== undefined) {
    // Redis writes EXEC's replies as they come.
    pending += `*${queue.length}\r\n`.length;
    for (const r of execution.replies) {
      pending += encodeReply(r as Reply, client.protocol).length;
    }
  }
  const obl = Math.min(pending, rbs);
  const overflow = pending - obl;
  const oll = Math.ceil(overflow / REPLY_BLOCK);
  const rbp = Math.max(client.replyBufferPeak, obl);
  const queryHeader = sdsHeader(alloc);
  const queryMem = jemallocSize(queryHeader + alloc + 1);
  // The reply list: what did not fit in the buffer, and what was handed
  // to the socket but not yet written.
  const omem = overflow + client.outInFlight;
  const totMem = CLIENT_STRUCT + queryMem + rbs + argvMem + POINTER * argc +
    multiMem + allocCount * MULTI_CMD + omem +
    client.patterns.size * LIST_NODE + dictMemory(client.channels.size) +
    dictMemory(client.shardChannels.size);
  return {
    qbuf,
    qbufFree: alloc - qbuf,
    argvMem,
    multiMem,
    rbs,
    rbp,
    obl,
    oll,
    omem,
    totMem,
  };
}

// Redis's clientsCronResizeQueryBuffer: a buffer idle for over two
// seconds (whole seconds of the Unix clock, as Redis counts them) gives
// back its free room.
function resizeQueryBuffer(client: Client, now: number): void {
  const free = client.queryAlloc - client.queryBuffer;
  const idle = Math.floor(now / 1000) -
    Math.floor(client.lastInteraction / 1000);
  if (free > 4096 && idle > 2) {
    client.queryAlloc = client.queryBuffer;
  }
}

// Redis's clientsCronResizeOutputBuffer.
function resizeOutputBuffer(
  server: ServerState,
  client: Client,
  now: number,
  s: ReplyBufferSettings,
): void {
  if (!s.resizing) return;
  const size = client.replyBufferSize;
  const peak = client.replyBufferPeak;
  let newSize = 0;
  if (size / 2 >= REPLY_MIN_BYTES && peak < size / 2) {
    newSize = Math.max(REPLY_MIN_BYTES, peak + 1);
    server.stats.replyBufferShrinks++;
  } else if (size * 2 < REPLY_CHUNK_BYTES * 2 && peak === size) {
    newSize = Math.min(REPLY_CHUNK_BYTES, size * 2);
    server.stats.replyBufferExpands++;
  }
  if (
    s.peakResetTime >= 0 && now - client.replyPeakResetAt >= s.peakResetTime
  ) {
    // The peak starts again from what the buffer holds now.
    client.replyBufferPeak = Math.min(client.out.length, size);
    client.replyPeakResetAt = now;
  }
  if (newSize !== 0) client.replyBufferSize = jemallocSize(newSize);
}

/** Runs Redis's per-client buffer cron on every server cron tick. */
export function installClientBuffers(server: ServerState): void {
  server.cronHooks.push(() => {
    const now = server.clock.now();
    const s = replyBufferSettings(server);
    for (const client of server.clients.values()) {
      if (client.internal || client.closed) continue;
      resizeQueryBuffer(client, now);
      resizeOutputBuffer(server, client, now, s);
    }
  });
}
