/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
 *
 * @module
 */
import {
  CommandError,
  noShutdownInProgress,
  shutdownFailed,
  syntaxError,
} from "../../errors.ts";
import { errorReply, NO_REPLY, OK } from "../../protocol/reply.ts";
import { unblock } from "../blocking.ts";
import { defineCommand } from "../define.ts";

/**
 * SHUTDOWN: saves as asked and stops the server, after lagging replicas
 * caught up (src/shutdown.ts); ABORT cancels such a wait.
 */
export const shutdown = defineCommand({
  name: "shutdown",
  group: "server",
  summary:
    "Synchronously save the dataset to disk and then shut down the server",
  since: "1.0.0",
  complexity:
    "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
  arity: -1,
  flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
  docs: {
    history: [["7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers."]],
    arguments: [
      {
        name: "nosave_save",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "nosave", type: "pure-token", token: "NOSAVE" },
          { name: "save", type: "pure-token", token: "SAVE" },
        ],
      },
      {
        name: "now",
        type: "pure-token",
        token: "NOW",
        since: "7.0.0",
        optional: true,
      },
      {
        name: "force",
        type: "pure-token",
        token: "FORCE",
        since: "7.0.0",
        optional: true,
      },
      {
        name: "abort",
        type: "pure-token",
        token: "ABORT",
        since: "7.0.0",
        optional: true,
      },
    ],
  },
  handler(ctx, args) {
    let save = false;
    let nosave = false;
    let now = false;
    let force = false;
    let abort = false;
    while (args.more) {
      const word = args.option();
      if (word === "nosave") nosave = true;
      else if (word === "save") save = true;
      else if (word === "now") now = true;
      else if (word === "force") force = true;
      else if (word === "abort") abort = true;
      else throw syntaxError();
    }
    if ((abort && (save || nosave || now || force)) || (save && nosave)) {
      throw syntaxError();
    }
    const server = ctx.server;
    if (abort) {
      if (!server.abortShutdown()) throw noShutdownInProgress();
      return OK;
    }
    if (!now && !ctx.blockingAllowed) {
      throw new CommandError(
        "ERR",
        "SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client",
      );
    }
    const client = ctx.client;
    const outcome = server.shutdown(
      { save, nosave, now, force },
      () => unblock(server, client, errorReply(shutdownFailed().line)),
    );
    if (outcome === "failed") throw shutdownFailed();
    // Waiting for replicas: the caller stays blocked until the server
    // stops (no reply) or the shutdown is cancelled (an error).
    if (outcome === "waiting") {
      return ctx.block({ keys: [], deadline: 0, timeoutReply: NO_REPLY });
    }
    return NO_REPLY;
  },
});
