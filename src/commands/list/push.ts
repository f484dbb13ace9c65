/**
 * LPUSH key element [element ...]
 * RPUSH key element [element ...]
 * LPUSHX key element [element ...]
 * RPUSHX key element [element ...]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { ListValue } from "../../store/list_value.ts";
import { NOTIFY_LIST } from "../../state.ts";
import type { ArgDoc, CommandDocs, Context } from "../types.ts";
import { type End, keyArg, listForWrite } from "./common.ts";

// Redis's pushGenericCommand: `existing` is the X variants (only an
// existing list). Replies with the new length.
function push(ctx: Context, end: End, existing: boolean): number {
  const argv = ctx.argv;
  const key = argv[1]!;
  let list = listForWrite(ctx, key);
  if (list === undefined) {
    if (existing) return 0;
    list = new ListValue();
    ctx.db.add(key, list);
  } else {
    ctx.db.signalReady(key);
  }
  if (end === "left") {
    for (let i = 2; i < argv.length; i++) list.pushFront(argv[i]!);
  } else {
    for (let i = 2; i < argv.length; i++) list.pushBack(argv[i]!);
  }
  ctx.dirty(argv.length - 2);
  ctx.db.touch(key);
  ctx.notify(NOTIFY_LIST, end === "left" ? "lpush" : "rpush", key);
  return list.length;
}

const elementArgs: readonly ArgDoc[] = [
  keyArg,
  { name: "element", type: "string", multiple: true },
];

function docs(version: string): CommandDocs {
  return {
    arguments: elementArgs,
    history: [[version, "Accepts multiple `element` arguments."]],
  };
}

const PUSH_COMPLEXITY =
  "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";

/** LPUSH: prepends elements (each one becomes the new head). */
export const lpush = defineCommand({
  name: "lpush",
  group: "list",
  summary: "Prepend one or multiple elements to a list",
  since: "1.0.0",
  complexity: PUSH_COMPLEXITY,
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RW INSERT")],
  docs: docs("2.4.0"),
  handler(ctx) {
    return push(ctx, "left", false);
  },
});

/** RPUSH: appends elements. */
export const rpush = defineCommand({
  name: "rpush",
  group: "list",
  summary: "Append one or multiple elements to a list",
  since: "1.0.0",
  complexity: PUSH_COMPLEXITY,
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RW INSERT")],
  docs: docs("2.4.0"),
  handler(ctx) {
    return push(ctx, "right", false);
  },
});

/** LPUSHX: LPUSH only onto an existing list. */
export const lpushx = defineCommand({
  name: "lpushx",
  group: "list",
  summary: "Prepend an element to a list, only if the list exists",
  since: "2.2.0",
  complexity: PUSH_COMPLEXITY,
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RW INSERT")],
  docs: docs("4.0.0"),
  handler(ctx) {
    return push(ctx, "left", true);
  },
});

/** RPUSHX: RPUSH only onto an existing list. */
export const rpushx = defineCommand({
  name: "rpushx",
  group: "list",
  summary: "Append an element to a list, only if the list exists",
  since: "2.2.0",
  complexity: PUSH_COMPLEXITY,
  arity: -3,
  flags: ["write", "denyoom", "fast"],
  acl: ["list"],
  keys: [keyAt(1, "RW INSERT")],
  docs: docs("4.0.0"),
  handler(ctx) {
    return push(ctx, "right", true);
  },
});
