import { assertEquals } from "../../../tests/_deps.ts";
import { Config } from "../../config.ts";
import { ServerState } from "../../state.ts";
import { buildCommandTable } from "../../commands/table.ts";
import { log } from "../../log.ts";
import { latin1ToBytes } from "../../util/bytes.ts";
import { replayFile, type ReplayOptions, runToEnd } from "./loader.ts";

function newState(): ServerState {
  log.level = "nothing";
  const state = new ServerState(new Config());
  state.commands = buildCommandTable();
  return state;
}

function resp(...commands: string[][]): string {
  let out = "";
  for (const argv of commands) {
    out += `*${argv.length}\r\n`;
    for (const a of argv) out += `$${a.length}\r\n${a}\r\n`;
  }
  return out;
}

function replay(
  state: ServerState,
  text: string,
  opts: Partial<ReplayOptions> = {},
) {
  return runToEnd(
    replayFile(state, latin1ToBytes(text), {
      name: "appendonly.aof.1.incr.aof",
      loadTruncated: true,
      ...opts,
    }),
  );
}

function get(state: ServerState, db: number, key: string): unknown {
  return state.db(db).getString(key);
}

Deno.test("replayFile runs every command, following SELECT", () => {
  const state = newState();
  const text = resp(
    ["SELECT", "0"],
    ["set", "a", "1"],
    ["SELECT", "2"],
    ["incrby", "n", "5"],
    ["rpush", "l", "x", "y"],
  );
  assertEquals(replay(state, text), { status: "ok", validUpTo: text.length });
  assertEquals(get(state, 0, "a"), "1");
  assertEquals(get(state, 2, "n"), "5");
  assertEquals(state.db(2).size, 2);
});

Deno.test("replayFile skips #TS annotation lines", () => {
  const state = newState();
  const text = "#TS:1795263183\r\n" + resp(["set", "tsk", "1"]) +
    "#TS:1795263184\r\n" + resp(["set", "tsk", "2"]);
  assertEquals(replay(state, text).status, "ok");
  assertEquals(get(state, 0, "tsk"), "2");
});

Deno.test("replayFile applies a complete MULTI/EXEC and is binary safe", () => {
  const state = newState();
  const text = resp(
    ["MULTI"],
    ["set", "m1", "\x00\r\n\xff"],
    ["set", "m2", "2"],
    ["EXEC"],
  );
  assertEquals(replay(state, text).status, "ok");
  assertEquals(get(state, 0, "m1"), "\x00\r\n\xff");
  assertEquals(get(state, 0, "m2"), "2");
});

Deno.test("replayFile reports a cut-off last command as truncated at the end of the last whole one", () => {
  const whole = resp(["set", "a", "1"], ["set", "b", "2"]);
  const last = resp(["sadd", "s", "a", "b"]);
  // Every cut inside the last command, down to its first byte.
  for (let cut = 1; cut < last.length; cut++) {
    const state = newState();
    const r = replay(state, whole + last.slice(0, cut));
    assertEquals(
      r,
      { status: "truncated", validUpTo: whole.length },
      `cut ${cut}`,
    );
    assertEquals(get(state, 0, "b"), "2");
    assertEquals(state.db(0).has("s"), false);
  }
});

Deno.test("replayFile with aof-load-truncated no fails on a cut-off command", () => {
  const state = newState();
  const text = resp(["set", "a", "1"]) + "*3\r\n$3\r\nset\r\n$1\r\nb";
  const r = replay(state, text, { loadTruncated: false });
  assertEquals(r.status, "failed");
  assertEquals(r.validUpTo, resp(["set", "a", "1"]).length);
});

Deno.test("replayFile reverts a MULTI without EXEC at the end of the file", () => {
  const state = newState();
  const before = resp(["set", "a", "1"]);
  const text = before + resp(["MULTI"], ["set", "b", "2"]);
  assertEquals(replay(state, text), {
    status: "truncated",
    validUpTo: before.length,
  });
  assertEquals(state.db(0).has("b"), false);
  assertEquals(get(state, 0, "a"), "1");
});

Deno.test("replayFile fails on garbage", () => {
  for (
    const text of [
      "hello\r\n",
      resp(["set", "a", "1"]) + "+OK\r\n",
      "*0\r\n",
      "*x\r\n",
      "*\r\n",
      "*2\r\n$3\r\nget\r\n:1\r\n",
      "*2\r\n$3\r\nget\r\n$-5\r\n",
    ]
  ) {
    const state = newState();
    assertEquals(replay(state, text).status, "failed", JSON.stringify(text));
  }
});

Deno.test("replayFile fails on an unknown command", () => {
  const state = newState();
  const text = resp(["set", "a", "1"], ["nosuchcommand", "x"]);
  assertEquals(replay(state, text).status, "failed");
});

Deno.test("replayFile loads an RDB preamble first and then the AOF tail", () => {
  const state = newState();
  const preamble = "REDIS0010<fake rdb>";
  const tail = resp(["set", "after", "1"]);
  let seen = "";
  const r = replay(state, preamble + tail, {
    // deno-lint-ignore require-yield
    rdb: function* (bytes) {
      seen = String.fromCharCode(...bytes.subarray(0, 5));
      return preamble.length;
    },
  });
  assertEquals([r.status, seen], ["ok", "REDIS"]);
  assertEquals(get(state, 0, "after"), "1");
});

Deno.test("replayFile fails when the RDB preamble is unreadable", () => {
  const state = newState();
  const r = replay(state, "REDIS0010xx", {
    // deno-lint-ignore require-yield
    rdb: function* () {
      throw new RangeError("Bad RDB");
    },
  });
  assertEquals(r.status, "failed");
});

Deno.test("replayFile yields every 1024 commands", () => {
  const state = newState();
  const cmds: string[][] = [];
  for (let i = 0; i < 3000; i++) cmds.push(["incr", "n"]);
  const gen = replayFile(state, latin1ToBytes(resp(...cmds)), {
    name: "x",
    loadTruncated: true,
  });
  let yields = 0;
  for (;;) {
    const r = gen.next();
    if (r.done) break;
    yields++;
  }
  assertEquals(yields, 2);
  assertEquals(get(state, 0, "n"), "3000");
});
