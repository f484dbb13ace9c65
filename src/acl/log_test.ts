/** AclLog: newest first, grouping of similar denials, the length limit. */
import { assertEquals } from "../../tests/_deps.ts";
import { AclLog } from "./log.ts";

function entry(object: string, time: number, username = "u") {
  return {
    reason: "key" as const,
    context: "toplevel" as const,
    object,
    username,
    time,
    clientInfo: `at ${time}`,
  };
}

Deno.test("AclLog groups a denial like a recent one and moves it to the front", () => {
  const log = new AclLog(128);
  log.add(entry("a", 1000));
  log.add(entry("b", 2000));
  log.add(entry("a", 3000));
  assertEquals(log.entries.map((e) => [e.object, e.count, e.time]), [
    ["a", 2, 3000],
    ["b", 1, 2000],
  ]);
  assertEquals(log.entries[0]!.clientInfo, "at 3000");
  // Another user, or more than a minute later: a new entry.
  log.add(entry("a", 3000, "v"));
  log.add(entry("a", 3000 + 60001));
  assertEquals(log.entries.map((e) => [e.object, e.username, e.count]), [
    ["a", "u", 1],
    ["a", "v", 1],
    ["a", "u", 2],
    ["b", "u", 1],
  ]);
});

Deno.test("AclLog looks at the last ten entries only", () => {
  const log = new AclLog(128);
  log.add(entry("old", 0));
  for (let i = 0; i < 10; i++) log.add(entry(`k${i}`, i));
  log.add(entry("old", 11));
  assertEquals(log.entries.length, 12);
  assertEquals(log.entries[0]!.count, 1);
});

Deno.test("AclLog keeps at most acllog-max-len entries, dropping the oldest", () => {
  const log = new AclLog(2);
  for (const k of ["a", "b", "c"]) log.add(entry(k, 0));
  assertEquals(log.entries.map((e) => e.object), ["c", "b"]);
  log.reset();
  assertEquals(log.entries, []);
});
