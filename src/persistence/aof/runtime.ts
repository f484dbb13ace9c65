/**
 * Installs the AOF: writing, fsync, rewrite, loading.
 *
 * @module
 */
import type { ServerState } from "../../state.ts";

/** Installs the AOF: writing, fsync, rewrite, loading on `state`. */
export function installAof(_state: ServerState): void {
}
