/**
 * Rendering of command rules (Redis's ACLDescribeSelectorCommandRules) on a
 * small table, so the category best-fit can be followed by hand, and of
 * whole users as ACL LIST prints them.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { defineCommand } from "../commands/define.ts";
import type { AclCategory, Command, CommandFlag } from "../commands/types.ts";
import { CommandIndex } from "./command_index.ts";
import { describeCommandRules, describeUser } from "./describe.ts";
import { User } from "./user.ts";
import { Selector } from "./selector.ts";
import { createDefaultUser } from "./acl.ts";

function cmd(
  name: string,
  flags: CommandFlag[],
  acl: AclCategory[],
  subcommands?: Command[],
): Command {
  return defineCommand({
    name,
    group: "generic",
    summary: "",
    since: "1.0.0",
    arity: -1,
    flags,
    acl,
    ...(subcommands === undefined ? { handler: () => null } : { subcommands }),
  });
}

// hash: h1 h2 h3 (fast), string: s1 s2, plus a container with two subcommands.
const commands = [
  cmd("h1", ["fast"], ["hash"]),
  cmd("h2", ["fast"], ["hash"]),
  cmd("h3", ["fast"], ["hash"]),
  cmd("s1", ["write"], ["string"]),
  cmd("s2", ["readonly"], ["string"]),
  cmd("box", [], [], [
    cmd("a", ["admin"], []),
    cmd("b", ["readonly", "fast"], []),
  ]),
];
const index = new CommandIndex(
  new Map(commands.map((c) => [c.name, c] as const)),
);

function rules(...ops: string[]): string {
  const s = new Selector(true, false);
  for (const op of ops) s.apply(op, index);
  return describeCommandRules(s, index);
}

Deno.test("describeCommandRules starts from -@all or +@all by the future-commands bit", () => {
  assertEquals(rules(), "-@all");
  assertEquals(rules("+@all"), "+@all");
  assertEquals(rules("+@all", "-@all"), "-@all");
  assertEquals(rules("-@all", "+@all", "-h1", "+h1"), "+@all");
});

Deno.test("describeCommandRules picks the category with fewest differences, then most in common", () => {
  // All of hash: +@hash fits exactly.
  assertEquals(rules("+@hash"), "-@all +@hash");
  // Two of three hash commands: +@hash (2 same, 1 different) then -h3.
  assertEquals(rules("+h1", "+h2"), "-@all +@hash -h3");
  // One of three: no category has more in common than not.
  assertEquals(rules("+h1"), "-@all +h1");
  // From +@all: -@string fits both removed commands.
  assertEquals(rules("+@all", "-s1", "-s2"), "+@all -@string");
  assertEquals(rules("+@all", "-h1"), "+@all -h1");
});

Deno.test("describeCommandRules renders subcommands and first arguments", () => {
  // box|a is the only @admin command: the category fits it exactly.
  assertEquals(rules("+box|a"), "-@all +@admin");
  assertEquals(rules("+box|b"), "-@all +box|b");
  // +@admin first (box|a), then +box, which covers box|b as well.
  assertEquals(rules("+box"), "-@all +@admin +box");
  assertEquals(rules("+box", "-box|a"), "-@all +box -box|a");
  assertEquals(rules("+h1|x", "+h1|y", "+h1|X"), "-@all +h1|x +h1|y");
  assertEquals(rules("+@all", "-h1", "+h1|x"), "+@all -h1 +h1|x");
});

Deno.test("describeUser renders flags, password hashes, keys, channels and selectors in Redis's order", () => {
  const u = new User("u", false);
  for (
    const op of [
      "on",
      "#" + "a".repeat(64),
      "~k*",
      "%R~r",
      "&c",
      "+h1",
      "(+s1 %W~w)",
    ]
  ) {
    u.apply(op, index, false);
  }
  assertEquals(
    describeUser(u, index),
    `on #${
      "a".repeat(64)
    } ~k* %R~r resetchannels &c -@all +h1 (%W~w resetchannels -@all +@write)`,
  );
  assertEquals(
    describeUser(createDefaultUser(), index),
    "on nopass ~* &* +@all",
  );
});
