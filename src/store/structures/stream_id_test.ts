import { assertEquals } from "../../../tests/_deps.ts";
import {
  compareIds,
  MAX_ID,
  MIN_ID,
  parseStreamId,
  StreamId,
  u64Text,
} from "./stream_id.ts";

const MAX = "18446744073709551615";

function parse(text: string, opts = {}): string | undefined {
  const p = parseStreamId(text, opts);
  return p === undefined ? undefined : `${p.id}${p.seqGiven ? "" : " (*)"}`;
}

Deno.test("parseStreamId reads ms-seq, a bare ms, and the extremes", () => {
  assertEquals(parse("1-2"), "1-2");
  assertEquals(parse("5"), "5-0");
  assertEquals(parse("5", { missingSeqMax: true }), `5-${MAX}`);
  assertEquals(parse(`${MAX}-${MAX}`), `${MAX}-${MAX}`);
  assertEquals(parse("18446744073709551616"), undefined);
  assertEquals(parse(`1-18446744073709551616`), undefined);
  assertEquals(
    parse("9007199254740993-9007199254740995"),
    "9007199254740993-9007199254740995",
  );
});

Deno.test("parseStreamId treats - and + as the smallest and largest IDs unless strict", () => {
  assertEquals(parse("-"), "0-0");
  assertEquals(parse("+"), `${MAX}-${MAX}`);
  assertEquals(parse("-", { strict: true }), undefined);
  assertEquals(parse("+", { strict: true }), undefined);
});

Deno.test("parseStreamId accepts <ms>-* only where asked", () => {
  assertEquals(parse("7-*", { seqStar: true }), "7-0 (*)");
  assertEquals(parse("7-*"), undefined);
  assertEquals(parse("*-1", { seqStar: true }), undefined);
  assertEquals(parse("7-**", { seqStar: true }), undefined);
});

Deno.test("parseStreamId follows strtoull where string2ll fails", () => {
  assertEquals(parse(" 1"), "1-0");
  assertEquals(parse("\t+2"), "2-0");
  assertEquals(parse("03"), "3-0");
  assertEquals(parse("4--0"), "4-0");
  assertEquals(parse("4--5"), undefined); // string2ll parses -5: negative
  assertEquals(parse("4- -5"), `4-${18446744073709551611n}`);
  assertEquals(parse("4--05"), `4-${18446744073709551611n}`);
  assertEquals(parse("-1"), undefined);
  assertEquals(parse("1-"), undefined);
  assertEquals(parse(""), undefined);
  assertEquals(parse("1x"), undefined);
  assertEquals(parse("1-2-3"), undefined);
});

Deno.test("parseStreamId stops at a NUL byte and refuses more than 127 bytes", () => {
  assertEquals(parse("6\x00junk"), "6-0");
  assertEquals(parse("7-\x001"), undefined);
  assertEquals(parse("0".repeat(126) + "8"), "8-0");
  assertEquals(parse("0".repeat(127) + "9"), undefined);
});

Deno.test("StreamId next and prev carry across words and stop at the ends", () => {
  assertEquals(String(StreamId.of(1, 4294967295).next()), "1-4294967296");
  assertEquals(String(StreamId.fromBigInt(1n, 2n ** 64n - 1n).next()), "2-0");
  assertEquals(MAX_ID.next(), undefined);
  assertEquals(String(StreamId.of(2, 0).prev()), `1-${MAX}`);
  assertEquals(MIN_ID.prev(), undefined);
  assertEquals(StreamId.fromBigInt(3n, 2n ** 64n - 1n).nextSeq(), undefined);
});

Deno.test("compareIds orders by ms then seq across all 64 bits", () => {
  const ids = ["0-0", "0-1", "1-0", "4294967296-0", `${MAX}-0`, `${MAX}-${MAX}`]
    .map((t) => parseStreamId(t)!.id);
  for (let i = 0; i < ids.length; i++) {
    for (let j = 0; j < ids.length; j++) {
      assertEquals(Math.sign(compareIds(ids[i]!, ids[j]!)), Math.sign(i - j));
    }
  }
});

Deno.test("u64Text prints every 64-bit value exactly", () => {
  assertEquals(u64Text(0, 7), "7");
  assertEquals(u64Text(0x1fffff, 0xffffffff), "9007199254740991");
  assertEquals(u64Text(0x200000, 1), "9007199254740993");
  assertEquals(u64Text(0xffffffff, 0xffffffff), MAX);
});
