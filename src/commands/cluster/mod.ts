/**
 * The cluster command group.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { cluster } from "./cluster.ts";
import { asking, readonly, readwrite } from "./connection_flags.ts";

/** The cluster commands. */
export const clusterCommands: readonly Command[] = [
  asking,
  cluster,
  readonly,
  readwrite,
];
