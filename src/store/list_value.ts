/**
 * ListValue: the value of a Redis list key.
 *
 * Elements are latin1 strings (one char per byte) held in a `Deque`, which
 * gives O(1) pushes and pops at both ends and O(1) access by index. The
 * list keeps the bytes of its elements as they come and go, for memory
 * accounting (store/memory.ts): the deque's primitives that add, replace
 * or remove elements are overridden, and its composite operations (insert,
 * removeAt, removeIndexes) are made of those primitives.
 *
 * @module
 */
import { Deque } from "./structures/deque.ts";
import {
  FIXED_ARRAY_HEADER,
  JS_ARRAY,
  SLOT,
  stringBytes,
  VALUE_MEMORY,
  type ValueMemory,
} from "./memory.ts";
import type { CollectionValue } from "./values.ts";

// The ListValue object with its accounting state (store/memory.ts).
const LIST_OBJECT = 104 + VALUE_MEMORY;

/** A list: a deque of latin1 strings that is also a keyspace value. */
export class ListValue extends Deque<string> implements CollectionValue {
  // Bytes of the element strings.
  #content = 0;
  /** Memory accounting state, kept by the keyspace (store/memory.ts). */
  mem: ValueMemory | undefined;

  /** A list holding `items` in order. */
  constructor(items?: readonly string[]) {
    // The deque would push through the overrides before #content exists.
    super();
    if (items !== undefined) { for (const item of items) this.pushBack(item); }
  }

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

  /** Bytes of memory the list uses (O(1)). */
  get bytes(): number {
    const arrays = this.chunkCount === 0 ? 1 : this.chunkCount + 1;
    return LIST_OBJECT + this.#content + SLOT * this.allocatedSlots +
      (JS_ARRAY + FIXED_ARRAY_HEADER) * arrays;
  }

  override pushBack(value: string): void {
    super.pushBack(value);
    this.#content += stringBytes(value.length);
  }

  override pushFront(value: string): void {
    super.pushFront(value);
    this.#content += stringBytes(value.length);
  }

  override popFront(): string | undefined {
    const v = super.popFront();
    if (v !== undefined) this.#content -= stringBytes(v.length);
    return v;
  }

  override popBack(): string | undefined {
    const v = super.popBack();
    if (v !== undefined) this.#content -= stringBytes(v.length);
    return v;
  }

  override set(i: number, value: string): void {
    this.#content += stringBytes(value.length) - stringBytes(this.at(i).length);
    super.set(i, value);
  }

  override dropFront(n: number): void {
    this.#forget(0, Math.min(n, this.length));
    super.dropFront(n);
  }

  override dropBack(n: number): void {
    const len = this.length;
    const k = Math.min(Math.max(n, 0), len);
    this.#forget(len - k, k);
    super.dropBack(n);
  }

  override clear(): void {
    // The deque clears itself when its last element is popped: nothing
    // is left to forget then.
    if (this.length !== 0) this.#content = 0;
    super.clear();
  }

  // Subtracts the bytes of the `count` elements from index `start`.
  #forget(start: number, count: number): void {
    if (count <= 0) return;
    if (count === this.length) {
      this.#content = 0;
      return;
    }
    let bytes = 0;
    this.scan(start, false, (v, i) => {
      if (i >= start + count) return true;
      bytes += stringBytes(v.length);
    });
    this.#content -= bytes;
  }

  /** An independent copy (COPY). */
  override clone(): ListValue {
    const copy = this.copyTo(new ListValue());
    copy.#content = this.#content;
    return copy;
  }
}
