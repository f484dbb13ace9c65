/**
 * The ACL runtime of a server: the gate's fast path, the checks scripts
 * and SORT use, and AUTH state as the default user changes.
 */
import { assertEquals } from "../../tests/_deps.ts";
import { startInProcess } from "../../tests/_harness/in_process.ts";
import { RespError } from "../../tests/_harness/resp_client.ts";
import { Client } from "../client.ts";
import { aclCanReadAllKeys, aclGate, aclOf } from "./acl.ts";
import { dispatch, pipelineHooks } from "../commands/dispatch.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function scriptClient(): Client {
  return new Client({
    id: 0,
    addr: "",
    laddr: "",
    now: 0,
    authenticated: true,
    internal: true,
  });
}

Deno.test({
  name:
    "aclGate is in the pipeline only while some user may not run everything",
  ...options,
  async fn() {
    await using server = await startInProcess();
    const c = await server.connect();
    try {
      assertEquals(await c.call("PING"), "PONG");
      assertEquals(pipelineHooks.gates.includes(aclGate), false);
      const client = [...server.state.clients.values()][0]!;
      const acl = aclOf(server.state);
      assertEquals(await c.call("ACL", "SETUSER", "default", "-debug"), "OK");
      assertEquals(pipelineHooks.gates.includes(aclGate), true);
      assertEquals(pipelineHooks.gates[0], aclGate);
      assertEquals(await c.call("PING"), "PONG");
      // The connection's first command through the gate assigned it.
      assertEquals(client.aclUser, acl.defaultUser);
      const get = server.state.commands.get("get")!;
      assertEquals(aclGate(server.state, client, get, ["get", "k"]), undefined);
      const debug = server.state.commands.get("debug")!;
      assertEquals(
        aclGate(server.state, client, debug, ["debug", "x"])?.line,
        "NOPERM this user has no permissions to run the 'debug' command",
      );
      // Added back: every bit is set again, so the user is unrestricted.
      assertEquals(await c.call("ACL", "SETUSER", "default", "+debug"), "OK");
      assertEquals(client.aclUser.unrestricted, true);
      assertEquals(pipelineHooks.gates.includes(aclGate), false);
      // Any restricted user, even one nobody uses, brings the gate back.
      assertEquals(await c.call("ACL", "SETUSER", "nobody"), "OK");
      assertEquals(pipelineHooks.gates.includes(aclGate), true);
      assertEquals(await c.call("ACL", "DELUSER", "nobody"), 1);
      assertEquals(pipelineHooks.gates.includes(aclGate), false);
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name:
    "Acl.scriptCheck gives Redis's script error texts and logs in the lua context",
  ...options,
  async fn() {
    await using server = await startInProcess();
    const c = await server.connect();
    try {
      await c.call(
        "ACL",
        "SETUSER",
        "sc",
        "on",
        "nopass",
        "+get",
        "+publish",
        "~k",
        "&ch",
      );
      await c.call("PING");
      const caller = [...server.state.clients.values()][0]!;
      const acl = aclOf(server.state);
      const script = scriptClient();
      const cmds = server.state.commands;
      // An internal client with no user set runs anything.
      assertEquals(
        acl.scriptCheck(script, caller, cmds.get("set")!, ["set", "x", "v"]),
        undefined,
      );
      script.aclUser = acl.users.get("sc")!;
      assertEquals(
        acl.scriptCheck(script, caller, cmds.get("get")!, ["get", "k"]),
        undefined,
      );
      assertEquals(
        acl.scriptCheck(script, caller, cmds.get("set")!, ["set", "k", "v"]),
        "The user executing the script can't run this command or subcommand",
      );
      assertEquals(
        acl.scriptCheck(script, caller, cmds.get("get")!, ["get", "other"]),
        "The user executing the script can't access at least one of the keys mentioned in the command arguments",
      );
      assertEquals(
        acl.scriptCheck(script, caller, cmds.get("publish")!, [
          "publish",
          "x",
          "m",
        ]),
        "The user executing the script can't publish to the channel mentioned in the command",
      );
      // Through the dispatch gate, as redis.call runs the gates: an
      // internal client with a real user is a script's client.
      script.scriptCaller = caller;
      assertEquals(
        aclGate(server.state, script, cmds.get("set")!, ["set", "k", "v"])
          ?.line,
        "ERR The user executing the script can't run this command or subcommand",
      );
      const log = await c.call("ACL", "LOG", "1") as unknown[][];
      // Grouped with the scriptCheck of the same SET above.
      assertEquals(log[0]!.slice(0, 10), [
        "count",
        2,
        "reason",
        "command",
        "context",
        "lua",
        "object",
        "set",
        "username",
        "sc",
      ]);
      // The caller's CLIENT INFO, not the script client's.
      assertEquals(String(log[0]![13]).startsWith(`id=${caller.id} `), true);
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name: "aclCanReadAllKeys needs a selector that reads every key (SORT BY/GET)",
  ...options,
  async fn() {
    await using server = await startInProcess();
    const c = await server.connect();
    try {
      await c.call("ACL", "SETUSER", "s1", "on", "nopass", "+@all", "~a*");
      await c.call("ACL", "SETUSER", "s2", "on", "nopass", "+@all", "%R~*");
      await c.call(
        "ACL",
        "SETUSER",
        "s3",
        "on",
        "nopass",
        "+@all",
        "%W~*",
        "(-@all %R~*)",
      );
      await c.call("PING");
      const client = [...server.state.clients.values()][0]!;
      const acl = aclOf(server.state);
      const sort = server.state.commands.get("get")!;
      const argv = ["get", "a1"];
      assertEquals(aclCanReadAllKeys(server.state, client, sort, argv), true);
      client.aclUser = acl.users.get("s1")!;
      assertEquals(aclCanReadAllKeys(server.state, client, sort, argv), false);
      client.aclUser = acl.users.get("s2")!;
      assertEquals(aclCanReadAllKeys(server.state, client, sort, argv), true);
      // The selector that reads everything may not run the command.
      client.aclUser = acl.users.get("s3")!;
      assertEquals(aclCanReadAllKeys(server.state, client, sort, argv), false);
    } finally {
      c.close();
    }
  },
});

Deno.test({
  name:
    "Connections that never authenticated follow the default user's password",
  ...options,
  async fn() {
    await using server = await startInProcess(["--requirepass", "pw"]);
    const a = await server.connect();
    const b = await server.connect();
    try {
      assertEquals(
        await a.call("PING"),
        new RespError("NOAUTH Authentication required."),
      );
      assertEquals(await b.call("AUTH", "pw"), "OK");
      assertEquals(await b.call("CONFIG", "SET", "requirepass", ""), "OK");
      assertEquals(await a.call("PING"), "PONG");
      assertEquals(await b.call("ACL", "SETUSER", "default", ">again"), "OK");
      assertEquals(
        await a.call("PING"),
        new RespError("NOAUTH Authentication required."),
      );
      assertEquals(await b.call("PING"), "PONG");
    } finally {
      a.close();
      b.close();
    }
  },
});

Deno.test({
  name:
    "Internal clients (AOF loading) run anything, MULTI/EXEC included, whatever the default user may do",
  ...options,
  async fn() {
    await using server = await startInProcess();
    const c = await server.connect();
    try {
      assertEquals(await c.call("ACL", "SETUSER", "default", "-set"), "OK");
      const aof = new Client({
        id: 99,
        addr: "",
        laddr: "",
        now: 0,
        authenticated: true,
        internal: true,
      });
      for (
        const argv of [["MULTI"], ["SET", "k", "v"], ["EXEC"], [
          "SET",
          "j",
          "w",
        ]]
      ) {
        dispatch(server.state, aof, argv);
      }
      assertEquals(await c.call("MGET", "k", "j"), ["v", "w"]);
      assertEquals(
        await c.call("SET", "k", "x"),
        new RespError(
          "NOPERM this user has no permissions to run the 'set' command",
        ),
      );
      assertEquals(await c.call("ACL", "SETUSER", "default", "+set"), "OK");
    } finally {
      c.close();
    }
  },
});
