/**
 * LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
 * RPOPLPUSH source destination
 * BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
 * BRPOPLPUSH source destination timeout
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { NULL, NULL_ARRAY } from "../../protocol/reply.ts";
import { NOTIFY_LIST } from "../../state.ts";
import { deadlineFromSeconds } from "../blocking.ts";
import type { Reply } from "../../protocol/types.ts";
import type { ArgDoc, CommandDocs, Context } from "../types.ts";
import {
  deleteIfEmpty,
  type End,
  endArg,
  listForWrite,
  parseEnd,
  pushOne,
} from "./common.ts";

/**
 * Redis's lmoveGenericCommand: pops from `src` and pushes onto `dst`
 * (created if missing). Returns the element, or undefined when `src` is
 * missing. WRONGTYPE for either key, checked before anything changes.
 */
function move(
  ctx: Context,
  src: string,
  dst: string,
  from: End,
  to: End,
): string | undefined {
  const source = listForWrite(ctx, src);
  if (source === undefined) return undefined;
  const dest = listForWrite(ctx, dst);
  const value = from === "left" ? source.popFront()! : source.popBack()!;
  // When src is dst, `dest` is the same (now maybe empty) list: the
  // element goes back in and the key stays.
  pushOne(ctx, dst, dest, value, to);
  ctx.notify(NOTIFY_LIST, from === "left" ? "lpop" : "rpop", src);
  deleteIfEmpty(ctx, src, source);
  ctx.db.touch(src);
  ctx.dirty();
  return value;
}

/**
 * The blocking variants (Redis's blmoveGenericCommand). A client served
 * after blocking propagates LMOVE with lower-case directions (or
 * RPOPLPUSH), one that found data at once propagates its own words.
 */
function blockingMove(
  ctx: Context,
  from: End,
  to: End,
  timeoutText: string,
  brpoplpush: boolean,
): Reply {
  const argv = ctx.argv;
  const src = argv[1]!;
  const dst = argv[2]!;
  const deadline = deadlineFromSeconds(timeoutText, ctx.server.clock.now());
  if (listForWrite(ctx, src) === undefined) {
    // Inside MULTI (no blocking) Redis answers a null bulk string, while a
    // timeout or CLIENT UNBLOCK gives a null array.
    if (!ctx.blockingAllowed) return NULL;
    return ctx.block({
      keys: [src],
      deadline,
      timeoutReply: NULL_ARRAY,
      readyType: "list",
    });
  }
  const value = move(ctx, src, dst, from, to)!;
  if (brpoplpush) {
    ctx.propagateAs(["RPOPLPUSH", src, dst]);
  } else if (ctx.readyKey !== undefined) {
    ctx.propagateAs(["LMOVE", src, dst, from, to]);
  } else {
    ctx.propagateAs(["LMOVE", src, dst, argv[3]!, argv[4]!]);
  }
  return value;
}

const moveKeys = [keyAt(1, "RW ACCESS DELETE"), keyAt(2, "RW INSERT")];

const moveArgs: readonly ArgDoc[] = [
  { name: "source", type: "key", keySpecIndex: 0 },
  { name: "destination", type: "key", keySpecIndex: 1 },
];

function deprecated(replacedBy: string, extra: Partial<CommandDocs> = {}) {
  return {
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy,
    ...extra,
  } as const;
}

/** LMOVE: moves an element from one end of a list to an end of another. */
export const lmove = defineCommand({
  name: "lmove",
  group: "list",
  summary: "Pop an element from a list, push it to another list and return it",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 5,
  flags: ["write", "denyoom"],
  acl: ["list"],
  keys: moveKeys,
  docs: {
    arguments: [...moveArgs, endArg("wherefrom"), endArg("whereto")],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const from = parseEnd(argv[3]!);
    const to = parseEnd(argv[4]!);
    return move(ctx, argv[1]!, argv[2]!, from, to) ?? NULL;
  },
});

/** RPOPLPUSH: LMOVE source destination RIGHT LEFT. */
export const rpoplpush = defineCommand({
  name: "rpoplpush",
  group: "list",
  summary:
    "Remove the last element in a list, prepend it to another list and return it",
  since: "1.2.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["write", "denyoom"],
  acl: ["list"],
  keys: moveKeys,
  docs: {
    ...deprecated("`LMOVE` with the `RIGHT` and `LEFT` arguments"),
    arguments: moveArgs,
  },
  handler(ctx) {
    const argv = ctx.argv;
    return move(ctx, argv[1]!, argv[2]!, "right", "left") ?? NULL;
  },
});

/** BLMOVE: LMOVE, waiting for the source to get an element. */
export const blmove = defineCommand({
  name: "blmove",
  group: "list",
  summary:
    "Pop an element from a list, push it to another list and return it; or block until one is available",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 6,
  flags: ["write", "denyoom", "noscript", "blocking"],
  acl: ["list"],
  keys: moveKeys,
  docs: {
    arguments: [
      ...moveArgs,
      endArg("wherefrom"),
      endArg("whereto"),
      { name: "timeout", type: "double" },
    ],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const from = parseEnd(argv[3]!);
    const to = parseEnd(argv[4]!);
    return blockingMove(ctx, from, to, argv[5]!, false);
  },
});

/** BRPOPLPUSH: BLMOVE source destination RIGHT LEFT timeout. */
export const brpoplpush = defineCommand({
  name: "brpoplpush",
  group: "list",
  summary:
    "Pop an element from a list, push it to another list and return it; or block until one is available",
  since: "2.2.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom", "noscript", "blocking"],
  acl: ["list"],
  keys: moveKeys,
  docs: {
    ...deprecated("`BLMOVE` with the `RIGHT` and `LEFT` arguments", {
      history: [[
        "6.0.0",
        "`timeout` is interpreted as a double instead of an integer.",
      ]],
    }),
    arguments: [...moveArgs, { name: "timeout", type: "double" }],
  },
  handler(ctx) {
    return blockingMove(ctx, "right", "left", ctx.argv[3]!, true);
  },
});
