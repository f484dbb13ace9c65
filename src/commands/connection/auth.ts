/**
 * AUTH [username] password
 *
 * Checks the password against the ACL user (`default` in the one-argument
 * form); `requirepass` is the default user's password.
 *
 * @module
 */
import { aclOf } from "../../acl/acl.ts";
import { authWithoutPassword, syntaxError, wrongPass } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import { defineCommand } from "../define.ts";
import type { Context } from "../types.ts";

/** True when the default user needs no password (nopass, as requirepass "" sets it). */
export function defaultUserNoPass(server: ServerState): boolean {
  return aclOf(server).defaultUser.nopass;
}

/**
 * Authenticates the running client as `user` with `password` (Redis's
 * ACLAuthenticateUser). Throws WRONGPASS on failure, leaving the client as
 * it was, and logs the failure in the ACL log.
 */
export function authenticate(
  ctx: Context,
  user: string,
  password: string,
): void {
  const ok = aclOf(ctx.server).authenticate(
    ctx.client,
    user,
    password,
    ctx.argv,
  );
  if (!ok) throw wrongPass();
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
      authenticate(ctx, "default", args.next());
      return OK;
    }
    const user = args.next();
    authenticate(ctx, user, args.next());
    return OK;
  },
});
