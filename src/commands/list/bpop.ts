/**
 * BLPOP key [key ...] timeout
 * BRPOP key [key ...] timeout
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import { NULL_ARRAY } from "../../protocol/reply.ts";
import { deadlineFromSeconds } from "../blocking.ts";
import type { Reply } from "../../protocol/types.ts";
import type { CommandDocs, Context } from "../types.ts";
import {
  elementsRemoved,
  type End,
  listForWrite,
  popCommandName,
  popRange,
} from "./common.ts";

/**
 * Redis's blockingPopGenericCommand, shared with BLMPOP: serves from the
 * first of `keys` that holds a list (or, for a blocked client being
 * served, from the key that became ready), else blocks. `count` is the
 * BLMPOP count, or -1 for BLPOP/BRPOP. Propagated as [LR]POP.
 */
export function blockingPop(
  ctx: Context,
  keys: readonly string[],
  end: End,
  timeoutText: string,
  count: number,
): Reply {
  const deadline = deadlineFromSeconds(timeoutText, ctx.server.clock.now());
  const ready = ctx.readyKey;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (ready !== undefined && key !== ready) continue;
    const list = listForWrite(ctx, key);
    if (list === undefined) continue;
    if (count >= 0) {
      const values = popRange(list, end, count);
      elementsRemoved(ctx, key, end, list, values.length);
      ctx.propagateAs([popCommandName(end), key, String(values.length)]);
      return [key, values];
    }
    const value = end === "left" ? list.popFront()! : list.popBack()!;
    elementsRemoved(ctx, key, end, list, 1);
    ctx.propagateAs([popCommandName(end), key]);
    return [key, value];
  }
  return ctx.block({
    keys,
    deadline,
    timeoutReply: NULL_ARRAY,
    readyType: "list",
  });
}

// BLPOP and BRPOP: the keys, then the timeout.
function bpop(ctx: Context, end: End): Reply {
  const argv = ctx.argv;
  return blockingPop(ctx, argv.slice(1, -1), end, argv[argv.length - 1]!, -1);
}

function docs(): CommandDocs {
  return {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "timeout", type: "double" },
    ],
    history: [[
      "6.0.0",
      "`timeout` is interpreted as a double instead of an integer.",
    ]],
  };
}

/** BLPOP: pops the head of the first non-empty list, or waits for one. */
export const blpop = defineCommand({
  name: "blpop",
  group: "list",
  summary:
    "Remove and get the first element in a list, or block until one is available",
  since: "2.0.0",
  complexity: "O(N) where N is the number of provided keys.",
  arity: -3,
  flags: ["write", "noscript", "blocking"],
  acl: ["list"],
  keys: [keysFrom(1, 1, "RW ACCESS DELETE", -2)],
  docs: docs(),
  handler(ctx) {
    return bpop(ctx, "left");
  },
});

/** BRPOP: pops the tail of the first non-empty list, or waits for one. */
export const brpop = defineCommand({
  name: "brpop",
  group: "list",
  summary:
    "Remove and get the last element in a list, or block until one is available",
  since: "2.0.0",
  complexity: "O(N) where N is the number of provided keys.",
  arity: -3,
  flags: ["write", "noscript", "blocking"],
  acl: ["list"],
  keys: [keysFrom(1, 1, "RW ACCESS DELETE", -2)],
  docs: docs(),
  handler(ctx) {
    return bpop(ctx, "right");
  },
});
