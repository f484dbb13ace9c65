/**
 * Helpers shared by the sorted set (and geo) commands: lookups, Redis's
 * score and lexicographic range syntax, and the reply shapes of member and
 * score lists.
 *
 * @module
 */
import { minMaxNotFloat, minMaxNotLexItem } from "../../errors.ts";
import { double, pairs } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import {
  LEX_MAX,
  LEX_MIN,
  type LexItem,
  type LexRange,
  type ScoreRange,
} from "../../store/structures/zset_tree.ts";
import type { ZSetValue } from "../../store/zset_value.ts";
import { NOTIFY_GENERIC } from "../../state.ts";
import { strtod } from "../../util/number.ts";
import type { Context } from "../types.ts";

/** The sorted set at `key` for reading, or undefined. Throws WRONGTYPE for other types. */
export function zsetForRead(ctx: Context, key: string): ZSetValue | undefined {
  return ctx.db.getCollection<ZSetValue>(key, "zset");
}

/** The sorted set at `key` for writing, or undefined. Throws WRONGTYPE for other types. */
export function zsetForWrite(ctx: Context, key: string): ZSetValue | undefined {
  return ctx.db.getCollectionForWrite<ZSetValue>(key, "zset");
}

/** Deletes `key` if its set became empty, with the `del` event. Returns true if it did. */
export function deleteIfEmpty(
  ctx: Context,
  key: string,
  zset: ZSetValue,
): boolean {
  if (zset.size !== 0) return false;
  ctx.db.delete(key);
  ctx.notify(NOTIFY_GENERIC, "del", key);
  return true;
}

const NAN_WITH_CHARS = /^[+-]?nan\([0-9A-Za-z_]*\)$/i;

/**
 * Parses a score bound as Redis's zslParseRange does with C's `strtod`:
 * the text ends at its first NUL byte, leading white space is skipped, hex
 * floats, `inf` and overflowing values are accepted, and the empty text is
 * 0. Returns undefined unless the whole text is one number (NaN included,
 * for the caller to refuse).
 */
export function parseStrtod(text: string): number | undefined {
  const nul = text.indexOf("\0");
  const s = nul < 0 ? text : text.slice(0, nul);
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break;
    i++;
  }
  if (i === s.length) return i === 0 ? 0 : undefined;
  const rest = i === 0 ? s : s.slice(i);
  const v = strtod(rest);
  if (v !== undefined) return v;
  return NAN_WITH_CHARS.test(rest) ? NaN : undefined;
}

function scoreBound(text: string): { value: number; ex: boolean } {
  const ex = text.charCodeAt(0) === 40; // '('
  const v = parseStrtod(ex ? text.slice(1) : text);
  if (v === undefined || Number.isNaN(v)) throw minMaxNotFloat();
  return { value: v, ex };
}

/** Parses `min` and `max` score bounds (`(` for exclusive, `-inf`, `+inf`). */
export function parseScoreRange(minText: string, maxText: string): ScoreRange {
  const min = scoreBound(minText);
  const max = scoreBound(maxText);
  return { min: min.value, minex: min.ex, max: max.value, maxex: max.ex };
}

function lexBound(text: string): { item: LexItem; ex: boolean } {
  // Redis tests the byte after `+`/`-` against the C string terminator.
  const alone = text.length === 1 || text.charCodeAt(1) === 0;
  switch (text.charCodeAt(0)) {
    case 43: // '+'
      if (!alone) break;
      return { item: LEX_MAX, ex: true };
    case 45: // '-'
      if (!alone) break;
      return { item: LEX_MIN, ex: true };
    case 40: // '('
      return { item: text.slice(1), ex: true };
    case 91: // '['
      return { item: text.slice(1), ex: false };
  }
  throw minMaxNotLexItem();
}

/** Parses lexicographic bounds (`[a`, `(a`, `-`, `+`). */
export function parseLexRange(minText: string, maxText: string): LexRange {
  const min = lexBound(minText);
  const max = lexBound(maxText);
  return { min: min.item, minex: min.ex, max: max.item, maxex: max.ex };
}

/**
 * Builds a member list reply: members only, or with their scores (a flat
 * array in RESP2, `[member, score]` pairs in RESP3, as Redis replies).
 */
export class RangeReply {
  readonly #items: Reply[] = [];
  readonly #withScores: boolean;

  /** `withScores` adds each member's score. */
  constructor(withScores: boolean) {
    this.#withScores = withScores;
  }

  /** Appends one member. */
  push(member: string, score: number): void {
    if (this.#withScores) this.#items.push(member, double(score));
    else this.#items.push(member);
  }

  /** The reply. */
  reply(): Reply {
    return this.#withScores ? pairs(this.#items) : this.#items;
  }
}
