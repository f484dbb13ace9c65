/**
 * Redis's lazy-free effort (lazyfreeGetFreeEffort): roughly how many
 * allocations freeing a value takes. Redis frees a value in a background
 * thread when the effort is above LAZYFREE_THRESHOLD and the free is a
 * lazy one (UNLINK, lazyfree-lazy-* options), and counts it in INFO
 * `lazyfreed_objects`. The garbage collector frees everything here; the
 * count follows Redis's rule so INFO reads the same.
 *
 * @module
 */
import { quicklistNodes } from "./listpack_size.ts";
import { HashValue } from "./hash_value.ts";
import { ListValue } from "./list_value.ts";
import { SetValue } from "./set_value.ts";
import { StreamValue } from "./stream_value.ts";
import { isString, type RedisValue } from "./values.ts";
import { ZSetValue } from "./zset_value.ts";

/** Values with a larger effort are freed in the background (Redis's LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;

/**
 * The free effort of `value`; `listFill` is list-max-listpack-size (lists
 * cost one allocation per quicklist node).
 */
export function freeEffort(value: RedisValue, listFill: number): number {
  if (isString(value)) return 1;
  if (value instanceof ListValue) {
    // A node holds at least one element: short lists are cheap to count.
    if (value.length <= LAZYFREE_THRESHOLD) return value.length;
    return quicklistNodes(value.toArray(), listFill).length;
  }
  if (value instanceof SetValue) {
    return value.encoding() === "hashtable" ? value.size : 1;
  }
  if (value instanceof HashValue) {
    return value.encoding() === "hashtable" ? value.size : 1;
  }
  if (value instanceof ZSetValue) {
    return value.encoding() === "skiplist" ? value.size : 1;
  }
  if (value instanceof StreamValue) {
    // Every radix tree node is an allocation, and so is every consumer
    // group with each entry of its PEL (the first group's PEL stands for
    // all of them, as in Redis).
    let effort = value.entries.radixTreeNodes();
    const groups = value.groups;
    if (groups !== undefined && groups.size !== 0) {
      const first = [...groups.keys()].sort()[0]!;
      effort += groups.size * (1 + groups.get(first)!.pel.size);
    }
    return effort;
  }
  return 1;
}

/** True if freeing `value` lazily is done in the background (and counted). */
export function freedInBackground(
  value: RedisValue,
  listFill: number,
): boolean {
  return freeEffort(value, listFill) > LAZYFREE_THRESHOLD;
}
