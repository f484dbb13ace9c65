/**
 * Assertions used by tests: Node's strict assert under the names the tests
 * use, so adopting @std/assert later changes only this file.
 *
 * @module
 */
import assert from "node:assert/strict";

/** Deep strict equality. */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Strict inequality. */
export function assertNotEquals(
  actual: unknown,
  expected: unknown,
  message?: string,
): void {
  assert.notDeepStrictEqual(actual, expected, message);
}

/** Truthiness. */
export function assert_(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}
export { assert_ as assert };

/** A string matching a regular expression. */
export function assertMatch(
  actual: string,
  re: RegExp,
  message?: string,
): void {
  assert.match(actual, re, message);
}

/** A function that throws; returns the error. */
export function assertThrows(
  fn: () => unknown,
  expected?: RegExp | (new (...a: never[]) => Error),
): unknown {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) assert.fail("Expected function to throw");
  if (expected instanceof RegExp) {
    assert.match(String((caught as Error).message ?? caught), expected);
  } else if (expected !== undefined) {
    assert.ok(caught instanceof expected, `Expected ${expected.name}`);
  }
  return caught;
}

/** A promise that rejects; returns the error. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  expected?: RegExp,
): Promise<unknown> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) assert.fail("Expected promise to reject");
  if (expected !== undefined) {
    assert.match(String((caught as Error).message ?? caught), expected);
  }
  return caught;
}
