/**
 * PFADD key [element [element ...]]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { corruptedHll, notHllValue } from "../../errors.ts";
import { NOTIFY_STRING } from "../../state.ts";
import {
  createHll,
  HLL_DENSE,
  invalidateCache,
  isHll,
} from "../../store/hyperloglog.ts";
import type { RawBytes } from "../../store/strings.ts";
import { editor, finishEdit, sparseMaxBytes, unshareAt } from "./common.ts";

/**
 * PFADD: adds elements to the HLL at a key, creating it (sparse) when
 * missing. Replies 1 when a register changed or the key was created; the
 * dirty count is the number of registers changed (plus one for a new key).
 */
export const pfadd = defineCommand({
  name: "pfadd",
  group: "hyperloglog",
  summary: "Adds the specified elements to the specified HyperLogLog.",
  since: "2.8.9",
  complexity: "O(1) to add every element.",
  arity: -2,
  flags: ["write", "denyoom", "fast"],
  acl: ["hyperloglog"],
  keys: [keyAt(1, "RW INSERT")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string", optional: true, multiple: true },
    ],
  },
  handler(ctx, args) {
    const key = args.key();
    const current = ctx.db.getStringForWrite(key);
    let updated = 0;
    let bytes: RawBytes;
    if (current === undefined) {
      bytes = createHll();
      ctx.db.add(key, bytes);
      updated++;
    } else {
      if (!isHll(current)) throw notHllValue();
      bytes = unshareAt(ctx, key, current);
    }
    // A dense HLL never reads the sparse limit: spare the config lookup.
    editor.open(bytes, bytes[4] === HLL_DENSE ? 0 : sparseMaxBytes(ctx));
    const argv = ctx.argv;
    let corrupted = false;
    for (let i = 2; i < argv.length; i++) {
      const r = editor.add(argv[i]!);
      if (r === 1) {
        updated++;
      } else if (r < 0) {
        corrupted = true;
        break;
      }
    }
    // Changes made before a corruption was found stay, as in Redis.
    bytes = finishEdit(ctx, key);
    if (corrupted) throw corruptedHll();
    if (updated === 0) return 0;
    ctx.db.touch(key);
    ctx.notify(NOTIFY_STRING, "pfadd", key);
    ctx.dirty(updated);
    invalidateCache(bytes);
    return 1;
  },
});
