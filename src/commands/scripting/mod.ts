/**
 * The scripting group: EVAL, EVALSHA and their _RO forms, SCRIPT, FUNCTION,
 * FCALL and FCALL_RO.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { evalCommand, evalRo, evalsha, evalshaRo } from "./eval.ts";
import { fcallCommand, fcallRo } from "./fcall.ts";
import { script } from "./script.ts";
import { functionCommand } from "./function.ts";

/** Every scripting command. */
export const scriptingCommands: readonly Command[] = [
  evalCommand,
  evalsha,
  evalRo,
  evalshaRo,
  fcallCommand,
  fcallRo,
  script,
  functionCommand,
];
