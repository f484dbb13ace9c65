/**
 * BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
 *   <SET encoding offset value | INCRBY encoding offset increment>
 *   [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
 *   <SET encoding offset value | INCRBY encoding offset increment> ...]]
 * BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import {
  bitfieldOverflowType,
  bitfieldReadOnly,
  bitfieldTypeError,
  notInteger,
  syntaxError,
  wrongType,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_STRING } from "../../state.ts";
import { editableBytes } from "../../store/strings.ts";
import { isString, type StringValue } from "../../store/values.ts";
import { parseInt64 } from "../../util/number.ts";
import type { Context } from "../types.ts";
import { optionWord } from "../string/options.ts";
import { bitOffset, byteOf } from "./common.ts";

const GET = 0;
const SET = 1;
const INCRBY = 2;

const WRAP = 0;
const SAT = 1;
const FAIL = 2;

interface Op {
  opcode: number;
  offset: number;
  bits: number;
  signed: boolean;
  value: bigint;
  overflow: number;
}

// Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63.
function parseType(text: string): { signed: boolean; bits: number } {
  // Lower case only, unlike the subcommand names.
  const c = text.charCodeAt(0);
  if (c !== 0x69 && c !== 0x75) throw bitfieldTypeError(); // 'i' | 'u'
  const signed = c === 0x69;
  // C reads the width as a NUL-terminated string.
  const nul = text.indexOf("\0");
  const bits = parseInt64(text.slice(1, nul < 0 ? undefined : nul));
  if (bits === undefined || bits < 1n || bits > (signed ? 64n : 63n)) {
    throw bitfieldTypeError();
  }
  return { signed, bits: Number(bits) };
}

function parseOps(ctx: Context): Op[] {
  const argv = ctx.argv;
  const ops: Op[] = [];
  let overflow = WRAP;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = optionWord(argv[j]!);
    let opcode: number;
    if (sub === "get" && remaining >= 2) {
      opcode = GET;
    } else if (sub === "set" && remaining >= 3) {
      opcode = SET;
    } else if (sub === "incrby" && remaining >= 3) {
      opcode = INCRBY;
    } else if (sub === "overflow" && remaining >= 1) {
      const kind = optionWord(argv[++j]!);
      if (kind === "wrap") overflow = WRAP;
      else if (kind === "sat") overflow = SAT;
      else if (kind === "fail") overflow = FAIL;
      else throw bitfieldOverflowType();
      continue;
    } else {
      throw syntaxError();
    }
    const { signed, bits } = parseType(argv[j + 1]!);
    const offset = bitOffset(ctx, argv[j + 2]!, bits);
    let value = 0n;
    if (opcode !== GET) {
      const v = parseInt64(argv[j + 3]!);
      if (v === undefined) throw notInteger();
      value = v;
    }
    ops.push({ opcode, offset, bits, signed, value, overflow });
    j += opcode === GET ? 2 : 3;
  }
  return ops;
}

// The unsigned `bits`-wide field at bit `offset` (bytes past the end are 0).
function getField(
  v: StringValue | undefined,
  offset: number,
  bits: number,
): bigint {
  const first = Math.floor(offset / 8);
  const shift = offset % 8;
  const nbytes = Math.ceil((shift + bits) / 8);
  const len = v === undefined ? 0 : v.length;
  let w = 0n;
  for (let k = 0; k < nbytes; k++) {
    const i = first + k;
    w = (w << 8n) | BigInt(i < len ? byteOf(v!, i) : 0);
  }
  return BigInt.asUintN(bits, w >> BigInt(nbytes * 8 - shift - bits));
}

// Writes the low `bits` bits of `value` at bit `offset`; the bytes exist.
function setField(
  bytes: Uint8Array,
  offset: number,
  bits: number,
  value: bigint,
): void {
  const first = Math.floor(offset / 8);
  const shift = offset % 8;
  const nbytes = Math.ceil((shift + bits) / 8);
  let w = 0n;
  for (let k = 0; k < nbytes; k++) w = (w << 8n) | BigInt(bytes[first + k]!);
  const low = BigInt(nbytes * 8 - shift - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << low;
  w = (w & ~mask) | ((BigInt.asUintN(bits, value) << low) & mask);
  for (let k = nbytes - 1; k >= 0; k--) {
    bytes[first + k] = Number(w & 0xffn);
    w >>= 8n;
  }
}

/**
 * Redis's checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow:
 * whether `value + incr` leaves the field's range, and the wrapped or
 * saturated result. Arithmetic is 64-bit as in C.
 */
function checkOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  signed: boolean,
  kind: number,
): { overflow: boolean; limit: bigint } {
  const wrap = () =>
    signed
      ? BigInt.asIntN(bits, value + incr)
      : BigInt.asUintN(bits, value + incr);
  if (!signed) {
    const max = (1n << BigInt(bits)) - 1n;
    const maxIncr = BigInt.asIntN(64, max - value);
    const minIncr = BigInt.asIntN(64, -value);
    if (value > max || (incr > 0n && incr > maxIncr)) {
      return { overflow: true, limit: kind === WRAP ? wrap() : max };
    }
    if (incr < 0n && incr < minIncr) {
      return { overflow: true, limit: kind === WRAP ? wrap() : 0n };
    }
    return { overflow: false, limit: 0n };
  }
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncr = BigInt.asIntN(64, max - value);
  const minIncr = BigInt.asIntN(64, min - value);
  if (
    value > max || (bits !== 64 && incr > maxIncr) ||
    (value >= 0n && incr > 0n && incr > maxIncr)
  ) {
    return { overflow: true, limit: kind === WRAP ? wrap() : max };
  }
  if (
    value < min || (bits !== 64 && incr < minIncr) ||
    (value < 0n && incr < 0n && incr < minIncr)
  ) {
    return { overflow: true, limit: kind === WRAP ? wrap() : min };
  }
  return { overflow: false, limit: 0n };
}

function small(n: bigint): number | bigint {
  return n >= -0x1fffffffffffffn && n <= 0x1fffffffffffffn ? Number(n) : n;
}

// Redis's bitfieldGeneric.
function bitfieldGeneric(ctx: Context, readOnlyCommand: boolean): Reply {
  const key = ctx.argv[1]!;
  const ops = parseOps(ctx);
  let highest = -1;
  for (const op of ops) {
    if (op.opcode !== GET) highest = Math.max(highest, op.offset + op.bits - 1);
  }
  const out: Reply[] = [];
  if (highest < 0) {
    const v = ctx.db.lookupRead(key);
    if (v !== undefined && !isString(v)) throw wrongType();
    for (const op of ops) out.push(readOp(v, op));
    return out;
  }
  if (readOnlyCommand) throw bitfieldReadOnly();
  const current = ctx.db.getStringForWrite(key);
  const bytes = editableBytes(current, Math.floor(highest / 8) + 1);
  const grown = current === undefined || bytes.length !== current.length;
  if (current === undefined) ctx.db.add(key, bytes);
  else if (bytes !== current) ctx.db.replace(key, bytes);
  let changes = 0;
  for (const op of ops) {
    if (op.opcode === GET) {
      out.push(readOp(bytes, op));
      continue;
    }
    let old = getField(bytes, op.offset, op.bits);
    if (op.signed) old = BigInt.asIntN(op.bits, old);
    let next: bigint;
    let result: bigint;
    let overflow: boolean;
    if (op.opcode === INCRBY) {
      const check = checkOverflow(
        old,
        op.value,
        op.bits,
        op.signed,
        op.overflow,
      );
      overflow = check.overflow;
      next = overflow ? check.limit : old + op.value;
      result = next;
    } else {
      // An unsigned SET sees the value as C's uint64_t.
      const value = op.signed ? op.value : BigInt.asUintN(64, op.value);
      const check = checkOverflow(value, 0n, op.bits, op.signed, op.overflow);
      overflow = check.overflow;
      next = overflow ? check.limit : value;
      result = old;
    }
    if (overflow && op.overflow === FAIL) {
      out.push(null);
      continue;
    }
    out.push(small(result));
    setField(bytes, op.offset, op.bits, next);
    if (grown || old !== next) changes++;
  }
  if (changes > 0) {
    ctx.db.touch(key);
    ctx.notify(NOTIFY_STRING, "setbit", key);
    ctx.dirty(changes);
  }
  return out;
}

function readOp(v: StringValue | undefined, op: Op): Reply {
  const u = getField(v, op.offset, op.bits);
  return small(op.signed ? BigInt.asIntN(op.bits, u) : u);
}

const OPERATION_DOC = {
  name: "operation",
  type: "oneof",
  optional: true,
  multiple: true,
  arguments: [
    {
      name: "encoding_offset",
      type: "block",
      token: "GET",
      arguments: [
        { name: "encoding", type: "string" },
        { name: "offset", type: "integer" },
      ],
    },
    {
      name: "write",
      type: "block",
      arguments: [
        {
          name: "wrap_sat_fail",
          type: "oneof",
          token: "OVERFLOW",
          optional: true,
          arguments: [
            { name: "wrap", type: "pure-token", token: "WRAP" },
            { name: "sat", type: "pure-token", token: "SAT" },
            { name: "fail", type: "pure-token", token: "FAIL" },
          ],
        },
        {
          name: "write_operation",
          type: "oneof",
          arguments: [
            {
              name: "encoding_offset_value",
              type: "block",
              token: "SET",
              arguments: [
                { name: "encoding", type: "string" },
                { name: "offset", type: "integer" },
                { name: "value", type: "integer" },
              ],
            },
            {
              name: "encoding_offset_increment",
              type: "block",
              token: "INCRBY",
              arguments: [
                { name: "encoding", type: "string" },
                { name: "offset", type: "integer" },
                { name: "increment", type: "integer" },
              ],
            },
          ],
        },
      ],
    },
  ],
} as const;

/**
 * BITFIELD: reads, writes and increments integers of 1 to 64 bits at any
 * bit offset, with wrap-around, saturation or failure on overflow.
 */
export const bitfield = defineCommand({
  name: "bitfield",
  group: "bitmap",
  summary: "Perform arbitrary bitfield integer operations on strings",
  since: "3.2.0",
  complexity: "O(1) for each subcommand specified",
  arity: -2,
  flags: ["write", "denyoom"],
  acl: ["bitmap"],
  keys: [{
    ...keyAt(1, "RW ACCESS UPDATE VARIABLE_FLAGS"),
    notes: "This command allows both access and modification of the key",
  }],
  docs: {
    arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, OPERATION_DOC],
  },
  handler(ctx) {
    return bitfieldGeneric(ctx, false);
  },
});

/** BITFIELD_RO: BITFIELD limited to GET, for read-only replicas and scripts. */
export const bitfieldRo = defineCommand({
  name: "bitfield_ro",
  group: "bitmap",
  summary:
    "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
  since: "6.0.0",
  complexity: "O(1) for each subcommand specified",
  arity: -2,
  flags: ["readonly", "fast"],
  acl: ["bitmap"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "encoding_offset",
        type: "block",
        token: "GET",
        optional: true,
        multiple: true,
        multipleToken: true,
        arguments: [
          { name: "encoding", type: "string" },
          { name: "offset", type: "integer" },
        ],
      },
    ],
  },
  handler(ctx) {
    return bitfieldGeneric(ctx, true);
  },
});
