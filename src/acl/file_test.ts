/**
 * The ACL file: parsing with Redis 7.0.15's error texts (recorded from
 * `ACL LOAD` on redis-server 7.0.15) and writing in ACL SAVE's format.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { buildCommandTable } from "../commands/table.ts";
import { commandIndex } from "./command_index.ts";
import { formatAclFile, parseAclFile } from "./file.ts";
import { User } from "./user.ts";
import { createDefaultUser } from "./acl.ts";

const index = commandIndex(buildCommandTable());
const opts = { filename: "t2.acl", index, allChannels: false };

Deno.test("parseAclFile reports every bad line as redis-server 7.0.15 does", () => {
  const text = "user default on nopass ~* &* +@all\n" +
    "  user  foo  on  >x \t \n\nuser\tbar on\nuser foo off\n# comment\n" +
    "user baz bad +nosuch ~* ~a\n";
  assertEquals(parseAclFile(text, opts), {
    errors:
      "t2.acl:2: Syntax error. t2.acl:4 should start with user keyword followed by the username. t2.acl:6 should start with user keyword followed by the username. t2.acl:7: Syntax error. t2.acl:7: Error in applying operation '+nosuch': Unknown command or category name in ACL. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
  });
  const dup =
    "user q bad ~* ~a +nosuch +@nosuch bad2\nuser q on\nuser x\ty on\nuser\n";
  assertEquals(parseAclFile(dup, opts), {
    errors:
      "t2.acl:1: Syntax error. t2.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. t2.acl:1: Error in applying operation '+@nosuch': Unknown command or category name in ACL. WARNING: Duplicate user 'q' found on line 2. 't2.acl:3: username 'x\ty' contains invalid characters. t2.acl:4 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
  });
});

Deno.test("parseAclFile reports an unclosed selector instead of crashing as Redis 7.0.15 does", () => {
  const r = parseAclFile("user foo on (~a\n", opts);
  assertEquals(
    r,
    {
      errors:
        "t2.acl:1: Unmatched parenthesis in selector definition.WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    },
  );
});

Deno.test("parseAclFile reads what formatAclFile writes", () => {
  const users = new Map<string, User>();
  users.set("default", createDefaultUser());
  const u = new User("Zed", false);
  for (
    const op of ["on", ">pw", "~k*", "&c", "-@all", "+get", "(+set %W~w*)"]
  ) {
    u.apply(op, index, false);
  }
  users.set("Zed", u);
  users.set("abc", new User("abc", false));
  const text = formatAclFile(users, index);
  // Byte order of names, as Redis's radix tree keeps them.
  assertEquals(text.split("\n").map((l) => l.split(" ")[1]), [
    "Zed",
    "abc",
    "default",
    undefined,
  ]);
  const back = parseAclFile(text, opts);
  if (!(back instanceof Map)) throw new Error(back.errors);
  assertEquals(formatAclFile(back, index), text);
  assertEquals(back.get("Zed")!.checkPassword("pw"), true);
});
