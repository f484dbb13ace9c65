/**
 * A RESP2 client with subscriptions may only run the commands marked
 * `allowedWhileSubscribed` (the SUBSCRIBE family, PING, QUIT, RESET); RESP3
 * clients can run anything, since pushes are told apart from replies.
 *
 * @module
 */
import { CommandError } from "../errors.ts";
import type { Client } from "../client.ts";
import type { Command } from "../commands/types.ts";

/** The dispatch gate for subscribed RESP2 clients. */
export function subscribedContextGate(
  _server: unknown,
  client: Client,
  cmd: Command,
): CommandError | undefined {
  if (client.protocol !== 2 || client.subscriptions === 0) return undefined;
  if (cmd.spec.allowedWhileSubscribed) return undefined;
  return new CommandError(
    "ERR",
    `Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  );
}
