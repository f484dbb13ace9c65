/**
 * Fuzzes start-up: tsredis is started on a damaged `dump.rdb`, or with
 * `appendonly yes` on a damaged multi-part AOF (its manifest, its RDB or
 * RESP base, or an increment file), all made from files real Redis 7.0.15
 * wrote (tests/fixtures). Each start must end one of two ways, within a
 * time limit and without a stack trace in its output:
 *
 * - it loads what it can and answers PING and DBSIZE, or
 * - it exits non-zero after a log line that names the file (and, for an
 *   RDB, the offset where reading failed), as Redis does.
 *
 * @module
 */
import { spawnServer } from "../_harness/spawn.ts";
import { freePort, REDIS_SERVER } from "../_harness/tools.ts";
import { Crc64 } from "../../src/util/crc64.ts";
import { damage, loadRdbFixtures } from "./rdb_fuzz.ts";
import type { Rng } from "./rng.ts";

/** What one start did. */
export interface StartOutcome {
  what: string;
  result: "loaded" | "refused" | "failed";
  detail: string;
  /** The damaged files (name → bytes), to save as a reproducer. */
  files: Record<string, Uint8Array>;
}

const AOF_FIXTURES = new URL("../fixtures/aof/", import.meta.url);
const START_MS = 30_000;

function aofFixture(name: string): Record<string, Uint8Array> {
  const dir = new URL(`${name}/appendonlydir/`, AOF_FIXTURES);
  const files: Record<string, Uint8Array> = {};
  for (const e of Deno.readDirSync(dir)) {
    files[`appendonlydir/${e.name}`] = Deno.readFileSync(new URL(e.name, dir));
  }
  return files;
}

/** A damaged data directory: either a dump.rdb or an appendonlydir. */
export function damagedDir(
  rng: Rng,
): { aof: boolean; files: Record<string, Uint8Array> } {
  if (rng.chance(0.5)) {
    const file = rng.pick(loadRdbFixtures());
    return { aof: false, files: { "dump.rdb": damageRdb(rng, file) } };
  }
  const files = aofFixture(
    rng.pick(["rdb_preamble", "multi_incr", "aof_base_timestamps"]),
  );
  const name = rng.pick(Object.keys(files).sort());
  const bytes = files[name]!;
  if (name.endsWith(".rdb")) files[name] = damageRdb(rng, bytes);
  else if (name.endsWith(".manifest")) files[name] = damageText(rng, bytes);
  else {files[name] = rng.chance(0.5)
      ? damage(rng, bytes, 0)
      : damageText(rng, bytes);}
  return { aof: true, files };
}

function damageRdb(rng: Rng, file: Uint8Array): Uint8Array {
  const body = damage(rng, file, 8);
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  if (rng.chance(0.85)) out.set(new Crc64().update(body).bytes(), body.length);
  else out.set(file.subarray(file.length - 8), body.length);
  return out;
}

// Word-level damage for the manifest and RESP files: swapped, repeated or
// dropped words and lines, numbers replaced.
function damageText(rng: Rng, bytes: Uint8Array): Uint8Array {
  let text = String.fromCharCode(...bytes);
  const edits = rng.range(1, 3);
  for (let i = 0; i < edits; i++) {
    const lines = text.split("\n");
    const l = rng.int(lines.length);
    switch (rng.int(5)) {
      case 0:
        lines.splice(l, 1);
        break;
      case 1:
        lines.splice(l, 0, lines[rng.int(lines.length)]!);
        break;
      case 2:
        lines[l] = lines[l]!.replace(
          /\d+/,
          rng.pick(["-1", "0", "99999999999", "x", "", "2147483648"]),
        );
        break;
      case 3: {
        const words = lines[l]!.split(" ");
        words[rng.int(words.length)] = rng.pick([
          "file",
          "seq",
          "type",
          "b",
          "i",
          "h",
          "",
          "x y",
          "appendonly.aof.9.incr.aof",
        ]);
        lines[l] = words.join(" ");
        break;
      }
      default:
        text = lines.join("\n");
        return Uint8Array.from(
          damage(rng, Uint8Array.from(text, (c) => c.charCodeAt(0)), 0),
        );
    }
    text = lines.join("\n");
  }
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Starts tsredis on `files`; judges how the start went. */
export async function startOn(
  dir: { aof: boolean; files: Record<string, Uint8Array> },
): Promise<StartOutcome> {
  const cwd = await Deno.makeTempDir({ prefix: "tsredis-fuzz-start-" });
  const what = Object.keys(dir.files).join(", ");
  try {
    for (const [name, bytes] of Object.entries(dir.files)) {
      await Deno.mkdir(`${cwd}/${name}`.replace(/\/[^/]*$/, ""), {
        recursive: true,
      });
      await Deno.writeFile(`${cwd}/${name}`, bytes);
    }
    const server = await spawnServer({
      cwd,
      noWait: true,
      args: dir.aof ? ["--appendonly", "yes"] : [],
    });
    const deadline = Date.now() + START_MS;
    let ready = false;
    let status: Deno.CommandStatus | undefined;
    while (Date.now() < deadline) {
      status = await Promise.race([
        server.exited,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)),
      ]);
      if (status !== undefined) break;
      if (server.output().includes("Ready to accept connections")) {
        ready = true;
        break;
      }
    }
    const output = server.output();
    const fail = (detail: string): StartOutcome => ({
      what,
      result: "failed",
      detail: `${detail}\n${output.split("\n").slice(-15).join("\n")}`,
      files: dir.files,
    });
    if (/\n\s+at .*:\d+:\d+|error: Uncaught|Internal error in '/.test(output)) {
      await server.stop();
      return fail("stack trace in the output");
    }
    if (ready) {
      try {
        const c = await server.connect();
        const pong = await c.call("PING");
        const size = await c.call("DBSIZE");
        c.close();
        if (pong !== "PONG" || typeof size !== "number") {
          return fail(`answered ${pong} / ${size} after loading`);
        }
        return {
          what,
          result: "loaded",
          detail: `${size} keys`,
          files: dir.files,
        };
      } catch (e) {
        return fail(`no answer after loading: ${e}`);
      } finally {
        await server.stop();
      }
    }
    if (status === undefined) {
      await server.stop();
      return fail(`neither ready nor exited after ${START_MS} ms`);
    }
    if (status.code === 0) return fail("exited with status 0 without serving");
    const lines = output.split("\n").filter((l) => / # /.test(l));
    // The file may be one the damaged manifest names.
    const named = lines.some((l) =>
      Object.keys(dir.files).some((f) => l.includes(f.replace(/^.*\//, ""))) ||
      /manifest|AOF file|append only file/i.test(l)
    );
    if (!named) {
      // Some of Redis's own refusals name no file ("Unable to obtain the
      // AOF file seq length"): the same words as Redis are right too.
      const ours = lines[lines.length - 1]?.replace(/^.*? # /, "");
      const theirs = await redisRefusal(dir);
      // Redis logs a name's raw bytes, tsredis their UTF-8: compare ASCII.
      const ascii = (t: string | undefined) =>
        t?.replace(/[^\x20-\x7e]+/g, "?");
      if (ours === undefined || ascii(ours) !== ascii(theirs)) {
        return fail(
          `the refusal does not name the file (redis-server: ${theirs})`,
        );
      }
    }
    if (!dir.aof && !lines.some((l) => /offset \d+/.test(l))) {
      return fail("the refusal does not give the offset");
    }
    return {
      what,
      result: "refused",
      detail: lines[lines.length - 1] ?? "",
      files: dir.files,
    };
  } finally {
    await Deno.remove(cwd, { recursive: true }).catch(() => {});
  }
}

// The last warning line real Redis logs on the same files, when it
// refuses them too.
async function redisRefusal(
  dir: { aof: boolean; files: Record<string, Uint8Array> },
): Promise<string | undefined> {
  if (REDIS_SERVER === undefined) return undefined;
  const cwd = await Deno.makeTempDir({ prefix: "tsredis-fuzz-redis-" });
  try {
    for (const [name, bytes] of Object.entries(dir.files)) {
      await Deno.mkdir(`${cwd}/${name}`.replace(/\/[^/]*$/, ""), {
        recursive: true,
      });
      await Deno.writeFile(`${cwd}/${name}`, bytes);
    }
    const out = await new Deno.Command(REDIS_SERVER, {
      args: [
        "--port",
        String(freePort()),
        "--save",
        "",
        "--dir",
        cwd,
        "--appendonly",
        dir.aof ? "yes" : "no",
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(START_MS),
    }).output();
    const lines = new TextDecoder().decode(out.stdout).split("\n")
      .filter((l) => / # /.test(l));
    return out.code === 0
      ? undefined
      : lines[lines.length - 1]?.replace(/^.*? # /, "");
  } finally {
    await Deno.remove(cwd, { recursive: true }).catch(() => {});
  }
}
