/**
 * Fails when an import crosses a layer boundary as docs/style.md ("Layers")
 * defines them:
 *
 * - `util/` and `errors.ts` may be imported from anywhere.
 * - `protocol/` imports nothing from `commands/`, `store/` or the server:
 *   only `protocol/`, `util/` and `errors.ts`.
 * - `store/` imports nothing from `protocol/` or `commands/`.
 * - `commands/` never imports `persistence/`, `replication/`,
 *   `connection.ts` or `server.ts`.
 * - `persistence/` and `replication/` take from `commands/` only
 *   `dispatch.ts`, and nothing imports them back except `server.ts`,
 *   `main.ts` and each other.
 *
 * Every static `import`/`export ... from` and literal dynamic `import()` of
 * `main.ts` and `src/**\/*.ts` is checked. Test files (`*_test.ts`) sit
 * above every layer and are not checked.
 *
 * Usage: `deno run --allow-read scripts/check_layers.ts [root]`
 *
 * @module
 */

/** One forbidden import. */
export interface Violation {
  /** The importing file, relative to the root. */
  file: string;
  line: number;
  /** The imported file, relative to the root. */
  target: string;
  rule: string;
}

/** The layer a file belongs to, from its path relative to the root. */
export function layerOf(path: string): string {
  if (path === "main.ts") return "main";
  if (!path.startsWith("src/")) return "outside";
  const rest = path.slice(4);
  const slash = rest.indexOf("/");
  return slash < 0 ? rest : rest.slice(0, slash) + "/";
}

/** Why `from` may not import `to` (paths relative to the root), or undefined if it may. */
export function ruleBroken(from: string, to: string): string | undefined {
  const a = layerOf(from);
  const b = layerOf(to);
  if (b === "util/" || b === "errors.ts" || a === b) return undefined;
  if (b === "outside") {
    return a === "main" || a === "outside"
      ? undefined
      : "source files import only source files";
  }
  if (a === "protocol/") {
    return "protocol/ imports only protocol/, util/ and errors.ts";
  }
  if (a === "store/" && (b === "protocol/" || b === "commands/")) {
    return "store/ imports nothing from protocol/ or commands/";
  }
  if (
    a === "commands/" &&
    ["persistence/", "replication/", "connection.ts", "server.ts"].includes(b)
  ) {
    return "commands/ never imports persistence/, replication/, connection.ts or server.ts";
  }
  if (
    (a === "persistence/" || a === "replication/") && b === "commands/" &&
    to !== "src/commands/dispatch.ts"
  ) {
    return `${a} takes only dispatch.ts from commands/`;
  }
  if (
    (b === "persistence/" || b === "replication/") &&
    !["server.ts", "main", "persistence/", "replication/"].includes(a)
  ) {
    return `only server.ts and main.ts import ${b}`;
  }
  return undefined;
}

// Statements that start a line: `import x from "..."`, `import "..."`,
// `export { x } from "..."`, possibly spread over several lines.
const STATIC =
  /^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']|^[ \t]*import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The relative specifiers `source` imports, with their line numbers. */
export function importsOf(source: string): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  const lineAt = (index: number) => source.slice(0, index).split("\n").length;
  for (const re of [STATIC, DYNAMIC]) {
    re.lastIndex = 0;
    for (let m = re.exec(source); m !== null; m = re.exec(source)) {
      const spec = m[1] ?? m[2]!;
      const at = m.index + m[0].lastIndexOf(spec);
      out.push({ spec, line: lineAt(at) });
    }
  }
  return out.filter((i) => i.spec.startsWith("."));
}

/** `spec` imported from `file` (both relative to the root), as a root-relative path. */
export function resolveImport(file: string, spec: string): string {
  return new URL(spec, `file:///${file}`).pathname.slice(1);
}

// Root-relative paths of the .ts files under `dir` (root-relative too).
function* walk(root: string, dir: string): Generator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(`${root}/${dir}`)];
  } catch {
    return;
  }
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(root, path);
    else if (e.isFile && e.name.endsWith(".ts")) yield path;
  }
}

/** Every layer violation under `root`. */
export function checkLayers(root: string): Violation[] {
  const files = ["main.ts", ...walk(root, "src")];
  const violations: Violation[] = [];
  for (const file of files) {
    if (file.endsWith("_test.ts")) continue;
    let source: string;
    try {
      source = Deno.readTextFileSync(`${root}/${file}`);
    } catch {
      continue;
    }
    for (const { spec, line } of importsOf(source)) {
      const target = resolveImport(file, spec);
      const rule = ruleBroken(file, target);
      if (rule !== undefined) violations.push({ file, line, target, rule });
    }
  }
  return violations.sort((x, y) =>
    x.file === y.file ? x.line - y.line : x.file < y.file ? -1 : 1
  );
}

if (import.meta.main) {
  const root = Deno.args[0] ??
    new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const violations = checkLayers(root);
  for (const v of violations) {
    console.error(`${v.file}:${v.line}: imports ${v.target}: ${v.rule}`);
  }
  if (violations.length > 0) {
    console.error(`${violations.length} layer violation(s)`);
    Deno.exit(1);
  }
  console.log("Layers OK");
}
