import { assertEquals } from "../../tests/_deps.ts";
import { ListValue } from "./list_value.ts";
import { typeOf } from "./values.ts";

Deno.test("ListValue is a list with Redis 7.0's quicklist encoding", () => {
  const list = new ListValue(["a", "b"]);
  assertEquals(typeOf(list), "list");
  assertEquals(list.encoding(), "quicklist");
});

Deno.test("ListValue clone is an independent ListValue", () => {
  const list = new ListValue(["a", "b"]);
  const copy = list.clone();
  assertEquals(copy instanceof ListValue, true);
  list.pushBack("c");
  copy.popFront();
  assertEquals(list.toArray(), ["a", "b", "c"]);
  assertEquals(copy.toArray(), ["b"]);
});
