import { assertEquals } from "../_deps.ts";
import { masks } from "./differential.ts";

function bulk(text: string): string {
  return `$${text.length}\r\n${text}\r\n`;
}

Deno.test("masks.replace gives a masked bulk string the length of its masked text", () => {
  const mask = masks.replace(/avg_ttl=\d+/g, "avg_ttl=<n>");
  const info = (ttl: string) => `# Keyspace\r\ndb0:keys=2,avg_ttl=${ttl}\r\n`;
  const masked = bulk(info("<n>"));
  assertEquals(mask(bulk(info("0"))), masked);
  assertEquals(mask(bulk(info("7432187654321"))), masked);
  // Outside the mask a difference still shows.
  assertEquals(
    mask(bulk("# Keyspace\r\ndb1:keys=2,avg_ttl=0\r\n")) === masked,
    false,
  );
});

Deno.test("masks.replace leaves framing alone when the mask itself matches it", () => {
  const either = masks.replace(/^\$1\r\n[ab]\r\n$/, "<a or b>");
  assertEquals(either(bulk("a")), "<a or b>");
  assertEquals(either(bulk("c")), bulk("c"));
  const digits = masks.replace(/\d+/g, "N");
  assertEquals(digits(bulk("12 34")), "$N\r\nN N\r\n");
  assertEquals(digits(":5\r\n"), ":N\r\n");
});
