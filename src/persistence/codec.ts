/**
 * Installs the value codec (DUMP, RESTORE, digests).
 *
 * @module
 */
import type { ServerState } from "../state.ts";
import { digestDataset, digestValue } from "./digest.ts";

/** Installs the value codec (DUMP, RESTORE, digests) on `state`. */
export function installCodec(state: ServerState): void {
  state.codec = {
    dump: notWired,
    verify: notWired,
    restore: notWired,
    digestValue,
    digestDataset,
  };
}

// DUMP/RESTORE until rdb/dump.ts is wired in.
function notWired(): never {
  throw new TypeError("DUMP and RESTORE are not available yet");
}
