/**
 * BITOP <AND | OR | XOR | NOT> destkey key [key ...]
 *
 * @module
 */
import { defineCommand, keyAt, keysFrom } from "../define.ts";
import { bitopNotSingleKey, syntaxError, wrongType } from "../../errors.ts";
import { NOTIFY_GENERIC, NOTIFY_STRING } from "../../state.ts";
import { RawBytes } from "../../store/strings.ts";
import { isString } from "../../store/values.ts";
import { latin1ToBytes } from "../../util/bytes.ts";
import { optionWord } from "../string/options.ts";

const OPS = ["and", "or", "xor", "not"];

/**
 * BITOP: a bitwise operation over strings (missing keys and short strings
 * count as zero bytes), stored at the destination; an empty result deletes
 * it. Replies with the result's length.
 */
export const bitop = defineCommand({
  name: "bitop",
  group: "bitmap",
  summary: "Perform bitwise operations between strings",
  since: "2.6.0",
  complexity: "O(N)",
  arity: -4,
  flags: ["write", "denyoom"],
  acl: ["bitmap"],
  keys: [keyAt(2, "OW UPDATE"), keysFrom(3, 1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "operation", type: "string" },
      { name: "destkey", type: "key", keySpecIndex: 0 },
      { name: "key", type: "key", multiple: true, keySpecIndex: 1 },
    ],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const op = optionWord(argv[1]!);
    if (!OPS.includes(op)) throw syntaxError();
    if (op === "not" && argv.length !== 4) throw bitopNotSingleKey();
    const dest = argv[2]!;
    const sources: Uint8Array[] = [];
    let maxLen = 0;
    for (let j = 3; j < argv.length; j++) {
      const v = ctx.db.lookupRead(argv[j]!);
      if (v === undefined) {
        sources.push(new Uint8Array(0));
        continue;
      }
      if (!isString(v)) throw wrongType();
      const bytes = typeof v === "string" ? latin1ToBytes(v) : v;
      sources.push(bytes);
      if (bytes.length > maxLen) maxLen = bytes.length;
    }
    if (maxLen === 0) {
      if (ctx.db.delete(dest)) {
        ctx.notify(NOTIFY_GENERIC, "del", dest);
        ctx.dirty();
      }
      return 0;
    }
    // Redis stores the result as a raw string.
    const out = new RawBytes(maxLen);
    const first = sources[0]!;
    if (op === "not") {
      for (let i = 0; i < maxLen; i++) out[i] = ~first[i]! & 0xff;
    } else {
      out.set(first);
      for (let k = 1; k < sources.length; k++) {
        const src = sources[k]!;
        const n = src.length;
        if (op === "and") {
          for (let i = 0; i < n; i++) out[i]! &= src[i]!;
          out.fill(0, n);
        } else if (op === "or") {
          for (let i = 0; i < n; i++) out[i]! |= src[i]!;
        } else {
          for (let i = 0; i < n; i++) out[i]! ^= src[i]!;
        }
      }
    }
    ctx.db.expireIfNeeded(dest);
    ctx.db.set(dest, out);
    ctx.notify(NOTIFY_STRING, "set", dest);
    ctx.dirty();
    return maxLen;
  },
});
