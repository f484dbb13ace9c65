import { assertEquals } from "../../tests/_deps.ts";
import { sha1Hex } from "../util/sha1.ts";
import {
  cacheValid,
  createHll,
  decodeSparse,
  denseGet,
  denseSet,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllCount,
  HllEditor,
  hllMergeInto,
  hllPatLen,
  isHll,
  murmurHash64A,
  rawCount,
  readCachedCount,
  unshareHll,
  writeCachedCount,
} from "./hyperloglog.ts";
import { RawBytes } from "./strings.ts";

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

function fromHex(h: string): RawBytes {
  const out = new RawBytes(h.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

// PFADD key e0 e1 ... e<n-1>, in batches of 500 as the recordings were made.
function build(n: number, sparseMax = 3000): HllEditor {
  const editor = new HllEditor();
  editor.open(createHll(), sparseMax);
  for (let i = 0; i < n; i++) editor.add(`e${i}`);
  return editor;
}

// The editor's bytes after PFCOUNT has refreshed the cache.
function counted(editor: HllEditor): Uint8Array {
  const b = editor.bytes;
  writeCachedCount(b, hllCount(b)!);
  return b;
}

Deno.test("hllPatLen gives the register and run length redis-server 7.0 gives", () => {
  // PFADD h <element>; PFDEBUG DECODE h on redis-server 7.0.15.
  const recorded: [string, number, number][] = [
    ["a", 12711, 2],
    ["foo", 7348, 5],
    ["hello world", 9399, 4],
    ["12345678", 10579, 3],
    ["123456789", 9293, 2],
    ["abcdefghijklmnopqrstuvwxyz", 13007, 1],
    ["", 5938, 2],
    ["\xff\x00\x80", 913, 1],
    ["x".repeat(100), 15288, 1],
  ];
  for (const [element, index, count] of recorded) {
    const p = hllPatLen(element);
    assertEquals([p >>> 6, p & 63], [index, count], JSON.stringify(element));
  }
});

Deno.test("murmurHash64A agrees with hllPatLen on every element length up to 40", () => {
  for (let len = 0; len <= 40; len++) {
    const s = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".slice(0, len);
    const h = murmurHash64A(s);
    const low = h >> 14n;
    let count = 1;
    while (count <= 50 && (low & (1n << BigInt(count - 1))) === 0n) count++;
    assertEquals(hllPatLen(s), Number(h & 0x3fffn) * 64 + count, s);
  }
});

Deno.test("createHll is Redis's empty HLL: sparse, one XZERO of 16384", () => {
  assertEquals(hex(createHll()), "48594c4c01" + "00".repeat(11) + "7fff");
  assertEquals(decodeSparse(createHll()), "Z:16384");
  assertEquals(hllCount(createHll()), 0);
});

Deno.test("HllEditor adds give the sparse bytes redis-server 7.0 gives", () => {
  const editor = build(20);
  assertEquals(
    hex(editor.bytes),
    "48594c4c01000000000000000000008042358842ee8044528042da844bd08c406f8043868042ac8041648441b884453d90435884430d8441038446d18047e684408880406a8440488013804152",
  );
  assertEquals(cacheValid(editor.bytes), false);
});

Deno.test("HllEditor counts and bytes match redis-server 7.0 sparse and dense", () => {
  // SHA-1 of GET after PFADD e0..e<n-1> and PFCOUNT, from redis-server 7.0.15.
  const cases: [number, number, number, string][] = [
    [20, 20, 77, "71dce77851d3f1a91cee9e41c2b8dd8bfe35a366"],
    [1000, 1008, 1906, "5b90d5bb9790139af3f5b0b6e8ffc2ab1fcc86da"],
    [5000, 4968, HLL_DENSE_SIZE, "96a367e68466cf15738f8f4dbb54a5c87e55a814"],
  ];
  for (const [n, count, length, sha] of cases) {
    const b = counted(build(n));
    assertEquals(hllCount(b), count, `count of ${n}`);
    assertEquals(b.length, length, `length of ${n}`);
    assertEquals(sha1Hex(b), sha, `bytes of ${n}`);
    assertEquals(readCachedCount(b), count);
    assertEquals(cacheValid(b), true);
  }
});

Deno.test("HllEditor.toDense keeps the registers and the cache (PFDEBUG TODENSE)", () => {
  const editor = build(1000);
  counted(editor);
  const sparse = editor.bytes.slice();
  assertEquals(editor.toDense(), true);
  const dense = editor.bytes;
  assertEquals(dense[4], HLL_DENSE);
  assertEquals(sha1Hex(dense), "8c17443a48556ca15876f6a685f470c0219b3d45");
  assertEquals(hllCount(dense), hllCount(sparse));
});

Deno.test("HllEditor promotes to dense past hll-sparse-max-bytes and for values over 32", () => {
  const small = build(200, 100);
  assertEquals(small.bytes[4], HLL_DENSE);
  assertEquals(small.bytes.length, HLL_DENSE_SIZE);
  const editor = build(3);
  editor.set(5, 33);
  assertEquals(editor.dense, true);
  assertEquals(denseGet(editor.bytes, 5), 33);
  assertEquals(editor.set(5, 33), 0);
});

Deno.test("hllMergeInto and rawCount give the union's count (PFCOUNT of several keys)", () => {
  const max = new Uint8Array(HLL_REGISTERS);
  for (const n of [20, 1000, 5000]) {
    assertEquals(hllMergeInto(max, build(n).bytes), true);
  }
  // PFCOUNT h20 h1000 h5000 on redis-server 7.0.15.
  assertEquals(rawCount(max), 4968);
});

Deno.test("denseSet and denseGet keep every register apart", () => {
  const b = new RawBytes(HLL_DENSE_SIZE);
  const values = new Uint8Array(HLL_REGISTERS);
  let seed = 7;
  for (let i = 0; i < HLL_REGISTERS; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    values[i] = seed & 63;
    denseSet(b, i, values[i]!);
  }
  for (let i = 0; i < HLL_REGISTERS; i++) {
    assertEquals(denseGet(b, i), values[i], `register ${i}`);
  }
});

Deno.test("isHll checks the magic, the encoding and the dense length", () => {
  assertEquals(isHll(createHll()), true);
  assertEquals(isHll("HYLL" + "\x01" + "\x00".repeat(11)), true);
  assertEquals(isHll("HYLL" + "\x02" + "\x00".repeat(11)), false);
  assertEquals(isHll("HYLL" + "\x00".repeat(12)), false);
  assertEquals(isHll("HYLL" + "\x00".repeat(HLL_DENSE_SIZE - 4)), true);
  assertEquals(isHll("HYLX" + "\x01" + "\x00".repeat(11)), false);
  assertEquals(isHll("HYLL\x01"), false);
  assertEquals(isHll(""), false);
});

Deno.test("unshareHll copies strings and shared buffers, keeps editable ones", () => {
  const own = createHll();
  assertEquals(unshareHll(own) === own, true);
  own.shared = true;
  const copy = unshareHll(own);
  assertEquals(copy !== own && hex(copy) === hex(own), true);
  const fromText = unshareHll(String.fromCharCode(...own));
  assertEquals(hex(fromText), hex(own));
});

Deno.test("sparse code that overflows 16384 registers is corrupted everywhere", () => {
  // XZERO:16384 then VAL:1,1: redis-server 7.0.15 (with the CVE-2025-32023
  // fix) refuses it in PFCOUNT, PFMERGE and PFDEBUG GETREG.
  const b = fromHex("48594c4c01" + "00".repeat(11) + "7fff80");
  assertEquals(hllCount(b), undefined);
  assertEquals(hllMergeInto(new Uint8Array(HLL_REGISTERS), b), false);
  const editor = new HllEditor();
  editor.open(b, 3000);
  assertEquals(editor.toDense(), false);
  assertEquals(editor.set(100, 40), -1);
  // Short of 16384 registers.
  const short = fromHex("48594c4c01" + "00".repeat(11) + "7ffe");
  assertEquals(hllCount(short), undefined);
  editor.open(short, 3000);
  assertEquals(editor.set(16383, 1), -1);
});

Deno.test("HllEditor, hllCount and hllMergeInto survive thousands of corrupted strings", () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const bases = [0, 5, 300, 1500, 4000].map((n) => counted(build(n)).slice());
  let corrupted = 0;
  for (let iter = 0; iter < 4000; iter++) {
    let v = [...bases[rnd(bases.length)]!];
    for (let m = 1 + rnd(4); m > 0; m--) {
      const op = rnd(5);
      if (op === 0 && v.length > 16) v[16 + rnd(v.length - 16)] = rnd(256);
      else if (op === 1 && v.length > 17) {
        v = v.slice(0, 16 + rnd(v.length - 16));
      } else if (op === 2) v.push(rnd(256));
      else if (op === 3) v[4] = rnd(2);
      else v[15] = rnd(256);
    }
    const bytes = new RawBytes(v.length);
    bytes.set(v);
    if (!isHll(bytes)) continue;
    const count = hllCount(bytes);
    if (count === undefined) corrupted++;
    hllMergeInto(new Uint8Array(HLL_REGISTERS), bytes);
    if (bytes[4] === HLL_SPARSE) decodeSparse(bytes);
    const editor = new HllEditor();
    editor.open(unshareHll(bytes), 200 + rnd(3000));
    for (let i = 0; i < 30; i++) {
      const r = editor.add(`x${rnd(100000)}`);
      assertEquals(r === -1 || r === 0 || r === 1, true);
      if (r === -1) break;
    }
    const out = editor.close();
    assertEquals(
      out[4] === HLL_DENSE ? out.length : HLL_DENSE_SIZE,
      HLL_DENSE_SIZE,
    );
    editor.open(out, 3000);
    editor.toDense();
  }
  // The mutations must have produced corrupted sparse code often.
  assertEquals(corrupted > 100, true, `${corrupted} corrupted`);
});

Deno.test("writeCachedCount and readCachedCount round-trip, huge counts as bigint", () => {
  const b = createHll();
  writeCachedCount(b, 123456789);
  assertEquals(readCachedCount(b), 123456789);
  writeCachedCount(b, 2n ** 60n + 5n);
  assertEquals(readCachedCount(b), 2n ** 60n + 5n);
  // LLONG_MIN, what Redis caches when the estimate overflows: stale.
  writeCachedCount(b, -(2n ** 63n));
  assertEquals(cacheValid(b), false);
});

Deno.test("hllCount of a dense HLL with every register at 50 overflows to LLONG_MIN", () => {
  const b = new RawBytes(HLL_DENSE_SIZE);
  b.set([72, 89, 76, 76, HLL_DENSE]);
  for (let i = 0; i < HLL_REGISTERS; i++) denseSet(b, i, 50);
  assertEquals(hllCount(b), -(2n ** 63n));
});
