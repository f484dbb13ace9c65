/**
 * PFDEBUG subcommand key
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import type { Context } from "../types.ts";
import {
  corruptedHll,
  hllNotSparse,
  notHllValue,
  pfdebugNoKey,
  unknownPfdebugSubcommand,
} from "../../errors.ts";
import { simple } from "../../protocol/reply.ts";
import {
  decodeSparse,
  denseGet,
  HLL_DENSE,
  HLL_REGISTERS,
  isHll,
} from "../../store/hyperloglog.ts";
import type { RawBytes } from "../../store/strings.ts";
import { asciiLower } from "../../util/bytes.ts";
import { editor, finishEdit, sparseMaxBytes, unshareAt } from "./common.ts";

// Redis compares the subcommand as a C string: it ends at a NUL byte.
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * PFDEBUG GETREG|DECODE|ENCODING|TODENSE: Redis's debugging view of an HLL.
 * GETREG and TODENSE turn a sparse HLL dense, which dirties (and so
 * propagates) the command, without signalling the key, as in Redis.
 */
export const pfdebug = defineCommand({
  name: "pfdebug",
  group: "hyperloglog",
  summary: "Internal commands for debugging HyperLogLog values",
  since: "2.8.9",
  complexity: "N/A",
  arity: 3,
  flags: ["write", "denyoom", "admin"],
  acl: ["hyperloglog"],
  keys: [keyAt(2, "RW ACCESS")],
  docs: {
    docFlags: ["syscmd"],
    arguments: [
      { name: "subcommand", type: "string" },
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
  },
  handler(ctx, args) {
    const sub = cString(args.next());
    const key = args.key();
    const v = ctx.db.getStringForWrite(key);
    if (v === undefined) throw pfdebugNoKey();
    if (!isHll(v)) throw notHllValue();
    const bytes = unshareAt(ctx, key, v);
    switch (asciiLower(sub)) {
      case "getreg": {
        const dense = toDense(ctx, key, bytes);
        const out = new Array<number>(HLL_REGISTERS);
        for (let i = 0; i < HLL_REGISTERS; i++) out[i] = denseGet(dense, i);
        return out;
      }
      case "decode":
        if (bytes[4] === HLL_DENSE) throw hllNotSparse();
        return decodeSparse(bytes);
      case "encoding":
        return simple(bytes[4] === HLL_DENSE ? "dense" : "sparse");
      case "todense": {
        const wasSparse = bytes[4] !== HLL_DENSE;
        toDense(ctx, key, bytes);
        return wasSparse ? 1 : 0;
      }
      default:
        throw unknownPfdebugSubcommand(sub);
    }
  },
});

// Converts a sparse HLL to dense in the keyspace (dirty, to propagate the
// new encoding); dense ones are returned as they are.
function toDense(ctx: Context, key: string, bytes: RawBytes): RawBytes {
  if (bytes[4] === HLL_DENSE) return bytes;
  editor.open(bytes, sparseMaxBytes(ctx));
  const ok = editor.toDense();
  const out = finishEdit(ctx, key);
  if (!ok) throw corruptedHll();
  ctx.dirty();
  return out;
}
