/**
 * Selector rules (Redis's ACLSetSelector) and the per-selector check of
 * commands, keys and channels, on the real command table.
 */
import { assertEquals, assertThrows } from "../../tests/_deps.ts";
import { buildCommandTable } from "../commands/table.ts";
import { commandIndex } from "./command_index.ts";
import { AclRuleError } from "./errors.ts";
import {
  ACL_DENIED_CHANNEL,
  ACL_DENIED_CMD,
  ACL_DENIED_KEY,
  ACL_OK,
  KEY_ALL,
  KEY_READ,
  KEY_WRITE,
  Selector,
} from "./selector.ts";
import { getKeys } from "../commands/keys.ts";
import type { Argv } from "../protocol/types.ts";

const table = buildCommandTable();
const index = commandIndex(table);

function selector(...rules: string[]): Selector {
  const s = new Selector(true, false);
  for (const r of rules) s.apply(r, index);
  return s;
}

function reasonOf(fn: () => unknown): string {
  return (assertThrows(fn, AclRuleError) as AclRuleError).reason;
}

// The check as Acl.check runs it for one selector.
function check(s: Selector, ...argv: Argv): [number, number] {
  const cmd = table.get(argv[0]!)!;
  const entry = index.of(
    cmd.subcommands !== undefined ? cmd.subcommands.get(argv[1]!)! : cmd,
  )!;
  const at = { pos: 0 };
  const r = s.check(
    entry,
    argv,
    { keys: undefined },
    (a) =>
      getKeys(entry.command, a).map((k) => ({
        pos: k.pos,
        need: (k.flags.includes("ACCESS") ? KEY_READ : 0) |
          (k.flags.some((f) => ["INSERT", "DELETE", "UPDATE"].includes(f))
            ? KEY_WRITE
            : 0),
      })),
    at,
  );
  return [r, at.pos];
}

Deno.test("Selector.apply refuses unknown rules, names and bad patterns with Redis's reasons", () => {
  assertEquals(reasonOf(() => selector("bogus")), "EINVAL");
  assertEquals(reasonOf(() => selector("+nosuch")), "ENOENT");
  assertEquals(reasonOf(() => selector("-@nosuch")), "ENOENT");
  assertEquals(reasonOf(() => selector("+config|get|x")), "ECHILD");
  assertEquals(reasonOf(() => selector("+select|")), "EINVAL");
  assertEquals(reasonOf(() => selector("-select|0")), "ENOENT");
  assertEquals(reasonOf(() => selector("allkeys", "~a")), "EEXIST");
  assertEquals(reasonOf(() => selector("&*", "&a")), "EISDIR");
  assertEquals(reasonOf(() => selector("~a b")), "EINVAL");
  assertEquals(reasonOf(() => selector("%~a")), "EINVAL");
  assertEquals(reasonOf(() => selector("%RR~a")), "EINVAL");
});

Deno.test("Selector key patterns merge permissions for the same pattern", () => {
  const s = selector("%R~a", "%W~a", "%R~b", "%w~c", "~d", "%R");
  assertEquals(s.keys, [
    { pattern: "a", flags: KEY_ALL },
    { pattern: "b", flags: KEY_READ },
    { pattern: "c", flags: KEY_WRITE },
    { pattern: "d", flags: KEY_ALL },
    { pattern: "", flags: KEY_READ },
  ]);
  assertEquals(selector("~x", "allkeys").keys, []);
});

Deno.test("Selector.check needs read for ACCESS keys and write for INSERT/UPDATE/DELETE keys", () => {
  const s = selector("+@all", "%R~r*", "%W~w*", "~rw*");
  assertEquals(check(s, "get", "r1"), [ACL_OK, 0]);
  assertEquals(check(s, "get", "w1"), [ACL_DENIED_KEY, 1]);
  assertEquals(check(s, "set", "w1", "v"), [ACL_OK, 0]);
  assertEquals(check(s, "set", "r1", "v"), [ACL_DENIED_KEY, 1]);
  // SET ... GET reads the key too.
  assertEquals(check(s, "set", "w1", "v", "GET"), [ACL_DENIED_KEY, 1]);
  assertEquals(check(s, "set", "rw1", "v", "GET"), [ACL_OK, 0]);
  // LMOVE reads and deletes from the source, inserts into the destination.
  assertEquals(check(s, "lmove", "rw1", "w2", "LEFT", "RIGHT"), [ACL_OK, 0]);
  assertEquals(check(s, "lmove", "rw1", "r2", "LEFT", "RIGHT"), [
    ACL_DENIED_KEY,
    2,
  ]);
});

Deno.test("Selector.check: commands, subcommands and first arguments", () => {
  const s = selector(
    "-@all",
    "+config|get",
    "+select|0",
    "+client",
    "-client|kill",
    "allkeys",
  );
  assertEquals(check(s, "config", "get", "x")[0], ACL_OK);
  assertEquals(check(s, "config", "set", "x", "y")[0], ACL_DENIED_CMD);
  assertEquals(check(s, "select", "0")[0], ACL_OK);
  assertEquals(check(s, "select", "1")[0], ACL_DENIED_CMD);
  assertEquals(check(s, "client", "id")[0], ACL_OK);
  assertEquals(check(s, "client", "kill", "id", "1")[0], ACL_DENIED_CMD);
  // AUTH and HELLO (no_auth) are never refused for the command itself.
  assertEquals(check(s, "auth", "p")[0], ACL_OK);
});

Deno.test("Selector.check: channels match as globs, subscribed patterns must be equal", () => {
  const s = selector("+@all", "allkeys", "&news.*", "&exact");
  assertEquals(check(s, "publish", "news.a", "m"), [ACL_OK, 0]);
  assertEquals(check(s, "publish", "other", "m"), [ACL_DENIED_CHANNEL, 1]);
  assertEquals(check(s, "subscribe", "news.a", "exact", "x"), [
    ACL_DENIED_CHANNEL,
    3,
  ]);
  assertEquals(check(s, "psubscribe", "news.*"), [ACL_OK, 0]);
  assertEquals(check(s, "psubscribe", "news.a*"), [ACL_DENIED_CHANNEL, 1]);
  // Unsubscribing is always allowed.
  assertEquals(check(s, "unsubscribe", "other"), [ACL_OK, 0]);
});

Deno.test("Selector +@all sets the future-commands bit, a removal keeps it but ends allcommands", () => {
  const s = selector("+@all", "-get");
  assertEquals(s.futureCommands, true);
  assertEquals(s.allCommands, false);
  assertEquals(selector("-@all", "+@read").futureCommands, false);
  assertEquals(selector("allcommands").allCommands, true);
});
