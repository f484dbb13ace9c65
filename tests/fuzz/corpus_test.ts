/**
 * Regression tests from the fuzzers: every reproducer saved under
 * tests/fuzz/corpus/ is replayed and must no longer crash, hang or upset
 * the watchdog.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import { loadCorpus, replayEntry } from "./corpus.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

for (const [name, entry] of loadCorpus()) {
  Deno.test({
    ...opts,
    name: `fuzz reproducer ${name} (${entry.kind}) no longer fails`,
    async fn() {
      assertEquals(await replayEntry(entry), undefined);
    },
  });
}
