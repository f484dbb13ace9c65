/**
 * Installs the value codec (DUMP, RESTORE, digests).
 *
 * @module
 */
import type { ServerState } from "../state.ts";

/** Installs the value codec (DUMP, RESTORE, digests) on `state`. */
export function installCodec(_state: ServerState): void {
}
