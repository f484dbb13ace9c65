/**
 * Byte sizes of Redis's listpack encoding, and how a quicklist would split
 * a list into listpack nodes under `list-max-listpack-size`: what DEBUG
 * OBJECT, the RDB size estimates and the lazy-free effort of a list need.
 *
 * @module
 */
import { parseIntNumber } from "../util/number.ts";

/** Bytes one element takes in a listpack (encoding, data and back-length). */
export function lpEntrySize(s: string): number {
  let size: number;
  const n = s.length <= 20 ? parseIntNumber(s) : undefined;
  if (n !== undefined && String(n) === s) {
    size = n >= 0 && n <= 127
      ? 1
      : n >= -4096 && n <= 4095
      ? 2
      : n >= -32768 && n <= 32767
      ? 3
      : n >= -8388608 && n <= 8388607
      ? 4
      : n >= -2147483648 && n <= 2147483647
      ? 5
      : 9;
  } else {
    size = (s.length < 64 ? 1 : s.length < 4096 ? 2 : 5) + s.length;
  }
  const back = size < 128 ? 1 : size < 16384 ? 2 : size < 2097152 ? 3 : 4;
  return size + back;
}

/**
 * The byte sizes of the listpack nodes a quicklist would hold `items` in,
 * with `fill` as list-max-listpack-size (negative: a size class; positive:
 * a count, with Redis's 8 KB safety limit).
 */
export function quicklistNodes(
  items: Iterable<string>,
  fill: number,
): number[] {
  const limits = [4096, 8192, 16384, 32768, 65536];
  const maxBytes = fill < 0 ? limits[Math.min(-fill, 5) - 1]! : 8192;
  const nodes: number[] = [];
  let size = 0;
  let count = 0;
  for (const s of items) {
    const entry = lpEntrySize(s);
    if (
      count === 0 || size + entry > maxBytes || (fill > 0 && count >= fill)
    ) {
      if (count !== 0) nodes.push(size);
      size = 7;
      count = 0;
    }
    size += entry;
    count++;
  }
  if (count !== 0) nodes.push(size);
  return nodes;
}
