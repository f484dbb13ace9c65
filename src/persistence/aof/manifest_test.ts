import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import {
  copyManifest,
  emptyManifest,
  formatManifest,
  ManifestError,
  markIncrAsHistory,
  newBase,
  newIncr,
  parseManifest,
} from "./manifest.ts";

const FIXTURES = new URL("../../../tests/fixtures/aof/", import.meta.url);

function readLatin1(url: URL): string {
  const bytes = Deno.readFileSync(url);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

for (const dir of ["rdb_preamble", "multi_incr", "aof_base_timestamps"]) {
  Deno.test(`parseManifest reads the ${dir} fixture and formatManifest writes it back byte for byte`, () => {
    const text = readLatin1(
      new URL(`${dir}/appendonlydir/appendonly.aof.manifest`, FIXTURES),
    );
    const m = parseManifest(text);
    assertEquals(formatManifest(m), text);
  });
}

Deno.test("parseManifest keeps base, incr order and the sequence counters", () => {
  const m = parseManifest(
    "file appendonly.aof.3.base.aof seq 3 type b\n" +
      "file appendonly.aof.1.incr.aof seq 1 type h\n" +
      "file appendonly.aof.4.incr.aof seq 4 type i\n" +
      "file appendonly.aof.5.incr.aof seq 5 type i\n",
  );
  assertEquals(m.base, {
    name: "appendonly.aof.3.base.aof",
    seq: 3,
    type: "b",
  });
  assertEquals(m.history.map((f) => f.name), ["appendonly.aof.1.incr.aof"]);
  assertEquals(m.incr.map((f) => f.seq), [4, 5]);
  assertEquals([m.baseSeq, m.incrSeq], [3, 5]);
});

Deno.test("parseManifest accepts comments, keys in any case and any order, and extra pairs", () => {
  const m = parseManifest(
    "# a comment\n" +
      "TYPE b SEQ 1 FILE x.aof future value\n",
  );
  assertEquals(m.base, { name: "x.aof", seq: 1, type: "b" });
});

Deno.test("parseManifest reads quoted names with escapes", () => {
  const m = parseManifest('file "a b\\x41\\n.aof" seq 1 type b\n');
  assertEquals(m.base?.name, "a bA\n.aof");
});

Deno.test("formatManifest quotes names with spaces, quotes and bytes outside ASCII as Redis's sdscatrepr", () => {
  const m = emptyManifest();
  m.base = { name: 'my "file"\t\xe9.aof', seq: 1, type: "b" };
  const text = formatManifest(m);
  assertEquals(text, 'file "my \\"file\\"\\t\\xe9.aof" seq 1 type b\n');
  assertEquals(parseManifest(text).base?.name, m.base.name);
});

function errorOf(text: string): ManifestError {
  return assertThrows(
    () => parseManifest(text),
    ManifestError,
  ) as ManifestError;
}

Deno.test("parseManifest refuses what Redis refuses, with Redis's messages", () => {
  assertEquals(errorOf("").message, "Found an empty AOF manifest");
  assertEquals(
    errorOf("file a seq 1 type b").message,
    "The AOF manifest file contains too long line",
  );
  assertEquals(
    errorOf(`file ${"a".repeat(1100)} seq 1 type b\n`).message,
    "The AOF manifest file contains too long line",
  );
  const blank = errorOf("file a seq 1 type b\n   \n");
  assertEquals(blank.message, "Invalid AOF manifest file format");
  assertEquals(blank.line, 2);
  assertEquals(
    errorOf("file a seq 1 type\n").message,
    "Invalid AOF manifest file format",
  );
  assertEquals(
    errorOf("file a seq 0 type b\n").message,
    "Invalid AOF manifest file format",
  );
  assertEquals(
    errorOf('file "a seq 1 type b\n').message,
    "Invalid AOF manifest file format",
  );
  assertEquals(
    errorOf("file dir/a seq 1 type b\n").message,
    "File can't be a path, just a filename",
  );
  assertEquals(
    errorOf("file a seq 1 type b\nfile b seq 2 type b\n").message,
    "Found duplicate base file information",
  );
  assertEquals(
    errorOf("file a seq 2 type i\nfile b seq 2 type i\n").message,
    "Found a non-monotonic sequence number",
  );
  assertEquals(
    errorOf("file a seq 1 type x\n").message,
    "Unknown AOF file type",
  );
});

Deno.test("ManifestError.report prints Redis's fatal lines with the line number and text", () => {
  const e = errorOf("file a seq 1 type b\nfile a seq 1 type z\n");
  assertEquals(e.report(), [
    "",
    "*** FATAL AOF MANIFEST FILE ERROR ***",
    "",
    "Reading the manifest file, at line 2",
    "",
    ">>> 'file a seq 1 type z'",
    "",
    "Unknown AOF file type",
    "",
  ]);
});

Deno.test("newBase, newIncr and markIncrAsHistory follow Redis's rewrite sequence", () => {
  // A failed rewrite left two incr files.
  const m = parseManifest(
    "file appendonly.aof.1.base.rdb seq 1 type b\n" +
      "file appendonly.aof.1.incr.aof seq 1 type i\n" +
      "file appendonly.aof.2.incr.aof seq 2 type i\n",
  );
  // Rewrite start: a new incr file takes the writes.
  const before = copyManifest(m);
  assertEquals(newIncr(m, "appendonly.aof"), "appendonly.aof.3.incr.aof");
  assertEquals(before.incr.length, 2);
  // Rewrite done: new base; the old base and the rewritten incr files
  // become history, in the order Redis lists (and deletes) them.
  assertEquals(
    newBase(m, "appendonly.aof", true),
    "appendonly.aof.2.base.rdb",
  );
  markIncrAsHistory(m, true);
  assertEquals(
    formatManifest(m),
    "file appendonly.aof.2.base.rdb seq 2 type b\n" +
      "file appendonly.aof.1.incr.aof seq 1 type h\n" +
      "file appendonly.aof.2.incr.aof seq 2 type h\n" +
      "file appendonly.aof.1.base.rdb seq 1 type h\n" +
      "file appendonly.aof.3.incr.aof seq 3 type i\n",
  );
  assertEquals(
    newBase(m, "appendonly.aof", false),
    "appendonly.aof.3.base.aof",
  );
});

Deno.test("parseManifest splits lines with sdssplitargs quoting", () => {
  const m = parseManifest(
    "file \"a b\\x41\" seq 1 type b\nfile 'it\\'s' seq 2 type i\n",
  );
  assertEquals(m.base?.name, "a bA");
  assertEquals(m.incr.map((f) => f.name), ["it's"]);
  assertThrows(() => parseManifest('file "a"b seq 1 type b\n'), ManifestError);
});
