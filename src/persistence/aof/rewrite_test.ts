import { assertEquals } from "../../../tests/_deps.ts";
import { Config } from "../../config.ts";
import { ServerState } from "../../state.ts";
import { buildCommandTable } from "../../commands/table.ts";
import { installFeatures } from "../../features.ts";
import { log } from "../../log.ts";
import { RespWriter } from "../../protocol/encoder.ts";
import { ListValue } from "../../store/list_value.ts";
import { bytesToLatin1 } from "../../util/bytes.ts";
import { replayFile, runToEnd } from "./loader.ts";
import { rewriteCommands, rewriteKey } from "./rewrite.ts";

function newState(): ServerState {
  log.level = "nothing";
  const state = new ServerState(new Config());
  state.commands = buildCommandTable();
  installFeatures(state);
  return state;
}

/** Splits RESP text into commands (argv arrays), skipping #TS lines. */
function commands(text: string): string[][] {
  const out: string[][] = [];
  let p = 0;
  while (p < text.length) {
    if (text[p] === "#") {
      p = text.indexOf("\r\n", p) + 2;
      continue;
    }
    const nl = text.indexOf("\r\n", p);
    const argc = Number(text.slice(p + 1, nl));
    p = nl + 2;
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const l = text.indexOf("\r\n", p);
      const len = Number(text.slice(p + 1, l));
      argv.push(text.slice(l + 2, l + 2 + len));
      p = l + 2 + len + 2;
    }
    out.push(argv);
  }
  return out;
}

/** Commands grouped per database and key, in file order within a key. */
function perKey(cmds: string[][]): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  let db = "0";
  for (const argv of cmds) {
    if (argv[0] === "SELECT") {
      db = argv[1]!;
      continue;
    }
    const key = `${db}:${argv[0] === "XGROUP" ? argv[2] : argv[1]}`;
    // A hash table's order is its own: members compare as a set.
    const cmd = argv[0] === "SADD"
      ? [...argv.slice(0, 2), ...argv.slice(2).sort()]
      : argv;
    out.set(key, [...(out.get(key) ?? []), cmd]);
  }
  return out;
}

Deno.test("rewriteCommands writes the commands redis-server 7.0.15 wrote for the aof_base_timestamps fixture", () => {
  const fixture = new URL(
    "../../../tests/fixtures/aof/aof_base_timestamps/appendonlydir/appendonly.aof.3.base.aof",
    import.meta.url,
  );
  const bytes = Deno.readFileSync(fixture);
  const state = newState();
  assertEquals(
    runToEnd(replayFile(state, bytes, { name: "x", loadTruncated: false }))
      .status,
    "ok",
  );
  const ours = bytesToLatin1(rewriteCommands(state, 0, false));
  const theirs = bytesToLatin1(bytes);
  // Keys come in hash-table order, which differs; each key's commands match.
  assertEquals(perKey(commands(ours)), perKey(commands(theirs)));
});

Deno.test("rewriteCommands starts with a #TS line when asked and skips empty databases", () => {
  const state = newState();
  state.db(3).set("k", "v");
  const text = bytesToLatin1(rewriteCommands(state, 1_700_000_000_999, true));
  assertEquals(
    text,
    "#TS:1700000000\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
  );
});

Deno.test("rewriteKey splits big collections into commands of 64 items", () => {
  const out = new RespWriter();
  const items = Array.from({ length: 130 }, (_, i) => `e${i}`);
  rewriteKey(out, "l", new ListValue(items), 4102444800000);
  const cmds = commands(bytesToLatin1(out.view()));
  assertEquals(cmds.map((c) => [c[0], c.length]), [
    ["RPUSH", 66],
    ["RPUSH", 66],
    ["RPUSH", 4],
    ["PEXPIREAT", 3],
  ]);
  assertEquals(cmds.slice(0, 3).flatMap((c) => c.slice(2)), items);
  assertEquals(cmds[3], ["PEXPIREAT", "l", "4102444800000"]);
});

Deno.test("rewriteKey rebuilds streams with their groups, consumers and pending entries", () => {
  const state = newState();
  const src = [
    ["XADD", "s", "1-1", "a", "1"],
    ["XADD", "s", "2-1", "b", "2"],
    ["XDEL", "s", "2-1"],
    ["XGROUP", "CREATE", "s", "g", "0"],
    ["XGROUP", "CREATECONSUMER", "s", "g", "idle"],
    [
      "XCLAIM",
      "s",
      "g",
      "alice",
      "0",
      "1-1",
      "TIME",
      "1000",
      "RETRYCOUNT",
      "3",
      "FORCE",
      "JUSTID",
    ],
  ];
  let text = "";
  for (const argv of src) {
    text += `*${argv.length}\r\n` +
      argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
  }
  const bytes = new TextEncoder().encode(text);
  runToEnd(replayFile(state, bytes, { name: "x", loadTruncated: false }));
  const out = new RespWriter();
  rewriteKey(out, "s", state.db(0).peek("s")!, undefined);
  assertEquals(commands(bytesToLatin1(out.view())), [
    ["XADD", "s", "1-1", "a", "1"],
    ["XSETID", "s", "2-1", "ENTRIESADDED", "2", "MAXDELETEDID", "2-1"],
    ["XGROUP", "CREATE", "s", "g", "0-0", "ENTRIESREAD", "-1"],
    [
      "XCLAIM",
      "s",
      "g",
      "alice",
      "0",
      "1-1",
      "TIME",
      "1000",
      "RETRYCOUNT",
      "3",
      "JUSTID",
      "FORCE",
    ],
    ["XGROUP", "CREATECONSUMER", "s", "g", "idle"],
  ]);
});
