/**
 * Helpers shared by the list commands: typed lookups, the bookkeeping
 * after elements are removed (events, deleting an emptied key), pushing
 * into a possibly new list, and the argument docs several commands share.
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { asciiLower } from "../../util/bytes.ts";
import { ListValue } from "../../store/list_value.ts";
import { NOTIFY_GENERIC, NOTIFY_LIST } from "../../state.ts";
import type { ArgDoc, Context } from "../types.ts";

/** Which end of a list: LEFT is the head, RIGHT the tail. */
export type End = "left" | "right";

/** The list at `key` for reading, or undefined; WRONGTYPE for other types. */
export function listForRead(ctx: Context, key: string): ListValue | undefined {
  return ctx.db.getCollection<ListValue>(key, "list");
}

/** The list at `key` for writing, or undefined; WRONGTYPE for other types. */
export function listForWrite(ctx: Context, key: string): ListValue | undefined {
  return ctx.db.getCollectionForWrite<ListValue>(key, "list");
}

/** Parses LEFT or RIGHT (any case); a syntax error otherwise. */
export function parseEnd(word: string): End {
  const lower = asciiLower(word);
  if (lower === "left") return "left";
  if (lower === "right") return "right";
  throw syntaxError();
}

/** Normalizes a list index as Redis does (negative counts from the tail); -1 when out of range. */
export function normalizeIndex(index: number, length: number): number {
  const i = index < 0 ? length + index : index;
  return i >= 0 && i < length ? i : -1;
}

/**
 * The inclusive range `[start, end]` of a list of `length` elements after
 * Redis's clamping (LRANGE, LTRIM), or undefined when it is empty.
 */
export function clampRange(
  start: number,
  end: number,
  length: number,
): [number, number] | undefined {
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return undefined;
  if (end >= length) end = length - 1;
  return [start, end];
}

/**
 * Pops up to `count` elements from one end, in pop order (Redis's
 * addListRangeReply + quicklistDelRange): the head's first elements in
 * order, or the tail's last elements last to first.
 */
export function popRange(list: ListValue, end: End, count: number): string[] {
  const n = Math.min(count, list.length);
  if (end === "left") {
    const out = list.slice(0, n);
    list.dropFront(n);
    return out;
  }
  const out = list.slice(list.length - n, n, true);
  list.dropBack(n);
  return out;
}

/**
 * Redis's listElementsRemoved: the lpop/rpop event, deleting the key (and
 * the del event) when the list is now empty, WATCH, and `count` changes.
 */
export function elementsRemoved(
  ctx: Context,
  key: string,
  end: End,
  list: ListValue,
  count: number,
): void {
  ctx.notify(NOTIFY_LIST, end === "left" ? "lpop" : "rpop", key);
  deleteIfEmpty(ctx, key, list);
  ctx.db.touch(key);
  ctx.dirty(count);
}

/** Deletes `key` and sends the del event if `list` has no element left. */
export function deleteIfEmpty(
  ctx: Context,
  key: string,
  list: ListValue,
): boolean {
  if (list.length !== 0) return false;
  ctx.db.delete(key);
  ctx.notify(NOTIFY_GENERIC, "del", key);
  return true;
}

/**
 * Pushes `value` at one end of `list`, creating the list at `key` when it
 * is undefined (Redis's lmoveHandlePush without the reply). Wakes clients
 * blocked on the key and sends the lpush/rpush event.
 */
export function pushOne(
  ctx: Context,
  key: string,
  list: ListValue | undefined,
  value: string,
  end: End,
): void {
  if (list === undefined) {
    list = new ListValue();
    ctx.db.add(key, list);
  } else {
    ctx.db.touch(key);
    ctx.db.signalReady(key);
  }
  if (end === "left") list.pushFront(value);
  else list.pushBack(value);
  ctx.notify(NOTIFY_LIST, end === "left" ? "lpush" : "rpush", key);
}

/** The `[LR]POP` word Redis propagates for a pop at `end`. */
export function popCommandName(end: End): string {
  return end === "left" ? "LPOP" : "RPOP";
}

/** COMMAND DOCS for `key` (first key spec). */
export const keyArg: ArgDoc = { name: "key", type: "key", keySpecIndex: 0 };

/** COMMAND DOCS for a LEFT | RIGHT argument. */
export function endArg(name: string): ArgDoc {
  return {
    name,
    type: "oneof",
    arguments: [
      { name: "left", type: "pure-token", token: "LEFT" },
      { name: "right", type: "pure-token", token: "RIGHT" },
    ],
  };
}
