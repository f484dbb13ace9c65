/**
 * BITCOUNT key [start end [BYTE | BIT]]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { notInteger, syntaxError } from "../../errors.ts";
import { parseInt64 } from "../../util/number.ts";
import { optionWord } from "../string/options.ts";
import { byteOf, clampRange, popcount, popcount8 } from "./common.ts";

/** BITCOUNT: the number of set bits, in a byte or bit range. */
export const bitcount = defineCommand({
  name: "bitcount",
  group: "bitmap",
  summary: "Count set bits in a string",
  since: "2.6.0",
  complexity: "O(N)",
  arity: -2,
  flags: ["readonly"],
  acl: ["bitmap"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "index",
        type: "block",
        optional: true,
        arguments: [
          { name: "start", type: "integer" },
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
    history: [["7.0.0", "Added the `BYTE|BIT` option."]],
  },
  handler(ctx) {
    const argv = ctx.argv;
    // Redis looks the key up before it reads the range, so a missing key
    // answers 0 even to a malformed range.
    const value = ctx.db.getString(argv[1]!);
    if (value === undefined) return 0;
    let start: number;
    let end: number;
    let firstMask = 0;
    let lastMask = 0;
    if (argv.length === 4 || argv.length === 5) {
      const s = parseInt64(argv[2]!);
      if (s === undefined) throw notInteger();
      const e = parseInt64(argv[3]!);
      if (e === undefined) throw notInteger();
      let isBit = false;
      if (argv.length === 5) {
        const unit = optionWord(argv[4]!);
        if (unit === "bit") isBit = true;
        else if (unit !== "byte") throw syntaxError();
      }
      if (s < 0n && e < 0n && s > e) return 0;
      [start, end] = clampRange(s, e, isBit ? value.length * 8 : value.length);
      if (isBit && start <= end) {
        // Bits of the edge bytes that lie outside the range.
        firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
        lastMask = (1 << (7 - (end % 8))) - 1;
        start = Math.floor(start / 8);
        end = Math.floor(end / 8);
      }
    } else if (argv.length === 2) {
      start = 0;
      end = value.length - 1;
    } else {
      throw syntaxError();
    }
    if (start > end) return 0;
    let count = popcount(value, start, end);
    if (firstMask !== 0) {
      count -= popcount8(byteOf(value, start) & firstMask);
    }
    if (lastMask !== 0) {
      count -= popcount8(byteOf(value, end) & lastMask);
    }
    return count;
  },
});
