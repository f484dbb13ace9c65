/**
 * HSET key field value [field value ...]
 * HMSET key field value [field value ...]
 * HSETNX key field value
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { wrongArity } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { NOTIFY_HASH } from "../../state.ts";
import type { Args } from "../args.ts";
import type { Context } from "../types.ts";
import { hashForWrite } from "./common.ts";

// HSET and HMSET differ only in their reply.
function setFields(ctx: Context, args: Args, name: string): number {
  const argv = ctx.argv;
  // Checked before the key is looked up, so it wins over WRONGTYPE.
  if (argv.length % 2 === 1) throw wrongArity(name);
  const key = args.key();
  const hash = hashForWrite(ctx, key);
  const limits = ctx.server.encoding;
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argv[i]!, argv[i + 1]!, limits)) created++;
  }
  ctx.db.touch(key);
  ctx.notify(NOTIFY_HASH, "hset", key);
  ctx.dirty((argv.length - 2) / 2);
  return created;
}

const fieldValueArgs = [
  { name: "key", type: "key", keySpecIndex: 0 },
  {
    name: "field_value",
    type: "block",
    multiple: true,
    arguments: [
      { name: "field", type: "string" },
      { name: "value", type: "string" },
    ],
  },
] as const;

/** HSET: sets fields; replies with the number of fields created. */
export const hset = defineCommand({
  name: "hset",
  group: "hash",
  summary: "Set the string value of a hash field",
  since: "2.0.0",
  complexity:
    "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
  arity: -4,
  flags: ["write", "denyoom", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: {
    arguments: fieldValueArgs,
    history: [["4.0.0", "Accepts multiple `field` and `value` arguments."]],
  },
  handler(ctx, args) {
    return setFields(ctx, args, "hset");
  },
});

/** HMSET: HSET's deprecated twin that replies OK. */
export const hmset = defineCommand({
  name: "hmset",
  group: "hash",
  summary: "Set multiple hash fields to multiple values",
  since: "2.0.0",
  complexity: "O(N) where N is the number of fields being set.",
  arity: -4,
  flags: ["write", "denyoom", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: {
    arguments: fieldValueArgs,
    docFlags: ["deprecated"],
    deprecatedSince: "4.0.0",
    replacedBy: "`HSET` with multiple field-value pairs",
  },
  handler(ctx, args) {
    setFields(ctx, args, "hmset");
    return OK;
  },
});

/** HSETNX: sets a field only if it does not exist yet. */
export const hsetnx = defineCommand({
  name: "hsetnx",
  group: "hash",
  summary: "Set the value of a hash field, only if the field does not exist",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "denyoom", "fast"],
  acl: ["hash"],
  keys: [keyAt(1, "RW INSERT")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "field", type: "string" },
      { name: "value", type: "string" },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const field = args.bytes();
    const value = args.bytes();
    const hash = hashForWrite(ctx, key);
    // An existing field leaves the encoding alone, even for a long value.
    if (hash.has(field)) return 0;
    hash.set(field, value, ctx.server.encoding);
    ctx.db.touch(key);
    ctx.notify(NOTIFY_HASH, "hset", key);
    ctx.dirty();
    return 1;
  },
});
