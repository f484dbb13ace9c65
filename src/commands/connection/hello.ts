/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]
 *
 * @module
 */
import {
  helloNoAuth,
  helloSyntaxError,
  invalidClientName,
  noProto,
  protocolVersionNotInteger,
} from "../../errors.ts";
import { REDIS_VERSION } from "../../config.ts";
import { map } from "../../protocol/reply.ts";
import type { Argv } from "../../protocol/types.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand } from "../define.ts";
import { authenticate } from "./auth.ts";
import { isValidClientAttr, setClientName } from "./client.ts";

/** HELLO: switches the protocol, optionally authenticates and names the connection. */
export const hello = defineCommand({
  name: "hello",
  group: "connection",
  summary: "Handshake with Redis",
  since: "6.0.0",
  complexity: "O(1)",
  arity: -1,
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
    history: [[
      "6.2.0",
      "`protover` made optional; when called without arguments the command reports the current connection's context.",
    ]],
    arguments: [{
      name: "arguments",
      type: "block",
      optional: true,
      arguments: [
        { name: "protover", type: "integer" },
        {
          name: "username_password",
          type: "block",
          token: "AUTH",
          optional: true,
          arguments: [
            { name: "username", type: "string" },
            { name: "password", type: "string" },
          ],
        },
        {
          name: "clientname",
          type: "string",
          token: "SETNAME",
          optional: true,
        },
      ],
    }],
  },
  redact(argv: Argv): Argv {
    const out = [...argv];
    for (let i = 2; i < out.length; i++) {
      if (out[i]!.toLowerCase() === "auth" && i + 2 < out.length) {
        out[i + 1] = "(redacted)";
        out[i + 2] = "(redacted)";
        i += 2;
      }
    }
    return out;
  },
  handler(ctx, args) {
    const client = ctx.client;
    let version = 0;
    if (args.more) {
      const v = parseInt64(args.next());
      if (v === undefined) throw protocolVersionNotInteger();
      if (v < 2n || v > 3n) throw noProto();
      version = Number(v);
    }
    let user: string | undefined;
    let password: string | undefined;
    let name: string | undefined;
    while (args.more) {
      const option = args.next();
      const lower = option.toLowerCase();
      if (lower === "auth" && args.remaining >= 2) {
        user = args.next();
        password = args.next();
      } else if (lower === "setname" && args.remaining >= 1) {
        name = args.next();
        // An invalid name is refused before anything else happens.
        if (!isValidClientAttr(name)) throw invalidClientName();
      } else {
        throw helloSyntaxError(option);
      }
    }
    if (user !== undefined) {
      authenticate(ctx, user, password!);
    }
    // Redis checks the connection's own flag here: a default user that
    // lost its password since the connection began does not count.
    if (!client.authVerified) throw helloNoAuth();
    if (name !== undefined) setClientName(client, name);
    if (version !== 0) client.protocol = version as 2 | 3;
    return map([
      "server",
      "redis",
      "version",
      REDIS_VERSION,
      "proto",
      client.protocol,
      "id",
      client.id,
      "mode",
      "standalone",
      "role",
      "master",
      "modules",
      [],
    ]);
  },
});
