/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]
 *
 * @module
 */
import { CommandError, syntaxError } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { defineCommand } from "../define.ts";
import { releaseBlockedClients, replicationOf } from "./common.ts";

/** FAILOVER: hands the master role over to a replica, without losing writes. */
export const failover = defineCommand({
  name: "failover",
  group: "server",
  summary:
    "Start a coordinated failover between this server and one of its replicas.",
  since: "6.2.0",
  complexity: "O(1)",
  arity: -1,
  flags: ["admin", "noscript", "stale"],
  docs: {
    arguments: [
      {
        name: "target",
        type: "block",
        token: "TO",
        optional: true,
        arguments: [
          { name: "host", type: "string" },
          { name: "port", type: "integer" },
          { name: "force", type: "pure-token", token: "FORCE", optional: true },
        ],
      },
      { name: "abort", type: "pure-token", token: "ABORT", optional: true },
      {
        name: "milliseconds",
        type: "integer",
        token: "TIMEOUT",
        optional: true,
      },
    ],
  },
  handler(ctx, args) {
    const repl = replicationOf(ctx);
    const argv = ctx.argv;
    if (argv.length === 2 && eqIgnoreCase(argv[1]!, "abort")) {
      repl.abortFailover();
      return OK;
    }
    let timeoutMs = 0;
    let force = false;
    let host: string | undefined;
    let port = 0;
    for (let j = 1; j < argv.length; j++) {
      const word = argv[j]!;
      if (
        eqIgnoreCase(word, "timeout") && j + 1 < argv.length && timeoutMs === 0
      ) {
        args.reset(argv, j + 1);
        timeoutMs = Number(args.long());
        if (timeoutMs <= 0) {
          throw new CommandError(
            "ERR",
            "FAILOVER timeout must be greater than 0",
          );
        }
        j++;
      } else if (
        eqIgnoreCase(word, "to") && j + 2 < argv.length && host === undefined
      ) {
        args.reset(argv, j + 2);
        port = Number(args.long());
        host = argv[j + 1]!;
        j += 2;
      } else if (eqIgnoreCase(word, "force") && !force) {
        force = true;
      } else {
        throw syntaxError();
      }
    }
    repl.failover({
      ...(host === undefined ? {} : { host, port }),
      force,
      timeoutMs,
      releaseBlocked: () => releaseBlockedClients(ctx.server),
    });
    return OK;
  },
});
