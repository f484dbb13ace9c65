/**
 * Reproducers: every input that once crashed, hung or confused tsredis is
 * kept as a JSON file under tests/fuzz/corpus/, and `corpus_test.ts`
 * replays all of them on every test run.
 *
 * @module
 */
import { decodeBase64, encodeBase64 } from "./base64.ts";
import { checkInput } from "./decoder_fuzz.ts";
import { readWhole } from "./rdb_fuzz.ts";
import { parseDumpPayload } from "../../src/persistence/rdb/dump.ts";
import { RdbFormatError } from "../../src/persistence/rdb/reader.ts";
import { DEFAULT_ENCODING } from "./rdb_fuzz.ts";
import { type Batch, replay } from "./server_fuzz.ts";
import { startOn } from "./startup_fuzz.ts";
import { Rng } from "./rng.ts";

/** A saved reproducer. Byte strings are latin1; files are base64. */
export type CorpusEntry =
  | { kind: "server"; seed: number; problem: string; batches: Batch[] }
  | { kind: "decoder"; problem: string; input: string }
  | { kind: "rdb" | "dump"; problem: string; input: string }
  | {
    kind: "startup";
    problem: string;
    aof: boolean;
    files: Record<string, string>;
  };

/** Where reproducers live. */
export const CORPUS_DIR = new URL("./corpus/", import.meta.url);

/** Writes `entry` to the corpus; returns its path. */
export async function saveEntry(
  entry: CorpusEntry,
  name: string,
): Promise<string> {
  await Deno.mkdir(CORPUS_DIR, { recursive: true });
  const url = new URL(`${name}.json`, CORPUS_DIR);
  await Deno.writeTextFile(url, JSON.stringify(entry, null, 1) + "\n");
  return url.pathname;
}

/** Every saved reproducer, by file name. */
export function loadCorpus(): [string, CorpusEntry][] {
  const out: [string, CorpusEntry][] = [];
  try {
    for (const e of Deno.readDirSync(CORPUS_DIR)) {
      if (!e.isFile || !e.name.endsWith(".json")) continue;
      const text = Deno.readTextFileSync(new URL(e.name, CORPUS_DIR));
      out.push([e.name, JSON.parse(text) as CorpusEntry]);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Files of a start-up reproducer as bytes. */
export function startupFiles(
  files: Record<string, Uint8Array>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) out[k] = encodeBase64(v);
  return out;
}

/** Replays one entry; returns the problem it still shows, or undefined. */
export async function replayEntry(
  entry: CorpusEntry,
): Promise<string | undefined> {
  switch (entry.kind) {
    case "server": {
      const p = await replay(entry.batches, { seed: entry.seed });
      return p === undefined ? undefined : `${p.kind}: ${p.detail}`;
    }
    case "decoder": {
      const r = checkInput(new Rng(1), entry.input);
      return typeof r === "string" ? r : undefined;
    }
    case "rdb":
    case "dump": {
      const bytes = Uint8Array.from(entry.input, (c) => c.charCodeAt(0));
      try {
        if (entry.kind === "rdb") readWhole(bytes);
        else {
          parseDumpPayload(bytes, {
            limits: DEFAULT_ENCODING,
            checksum: false,
            deep: true,
          });
        }
        return undefined;
      } catch (e) {
        return e instanceof RdbFormatError ? undefined : String(e);
      }
    }
    case "startup": {
      const files: Record<string, Uint8Array> = {};
      for (const [k, v] of Object.entries(entry.files)) {
        files[k] = decodeBase64(v);
      }
      const o = await startOn({ aof: entry.aof, files });
      return o.result === "failed" ? o.detail : undefined;
    }
  }
}
