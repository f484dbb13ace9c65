/**
 * ACL users across restarts: the `aclfile` (ACL SAVE, ACL LOAD, start-up),
 * `user` lines in the config file and CONFIG REWRITE, and the start-up
 * errors of bad users, each checked against redis-server 7.0.15 when it is
 * installed (the files and messages must be the same).
 *
 * Redis prints single-command rules in a randomly seeded hash order, so
 * files are compared with each run of such rules sorted.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import { RespError } from "../_harness/resp_client.ts";
import { spawnServer, type Target } from "../_harness/spawn.ts";
import { freePort, REDIS_SERVER } from "../_harness/tools.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const opts = { sanitizeOps: false, sanitizeResources: false };
const TARGETS: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

function sortRules(text: string): string {
  return text.replace(
    /[+-][^@\s()][^\s()]*(?: [+-][^@\s()][^\s()]*)*/g,
    (run) => run.split(" ").sort().join(" "),
  );
}

/** Runs the server to its exit; returns the exit code and everything it printed. */
async function runToExit(
  target: Target,
  args: string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  const command = target === "tsredis"
    ? new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", MAIN, ...args],
      cwd,
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(REDIS_SERVER!, {
      args,
      cwd,
      stdout: "piped",
      stderr: "piped",
    });
  const out = await command.output();
  const text = new TextDecoder();
  return {
    code: out.code,
    output: text.decode(out.stdout) + text.decode(out.stderr),
  };
}

/** A fresh directory per target, removed afterwards. */
async function withDirs(
  fn: (target: Target, dir: string) => Promise<string>,
): Promise<string[]> {
  const results: string[] = [];
  for (const target of TARGETS) {
    const dir = await Deno.makeTempDir({ prefix: "tsredis-acl-" });
    try {
      results.push(await fn(target, dir));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  return results;
}

function assertSame(results: string[]): void {
  for (let i = 1; i < results.length; i++) {
    assertEquals(results[0], results[i], `${TARGETS[0]} vs ${TARGETS[i]}`);
  }
}

Deno.test({
  ...opts,
  name:
    "ACL SAVE writes the aclfile as redis-server does, and a restart loads the users back",
  async fn() {
    const results = await withDirs(async (target, dir) => {
      await Deno.writeTextFile(`${dir}/users.acl`, "");
      const args = ["--aclfile", "users.acl"];
      let saved: string;
      {
        await using server = await spawnServer({ target, cwd: dir, args });
        const c = await server.connect();
        try {
          for (
            const rules of [
              ["alice", "on", ">apw", "~cache:*", "&news", "+@read", "-keys"],
              [
                "bob",
                "on",
                "#" + "b".repeat(64),
                "allkeys",
                "+@all",
                "-@dangerous",
              ],
              ["Carol", "off", "nopass", "%R~r*", "(+set %W~w*)", "+get"],
            ]
          ) {
            assertEquals(await c.call("ACL", "SETUSER", ...rules), "OK");
          }
          assertEquals(await c.call("ACL", "SAVE"), "OK");
          saved = await Deno.readTextFile(`${dir}/users.acl`);
        } finally {
          c.close();
        }
      }
      // No temp file is left behind.
      const names = [];
      for await (const e of Deno.readDir(dir)) names.push(e.name);
      assertEquals(names.filter((n) => n.startsWith("users.acl")), [
        "users.acl",
      ]);
      await using again = await spawnServer({ target, cwd: dir, args });
      const c = await again.connect();
      try {
        assertEquals(await c.call("AUTH", "alice", "apw"), "OK");
        assertEquals(await c.call("GET", "cache:1"), null);
        assertEquals(
          await c.call("KEYS", "*"),
          new RespError(
            "NOPERM this user has no permissions to run the 'keys' command",
          ),
        );
        const list = await c.call("AUTH", "bob", "x");
        assert(list instanceof RespError);
      } finally {
        c.close();
      }
      return sortRules(saved);
    });
    assertSame(results);
    assertMatch(results[0]!, /^user Carol off nopass %R~r\* /);
  },
});

Deno.test({
  ...opts,
  name:
    "ACL LOAD replaces the users, closes connections of the users it replaced, and changes nothing when the file has errors",
  async fn() {
    const results = await withDirs(async (target, dir) => {
      const file = `${dir}/users.acl`;
      await Deno.writeTextFile(
        file,
        "user default on nopass ~* &* +@all\nuser u1 on >p1 ~* +@all\n",
      );
      await using server = await spawnServer({
        target,
        cwd: dir,
        args: ["--aclfile", "users.acl"],
      });
      const admin = await server.connect();
      const u1 = await server.connect();
      const out: unknown[] = [];
      try {
        out.push(await u1.call("AUTH", "u1", "p1"));
        // Errors: nothing changes, u1 stays connected.
        await Deno.writeTextFile(
          file,
          "user default on nopass ~* &* +@all\nuser u2 on >p2 bogus +nosuch\nfoo\n",
        );
        out.push(await admin.call("ACL", "LOAD"));
        out.push(await u1.call("PING"));
        out.push(await admin.call("ACL", "USERS"));
        // A good file: u1 is replaced (even though it is in the file
        // again), so its connection is closed.
        await Deno.writeTextFile(
          file,
          "user u1 on >p1 ~* +@all\nuser u2 on >p2 ~k* +get\n",
        );
        out.push(await admin.call("ACL", "LOAD"));
        out.push(await u1.readFor(300));
        out.push(sortRules(String(await admin.call("ACL", "LIST"))));
        // The file had no default user: it is back to on nopass +@all.
        out.push(await admin.call("ACL", "WHOAMI"));
        await Deno.remove(file);
        out.push(await admin.call("ACL", "LOAD"));
      } finally {
        admin.close();
        u1.close();
      }
      return JSON.stringify(out);
    });
    assertSame(results);
    assertMatch(results[0]!, /users\.acl:2: Syntax error\. /);
    assertMatch(
      results[0]!,
      /Error loading ACLs, opening file 'users\.acl': No such file or directory/,
    );
  },
});

Deno.test({
  ...opts,
  name:
    "user lines in the config file load at start-up and CONFIG REWRITE writes every user",
  async fn() {
    const results = await withDirs(async (target, dir) => {
      const out: unknown[] = [];
      {
        await using server = await spawnServer({
          target,
          cwd: dir,
          configText: "user default on nopass ~* &* +@all -flushall\n" +
            "user worker on >wpw ~jobs:* +@list +@connection\n",
        });
        const c = await server.connect();
        try {
          out.push(await c.call("FLUSHALL"));
          out.push(await c.call("AUTH", "worker", "wpw"));
          out.push(await c.call("LPUSH", "jobs:1", "x"));
          out.push(await c.call("GET", "jobs:1"));
          out.push(await c.call("AUTH", "default", "x"));
          out.push(await c.call("ACL", "SETUSER", "extra", "on", ">e"));
          out.push(await c.call("CONFIG", "REWRITE"));
        } finally {
          c.close();
        }
      }
      const text = await Deno.readTextFile(`${dir}/test.conf`);
      const rewritten = text.split("\n").filter((l) => l.startsWith("user "));
      out.push(sortRules(rewritten.join("\n")));
      // A restart reads the rewritten users.
      await using again = await spawnServer({
        target,
        cwd: dir,
        configText: text,
      });
      const c = await again.connect();
      try {
        out.push(await c.call("AUTH", "extra", "e"));
        out.push(await c.call("ACL", "WHOAMI"));
      } finally {
        c.close();
      }
      return JSON.stringify(out);
    });
    assertSame(results);
    assertMatch(results[0]!, /user extra on #[0-9a-f]{64} resetchannels -@all/);
  },
});

Deno.test({
  ...opts,
  name: "bad users stop start-up with Redis's messages and exit code 1",
  async fn() {
    const cases: [string, string[], RegExp][] = [
      [
        "a bad rule in a user line",
        ["--user", "foo", "on", "badrule"],
        /Reading the configuration file, at line 3\n>>> 'user "foo" "on" "badrule"'\nError in user declaration 'foo': Syntax error/,
      ],
      [
        "a user declared twice",
        ["--user", "default", "on", "--user", "default", "off"],
        /Error in user declaration 'default': Duplicate user found\. A user can only be defined once in config files/,
      ],
      [
        "a subcommand's first argument",
        ["--user", "foo", "+config|get|x"],
        // Redis names the word at the rule's index in the whole line: "user".
        /Error in user declaration 'user': Allowing first-arg of a subcommand is not supported/,
      ],
      [
        "an unknown command",
        ["--user", "foo", "on", "+nosuchcmd"],
        /Error loading ACL rule '\+nosuchcmd' for the user named 'foo': Unknown command or category name in ACL\n.*Critical error while loading ACLs\. Exiting\./,
      ],
      [
        "an aclfile and user lines together",
        ["--aclfile", "users.acl", "--user", "a", "on"],
        /Configuring Redis with users defined in redis\.conf and at the same setting an ACL file path is invalid\./,
      ],
      [
        "a missing aclfile",
        ["--aclfile", "missing.acl"],
        /Aborting Redis startup because of ACL errors: Error loading ACLs, opening file 'missing\.acl': No such file or directory/,
      ],
      [
        "an aclfile with errors",
        ["--aclfile", "users.acl"],
        /Aborting Redis startup because of ACL errors: users\.acl:1: Error in applying operation '\+nosuch': Unknown command or category name in ACL\. WARNING: ACL errors detected/,
      ],
    ];
    for (const target of TARGETS) {
      for (const [what, args, expected] of cases) {
        const dir = await Deno.makeTempDir({ prefix: "tsredis-acl-" });
        try {
          await Deno.writeTextFile(`${dir}/users.acl`, "user x on +nosuch\n");
          const r = await runToExit(
            target,
            ["--port", String(freePort()), ...args],
            dir,
          );
          assertEquals(r.code, 1, `${target}: ${what}\n${r.output}`);
          assertMatch(r.output, expected, `${target}: ${what}`);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      }
    }
  },
});
