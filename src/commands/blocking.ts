/**
 * Blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK, ...): parking clients on
 * keys, serving them in arrival order when a key gets data, timeouts,
 * CLIENT UNBLOCK, and forgetting clients that disconnect.
 *
 * A handler that finds nothing returns `ctx.block({ keys, deadline,
 * timeoutReply })`. When one of the keys is signalled ready, the handler
 * runs again for each waiting client, oldest first, after the command that
 * signalled has finished (after all of EXEC, for a transaction). A client
 * whose rerun finds nothing again keeps its place in line.
 *
 * @module
 */
import { CommandError } from "../errors.ts";
import type { Client } from "../client.ts";
import type { Database } from "../store/database.ts";
import type { ServerState } from "../state.ts";
import type { Reply } from "../protocol/types.ts";
import { typeOf } from "../store/values.ts";
import { BLOCKED, call, contextOf, pipelineHooks, reply } from "./dispatch.ts";
import type { BlockOptions, Context } from "./types.ts";
import { INT64_MAX, INT64_MIN, parseIntNumber } from "../util/number.ts";
import { type LongDouble, parseLongDouble } from "../util/long_double.ts";

interface Waiter {
  client: Client;
  options: BlockOptions;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const waiters = new WeakMap<Client, Waiter>();

/** Number of clients currently blocked (INFO blocked_clients). */
export function blockedClientCount(server: ServerState): number {
  let n = 0;
  for (const c of server.clients.values()) if (c.blocked !== undefined) n++;
  // Clients held by CLIENT PAUSE are blocked too (Redis's BLOCKED_POSTPONE).
  for (const c of server.pauseWaiters) if (!c.closed) n++;
  return n;
}

function queueOf(db: Database, key: string): Client[] {
  let q = db.blocking.get(key) as Client[] | undefined;
  if (q === undefined) {
    q = [];
    db.blocking.set(key, q);
  }
  return q;
}

function park(ctx: Context, options: BlockOptions): void {
  const client = ctx.client;
  if (waiters.has(client)) return; // a rerun that found nothing keeps its place
  const server = ctx.server;
  const waiter: Waiter = { client, options, timer: undefined };
  waiters.set(client, waiter);
  client.blocked = {
    command: ctx.command,
    argv: ctx.argv,
    db: ctx.db.id,
    keys: options.keys,
    deadline: options.deadline,
    timeoutReply: options.timeoutReply,
    timer: undefined,
  };
  for (const key of new Set(options.keys)) queueOf(ctx.db, key).push(client);
  if (options.deadline > 0) {
    armTimer(
      server,
      waiter,
      Math.max(0, options.deadline - server.clock.now()),
    );
  }
}

// setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days), so
// longer timeouts wait in steps.
const MAX_TIMER_DELAY = 2 ** 31 - 1;

function armTimer(server: ServerState, waiter: Waiter, delay: number): void {
  const step = Math.min(delay, MAX_TIMER_DELAY);
  waiter.timer = setTimeout(() => {
    if (waiters.get(waiter.client) !== waiter) return;
    if (delay > step) return armTimer(server, waiter, delay - step);
    unblock(server, waiter.client, waiter.options.timeoutReply);
  }, step);
}

// A client released by CLIENT UNBLOCK: its call was counted when it
// blocked; Redis 7.0 counts it as failed whichever reply it gets, and the
// UNBLOCKED error as an error reply.
function countUnblocked(
  server: ServerState,
  client: Client,
  asError: boolean,
): void {
  const cmd = client.blocked?.command;
  if (cmd === undefined) return;
  cmd.stats.failedCalls++;
  if (asError) server.countError("UNBLOCKED");
}

/** Releases a blocked client, sending `r` unless it is undefined. */
export function unblock(
  server: ServerState,
  client: Client,
  r: Reply | undefined,
): void {
  const waiter = waiters.get(client);
  const blocked = client.blocked;
  if (waiter === undefined || blocked === undefined) return;
  waiters.delete(client);
  if (waiter.timer !== undefined) clearTimeout(waiter.timer);
  const db = server.db(blocked.db);
  for (const key of new Set(blocked.keys)) {
    const q = db.blocking.get(key) as Client[] | undefined;
    if (q === undefined) continue;
    const i = q.indexOf(client);
    if (i >= 0) q.splice(i, 1);
    if (q.length === 0) db.blocking.delete(key);
  }
  client.blocked = undefined;
  if (r !== undefined && !client.closed) {
    reply(client, r);
    client.flush();
  }
}

/** CLIENT UNBLOCK: releases `client` with its timeout reply or an UNBLOCKED error. */
export function unblockByRequest(
  server: ServerState,
  client: Client,
  asError: boolean,
): boolean {
  if (
    client.blocked === undefined ||
    !client.blocked.command.flags.has("blocking")
  ) {
    return false;
  }
  const r: Reply = asError
    ? { kind: "error", line: "UNBLOCKED client unblocked via CLIENT UNBLOCK" }
    : (client.blocked.timeoutReply as Reply);
  countUnblocked(server, client, asError);
  unblock(server, client, r);
  return true;
}

// Serves clients blocked on keys signalled ready, until no key is left.
function serveReadyKeys(server: ServerState): void {
  while (server.readyKeys.length !== 0) {
    const ready = server.readyKeys;
    server.readyKeys = [];
    readySet.clear();
    for (const { db, key } of ready) {
      const q = db.blocking.get(key) as Client[] | undefined;
      if (q === undefined) continue;
      for (const client of [...q]) {
        const waiter = waiters.get(client);
        const blocked = client.blocked;
        if (waiter === undefined || blocked === undefined) continue;
        const value = db.dict.get(key);
        const readyType = waiter.options.readyType;
        if (
          (value === undefined ||
            (readyType !== undefined && typeOf(value) !== readyType)) &&
          // Stream readers also hear of a stream that went away (Redis
          // answers XREADGROUP with an UNBLOCKED error then).
          readyType !== "stream"
        ) {
          // Not for this client; others in line may wait for this type.
          continue;
        }
        const ctx = contextOf(server, client);
        ctx.readyKey = key;
        const result = call(ctx, blocked.command, blocked.argv);
        ctx.readyKey = undefined;
        if (result !== BLOCKED) unblock(server, client, result);
      }
    }
  }
}

const readySet = new Set<string>();

function signalReady(server: ServerState, db: Database, key: string): void {
  const id = `${db.id}\0${key}`;
  if (readySet.has(id)) return;
  readySet.add(id);
  server.readyKeys.push({ db, key });
}

/** Wires blocking into dispatch and the store. */
export function installBlocking(server: ServerState): void {
  pipelineHooks.onBlock = park;
  pipelineHooks.afterCommand = serveReadyKeys;
  server.onKeyReady = (db, key) => signalReady(server, db, key);
  server.clientCloseHooks.push((client) => unblock(server, client, undefined));
}

/**
 * Parses a blocking timeout given in seconds (BLPOP and friends; decimals
 * allowed) into an absolute deadline in ms, 0 meaning forever.
 *
 * Redis 7.0 parses it with `strtold` and takes `ceill(t * 1000)` in x87
 * `long double` as a C `long long`, so: tiny positive values wait 1 ms,
 * values in (-0.001, 0] wait forever (they round up to -0), infinities and
 * values past 2^63 ms convert to LLONG_MIN ("timeout is negative"), and a
 * deadline that would overflow never fires.
 */
export function deadlineFromSeconds(text: string, now: number): number {
  const v = parseLongDouble(text);
  if (v === undefined) {
    throw new CommandError("ERR", "timeout is not a float or out of range");
  }
  const ms = ceilMillis(v);
  if (ms < 0n) throw new CommandError("ERR", "timeout is negative");
  if (ms === 0n || BigInt(now) + ms > INT64_MAX) return 0;
  return now + Number(ms);
}

// (long long) ceill(v * 1000.0L), with x87 semantics for out-of-range
// conversions (the "integer indefinite" LLONG_MIN).
function ceilMillis(v: LongDouble): bigint {
  if (v.inf) return INT64_MIN;
  let m = v.mant * 1000n;
  let e = v.exp;
  // Round the product to a 64-bit significand, ties to even.
  const extra = m.toString(2).length - 64;
  if (extra > 0) {
    const shift = BigInt(extra);
    const low = m & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    m >>= shift;
    e += extra;
    if (low > half || (low === half && (m & 1n) === 1n)) m++;
  }
  // ceil: the floor of the magnitude, plus one for an inexact positive.
  let floor: bigint;
  let exact = true;
  if (e >= 0) {
    floor = m << BigInt(e);
  } else {
    const shift = BigInt(-e);
    floor = m >> shift;
    exact = (m & ((1n << shift) - 1n)) === 0n;
  }
  const ms = v.neg ? -floor : exact ? floor : floor + 1n;
  return ms > INT64_MAX || ms < INT64_MIN ? INT64_MIN : ms;
}

/** Parses a blocking timeout given in milliseconds (XREAD BLOCK) into a deadline. */
export function deadlineFromMillis(text: string, now: number): number {
  const v = parseIntNumber(text);
  if (v === undefined) {
    throw new CommandError("ERR", "timeout is not an integer or out of range");
  }
  if (v < 0) throw new CommandError("ERR", "timeout is negative");
  return v === 0 ? 0 : now + v;
}
