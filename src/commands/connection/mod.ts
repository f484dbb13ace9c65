/**
 * Connection commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { auth } from "./auth.ts";
import { client } from "./client.ts";
import { echo } from "./echo.ts";
import { hello } from "./hello.ts";
import { ping } from "./ping.ts";
import { quit } from "./quit.ts";
import { reset } from "./reset.ts";

/** The connection group. */
export const connectionCommands: readonly Command[] = [
  auth,
  client,
  echo,
  hello,
  ping,
  quit,
  reset,
];
