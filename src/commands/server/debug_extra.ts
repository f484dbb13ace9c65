/**
 * DEBUG subcommands that belong to other subsystems (persistence: RELOAD,
 * LOADAOF, DIGEST, ...). Each subsystem lists its own in one file; DEBUG
 * looks a subcommand up here before giving up.
 *
 * @module
 */
import type { Argv, Reply } from "../../protocol/types.ts";
import type { Context } from "../types.ts";
import { DEBUG_RDB } from "./debug_rdb.ts";
import { DEBUG_AOF } from "./debug_aof.ts";
import { DEBUG_CODEC } from "./debug_codec.ts";
import { DEBUG_DIGEST } from "./debug_digest.ts";

/**
 * One DEBUG subcommand: gets the whole argv (`DEBUG`, the subcommand, its
 * arguments) and returns the reply, or undefined when the argument count
 * does not fit (DEBUG then answers its syntax error).
 */
export type DebugSubcommand = (ctx: Context, words: Argv) => Reply | undefined;

/** Every extra subcommand, by lower-case name. */
export const DEBUG_EXTRA: ReadonlyMap<string, DebugSubcommand> = new Map([
  ...Object.entries(DEBUG_RDB),
  ...Object.entries(DEBUG_AOF),
  ...Object.entries(DEBUG_CODEC),
  ...Object.entries(DEBUG_DIGEST),
]);
