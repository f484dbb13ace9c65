/**
 * SMOVE source destination member
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { wrongType } from "../../errors.ts";
import { NOTIFY_GENERIC, NOTIFY_SET } from "../../state.ts";
import { isString } from "../../store/values.ts";
import { SetValue } from "../../store/set_value.ts";

/** SMOVE: moves a member from one set to another; 1 if it was moved. */
export const smove = defineCommand({
  name: "smove",
  group: "set",
  summary: "Move a member from one set to another",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 4,
  flags: ["write", "fast"],
  acl: ["set"],
  keys: [keyAt(1, "RW ACCESS DELETE"), keyAt(2, "RW INSERT")],
  docs: {
    arguments: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "member", type: "string" },
    ],
  },
  handler(ctx, args) {
    const srcKey = args.key();
    const dstKey = args.key();
    const member = args.bytes();
    const db = ctx.db;
    // Both keys are looked up first; a missing source wins over a
    // destination of the wrong type.
    const src = db.lookupWrite(srcKey);
    const dst = db.lookupWrite(dstKey);
    if (src === undefined) return 0;
    if (isString(src) || src.type !== "set") throw wrongType();
    if (dst !== undefined && (isString(dst) || dst.type !== "set")) {
      throw wrongType();
    }
    const from = src as SetValue;
    if (from === dst) return from.has(member) ? 1 : 0;
    if (!from.delete(member)) return 0;
    ctx.notify(NOTIFY_SET, "srem", srcKey);
    if (from.size === 0) {
      db.delete(srcKey);
      ctx.notify(NOTIFY_GENERIC, "del", srcKey);
    }
    let to = dst as SetValue | undefined;
    if (to === undefined) {
      to = SetValue.forMember(member);
      db.add(dstKey, to);
    }
    db.touch(srcKey);
    ctx.dirty();
    if (to.add(member, ctx.server.encoding)) {
      ctx.dirty();
      db.touch(dstKey);
      ctx.notify(NOTIFY_SET, "sadd", dstKey);
    }
    return 1;
  },
});
