import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { ListValue } from "../../store/list_value.ts";
import { RdbFormatError } from "./bytes.ts";
import {
  createDumpPayload,
  parseDumpPayload,
  verifyDumpPayload,
} from "./dump.ts";
import { fromHex, hex, LIMITS } from "../../../tests/_harness/rdb.ts";

const WRITE = { compress: true, checksum: true, limits: LIMITS };
const READ = { limits: LIMITS, checksum: true };

// Recorded from redis-server 7.0.15: DUMP after SET k "hello world",
// SET k -123456 and RPUSH k a 1 b 2 <70 x c>.
const STRING = "000b68656c6c6f20776f726c640a000bfc49b9a6c7a034";
const INT = "00c2c01dfeff0a00e1b6629eabbd54f2";
const LIST =
  "120102c31a405a125a000000050081610201018162020201e04663e03c000148ff0a00543088acf3c85dac";

Deno.test("createDumpPayload matches redis-server's DUMP", () => {
  assertEquals(hex(createDumpPayload("hello world", WRITE)), STRING);
  assertEquals(hex(createDumpPayload("-123456", WRITE)), INT);
  assertEquals(
    hex(
      createDumpPayload(
        new ListValue(["a", "1", "b", "2", "c".repeat(70)]),
        WRITE,
      ),
    ),
    LIST,
  );
  // The checksum is there even when rdbchecksum is off.
  assertEquals(
    hex(createDumpPayload("hello world", { ...WRITE, checksum: false })),
    STRING,
  );
});

Deno.test("verifyDumpPayload checks the length, the version and the CRC", () => {
  assertEquals(verifyDumpPayload(fromHex(STRING)), true);
  assertEquals(verifyDumpPayload(fromHex(STRING.slice(0, 18))), false);
  const badCrc = fromHex(STRING);
  badCrc[badCrc.length - 1] = 0;
  assertEquals(verifyDumpPayload(badCrc), false);
  assertEquals(verifyDumpPayload(badCrc, true), true);
  const v11 = fromHex(STRING);
  v11[v11.length - 10] = 11;
  assertEquals(verifyDumpPayload(v11, true), false);
  const v9 = fromHex(STRING);
  v9[v9.length - 10] = 9;
  assertEquals(verifyDumpPayload(v9, true), true);
});

Deno.test("parseDumpPayload reads values and refuses bad types and empty values", () => {
  assertEquals(parseDumpPayload(fromHex(STRING), READ), "hello world");
  assertEquals(parseDumpPayload(fromHex(INT), READ), "-123456");
  const list = parseDumpPayload(fromHex(LIST), READ) as ListValue;
  assertEquals(list.toArray(), ["a", "1", "b", "2", "c".repeat(70)]);
  assertThrows(
    () => parseDumpPayload(fromHex("08" + "0a00" + "00".repeat(8)), READ),
    RdbFormatError,
  );
  assertThrows(
    () => parseDumpPayload(fromHex("0200" + "0a00" + "00".repeat(8)), READ),
    RdbFormatError,
  );
  assertThrows(
    () => parseDumpPayload(fromHex("06" + "0a00" + "00".repeat(8)), READ),
    RdbFormatError,
  );
});
