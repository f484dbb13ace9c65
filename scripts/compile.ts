/**
 * Builds `./tsredis`: `deno compile --unstable-net --allow-net --allow-read
 * --allow-write --allow-env --allow-sys --output tsredis main.ts`.
 *
 * `deno compile` needs Deno's `denort` runtime binary. Deno downloads it, or
 * takes it from `DENORT_BIN` (for offline machines; the variable is passed
 * through). Where the runtime cannot be had, this writes `./tsredis` as a
 * launcher script that runs `main.ts` with the same permissions, prints
 * deno compile's error and exits with status 1: the binary was not built.
 * Any other compile failure (a type error) fails the build too.
 *
 * Usage: `deno task compile [--output path]` (or
 * `deno run --allow-all scripts/compile.ts`).
 *
 * @module
 */

/** The permissions the server runs with, compiled or launched. */
export const PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
];

/**
 * Unstable Deno APIs the server uses: unix datagram sockets, for systemd's
 * readiness notification (src/supervision.ts).
 */
export const UNSTABLE = ["--unstable-net"];

/**
 * V8 settings the server runs with (`deno task start` and `dev` spell them
 * out in deno.json; a test keeps the three in step): a 4 MB young
 * generation keeps the resident size of a large dataset well below what
 * V8's default gives, at no measurable cost per request (see the README's
 * memory notes).
 */
export const SERVER_V8_FLAGS = "--max-semi-space-size=4";

/** SERVER_V8_FLAGS as a Deno option. */
export const V8_FLAGS = `--v8-flags=${SERVER_V8_FLAGS}`;

/** True when `deno compile`'s error output says it could not get its runtime. */
export function isRuntimeUnavailable(stderr: string): boolean {
  return /denort|Setting up base binary|dl\.deno\.land|DENORT_BIN/i.test(
    stderr,
  );
}

const LAUNCHER_HEAD = "#!/bin/sh\n# tsredis launcher:";

/**
 * The launcher script written when no runtime is available; it runs the
 * `main.ts` beside it, or `main` (an absolute path) when given.
 */
export function launcherScript(main?: string): string {
  const target = main === undefined ? `"$dir/main.ts"` : `'${main}'`;
  return `${LAUNCHER_HEAD} \`deno compile\` could not get Deno's runtime (denort) when
# this was built, so this script runs main.ts with Deno instead of being a
# self-contained binary. Run \`deno task compile\` with DENORT_BIN set, or
# where the runtime can be downloaded, to build the real binary.
dir=$(CDPATH= cd -- "$(dirname -- "$(readlink -f -- "$0")")" && pwd)
if command -v deno >/dev/null 2>&1; then
  exec deno run ${UNSTABLE.join(" ")} ${
    PERMISSIONS.join(" ")
  } ${V8_FLAGS} ${target} "$@"
fi
exec npx -y deno@2 run ${UNSTABLE.join(" ")} ${
    PERMISSIONS.join(" ")
  } ${V8_FLAGS} ${target} "$@"
`;
}

async function main(args: string[]): Promise<number> {
  const root = new URL("..", import.meta.url).pathname;
  // --output <path>: somewhere else than ./tsredis (the tests build there).
  const at = args.indexOf("--output");
  const given = at >= 0 ? args[at + 1] : undefined;
  const output = given === undefined
    ? `${root}tsredis`
    : given.startsWith("/")
    ? given
    : `${Deno.cwd()}/${given}`;
  // deno compile overwrites an earlier binary but not our launcher script.
  try {
    if ((await Deno.readTextFile(output)).startsWith(LAUNCHER_HEAD)) {
      await Deno.remove(output);
    }
  } catch {
    // No earlier output (or a binary, which is not valid text).
  }
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      ...UNSTABLE,
      ...PERMISSIONS,
      V8_FLAGS,
      // Read at run time by the Lua engine (src/scripting/engine.ts).
      "--include",
      `${root}src/scripting/vendor/liblua5.1.wasm`,
      "--output",
      output,
      `${root}main.ts`,
    ],
    stdout: "inherit",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  if (result.success) {
    await Deno.stderr.write(result.stderr);
    console.log(`Built ${output}`);
    return 0;
  }
  if (!isRuntimeUnavailable(stderr)) {
    await Deno.stderr.write(result.stderr);
    console.error("deno compile failed");
    return 1;
  }
  const beside = output === `${root}tsredis`;
  await Deno.writeTextFile(
    output,
    launcherScript(beside ? undefined : `${root}main.ts`),
    { mode: 0o755 },
  );
  await Deno.chmod(output, 0o755);
  console.error(
    [
      "deno compile failed: it could not get Deno's runtime binary (denort).",
      ...compileError(stderr).map((l) => `  ${l}`),
      `Wrote ${output} as a LAUNCHER SCRIPT that runs main.ts with deno: not a`,
      "self-contained binary, it needs Deno (or npx) and this checkout at run time.",
      "For the real binary, set DENORT_BIN=/path/to/denort (a denort of Deno " +
      `${Deno.version.deno}) or build where dl.deno.land is reachable.`,
    ].join("\n"),
  );
  // Not a build: a script or CI that asked for the binary must not go on
  // as if it had one.
  return 1;
}

/**
 * The lines of `deno compile`'s error output that say what went wrong: the
 * `error:` line and its `Caused by:` chain, without colours or the stack
 * backtrace Deno appends.
 */
export function compileError(stderr: string): string[] {
  // deno-lint-ignore no-control-regex
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
  const start = lines.findIndex((l) => l.startsWith("error:"));
  const out: string[] = [];
  for (const line of start < 0 ? lines : lines.slice(start)) {
    if (/^Stack backtrace:/.test(line)) break;
    if (line.trim() === "") continue;
    out.push(line.trimEnd());
  }
  return out.length === 0 ? ["(deno compile printed no error)"] : out;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
