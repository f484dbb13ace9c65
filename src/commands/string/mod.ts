/**
 * String commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { get } from "./get.ts";
import { set } from "./set.ts";

/** The string group. */
export const stringCommands: readonly Command[] = [get, set];
