/**
 * What the AOF needs from the RDB side, through the RDB runtime: loading
 * an RDB base file or preamble into the dataset (rdbLoad's log lines; keys
 * already expired are kept, as Redis does for an AOF preamble), and the
 * RDB image of a new base (aux `aof-base` 1).
 *
 * @module
 */
import type { ServerState } from "../../state.ts";
import type { RdbSnapshot } from "../snapshot.ts";
import { loadRdbImage, rdbImage } from "../rdb_runtime.ts";

/**
 * Loads the RDB image at the start of `bytes` into the dataset, yielding
 * now and then; returns the offset where the image ends. Throws on a
 * malformed image.
 */
export function* loadAofRdb(
  state: ServerState,
  bytes: Uint8Array,
  file: string,
): Generator<number, number, void> {
  const result = yield* loadRdbImage(state, bytes, {
    file,
    keepExpired: true,
  });
  return result.offset;
}

/**
 * An RDB image of the dataset as it is now, as a point-in-time snapshot
 * pulled in slices (rdbSaveRio with RDBFLAGS_AOF_PREAMBLE).
 */
export function aofBaseRdb(state: ServerState): RdbSnapshot {
  return rdbImage(state, { aofBase: true });
}
