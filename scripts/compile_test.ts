import { assert, assertEquals } from "../tests/_deps.ts";
import {
  isRuntimeUnavailable,
  launcherScript,
  PERMISSIONS,
  V8_FLAGS,
} from "./compile.ts";

Deno.test("deno task start, dev and the compiled binary run with the same V8 flags and permissions", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string> };
  for (const task of ["start", "dev"]) {
    const words = config.tasks[task]!.split(" ");
    assert(words.includes(V8_FLAGS), `${task}: ${config.tasks[task]}`);
    for (const p of PERMISSIONS) assert(words.includes(p), `${task}: ${p}`);
  }
  const launcher = launcherScript();
  assertEquals(
    launcher.split("\n").filter((l) =>
      l.includes(V8_FLAGS) && PERMISSIONS.every((p) => l.includes(p))
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
