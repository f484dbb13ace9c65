import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { RdbFormatError } from "./bytes.ts";
import { encodeIntset, intsetMembers } from "./intset.ts";
import { fromHex, hex } from "../../../tests/_harness/rdb.ts";

Deno.test("encodeIntset picks the narrowest width at every boundary", () => {
  assertEquals(
    hex(encodeIntset(["-32768", "32767"]).subarray(0, 4)),
    "02000000",
  );
  assertEquals(hex(encodeIntset(["32768"]).subarray(0, 4)), "04000000");
  assertEquals(hex(encodeIntset(["-32769"]).subarray(0, 4)), "04000000");
  assertEquals(
    hex(encodeIntset(["2147483647", "-2147483648"]).subarray(0, 4)),
    "04000000",
  );
  assertEquals(hex(encodeIntset(["2147483648"]).subarray(0, 4)), "08000000");
  assertEquals(
    hex(encodeIntset(["-9223372036854775808"]).subarray(0, 4)),
    "08000000",
  );
  // set:intset of tests/fixtures/rdb/all_types.rdb.
  assertEquals(
    hex(encodeIntset(["-5", "1", "2", "3", "100000"])),
    "0400000005000000fbffffff010000000200000003000000a0860100",
  );
});

Deno.test("intsetMembers reads every width back", () => {
  for (
    const members of [
      ["1", "2", "3"],
      ["-70000", "5", "70000"],
      ["-9223372036854775808", "0", "9223372036854775807"],
    ]
  ) {
    assertEquals(intsetMembers(encodeIntset(members), true), members);
  }
});

Deno.test("intsetMembers checks the header always and the order when deep", () => {
  assertThrows(
    () => intsetMembers(fromHex("0200000001"), false),
    RdbFormatError,
  );
  assertThrows(
    () => intsetMembers(fromHex("030000000100000001"), false),
    RdbFormatError,
  );
  assertThrows(
    () => intsetMembers(fromHex("02000000020000000100"), false),
    RdbFormatError,
  );
  assertThrows(
    () => intsetMembers(fromHex("0200000000000000"), false),
    RdbFormatError,
  );
  const unsorted = fromHex("02000000020000000500" + "0300");
  assertEquals(intsetMembers(unsorted, false), ["5", "3"]);
  assertThrows(() => intsetMembers(unsorted, true), RdbFormatError);
  const dup = fromHex("02000000020000000500" + "0500");
  assertThrows(() => intsetMembers(dup, true), RdbFormatError);
});
