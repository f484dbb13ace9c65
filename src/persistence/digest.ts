/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE, computed exactly as Redis 7.0's
 * debug.c does, so a dataset has the same digest in tsredis and in Redis
 * (the test suites of both compare digests across reloads and replicas).
 *
 * Two SHA-1 combinators build every digest:
 * - xor: `digest ^= SHA1(data)`, for unordered parts (keys, set members,
 *   hash fields, sorted set members), so their order does not matter;
 * - mix: `digest = SHA1(digest ^ SHA1(data))`, for ordered parts (list
 *   elements, stream entries, a key before its value).
 *
 * Per key: mix the key, mix the type number (4 bytes, big-endian), then the
 * value by type, then xor "!!expire!!" when the key has a TTL (the time
 * itself is not hashed). Sorted set scores are hashed as `%.17g` text;
 * streams hash their live entries (ID as "ms.seq", then each field and
 * value), and neither tombstones nor consumer groups take part. The dataset
 * digest mixes each non-empty database's number into the result, then xors
 * in the SHA-1 of each of its key digests; an empty dataset is all zeros.
 *
 * @module
 */
import type { Keyspace } from "../store/keyspace.ts";
import type { RedisValue } from "../store/values.ts";
import { ListValue } from "../store/list_value.ts";
import { SetValue } from "../store/set_value.ts";
import { HashValue } from "../store/hash_value.ts";
import { ZSetValue } from "../store/zset_value.ts";
import { StreamValue } from "../store/stream_value.ts";
import { MAX_ID, MIN_ID, u64Text } from "../store/structures/stream_id.ts";
import { formatG17 } from "../util/number.ts";
import { sha1Into, toHex } from "../util/sha1.ts";

// Redis's object type numbers (OBJ_STRING, ...), hashed with each value.
const OBJ_STRING = 0;
const OBJ_LIST = 1;
const OBJ_SET = 2;
const OBJ_ZSET = 3;
const OBJ_HASH = 4;
const OBJ_STREAM = 6;

const HASH = new Uint8Array(20);
const AUX = new Uint8Array(4);
// Per-element digest of hashes and sorted sets (Redis's eledigest).
const ELEMENT = new Uint8Array(20);

type Data = string | Uint8Array;

/** `digest ^= SHA1(data)` (Redis's xorDigest). */
function xorDigest(digest: Uint8Array, data: Data): void {
  sha1Into(data, HASH);
  for (let i = 0; i < 20; i++) digest[i] = digest[i]! ^ HASH[i]!;
}

/** `digest = SHA1(digest ^ SHA1(data))` (Redis's mixDigest). */
function mixDigest(digest: Uint8Array, data: Data): void {
  xorDigest(digest, data);
  sha1Into(digest, digest);
}

// htonl(n): the 4 bytes Redis hashes for a type or database number.
function mixInt(digest: Uint8Array, n: number): void {
  AUX[0] = n >>> 24;
  AUX[1] = n >>> 16;
  AUX[2] = n >>> 8;
  AUX[3] = n;
  mixDigest(digest, AUX);
}

/**
 * Mixes a value and its TTL flag into `digest` (Redis's xorObjectDigest,
 * which despite its name mixes); `hasExpire` is whether the key has a TTL.
 */
function objectDigest(
  digest: Uint8Array,
  value: RedisValue,
  hasExpire: boolean,
): void {
  if (typeof value === "string" || value instanceof Uint8Array) {
    mixInt(digest, OBJ_STRING);
    mixDigest(digest, value);
  } else if (value instanceof ListValue) {
    mixInt(digest, OBJ_LIST);
    const n = value.length;
    for (let i = 0; i < n; i++) mixDigest(digest, value.at(i));
  } else if (value instanceof SetValue) {
    mixInt(digest, OBJ_SET);
    value.forEach((member) => xorDigest(digest, member));
  } else if (value instanceof ZSetValue) {
    mixInt(digest, OBJ_ZSET);
    const cursor = value.tree.cursor(0);
    for (; cursor.valid; cursor.next()) {
      ELEMENT.fill(0);
      mixDigest(ELEMENT, cursor.member);
      mixDigest(ELEMENT, formatG17(cursor.score));
      xorDigest(digest, ELEMENT);
    }
  } else if (value instanceof HashValue) {
    mixInt(digest, OBJ_HASH);
    value.forEach((field, v) => {
      ELEMENT.fill(0);
      mixDigest(ELEMENT, field);
      mixDigest(ELEMENT, v);
      xorDigest(digest, ELEMENT);
    });
  } else if (value instanceof StreamValue) {
    mixInt(digest, OBJ_STREAM);
    const cursor = value.entries.cursor(MIN_ID, MAX_ID);
    while (cursor.next()) {
      const id = cursor.id();
      mixDigest(
        digest,
        `${u64Text(id.msHi, id.msLo)}.${u64Text(id.seqHi, id.seqLo)}`,
      );
      const fields = cursor.fields();
      for (let i = 0; i < fields.length; i++) mixDigest(digest, fields[i]!);
    }
  } else {
    throw new TypeError(`Cannot digest a value of type ${value.type}`);
  }
  if (hasExpire) xorDigest(digest, "!!expire!!");
}

/**
 * DEBUG DIGEST-VALUE of one value: 40 hex digits. `expireAt` is the key's
 * expiry time in Unix ms, or -1 when it has none (only its presence counts).
 */
export function digestValue(value: RedisValue, expireAt: number): string {
  const digest = new Uint8Array(20);
  objectDigest(digest, value, expireAt !== -1);
  return toHex(digest);
}

/**
 * DEBUG DIGEST of every database: 40 hex digits, all zeros when the
 * dataset is empty. Keys that have expired but are still stored count, as
 * in Redis.
 */
export function digestDataset(keyspace: Keyspace): string {
  const final = new Uint8Array(20);
  const digest = new Uint8Array(20);
  const dbs = keyspace.dbs;
  for (let j = 0; j < dbs.length; j++) {
    const db = dbs[j]!;
    if (db.dict.size === 0) continue;
    mixInt(final, j);
    const expires = db.expires;
    const anyExpires = expires.size > 0;
    db.dict.forEach((value, key) => {
      digest.fill(0);
      mixDigest(digest, key);
      objectDigest(digest, value, anyExpires && expires.has(key));
      xorDigest(final, digest);
    });
  }
  return toHex(final);
}
