/**
 * The reply of `<COMMAND> HELP`, framed as Redis's addReplyHelp frames it.
 *
 * @module
 */
import { simple } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";

/**
 * `lines` between Redis's standard first line and the closing HELP entry,
 * each a simple string.
 */
export function helpReply(command: string, lines: readonly string[]): Reply {
  return [
    `${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    "HELP",
    "    Prints this help.",
  ].map(simple);
}
