/**
 * ListValue: the value of a Redis list key.
 *
 * Elements are latin1 strings (one char per byte) held in a `Deque`, which
 * gives O(1) pushes and pops at both ends and O(1) access by index.
 *
 * @module
 */
import { Deque } from "./structures/deque.ts";
import type { CollectionValue } from "./values.ts";

/** A list: a deque of latin1 strings that is also a keyspace value. */
export class ListValue extends Deque<string> implements CollectionValue {
  /** The Redis type name. */
  get type(): "list" {
    return "list";
  }

  /**
   * What OBJECT ENCODING prints. Redis 7.0 stores every list as a
   * quicklist, whatever its size and `list-max-listpack-size` (the
   * listpack encoding for small lists arrived in 7.2).
   */
  encoding(): string {
    return "quicklist";
  }

  /** An independent copy (COPY). */
  override clone(): ListValue {
    return this.copyTo(new ListValue());
  }
}
