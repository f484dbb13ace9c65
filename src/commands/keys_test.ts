import { assertEquals } from "../../tests/_deps.ts";
import {
  defineCommand,
  keyAt,
  keysAfterKeyword,
  keysCounted,
  keysFrom,
} from "./define.ts";
import { getKeys, hasKeys, keyFlagNames } from "./keys.ts";
import type { KeySpec } from "./types.ts";

function command(name: string, keys: KeySpec[], arity = -2) {
  return defineCommand({
    name,
    group: "generic",
    summary: "test",
    since: "1.0.0",
    arity,
    flags: [],
    keys,
    handler: () => null,
  });
}

function positions(name: string, keys: KeySpec[], argv: string[]): number[] {
  return getKeys(command(name, keys), argv).map((k) => k.pos);
}

Deno.test("keyFlagNames prints access types upper case and the rest lower case, in Redis's order", () => {
  assertEquals(keyFlagNames(["RW", "UPDATE", "ACCESS"]), [
    "RW",
    "access",
    "update",
  ]);
  assertEquals(keyFlagNames(["NOT_KEY", "VARIABLE_FLAGS", "INCOMPLETE"]), [
    "not_key",
    "incomplete",
    "variable_flags",
  ]);
});

Deno.test("getKeys follows index + range specs (GET, MSET, DEL)", () => {
  assertEquals(positions("get", [keyAt(1, "RO")], ["get", "k"]), [1]);
  assertEquals(
    positions("mset", [keysFrom(1, 2, "OW UPDATE")], [
      "mset",
      "a",
      "1",
      "b",
      "2",
    ]),
    [1, 3],
  );
  assertEquals(
    positions("del", [keysFrom(1, 1, "RM DELETE")], ["del", "a", "b", "c"]),
    [1, 2, 3],
  );
});

Deno.test("getKeys follows keynum specs and refuses counts that do not fit", () => {
  const specs = [keyAt(1, "OW UPDATE"), keysCounted(2, "RO ACCESS")];
  assertEquals(
    positions("zunionstore", specs, ["zunionstore", "d", "2", "a", "b"]),
    [1, 3, 4],
  );
  assertEquals(
    positions("zunionstore", specs, ["zunionstore", "d", "5", "a"]),
    [],
  );
  assertEquals(
    positions("zunionstore", specs, ["zunionstore", "d", "x", "a"]),
    [],
  );
  assertEquals(
    positions("zunionstore", specs, ["zunionstore", "d", "-1", "a"]),
    [],
  );
});

Deno.test("getKeys finds keys after a keyword, searching forward or backward", () => {
  // XREAD ... STREAMS k1 k2 id1 id2: half of what follows the keyword.
  const xread = [
    keysAfterKeyword("STREAMS", 1, "RO ACCESS", {
      range: { lastkey: -1, keystep: 1, limit: 2 },
    }),
  ];
  assertEquals(
    positions("xread", xread, [
      "xread",
      "count",
      "1",
      "streams",
      "a",
      "b",
      "0",
      "0",
    ]),
    [4, 5],
  );
  assertEquals(positions("xread", xread, ["xread", "count", "1"]), []);
  // MIGRATE's KEYS is searched from the end (startfrom -2).
  const migrateLike = [
    keysAfterKeyword("KEYS", -2, "RW ACCESS DELETE", {
      range: { lastkey: -1, keystep: 1, limit: 0 },
    }),
  ];
  assertEquals(
    positions("x", migrateLike, [
      "x",
      "h",
      "p",
      "",
      "0",
      "5",
      "KEYS",
      "a",
      "b",
    ]),
    [7, 8],
  );
});

Deno.test("getKeys skips NOT_KEY specs unless asked", () => {
  const specs = [keyAt(1, "NOT_KEY")];
  const cmd = command("spublish", specs, 3);
  assertEquals(hasKeys(cmd), false);
  assertEquals(getKeys(cmd, ["spublish", "ch", "m"]), []);
  assertEquals(
    getKeys(cmd, ["spublish", "ch", "m"], { includeNotKeys: true }),
    [{ pos: 1, flags: ["NOT_KEY"] }],
  );
});

Deno.test("getKeys uses Redis's own key finders where the specs cannot tell", () => {
  const unknown: KeySpec = {
    flags: ["OW", "UPDATE"],
    begin: { unknown: true },
    find: { unknown: true },
  };
  const sort = command("sort", [keyAt(1, "RO ACCESS"), unknown]);
  assertEquals(
    getKeys(sort, ["sort", "a", "BY", "w_*", "STORE", "b", "store", "c"]),
    [{ pos: 1, flags: ["RO", "ACCESS"] }, { pos: 7, flags: ["OW", "UPDATE"] }],
  );
  // A STORE word that is an argument of GET is not the STORE option.
  assertEquals(
    getKeys(sort, ["sort", "a", "GET", "store", "LIMIT", "0", "1"]).map((k) =>
      k.pos
    ),
    [1],
  );
  const set = command("set", [keyAt(1, "RW ACCESS UPDATE VARIABLE_FLAGS")]);
  assertEquals(getKeys(set, ["set", "k", "v"]), [{
    pos: 1,
    flags: ["OW", "UPDATE"],
  }]);
  assertEquals(getKeys(set, ["set", "k", "v", "get"]), [{
    pos: 1,
    flags: ["RW", "ACCESS", "UPDATE"],
  }]);
  const bitfield = command("bitfield", [
    keyAt(1, "RW UPDATE ACCESS VARIABLE_FLAGS"),
  ]);
  assertEquals(getKeys(bitfield, ["bitfield", "k", "GET", "u8", "0"]), [{
    pos: 1,
    flags: ["RO", "ACCESS"],
  }]);
  assertEquals(
    getKeys(bitfield, ["bitfield", "k", "SET", "u8", "0", "1"])[0]!.flags,
    ["RW", "ACCESS", "UPDATE"],
  );
  const migrate = command("migrate", [
    keyAt(3, "RW ACCESS DELETE"),
    keysAfterKeyword("KEYS", -2, "RW ACCESS DELETE INCOMPLETE", {
      range: { lastkey: -1, keystep: 1, limit: 0 },
    }),
  ]);
  assertEquals(
    getKeys(migrate, [
      "migrate",
      "h",
      "1",
      "",
      "0",
      "5",
      "AUTH",
      "keys",
      "KEYS",
      "a",
      "b",
    ]).map((k) => k.pos),
    [9, 10],
  );
  assertEquals(
    getKeys(migrate, ["migrate", "h", "1", "k", "0", "5"]).map((k) => k.pos),
    [3],
  );
});
