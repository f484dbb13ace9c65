/**
 * What the RDB unit tests (src/persistence/rdb/*_test.ts) share: bytes to
 * hex and back, the encoding limits they run with, and the fixture files
 * written by redis-server 7.0.15.
 *
 * @module
 */
import type { EncodingLimits } from "../../src/state.ts";

/** Redis 7.0's default encoding limits (its redis.conf). */
export const LIMITS: EncodingLimits = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  listMaxListpackSize: -2,
  listCompressDepth: 0,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
};

/** Lower-case hex of `b`, two digits per byte. */
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The bytes of a hex string (two digits per byte). */
export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

/** The bytes of tests/fixtures/rdb/`name`. */
export function fixture(name: string): Uint8Array {
  return Deno.readFileSync(
    new URL(`../fixtures/rdb/${name}`, import.meta.url),
  );
}
