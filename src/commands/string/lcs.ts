/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
 *
 * @module
 */
import { defineCommand, keysFrom } from "../define.ts";
import {
  lcsLenAndIdx,
  lcsNotStrings,
  lcsTooLarge,
  syntaxError,
} from "../../errors.ts";
import { map } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { isString, type RedisValue } from "../../store/values.ts";
import { latin1ToBytes } from "../../util/bytes.ts";
import { optionWord } from "./options.ts";

function bytesOf(v: RedisValue | undefined): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  return typeof v === "string" ? latin1ToBytes(v) : v as Uint8Array;
}

/**
 * LCS: the longest common subsequence of two strings, its length, or the
 * matching ranges, computed with Redis's dynamic programming table and
 * walked back exactly as Redis does (so ranges come out in the same order).
 */
export const lcs = defineCommand({
  name: "lcs",
  group: "string",
  summary: "Find longest common substring",
  since: "7.0.0",
  complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
  arity: -3,
  flags: ["readonly"],
  acl: ["string"],
  keys: [keysFrom(1, 1, "RO ACCESS", 1)],
  docs: {
    arguments: [
      { name: "key1", type: "key", keySpecIndex: 0 },
      { name: "key2", type: "key", keySpecIndex: 0 },
      { name: "len", type: "pure-token", token: "LEN", optional: true },
      { name: "idx", type: "pure-token", token: "IDX", optional: true },
      { name: "len", type: "integer", token: "MINMATCHLEN", optional: true },
      {
        name: "withmatchlen",
        type: "pure-token",
        token: "WITHMATCHLEN",
        optional: true,
      },
    ],
  },
  handler(ctx, args) {
    const argv = ctx.argv;
    const oa = ctx.db.lookupRead(argv[1]!);
    const ob = ctx.db.lookupRead(argv[2]!);
    if (
      (oa !== undefined && !isString(oa)) || (ob !== undefined && !isString(ob))
    ) {
      throw lcsNotStrings();
    }
    let getLen = false;
    let getIdx = false;
    let withMatchLen = false;
    let minMatchLen = 0n;
    args.pos = 3;
    while (args.more) {
      const opt = optionWord(args.next());
      if (opt === "idx") {
        getIdx = true;
      } else if (opt === "len") {
        getLen = true;
      } else if (opt === "withmatchlen") {
        withMatchLen = true;
      } else if (opt === "minmatchlen" && args.more) {
        minMatchLen = args.int();
        if (minMatchLen < 0n) minMatchLen = 0n;
      } else {
        throw syntaxError();
      }
    }
    if (getIdx && getLen) throw lcsLenAndIdx();
    const a = bytesOf(oa);
    const b = bytesOf(ob);
    const alen = a.length;
    const blen = b.length;
    const cols = blen + 1;
    if ((alen + 1) * cols * 4 > ctx.server.limits.maxBulkLen) {
      throw lcsTooLarge();
    }
    // dp[i * cols + j]: LCS length of a[0..i) and b[0..j).
    const dp = new Uint32Array((alen + 1) * cols);
    for (let i = 1; i <= alen; i++) {
      const ai = a[i - 1];
      const row = i * cols;
      const prev = row - cols;
      for (let j = 1; j <= blen; j++) {
        if (ai === b[j - 1]) {
          dp[row + j] = dp[prev + j - 1]! + 1;
        } else {
          const up = dp[prev + j]!;
          const left = dp[row + j - 1]!;
          dp[row + j] = up > left ? up : left;
        }
      }
    }
    const total = dp[alen * cols + blen]!;
    if (getLen) return total;

    let idx = total;
    const result = new Uint8Array(total);
    const matches: Reply[] = [];
    // alen in arangeStart means "no range open".
    let arangeStart = alen;
    let arangeEnd = 0;
    let brangeStart = 0;
    let brangeEnd = 0;
    let i = alen;
    let j = blen;
    while (i > 0 && j > 0) {
      let emitRange = false;
      if (a[i - 1] === b[j - 1]) {
        result[idx - 1] = a[i - 1]!;
        if (arangeStart === alen) {
          arangeStart = i - 1;
          arangeEnd = i - 1;
          brangeStart = j - 1;
          brangeEnd = j - 1;
        } else if (arangeStart === i && brangeStart === j) {
          // Contiguous with the open range: extend it backwards.
          arangeStart--;
          brangeStart--;
        } else {
          emitRange = true;
        }
        if (arangeStart === 0 || brangeStart === 0) emitRange = true;
        idx--;
        i--;
        j--;
      } else {
        const up = dp[(i - 1) * cols + j]!;
        const left = dp[i * cols + j - 1]!;
        if (up > left) i--;
        else j--;
        if (arangeStart !== alen) emitRange = true;
      }
      if (emitRange) {
        const matchLen = arangeEnd - arangeStart + 1;
        if (getIdx && (minMatchLen === 0n || matchLen >= minMatchLen)) {
          const m: Reply[] = [
            [arangeStart, arangeEnd],
            [brangeStart, brangeEnd],
          ];
          if (withMatchLen) m.push(matchLen);
          matches.push(m);
        }
        arangeStart = alen;
      }
    }
    if (getIdx) return map(["matches", matches, "len", total]);
    return result;
  },
});
