/**
 * What the AOF needs from the RDB side: loading an RDB base file or
 * preamble into the dataset, and an RDB image of the dataset for a new
 * base (aux `aof-base` 1).
 *
 * @module
 */
import type { ServerState } from "../../state.ts";

/** RDB services for the AOF. */
export interface RdbBridge {
  /**
   * Loads the RDB image at the start of `bytes` into the dataset (keys
   * already expired are kept, as Redis does for an AOF base) and returns
   * the offset where it ends. Throws on a malformed image.
   */
  load(state: ServerState, bytes: Uint8Array): number;
  /** An RDB image of the dataset as it is now, marked as an AOF base. */
  dumpNow(state: ServerState): Uint8Array;
}

/** The RDB services the AOF uses. */
export const rdbBridge: RdbBridge = {
  load() {
    throw new Error("RDB base files cannot be read by this build");
  },
  dumpNow() {
    throw new Error("RDB base files cannot be written by this build");
  },
};
