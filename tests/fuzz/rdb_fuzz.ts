/**
 * Fuzzes the RDB reader and the DUMP payload parser in process: files
 * written by real Redis 7.0.15 (tests/fixtures/rdb) are damaged (bytes
 * flipped, cut, inserted, lengths and type bytes replaced) and, most of
 * the time, given a fresh CRC64 so the damage reaches the parsers rather
 * than the checksum. Both must either read the input or refuse it with an
 * `RdbFormatError` carrying the offset; any other exception is a bug (it
 * would reach the user as a message without an offset, or as a stack).
 *
 * @module
 */
import { RdbFormatError, RdbReader } from "../../src/persistence/rdb/reader.ts";
import { parseDumpPayload } from "../../src/persistence/rdb/dump.ts";
import type { EncodingLimits } from "../../src/state.ts";
import { Crc64 } from "../../src/util/crc64.ts";
import type { Rng } from "./rng.ts";

/** Redis 7.0's default encoding thresholds. */
export const DEFAULT_ENCODING: EncodingLimits = {
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  listMaxListpackSize: -2,
  listCompressDepth: 0,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
};

/** Counts and failures of an RDB fuzz run. */
export interface RdbFuzzResult {
  files: number;
  loaded: number;
  refused: number;
  payloads: number;
  failures: { input: Uint8Array; what: "rdb" | "dump"; problem: string }[];
}

const FIXTURES = new URL("../fixtures/rdb/", import.meta.url);

/** The RDB files written by real Redis, as bytes. */
export function loadRdbFixtures(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const dir of ["", "legacy/"]) {
    for (const entry of Deno.readDirSync(new URL(dir, FIXTURES))) {
      if (entry.isFile && entry.name.endsWith(".rdb")) {
        out.push(Deno.readFileSync(new URL(dir + entry.name, FIXTURES)));
      }
    }
  }
  return out;
}

/** Damages `bytes`; the last `footer` bytes (the CRC) are left to the caller. */
export function damage(
  rng: Rng,
  bytes: Uint8Array,
  footer: number,
): Uint8Array {
  const body = Array.from(bytes.subarray(0, bytes.length - footer));
  const edits = rng.chance(0.7) ? 1 : rng.range(2, 6);
  for (let e = 0; e < edits && body.length > 0; e++) {
    const p = rng.int(body.length);
    switch (rng.int(6)) {
      case 0:
        body[p] = body[p]! ^ (1 << rng.int(8));
        break;
      case 1:
        body[p] = rng.pick([
          0,
          0xff,
          0x7f,
          0x80,
          0x81,
          0xc0,
          0xc3,
          0xfe,
          rng.int(256),
        ]);
        break;
      case 2:
        body.length = p;
        break;
      case 3:
        body.splice(
          p,
          0,
          ...Array.from({ length: rng.range(1, 8) }, () => rng.int(256)),
        );
        break;
      case 4:
        body.splice(p, rng.range(1, 8));
        break;
      default:
        // A 32-bit length prefix claiming far more than there is.
        body.splice(p, 0, 0x80, 0xff, 0xff, 0xff, rng.int(256));
    }
  }
  return Uint8Array.from(body);
}

function withCrc(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  out.set(new Crc64().update(body).bytes(), body.length);
  return out;
}

/** Reads an RDB image to its end; throws what the reader throws. */
export function readWhole(bytes: Uint8Array): number {
  const reader = new RdbReader(bytes, {
    limits: DEFAULT_ENCODING,
    checksum: true,
  });
  let items = 0;
  for (;;) {
    const item = reader.next();
    items++;
    if (item.kind === "end") return items;
    if (items > 10_000_000) throw new Error("the reader does not advance");
  }
}

/** Runs `iterations` damaged files and payloads through the parsers. */
export function fuzzRdb(rng: Rng, iterations: number): RdbFuzzResult {
  const fixtures = loadRdbFixtures();
  const result: RdbFuzzResult = {
    files: 0,
    loaded: 0,
    refused: 0,
    payloads: 0,
    failures: [],
  };
  for (let i = 0; i < iterations; i++) {
    const file = rng.pick(fixtures);
    const body = damage(rng, file, 8);
    const input = rng.chance(0.85)
      ? withCrc(body)
      : Uint8Array.from([...body, ...file.subarray(file.length - 8)]);
    result.files++;
    const problem = check(() => readWhole(input));
    if (problem === "ok") result.loaded++;
    else if (problem === "refused") result.refused++;
    else result.failures.push({ input, what: "rdb", problem });
    // A DUMP payload: one value record cut out of the body, as RESTORE gets it.
    const payload = payloadFrom(rng, body);
    if (payload !== undefined) {
      result.payloads++;
      const p = check(() =>
        parseDumpPayload(payload, {
          limits: DEFAULT_ENCODING,
          checksum: false,
          deep: rng.chance(0.5),
        })
      );
      if (p !== "ok" && p !== "refused") {
        result.failures.push({ input: payload, what: "dump", problem: p });
      }
    }
  }
  return result;
}

// Type byte + the bytes after it, taken at a random place in a damaged
// file: most are nonsense, some are real value records.
function payloadFrom(rng: Rng, body: Uint8Array): Uint8Array | undefined {
  if (body.length < 20) return undefined;
  const start = rng.int(body.length - 10);
  const end = Math.min(body.length, start + rng.range(2, 4000));
  const type = rng.chance(0.7)
    ? rng.pick([
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      17,
      18,
      19,
      20,
      21,
    ])
    : body[start]!;
  return Uint8Array.from([type, ...body.subarray(start + 1, end)]);
}

function check(fn: () => unknown): "ok" | "refused" | string {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof RdbFormatError) return "refused";
    return `${(e as Error).name}: ${(e as Error).stack ?? e}`;
  }
}
