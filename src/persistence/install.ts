/**
 * Wires persistence into a server state: the value codec (DUMP, RESTORE,
 * DEBUG DIGEST), RDB snapshots and the AOF. server.ts calls this once.
 *
 * @module
 */
import type { ServerState } from "../state.ts";
import { installCodec } from "./codec.ts";
import { installRdb } from "./rdb_runtime.ts";
import { installAof } from "./aof/runtime.ts";

/** Installs every persistence service on `state`. */
export function installPersistence(state: ServerState): void {
  installCodec(state);
  installRdb(state);
  installAof(state);
}
