/**
 * MSET key value [key value ...]
 * MSETNX key value [key value ...]
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import { wrongArity } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_STRING } from "../../state.ts";
import type { ArgDoc, Context } from "../types.ts";

const KEY_VALUE: readonly ArgDoc[] = [{
  name: "key_value",
  type: "block",
  multiple: true,
  arguments: [
    { name: "key", type: "key", keySpecIndex: 0 },
    { name: "value", type: "string" },
  ],
}];

// Redis's msetGenericCommand.
function msetGeneric(ctx: Context, nx: boolean): Reply {
  const argv = ctx.argv;
  if (argv.length % 2 === 0) throw wrongArity(ctx.command.fullName);
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (ctx.db.lookupWrite(argv[j]!) !== undefined) return 0;
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    ctx.db.expireIfNeeded(argv[j]!);
    ctx.db.set(argv[j]!, argv[j + 1]!);
    ctx.notify(NOTIFY_STRING, "set", argv[j]!);
  }
  ctx.dirty((argv.length - 1) / 2);
  return nx ? 1 : OK;
}

/** MSET: sets several keys. */
export const mset = defineCommand({
  name: "mset",
  group: "string",
  summary: "Set multiple keys to multiple values",
  since: "1.0.1",
  complexity: "O(N) where N is the number of keys to set.",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [keysFrom(1, 2, "OW UPDATE")],
  tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
  docs: { arguments: KEY_VALUE },
  handler(ctx) {
    return msetGeneric(ctx, false);
  },
});

/** MSETNX: sets several keys, only if none of them exists. */
export const msetnx = defineCommand({
  name: "msetnx",
  group: "string",
  summary:
    "Set multiple keys to multiple values, only if none of the keys exist",
  since: "1.0.1",
  complexity: "O(N) where N is the number of keys to set.",
  arity: -3,
  flags: ["write", "denyoom"],
  acl: ["string"],
  keys: [keysFrom(1, 2, "OW INSERT")],
  tips: ["request_policy:multi_shard", "response_policy:agg_min"],
  docs: { arguments: KEY_VALUE },
  handler(ctx) {
    return msetGeneric(ctx, true);
  },
});
