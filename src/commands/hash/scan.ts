/**
 * What HSCAN and SSCAN (and ZSCAN) share: Redis's cursor parsing, the
 * MATCH/COUNT options, and the loop that walks a hash table.
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { parseScanCursor as parseKeyspaceCursor } from "../generic/scan.ts";
import { globMatch } from "../../util/glob.ts";
import type { Reply } from "../../protocol/types.ts";
import type { HashValue } from "../../store/hash_value.ts";
import type { SetValue } from "../../store/set_value.ts";
import type { Args } from "../args.ts";

/** The reply for a missing key: cursor 0 and no elements. */
export const EMPTY_SCAN: readonly Reply[] = Object.freeze(["0", []]);

/**
 * Parses a cursor as Redis does (see SCAN's `parseScanCursor`) and returns
 * its low 32 bits, which are all a table smaller than 2^32 slots looks at.
 * Throws `invalid cursor`.
 */
export function parseScanCursor(text: string): number {
  return Number(parseKeyspaceCursor(text) & 0xffffffffn);
}

/** MATCH and COUNT, as given. */
export interface ScanOptions {
  /** COUNT (default 10). */
  count: number;
  /** MATCH pattern, or undefined when absent or `*` (matches everything). */
  pattern: string | undefined;
}

/**
 * Parses `[MATCH pattern] [COUNT count]` in any order, repeated options
 * winning, with Redis's errors (a COUNT below 1 is a syntax error).
 */
export function parseScanOptions(args: Args): ScanOptions {
  let count = 10;
  let pattern: string | undefined;
  while (args.more) {
    const option = args.option();
    if (option === "count" && args.more) {
      count = args.long();
      if (count < 1) throw syntaxError();
    } else if (option === "match" && args.more) {
      const p = args.next();
      pattern = p === "*" ? undefined : p;
    } else {
      throw syntaxError();
    }
  }
  return { count, pattern };
}

/**
 * Walks a hash table from `cursor` as Redis's scanGenericCommand does:
 * whole buckets at a time until at least `count` items were collected, the
 * table is done, or ten times `count` buckets were visited. `step` visits
 * one bucket (pushing its items to `out`) and returns the next cursor.
 */
export function scanTable(
  cursor: number,
  count: number,
  out: string[],
  step: (cursor: number) => number,
): number {
  let budget = count * 10;
  do {
    cursor = step(cursor);
  } while (cursor !== 0 && budget-- > 0 && out.length < count);
  return cursor;
}

/**
 * Drops the items of `items` that do not match `pattern`, looking at every
 * `stride`-th item (2 for field/value pairs, which are dropped together).
 */
export function filterByPattern(
  items: string[],
  pattern: string | undefined,
  stride: 1 | 2,
): string[] {
  if (pattern === undefined) return items;
  const out: string[] = [];
  for (let i = 0; i < items.length; i += stride) {
    if (!globMatch(pattern, items[i]!)) continue;
    out.push(items[i]!);
    if (stride === 2) out.push(items[i + 1]!);
  }
  return out;
}

/**
 * The rest of HSCAN and SSCAN once the key is known to hold a hash or a
 * set: parses MATCH and COUNT, walks from `cursor` until COUNT fields or
 * members were collected (a small encoding is reported whole, with cursor
 * 0, as Redis does), and replies with the next cursor and the items that
 * match: each field followed by its value, or each member.
 */
export function scanCollection(
  args: Args,
  cursor: number,
  collection: HashValue | SetValue,
): Reply {
  const { count, pattern } = parseScanOptions(args);
  const stride = collection.type === "hash" ? 2 : 1;
  const items: string[] = [];
  // A hash reports each field with its value; a set reports each member
  // (its table passes a null value along, which is not an item).
  const push = (item: string, value?: string) => {
    if (stride === 2) items.push(item, value!);
    else items.push(item);
  };
  const next = scanTable(
    cursor,
    count * stride,
    items,
    (c) => collection.scan(c, push),
  );
  return [String(next), filterByPattern(items, pattern, stride)];
}
