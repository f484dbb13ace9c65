/**
 * Reply constructors and shared constant replies.
 *
 * @module
 */
import type { Reply, ReplyNode } from "./types.ts";

/** A simple string reply: `+text`. */
export function simple(text: string): ReplyNode {
  return { kind: "simple", text };
}

/** An error reply inside an array (EXEC). `line` is `ERR message`. */
export function errorReply(line: string): ReplyNode {
  return { kind: "error", line };
}

/** A double: RESP3 `,v`, RESP2 bulk string, formatted as Redis's `%.17g`. */
export function double(value: number): ReplyNode {
  return { kind: "double", value };
}

/** A map from a flat `[k1, v1, k2, v2]` list. */
export function map(entries: readonly Reply[]): ReplyNode {
  return { kind: "map", entries };
}

/** A set reply (RESP3 `~`). */
export function set(items: readonly Reply[]): ReplyNode {
  return { kind: "set", items };
}

/** A boolean (RESP3 `#t`/`#f`, RESP2 `:1`/`:0`). */
export function bool(value: boolean): ReplyNode {
  return value ? TRUE : FALSE;
}

/** A big number (RESP3 `(`), given as decimal text. */
export function bignum(text: string): ReplyNode {
  return { kind: "bignum", text };
}

/** A verbatim string (RESP3 `=`), e.g. format `txt`. */
export function verbatim(text: string, format = "txt"): ReplyNode {
  return { kind: "verbatim", format, text };
}

/** Pairs from a flat list: flat in RESP2, `[[a, b], ...]` in RESP3 (WITHSCORES). */
export function pairs(items: readonly Reply[]): ReplyNode {
  return { kind: "pairs", items };
}

/** A push frame (RESP3 `>`, RESP2 array). */
export function push(items: readonly Reply[]): ReplyNode {
  return { kind: "push", items };
}

/** `+OK` */
export const OK: ReplyNode = simple("OK");
/** `+PONG` */
export const PONG: ReplyNode = simple("PONG");
/** `+QUEUED` */
export const QUEUED: ReplyNode = simple("QUEUED");
/** A null bulk string (`$-1`, RESP3 `_`). */
export const NULL = null;
/** A null array (`*-1`, RESP3 `_`). */
export const NULL_ARRAY: ReplyNode = { kind: "nullArray" };
/** The empty array. */
export const EMPTY_ARRAY: readonly Reply[] = Object.freeze([]);
/** No reply at all. */
export const NO_REPLY: ReplyNode = { kind: "none" };
const TRUE: ReplyNode = { kind: "bool", value: true };
const FALSE: ReplyNode = { kind: "bool", value: false };
