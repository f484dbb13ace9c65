/**
 * AUTH [username] password
 *
 * Only the `default` user exists until ACLs arrive: its password is
 * `requirepass`, and with no password set it accepts any.
 *
 * @module
 */
import type { Client } from "../../client.ts";
import { authWithoutPassword, syntaxError, wrongPass } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import { defineCommand } from "../define.ts";

/** True when the default user needs no password (requirepass is empty). */
export function defaultUserNoPass(server: ServerState): boolean {
  return server.config.get("requirepass") === "";
}

/**
 * Authenticates `client` as `user` with `password` (Redis's
 * ACLAuthenticateUser). Throws WRONGPASS on failure, leaving the client as
 * it was.
 */
export function authenticate(
  server: ServerState,
  client: Client,
  user: string,
  password: string,
): void {
  const ok = user === "default" &&
    (defaultUserNoPass(server) ||
      password === server.config.get("requirepass"));
  if (!ok) throw wrongPass();
  client.authenticated = true;
  client.user = user;
}

/** AUTH: authenticates the connection. */
export const auth = defineCommand({
  name: "auth",
  group: "connection",
  summary: "Authenticate to the server",
  since: "1.0.0",
  complexity: "O(N) where N is the number of passwords defined for the user",
  arity: -2,
  flags: [
    "noscript",
    "loading",
    "stale",
    "fast",
    "no_auth",
    "allow_busy",
    "sentinel",
  ],
  acl: ["connection"],
  docs: {
    history: [["6.0.0", "Added ACL style (username and password)."]],
    arguments: [
      { name: "username", type: "string", since: "6.0.0", optional: true },
      { name: "password", type: "string" },
    ],
  },
  redact(argv: Argv): Argv {
    return argv.map((word, i) => i === 0 ? word : "(redacted)");
  },
  handler(ctx, args) {
    if (args.remaining > 2) throw syntaxError();
    if (args.remaining === 1) {
      // The one-argument form is for requirepass; without one it is a mistake.
      if (defaultUserNoPass(ctx.server)) {
        throw authWithoutPassword();
      }
      authenticate(ctx.server, ctx.client, "default", args.next());
      return OK;
    }
    const user = args.next();
    authenticate(ctx.server, ctx.client, user, args.next());
    return OK;
  },
});
