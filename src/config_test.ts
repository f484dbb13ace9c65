import { assertEquals, assertThrows } from "../tests/_deps.ts";
import {
  applyDirectives,
  Config,
  ConfigFileError,
  ConfigSetError,
  formatMemory,
  parseCommandLine,
  parseConfigText,
  repr,
  rewriteConfigFile,
} from "./config.ts";

function setError(config: Config, pairs: [string, string][]): string {
  try {
    config.setMany(pairs);
  } catch (e) {
    if (e instanceof ConfigSetError) return e.reply;
    throw e;
  }
  return "no error";
}

Deno.test("Config.setMany checks every name before any value, as Redis does", () => {
  const config = new Config();
  assertEquals(
    setError(config, [["maxclients", "abc"], ["daemonize", "yes"]]),
    "CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
  );
  assertEquals(
    setError(config, [["daemonize", "yes"], ["foo", "1"]]),
    "CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
  );
  assertEquals(
    setError(config, [["foo", "1"], ["daemonize", "yes"]]),
    "Unknown option or number of arguments for CONFIG SET - 'foo'",
  );
  assertEquals(
    setError(config, [["timeout", "1"], ["TIMEOUT", "2"]]),
    "CONFIG SET failed (possibly related to argument 'TIMEOUT') - duplicate parameter",
  );
  // Value errors name the directive as Redis's table spells it (lower case).
  assertEquals(
    setError(config, [["MAXCLIENTS", "abc"]]),
    "CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer",
  );
  assertEquals(
    setError(config, [["dir", "/tmp"]]),
    "CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
  );
});

Deno.test("Config.setMany applies all or nothing", () => {
  const config = new Config();
  const seen: string[] = [];
  config.onChange("timeout", (v) => seen.push(`timeout=${v}`));
  config.onChange("hz", (v) => {
    if (v === "7") throw new Error("refused by a listener");
    seen.push(`hz=${v}`);
  });
  assertEquals(
    setError(config, [["timeout", "5"], ["hz", "7"]]),
    "CONFIG SET failed (possibly related to argument 'hz') - refused by a listener",
  );
  assertEquals(config.get("timeout"), "0");
  assertEquals(config.get("hz"), "10");
  // The listener of the applied directive hears the change and its undoing.
  assertEquals(seen, ["timeout=5", "timeout=0"]);
  config.setMany([["timeout", "5"], ["hz", "20"]]);
  assertEquals([config.get("timeout"), config.get("hz")], ["5", "20"]);
});

Deno.test("Config.match echoes exact names as given and expands patterns once", () => {
  const config = new Config();
  assertEquals(config.match(["MAXCLIENTS", "maxclients"]), [[
    "MAXCLIENTS",
    "10000",
  ]]);
  assertEquals(config.match(["ti\\meout"]), []);
  const names = config.match(["hash-max-*"]).map(([n]) => n).sort();
  assertEquals(names, [
    "hash-max-listpack-entries",
    "hash-max-listpack-value",
    "hash-max-ziplist-entries",
    "hash-max-ziplist-value",
  ]);
});

Deno.test("repr quotes like Redis's sdscatrepr", () => {
  assertEquals(repr('a b"c\\'), '"a b\\"c\\\\"');
  assertEquals(repr("\n\r\t\x07\x08\x01\xff"), '"\\n\\r\\t\\a\\b\\x01\\xff"');
});

Deno.test("formatMemory writes exact multiples with units", () => {
  assertEquals(formatMemory("0"), "0");
  assertEquals(formatMemory("1073741824"), "1gb");
  assertEquals(formatMemory("1048576"), "1mb");
  assertEquals(formatMemory("3072"), "3kb");
  assertEquals(formatMemory("1000"), "1000");
  assertEquals(formatMemory("10%"), "10%");
});

Deno.test("parseCommandLine numbers options after the config file's lines", () => {
  const request = parseCommandLine(["--port", "7000", "--foo", "bar"]);
  if (request.kind !== "run") throw new Error("expected run");
  assertEquals(
    request.directives.map((d) => [d.line, d.text]),
    [[2, 'port "7000"'], [3, 'foo "bar"']],
  );
  assertEquals(request.configFile, "");
  // An option with no argument yet takes the next word even if it starts
  // with "--" (a password); --save and --sentinel may stand alone.
  const words = parseCommandLine([
    "--requirepass",
    "--secret--",
    "--save",
    "--port",
    "7000",
  ]);
  if (words.kind !== "run") throw new Error("expected run");
  assertEquals(words.directives.map((d) => [d.name, d.args]), [
    ["requirepass", ["--secret--"]],
    ["save", []],
    ["port", ["7000"]],
  ]);
  assertEquals(parseCommandLine(["--help"]).kind, "help");
  assertEquals(parseCommandLine(["-v"]).kind, "version");
});

Deno.test("parseConfigText handles quotes, comments and bad lines", () => {
  const lines = parseConfigText(
    "# comment\n\nrequirepass \"a b\"\n  maxclients 5  \r\nsave ''\n",
  );
  assertEquals(
    lines.map((l) => [l.line, l.name, l.args]),
    [[3, "requirepass", ["a b"]], [4, "maxclients", ["5"]], [5, "save", [""]]],
  );
  const e = assertThrows(() =>
    parseConfigText('x\nport "1\n')
  ) as ConfigFileError;
  assertEquals([e.line, e.text, e.message], [
    2,
    'port "1',
    "Unbalanced quotes in configuration line",
  ]);
});

Deno.test("applyDirectives refuses unknown directives and wrong argument counts", () => {
  const config = new Config();
  const bad = assertThrows(() =>
    applyDirectives(config, parseConfigText("port 0\nnosuch 1\n"))
  ) as ConfigFileError;
  assertEquals([bad.line, bad.message], [
    2,
    "Bad directive or wrong number of arguments",
  ]);
  const arity = assertThrows(() =>
    applyDirectives(config, parseConfigText("timeout 1 2\n"))
  ) as ConfigFileError;
  assertEquals(arity.message, "wrong number of arguments");
  applyDirectives(config, parseConfigText('save ""\nbind 127.0.0.1 ::1\n'));
  assertEquals(config.get("save"), "");
  // What CONFIG REWRITE writes for the default save points reads back as it.
  applyDirectives(
    config,
    parseConfigText("save 3600 1\nsave 300 100\nsave 60 10000\n"),
  );
  assertEquals(config.get("save"), "3600 1 300 100 60 10000");
  assertEquals(config.get("bind"), "127.0.0.1 ::1");
});

Deno.test("rewriteConfigFile replaces lines in place and appends what the file lacks", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/r.conf`;
    Deno.writeTextFileSync(
      path,
      "# keep me\nmaxclients 100\ntimeout 5\n\ntimeout 6\n\nslaveof 127.0.0.1 1\n",
    );
    const config = new Config();
    config.file = path;
    config.set("maxclients", "200");
    config.set("timeout", "7");
    config.set("hz", "20");
    config.set("client-query-buffer-limit", "2gb");
    rewriteConfigFile(config);
    const text = Deno.readTextFileSync(path);
    const lines = text.split("\n");
    assertEquals(lines.slice(0, 4), [
      "# keep me",
      "maxclients 200",
      "timeout 7",
      "",
    ]);
    assertEquals(lines[4], "# Generated by CONFIG REWRITE");
    for (
      const line of [
        "hz 20",
        "client-query-buffer-limit 2gb",
        "save 3600 1",
        `dir "${Deno.cwd()}"`,
      ]
    ) {
      assertEquals(lines.includes(line), true, `${line} in\n${text}`);
    }
    // replicaof (written as slaveof) is empty now: its line is dropped.
    assertEquals(text.includes("slaveof"), false);
    assertEquals(text.includes("\n\n\n"), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// The reason a fresh Config gives for `name value` read at start-up.
function startupError(name: string, value: string): string {
  const config = new Config();
  const e = assertThrows(() => config.set(name, value, { startup: true }));
  const reply = (e as ConfigSetError).reply;
  return reply.slice(reply.indexOf(" - ") + 3);
}

// What CONFIG GET shows after `name value` is read at start-up.
function startupValue(name: string, value: string): string {
  const config = new Config();
  config.set(name, value, { startup: true });
  return config.get(name);
}

Deno.test("immutable directives have redis-server 7.0's bounds at start-up", () => {
  const cases: [string, string, string][] = [
    ["databases", "0", "argument must be between 1 and 2147483647 inclusive"],
    ["io-threads", "129", "argument must be between 1 and 128 inclusive"],
    ["io-threads", "0", "argument must be between 1 and 128 inclusive"],
    ["cluster-port", "65536", "argument must be between 0 and 65535 inclusive"],
    [
      "socket-mark-id",
      "-1",
      "argument must be between 0 and 4294967295 inclusive",
    ],
  ];
  for (const [name, value, message] of cases) {
    assertEquals(startupError(name, value), message);
  }
  assertEquals(startupValue("socket-mark-id", "4294967295"), "4294967295");
  assertEquals(startupValue("databases", "1"), "1");
});

Deno.test("start-up checks of octal, file-name, facility and master-port values match redis-server 7.0", () => {
  const errors: [string, string, string][] = [
    ["unixsocketperm", "999", "argument couldn't be parsed as an octal number"],
    ["unixsocketperm", "1000", "argument must be between 0 and 777 inclusive"],
    ["unixsocketperm", "-1", "argument must be between 0 and 777 inclusive"],
    [
      "syslog-facility",
      "bogus",
      "argument(s) must be one of the following: user, local0, local1, local2, local3, local4, local5, local6, local7",
    ],
    ["replicaof", "127.0.0.1 99999", "Invalid master port"],
    ["replicaof", "127.0.0.1 6379x", "Invalid master port"],
    ["dbfilename", "a/b.rdb", "dbfilename can't be a path, just a filename"],
    ["dbfilename", "a\\b.rdb", "dbfilename can't be a path, just a filename"],
    ["appendfilename", "", "appendfilename can't be empty"],
    [
      "appendfilename",
      "a/b",
      "appendfilename can't be a path, just a filename",
    ],
    ["appenddirname", "a/b", "appenddirname can't be a path, just a dirname"],
  ];
  for (const [name, value, message] of errors) {
    assertEquals(startupError(name, value), message);
  }
  const accepted: [string, string, string][] = [
    ["unixsocketperm", "+0700", "700"],
    ["unixsocketperm", "", "0"],
    ["syslog-facility", "LOCAL3", "local3"],
    ["replicaof", "127.0.0.1 +6379", "127.0.0.1 6379"],
    ["dbfilename", "", ""],
  ];
  for (const [name, value, shown] of accepted) {
    assertEquals(startupValue(name, value), shown);
  }
});
