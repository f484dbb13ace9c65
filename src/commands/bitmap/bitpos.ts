/**
 * BITPOS key bit [start [end [BYTE | BIT]]]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { bitArgumentError, notInteger, syntaxError } from "../../errors.ts";
import type { StringValue } from "../../store/values.ts";
import { parseInt64 } from "../../util/number.ts";
import { optionWord } from "../string/options.ts";
import { byteOf, clampRange } from "./common.ts";

// Position of the first bit equal to `bit` in bits [from, to] of `value`,
// or -1.
function findBit(
  value: StringValue,
  from: number,
  to: number,
  bit: number,
): number {
  let pos = from;
  // Leading bits up to a byte boundary.
  while (pos <= to && pos % 8 !== 0) {
    if (((byteOf(value, Math.floor(pos / 8)) >> (7 - (pos % 8))) & 1) === bit) {
      return pos;
    }
    pos++;
  }
  // Whole bytes: skip those that cannot hold the bit.
  const skip = bit === 1 ? 0 : 0xff;
  while (pos + 7 <= to) {
    const b = byteOf(value, pos / 8);
    if (b !== skip) {
      for (let k = 0; k < 8; k++) {
        if (((b >> (7 - k)) & 1) === bit) return pos + k;
      }
    }
    pos += 8;
  }
  for (; pos <= to; pos++) {
    if (((byteOf(value, Math.floor(pos / 8)) >> (7 - (pos % 8))) & 1) === bit) {
      return pos;
    }
  }
  return -1;
}

/**
 * BITPOS: the first set or clear bit in a byte or bit range. A missing key
 * is all zeros; looking for a 0 without an explicit end treats the string
 * as zero-padded to the right.
 */
export const bitpos = defineCommand({
  name: "bitpos",
  group: "bitmap",
  summary: "Find first bit set or clear in a string",
  since: "2.8.7",
  complexity: "O(N)",
  arity: -3,
  flags: ["readonly"],
  acl: ["bitmap"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "bit", type: "integer" },
      {
        name: "index",
        type: "block",
        optional: true,
        arguments: [
          { name: "start", type: "integer" },
          {
            name: "end_index",
            type: "block",
            optional: true,
            arguments: [
              { name: "end", type: "integer" },
              {
                name: "index_unit",
                type: "oneof",
                optional: true,
                since: "7.0.0",
                arguments: [
                  { name: "byte", type: "pure-token", token: "BYTE" },
                  { name: "bit", type: "pure-token", token: "BIT" },
                ],
              },
            ],
          },
        ],
      },
    ],
    history: [["7.0.0", "Added the `BYTE|BIT` option."]],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const b = parseInt64(argv[2]!);
    if (b === undefined) throw notInteger();
    if (b !== 0n && b !== 1n) throw bitArgumentError();
    const bit = Number(b);
    const value = ctx.db.getString(argv[1]!);
    if (value === undefined) return bit === 1 ? -1 : 0;
    const len = value.length;
    let isBit = false;
    let endGiven = false;
    // The searched range in bits, inclusive.
    let from: number;
    let to: number;
    if (argv.length >= 4 && argv.length <= 6) {
      const s = parseInt64(argv[3]!);
      if (s === undefined) throw notInteger();
      if (argv.length === 6) {
        const unit = optionWord(argv[5]!);
        if (unit === "bit") isBit = true;
        else if (unit !== "byte") throw syntaxError();
      }
      let e: bigint;
      if (argv.length >= 5) {
        const parsed = parseInt64(argv[4]!);
        if (parsed === undefined) throw notInteger();
        e = parsed;
        endGiven = true;
      } else {
        e = isBit ? BigInt(len) * 8n + 7n : BigInt(len) - 1n;
      }
      const [start, end] = clampRange(s, e, isBit ? len * 8 : len);
      if (start > end) return -1;
      from = isBit ? start : start * 8;
      to = isBit ? end : end * 8 + 7;
    } else if (argv.length === 3) {
      if (len === 0) return -1;
      from = 0;
      to = len * 8 - 1;
    } else {
      throw syntaxError();
    }
    const pos = findBit(value, from, to, bit);
    if (pos !== -1 || bit === 1 || endGiven) return pos;
    // No clear bit in the range: the first bit after the range's last byte.
    return (Math.floor(to / 8) + 1) * 8;
  },
});
