import { assertEquals } from "../../tests/_deps.ts";
import { formatDouble, formatFixedTrimmed, formatG17 } from "./number.ts";

// Pairs of a double and what glibc's printf("%.17g") prints for it.
const G17: [number, string][] = [
  [0, "0"],
  [-0, "-0"],
  [1, "1"],
  [-1, "-1"],
  [0.1, "0.10000000000000001"],
  [-0.1, "-0.10000000000000001"],
  [0.2, "0.20000000000000001"],
  [0.3, "0.29999999999999999"],
  [0.3333333333333333, "0.33333333333333331"],
  [2.5, "2.5"],
  [1.5, "1.5"],
  [100.25, "100.25"],
  [3.0000000000000004, "3.0000000000000004"],
  [0.0001, "0.0001"],
  [0.00001, "1.0000000000000001e-05"],
  [0.0000999999999999999, "9.9999999999999896e-05"],
  [0.00012345, "0.00012344999999999999"],
  [0.000012345, "1.2345e-05"],
  [10000000000000000, "10000000000000000"],
  [100000000000000000, "1e+17"],
  [150000000000000000, "1.5e+17"],
  [100000000000000000, "1e+17"],
  [123456789012345680, "1.2345678901234568e+17"],
  [9007199254740992, "9007199254740992"],
  [9007199254740994, "9007199254740994"],
  [1152921504606847000, "1.152921504606847e+18"],
  [-9223372036854776000, "-9.2233720368547758e+18"],
  [4503599627370495.5, "4503599627370495.5"],
  [9007199254740991, "9007199254740991"],
  [100000000000000000000, "1e+20"],
  [1e+21, "1e+21"],
  [1.5e+300, "1.5000000000000001e+300"],
  [1.7976931348623157e+308, "1.7976931348623157e+308"],
  [5e-324, "4.9406564584124654e-324"],
  [-5e-324, "-4.9406564584124654e-324"],
  [2.2250738585072014e-308, "2.2250738585072014e-308"],
  [1e-320, "9.9998886718268301e-321"],
  [1.0000076293945312, "1.0000076293945312"],
  [1234567890123456.2, "1234567890123456.2"],
  [1234567890123456.8, "1234567890123456.8"],
  [-1234567890123456.2, "-1234567890123456.2"],
  [16.793045043945312, "16.793045043945312"],
  [0.000030517578125, "3.0517578125e-05"],
  [1.0000000000000002, "1.0000000000000002"],
  [0.30000000000000004, "0.30000000000000004"],
  [1000000000000000.5, "1000000000000000.5"],
  [12345678901234567000, "1.2345678901234567e+19"],
  [0.00007, "6.9999999999999994e-05"],
  [0.5, "0.5"],
  [1e+100, "1e+100"],
  [NaN, "nan"],
  [Infinity, "inf"],
  [-Infinity, "-inf"],
];

Deno.test("formatG17 prints what C's %.17g prints", () => {
  for (const [v, text] of G17) assertEquals(formatG17(v), text, String(v));
});

Deno.test("formatG17 rounds a value half way between two 17-digit decimals to even, as glibc does", () => {
  // Each has exactly 18 significant digits, the last a 5 (expected texts
  // from glibc).
  assertEquals(formatG17(1 + 2 ** -17), "1.0000076293945312");
  assertEquals(formatG17(1 + 3 * 2 ** -17), "1.0000228881835938");
  assertEquals(formatG17(-(1 + 2 ** -17)), "-1.0000076293945312");
  assertEquals(formatG17(2 ** 50 + 0.25), "1125899906842624.2");
  assertEquals(formatG17(2 ** 50 + 0.75), "1125899906842624.8");
  assertEquals(formatG17(2 ** 50 + 1.25), "1125899906842625.2");
  assertEquals(formatG17((2 ** 17 + 1) / 2 ** 18), "0.50000381469726562");
  assertEquals(formatG17((2 ** 17 + 3) / 2 ** 18), "0.50001144409179688");
});

Deno.test("formatG17 prints every integer below 2^53 in full", () => {
  for (let i = -1000; i <= 1000; i++) assertEquals(formatG17(i), String(i));
  for (let e = 0; e < 53; e++) {
    assertEquals(formatG17(2 ** e), String(2 ** e));
    assertEquals(formatG17(-(2 ** e) - 1), String(-(2 ** e) - 1));
  }
});

Deno.test("formatDouble prints integers below 2^52 plainly and the rest with %.17g", () => {
  assertEquals(formatDouble(3), "3");
  assertEquals(formatDouble(-0), "-0");
  assertEquals(formatDouble(1.5), "1.5");
  assertEquals(formatDouble(0.1), "0.10000000000000001");
  assertEquals(formatDouble(2 ** 60), "1.152921504606847e+18");
});

Deno.test("formatFixedTrimmed prints as %f and trimDoubleString do", () => {
  const cases: [number, string][] = [
    [50, "50"],
    [99.9, "99.9"],
    [100, "100"],
    [0, "0"],
    [-0, "-0"],
    [8, "8"],
    [1e-7, "0"],
    [99.99999999, "100"],
    // An exact tie rounds to the even digit, as printf does.
    [0.0078125, "0.007812"],
    [0.0234375, "0.023438"],
    [12.5, "12.5"],
  ];
  for (const [v, text] of cases) assertEquals(formatFixedTrimmed(v), text);
});
