/**
 * SPOP key [count]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { outOfRange, syntaxError } from "../../errors.ts";
import { set as setReply } from "../../protocol/reply.ts";
import { NOTIFY_GENERIC, NOTIFY_SET } from "../../state.ts";
import { SetValue } from "../../store/set_value.ts";
import type { ReplyNode } from "../../protocol/types.ts";
import type { Context } from "../types.ts";
import { setForRead, setForWrite } from "./common.ts";

// Redis's SPOP_MOVE_STRATEGY_MUL.
const MOVE_STRATEGY_MUL = 5;

function mustBePositive() {
  return outOfRange("value");
}

/**
 * SPOP: removes and returns random members. What replicas and the AOF get
 * is what happened: SREM of each popped member, or DEL when the whole set
 * went.
 */
export const spop = defineCommand({
  name: "spop",
  group: "set",
  summary: "Remove and return one or multiple random members from a set",
  since: "1.0.0",
  complexity:
    "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
  arity: -2,
  flags: ["write", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RW ACCESS DELETE")],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", optional: true, since: "3.2.0" },
    ],
    history: [["3.2.0", "Added the `count` argument."]],
  },
  handler(ctx, args) {
    const key = args.key();
    if (args.remaining > 1) throw syntaxError();
    if (args.more) {
      const count = args.int(mustBePositive);
      if (count < 0n) throw mustBePositive();
      return popCount(ctx, key, Number(count));
    }
    const set = setForWrite(ctx, key);
    if (set === undefined) return null;
    const member = set.random(ctx.server.random.int);
    set.delete(member);
    ctx.notify(NOTIFY_SET, "spop", key);
    ctx.propagateAs(["SREM", key, member]);
    if (set.size === 0) {
      ctx.db.delete(key);
      ctx.notify(NOTIFY_GENERIC, "del", key);
    }
    ctx.db.touch(key);
    ctx.dirty();
    return member;
  },
});

// Redis's spopWithCountCommand, case by case.
function popCount(ctx: Context, key: string, count: number): ReplyNode {
  const set = setForWrite(ctx, key);
  if (set === undefined || count === 0) return setReply([]);
  const size = set.size;
  const limits = ctx.server.encoding;
  ctx.notify(NOTIFY_SET, "spop", key);
  ctx.dirty(count);
  // Case 1: everything goes. The reply is the set rebuilt member by member
  // (so it comes out sorted when it fits an intset), and the key is deleted.
  if (count >= size) {
    const copy = new SetValue();
    // Redis builds the reply with SUNION's code, whose read lookup counts
    // as a keyspace hit.
    setForRead(ctx, key)!.forEach((m) => copy.add(m, limits));
    ctx.db.delete(key);
    ctx.notify(NOTIFY_GENERIC, "del", key);
    ctx.propagateAs(["DEL", key]);
    ctx.db.touch(key);
    return setReply(copy.members());
  }
  const rand = ctx.server.random.int;
  const out: string[] = [];
  const remaining = size - count;
  if (remaining * MOVE_STRATEGY_MUL > count) {
    // Case 2: few members go: pick and remove them one by one.
    for (let i = 0; i < count; i++) {
      const member = set.random(rand);
      set.delete(member);
      out.push(member);
      ctx.propagateAs(["SREM", key, member]);
    }
  } else {
    // Case 3: most members go: pick the ones that stay into a new set
    // (whose encoding follows from them, as in Redis), and return the rest.
    let kept: SetValue | undefined;
    for (let i = 0; i < remaining; i++) {
      const member = set.random(rand);
      kept ??= SetValue.forMember(member);
      kept.add(member, limits);
      set.delete(member);
    }
    set.forEach((member) => {
      out.push(member);
      ctx.propagateAs(["SREM", key, member]);
    });
    ctx.db.replace(key, kept!);
  }
  ctx.db.touch(key);
  return setReply(out);
}
