/**
 * check_layers: the docs/style.md layer rules, import extraction, and a run over
 * a small tree with one violation of each kind.
 *
 * @module
 */
import { assertEquals } from "../tests/_deps.ts";
import {
  checkLayers,
  importsOf,
  layerOf,
  resolveImport,
  ruleBroken,
} from "./check_layers.ts";

Deno.test("layerOf names a file's layer", () => {
  assertEquals(layerOf("main.ts"), "main");
  assertEquals(layerOf("src/server.ts"), "server.ts");
  assertEquals(layerOf("src/commands/string/get.ts"), "commands/");
  assertEquals(layerOf("tests/_deps.ts"), "outside");
});

Deno.test("ruleBroken allows downward imports and util/errors everywhere", () => {
  assertEquals(
    ruleBroken("src/protocol/decoder.ts", "src/util/bytes.ts"),
    undefined,
  );
  assertEquals(ruleBroken("src/store/database.ts", "src/errors.ts"), undefined);
  assertEquals(
    ruleBroken("src/commands/string/get.ts", "src/store/database.ts"),
    undefined,
  );
  assertEquals(
    ruleBroken("src/commands/string/get.ts", "src/protocol/reply.ts"),
    undefined,
  );
  assertEquals(
    ruleBroken("src/server.ts", "src/persistence/aof.ts"),
    undefined,
  );
  assertEquals(ruleBroken("main.ts", "src/replication/replica.ts"), undefined);
  assertEquals(
    ruleBroken("src/persistence/aof_loader.ts", "src/commands/dispatch.ts"),
    undefined,
  );
  assertEquals(
    ruleBroken("src/persistence/aof.ts", "src/protocol/encoder.ts"),
    undefined,
  );
});

Deno.test("ruleBroken rejects each forbidden direction", () => {
  const broken = (a: string, b: string) => ruleBroken(a, b) !== undefined;
  assertEquals(
    broken("src/protocol/encoder.ts", "src/commands/types.ts"),
    true,
  );
  assertEquals(broken("src/protocol/encoder.ts", "src/store/values.ts"), true);
  assertEquals(broken("src/protocol/decoder.ts", "src/server.ts"), true);
  assertEquals(broken("src/store/database.ts", "src/protocol/types.ts"), true);
  assertEquals(broken("src/store/database.ts", "src/commands/args.ts"), true);
  assertEquals(broken("src/commands/string/get.ts", "src/server.ts"), true);
  assertEquals(broken("src/commands/string/get.ts", "src/connection.ts"), true);
  assertEquals(
    broken("src/commands/server/save.ts", "src/persistence/rdb.ts"),
    true,
  );
  assertEquals(
    broken("src/commands/dispatch.ts", "src/replication/propagate.ts"),
    true,
  );
  assertEquals(broken("src/persistence/aof.ts", "src/commands/table.ts"), true);
  assertEquals(broken("src/state.ts", "src/persistence/aof.ts"), true);
  assertEquals(broken("src/commands/string/get.ts", "tests/_deps.ts"), true);
});

Deno.test("importsOf finds static, re-export, side-effect and dynamic imports", () => {
  const source = [
    'import { a } from "./a.ts";',
    "import type {",
    "  B,",
    '} from "../b.ts";',
    'export { c } from "./c.ts";',
    'import "./d.ts";',
    'const e = await import("./e.ts");',
    'import { f } from "node:fs";',
    ' * import { g } from "./in_a_comment.ts";',
  ].join("\n");
  assertEquals(importsOf(source), [
    { spec: "./a.ts", line: 1 },
    { spec: "../b.ts", line: 4 },
    { spec: "./c.ts", line: 5 },
    { spec: "./d.ts", line: 6 },
    { spec: "./e.ts", line: 7 },
  ]);
});

Deno.test("resolveImport resolves relative specifiers", () => {
  assertEquals(
    resolveImport("src/commands/string/get.ts", "../../server.ts"),
    "src/server.ts",
  );
  assertEquals(resolveImport("main.ts", "./src/config.ts"), "src/config.ts");
});

Deno.test("checkLayers reports every violation in a tree, with its line", () => {
  const root = Deno.makeTempDirSync({ prefix: "check-layers-" });
  try {
    const files: Record<string, string> = {
      "main.ts": 'import { x } from "./src/server.ts";\n',
      "src/server.ts": 'import { y } from "./persistence/aof.ts";\n',
      "src/protocol/encoder.ts":
        'import { z } from "../util/bytes.ts";\nimport type { C } from "../commands/types.ts";\n',
      "src/store/database.ts": 'import { w } from "../errors.ts";\n',
      "src/commands/string/get.ts":
        'import { s } from "../../store/database.ts";\nimport { t } from "../../server.ts";\n',
      "src/commands/string/get_test.ts":
        'import { t } from "../../server.ts";\n',
      "src/persistence/aof.ts":
        'import { d } from "../commands/dispatch.ts";\n',
    };
    for (const [path, text] of Object.entries(files)) {
      Deno.mkdirSync(
        `${root}/${path.slice(0, path.lastIndexOf("/") + 1) || "."}`,
        {
          recursive: true,
        },
      );
      Deno.writeTextFileSync(`${root}/${path}`, text);
    }
    const found = checkLayers(root).map((v) =>
      `${v.file}:${v.line} ${v.target}`
    );
    assertEquals(found, [
      "src/commands/string/get.ts:2 src/server.ts",
      "src/protocol/encoder.ts:2 src/commands/types.ts",
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
