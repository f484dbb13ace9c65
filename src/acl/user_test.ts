/**
 * User rules (Redis's ACLSetUser): flags, passwords stored as SHA-256,
 * selectors, reset; password checks; selector argument merging.
 */
import { assertEquals, assertThrows } from "../../tests/_deps.ts";
import { buildCommandTable } from "../commands/table.ts";
import { sha256Hex } from "../util/sha256.ts";
import { commandIndex } from "./command_index.ts";
import { AclRuleError } from "./errors.ts";
import { constantTimeEqual, mergeSelectorArguments, User } from "./user.ts";

const index = commandIndex(buildCommandTable());

function user(...rules: string[]): User {
  const u = new User("u", false);
  for (const r of rules) u.apply(r, index, false);
  return u;
}

Deno.test("User keeps passwords only as SHA-256 hashes, each once, in order", () => {
  const u = user(">b", ">a", ">b", "#" + sha256Hex("c"));
  assertEquals(u.passwords, [sha256Hex("b"), sha256Hex("a"), sha256Hex("c")]);
  assertEquals(u.passwords.includes("a"), false);
  u.apply("<a", index, false);
  u.apply("!" + sha256Hex("b"), index, false);
  assertEquals(u.passwords, [sha256Hex("c")]);
  const error = assertThrows(() => u.apply("<zzz", index, false));
  assertEquals((error as AclRuleError).reason, "ENODEV");
  assertEquals(
    (assertThrows(() => u.apply("#ABC", index, false)) as AclRuleError).reason,
    "EBADMSG",
  );
});

Deno.test("User.checkPassword: on, off, nopass and resetpass", () => {
  const u = user(">secret");
  assertEquals(u.checkPassword("secret"), false, "a new user is off");
  u.apply("on", index, false);
  assertEquals(u.checkPassword("secret"), true);
  assertEquals(u.checkPassword("secreT"), false);
  assertEquals(u.checkPassword(""), false);
  u.apply("nopass", index, false);
  assertEquals(u.passwords, []);
  assertEquals(u.checkPassword("anything"), true);
  u.apply("resetpass", index, false);
  assertEquals(u.checkPassword("anything"), false);
  u.apply(">x", index, false);
  u.apply("off", index, false);
  assertEquals(u.checkPassword("x"), false);
});

Deno.test("User flags print in Redis's order", () => {
  assertEquals(user().flagNames(), ["off"]);
  assertEquals(user("on", "nopass", "skip-sanitize-payload").flagNames(), [
    "on",
    "nopass",
    "skip-sanitize-payload",
  ]);
  assertEquals(user("on", "reset").flagNames(), ["off", "sanitize-payload"]);
});

Deno.test("User selectors: added with parentheses, dropped by clearselectors and reset", () => {
  const u = user("(+get ~a*)", "()");
  assertEquals(u.selectors.length, 3);
  assertEquals(u.selectors[1]!.keys, [{ pattern: "a*", flags: 3 }]);
  u.apply("clearselectors", index, false);
  assertEquals(u.selectors.length, 1);
  u.apply("(+@all ~* &*)", index, false);
  assertEquals(u.unrestricted, true);
  u.apply("reset", index, false);
  assertEquals([u.selectors.length, u.unrestricted], [1, false]);
  // Selector words are selector rules only.
  assertThrows(() => u.apply("(on)", index, false), AclRuleError);
});

Deno.test("User.unrestricted needs all commands, keys and channels in one selector", () => {
  assertEquals(user("+@all", "~*").unrestricted, false);
  assertEquals(user("+@all", "~*", "&*").unrestricted, true);
  assertEquals(user("+@all", "~*", "&*", "-get").unrestricted, false);
  assertEquals(user("~*", "&*", "(+@all ~* &*)").unrestricted, true);
});

Deno.test("User.clone stages changes without touching the original", () => {
  const u = user("on", ">a", "+get", "~k");
  const staged = u.clone();
  staged.apply("-get", index, false);
  staged.apply("resetpass", index, false);
  assertEquals(u.passwords.length, 1);
  assertEquals(u.root.bit(index.lookup("get")!.id), true);
  u.copyFrom(staged);
  assertEquals(u.passwords.length, 0);
  assertEquals(u.root.bit(index.lookup("get")!.id), false);
});

Deno.test("mergeSelectorArguments joins a selector spread over several words", () => {
  assertEquals(mergeSelectorArguments(["on", "(+get", "~a", ")", "off"]), [
    "on",
    "(+get ~a )",
    "off",
  ]);
  assertEquals(mergeSelectorArguments(["(+get)"]), ["(+get)"]);
  assertEquals(mergeSelectorArguments(["on", "(+get", "~a"]), {
    unmatched: 1,
  });
});

Deno.test("constantTimeEqual compares whole strings", () => {
  assertEquals(constantTimeEqual("abc", "abc"), true);
  assertEquals(constantTimeEqual("abc", "abd"), false);
  assertEquals(constantTimeEqual("abc", "ab"), false);
  assertEquals(constantTimeEqual("", ""), true);
});
