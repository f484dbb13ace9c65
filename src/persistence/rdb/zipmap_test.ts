import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { RdbFormatError } from "./bytes.ts";
import { zipmapEntries } from "./zipmap.ts";
import { fromHex } from "../../../tests/_harness/rdb.ts";

Deno.test("zipmapEntries reads legacy/hash-zipmap.rdb's hash", () => {
  assertEquals(
    zipmapEntries(fromHex("020266310200763102663202007632ff")),
    ["f1", "v1", "f2", "v2"],
  );
});

Deno.test("zipmapEntries reads 5-byte lengths, free space and an unknown count", () => {
  const long = "6c".repeat(300);
  const zm = fromHex(
    "fe" + "01" + "61" + "fe2c010000" + "02" + long + "0000" + "02" + "6262" +
      "00" + "01" + "63" + "ff",
  );
  assertEquals(zipmapEntries(zm), ["a", "l".repeat(300), "bb", ""]);
});

Deno.test("zipmapEntries refuses truncated, empty and miscounted zipmaps", () => {
  assertThrows(() => zipmapEntries(fromHex("ff")), RdbFormatError);
  assertThrows(() => zipmapEntries(fromHex("00ff")), RdbFormatError);
  assertThrows(
    () => zipmapEntries(fromHex("0302663102007631ff")),
    RdbFormatError,
  );
  assertThrows(
    () => zipmapEntries(fromHex("010966310200763100")),
    RdbFormatError,
  );
  assertThrows(
    () => zipmapEntries(fromHex("0102663109007631ff")),
    RdbFormatError,
  );
  const good = fromHex("020266310200763102663202007632ff");
  for (let i = 0; i < good.length; i++) {
    for (const v of [0, 1, 0x20, 0xfe, 0xff]) {
      const b = good.slice();
      b[i] = v;
      try {
        zipmapEntries(b);
      } catch (e) {
        if (!(e instanceof RdbFormatError)) throw e;
      }
    }
  }
});
