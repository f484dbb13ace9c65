import { assertEquals } from "../../tests/_deps.ts";
import { crc64 } from "./crc64.ts";

Deno.test("crc64 gives Redis's check value for 123456789", () => {
  assertEquals(
    crc64(0n, new TextEncoder().encode("123456789")),
    0xe9c6d914c4b8d9can,
  );
});
