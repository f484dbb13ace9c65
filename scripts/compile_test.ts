import { assert, assertEquals } from "../tests/_deps.ts";
import {
  compileError,
  isRuntimeUnavailable,
  launcherScript,
  PERMISSIONS,
  UNSTABLE,
  V8_FLAGS,
} from "./compile.ts";

Deno.test("deno task start, dev and the compiled binary run with the same V8 flags, unstable APIs and permissions", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string> };
  for (const task of ["start", "dev"]) {
    const words = config.tasks[task]!.split(" ");
    assert(words.includes(V8_FLAGS), `${task}: ${config.tasks[task]}`);
    for (const p of PERMISSIONS) assert(words.includes(p), `${task}: ${p}`);
    for (const u of UNSTABLE) assert(words.includes(u), `${task}: ${u}`);
  }
  const launcher = launcherScript();
  assertEquals(
    launcher.split("\n").filter((l) =>
      l.includes(V8_FLAGS) && PERMISSIONS.every((p) => l.includes(p)) &&
      UNSTABLE.every((u) => l.includes(u))
    ).length,
    2,
  );
});

Deno.test("compile tells a missing runtime from a failed build", () => {
  assert(isRuntimeUnavailable(
    "error: Writing deno compile executable to temporary file 'tsredis.tmp'\n" +
      "Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip\n" +
      "error: error sending request for url",
  ));
  assert(isRuntimeUnavailable("error: DENORT_BIN points at a missing file"));
  assert(
    !isRuntimeUnavailable(
      "error: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
    ),
  );
});

Deno.test("compile with a DENORT_BIN that does not exist exits 1, shows deno compile's error and writes a launcher", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const output = `${dir}/tsredis`;
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        new URL("./compile.ts", import.meta.url).pathname,
        "--output",
        output,
      ],
      env: { DENORT_BIN: `${dir}/no-such-denort`, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assertEquals(result.code, 1, stderr);
    assert(stderr.includes(`${dir}/no-such-denort`), stderr);
    assert(stderr.includes("LAUNCHER SCRIPT"), stderr);
    assert(!stderr.includes("Stack backtrace"), stderr);
    // The launcher runs this checkout's main.ts.
    const version = await new Deno.Command(output, {
      args: ["--version"],
      stdout: "piped",
    }).output();
    assertEquals(version.code, 0);
    assert(new TextDecoder().decode(version.stdout).startsWith("tsredis v="));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compileError keeps the error and its causes, not the backtrace", () => {
  assertEquals(
    compileError(
      "\x1b[0m\x1b[32mCompile\x1b[0m main.ts to x\n" +
        "\x1b[1m\x1b[31merror\x1b[0m: Writing deno compile executable to temporary file 'x.tmp'\n\n" +
        "Caused by:\n    0: Setting up base binary.\n    1: dns error\n\n" +
        "Stack backtrace:\n   0: <unknown>\n",
    ),
    [
      "error: Writing deno compile executable to temporary file 'x.tmp'",
      "Caused by:",
      "    0: Setting up base binary.",
      "    1: dns error",
    ],
  );
});
