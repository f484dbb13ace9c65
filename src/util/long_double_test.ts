import { assertEquals, assertThrows } from "../../tests/_deps.ts";
import {
  addLongDouble,
  formatLongDouble,
  incrByFloatText,
  MAX_LONG_DOUBLE_CHARS,
  parseLongDouble,
} from "./long_double.ts";

// [current, increment, reply]: replies of real Redis 7.0.15 to
// `SET k <current>` + `INCRBYFLOAT k <increment>` (ERRFLOAT: "value is not
// a valid float", ERRNAN: "increment would produce NaN or Infinity"); the
// same as a C program doing strtold + add + "%.17Lf" with x87 long double.
const CASES: [string, string, string][] = [
  ["10.5", "0.1", "10.6"],
  ["0", "0.1", "0.1"],
  ["3.0", "1.1", "4.1"],
  ["1.1", "2.2", "3.3"],
  ["0.1", "0.2", "0.3"],
  ["5", "-5", "0"],
  ["-1.5", "1", "-0.5"],
  ["1e30", "0", "1000000000000000000024696061952"],
  ["1", "1e-20", "1"],
  ["100", "1e17", "100000000000000100"],
  ["1", "-0.00000000000000000001", "1"],
  ["-0.000000000000000001", "0", "0"],
  ["0.000003814697265625", "0", "0.00000381469726562"],
  ["0.000003814697265635", "0", "0.00000381469726563"],
  ["12345678901234567890", "1", "12345678901234567891"],
  ["18446744073709551615", "1", "18446744073709551616"],
  ["18446744073709551617", "0", "18446744073709551616"],
  ["9223372036854775807", "1", "9223372036854775808"],
  ["3.141592653589793238462643383279", "0", "3.14159265358979324"],
  ["2.5e-3", "1e3", "1000.0025"],
  [
    "1.7976931348623157e308",
    "1e308",
    "279769313486231570002352240441350078789299929179619934003987695617693370918830364684014944221042050987341155710361544171686148029276505307138777262321877129888036065002204239033812550598509174132739480498569620043582760541189365866551522561741435317031294527744011878159793174665688773926186886103199182225408",
  ],
  ["1e4933", "0", "ERRFLOAT"],
  ["3.6451995318824746025e-4951", "0", "0"],
  ["1e-4952", "0", "ERRFLOAT"],
  ["0x1p-16445", "0", "0"],
  ["0x1p-16446", "0", "ERRFLOAT"],
  ["0x1.8p1", "0.5", "3.5"],
  ["0X1P3", "0", "8"],
  ["0x.8", "0", "0.5"],
  ["0x1p", "0", "ERRFLOAT"],
  ["0x", "1", "ERRFLOAT"],
  ["-0x10", "1", "-15"],
  ["1e", "1", "ERRFLOAT"],
  ["1e+", "1", "ERRFLOAT"],
  [".5", "1", "1.5"],
  ["5.", "1", "6"],
  [".", "1", "ERRFLOAT"],
  ["-", "1", "ERRFLOAT"],
  ["+1", "+1", "2"],
  ["1.5.5", "1", "ERRFLOAT"],
  [" 1", "1", "ERRFLOAT"],
  ["1 ", "1", "ERRFLOAT"],
  ["", "1", "ERRFLOAT"],
  ["inf", "1", "ERRNAN"],
  ["-inf", "1", "ERRNAN"],
  ["Infinity", "-1", "ERRNAN"],
  ["infinit", "1", "ERRFLOAT"],
  ["nan", "1", "ERRFLOAT"],
  ["NaN", "1", "ERRFLOAT"],
  ["1", "inf", "ERRNAN"],
  ["inf", "-inf", "ERRNAN"],
  ["1E3", "2e-1", "1000.20000000000000001"],
  ["0.0", "-0.0", "0"],
  ["-0", "0", "0"],
  ["00012.5000", "0", "12.5"],
  ["1e99999999999999999999999", "0", "ERRFLOAT"],
  ["0e99999999999999999999999", "0", "0"],
  ["1e-99999999999999999999999", "0", "ERRFLOAT"],
  ["123.456", "-123.456", "0"],
  ["99999999999999999999.999", "0.001", "100000000000000000000"],
];

function outcome(current: string, increment: string): string {
  try {
    return incrByFloatText(current, increment);
  } catch (e) {
    return (e as Error).message.includes("NaN") ? "ERRNAN" : "ERRFLOAT";
  }
}

Deno.test("incrByFloatText matches Redis's long double results", () => {
  for (const [a, b, want] of CASES) {
    assertEquals(outcome(a, b), want, `${JSON.stringify(a)} + ${b}`);
  }
});

Deno.test("incrByFloatText prints 10.5 + 0.1 as 10.6", () => {
  assertEquals(incrByFloatText("10.5", "0.1"), "10.6");
  assertEquals(incrByFloatText(undefined, "1.5"), "1.5");
});

Deno.test("incrByFloatText throws Redis's error texts", () => {
  assertThrows(
    () => incrByFloatText("abc", "1"),
    /^value is not a valid float$/,
  );
  assertThrows(
    () => incrByFloatText("1", "inf"),
    /^increment would produce NaN or Infinity$/,
  );
});

Deno.test("incrByFloatText prints the largest long double in full", () => {
  // LDBL_MAX: 4933 integer digits.
  const max = incrByFloatText("1.18973149535723176502e4932", "0");
  assertEquals(max.length, 4933);
  assertEquals(max.startsWith("118973149535723176502126385303097"), true);
  assertEquals(max.endsWith("52086811989770240"), true);
  assertEquals(incrByFloatText(max, "0"), max);
  assertEquals(outcome(max, max), "ERRNAN");
  const e4932 = incrByFloatText("1e4932", "0");
  assertEquals(e4932.length, 4933);
  assertEquals(e4932.startsWith("10000000000000000000060189493879638"), true);
});

Deno.test("parseLongDouble refuses NUL bytes, spaces and overlong text", () => {
  assertEquals(parseLongDouble("\0"), undefined);
  assertEquals(parseLongDouble("1.5\0"), undefined);
  assertEquals(parseLongDouble("\t1"), undefined);
  assertEquals(parseLongDouble("1".repeat(MAX_LONG_DOUBLE_CHARS)), undefined);
  assertEquals(
    parseLongDouble("1".repeat(MAX_LONG_DOUBLE_CHARS - 1)) !== undefined,
    false, // 5119 digits overflow
  );
  assertEquals(
    parseLongDouble("0".repeat(MAX_LONG_DOUBLE_CHARS - 2) + "1")?.mant,
    1n << 63n,
  );
});

Deno.test("parseLongDouble rounds to a 64-bit significand, ties to even", () => {
  // 2^64 + 1 is halfway between 2^64 and 2^64 + 2 at this precision.
  const v = parseLongDouble("18446744073709551617")!;
  assertEquals(v.mant * 2n ** BigInt(v.exp), 2n ** 64n);
  const w = parseLongDouble("18446744073709551619")!;
  assertEquals(w.mant * 2n ** BigInt(w.exp), 2n ** 64n + 4n);
  // Hex input with more than 64 significant bits: 0.75, 0.5 and 1.5 ulp.
  const h = parseLongDouble("0x1.00000000000000018p0")!;
  assertEquals([h.mant, h.exp], [(1n << 63n) + 1n, -63]);
  assertEquals(parseLongDouble("0x1.0000000000000001p0")!.mant, 1n << 63n);
  assertEquals(
    parseLongDouble("0x1.0000000000000003p0")!.mant,
    (1n << 63n) + 2n,
  );
});

Deno.test("parseLongDouble keeps subnormals and refuses underflow to zero", () => {
  const tiny = parseLongDouble("0x1p-16445")!;
  assertEquals([tiny.mant, tiny.exp], [1n, -16445]);
  assertEquals(parseLongDouble("0x1p-16446"), undefined);
  assertEquals(parseLongDouble("0x1.8p-16446")?.mant, 1n);
  assertEquals(formatLongDouble(tiny), "0");
});

Deno.test("addLongDouble gives NaN for opposite infinities and +0 for x - x", () => {
  const inf = parseLongDouble("inf")!;
  const ninf = parseLongDouble("-inf")!;
  assertEquals(addLongDouble(inf, ninf), undefined);
  assertEquals(addLongDouble(inf, inf)?.inf, true);
  const x = parseLongDouble("1.25")!;
  const y = parseLongDouble("-1.25")!;
  assertEquals(addLongDouble(x, y)?.neg, false);
  assertEquals(formatLongDouble(parseLongDouble("-0.0")!), "0");
});

Deno.test("formatLongDouble prints %.17Lf with trailing zeros removed", () => {
  assertEquals(formatLongDouble(parseLongDouble("0.1")!), "0.1");
  assertEquals(formatLongDouble(parseLongDouble("-2.5")!), "-2.5");
  assertEquals(formatLongDouble(parseLongDouble("1e-18")!), "0");
  assertEquals(formatLongDouble(parseLongDouble("5e-18")!), "0");
  assertEquals(formatLongDouble(parseLongDouble("-1e-18")!), "0");
  assertEquals(
    formatLongDouble(parseLongDouble("6e-18")!),
    "0.00000000000000001",
  );
  assertEquals(formatLongDouble(parseLongDouble("-inf")!), "-inf");
  assertEquals(
    formatLongDouble(parseLongDouble("1e20")!),
    "100000000000000000000",
  );
});
