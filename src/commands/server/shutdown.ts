/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
 *
 * @module
 */
import {
  noShutdownInProgress,
  shutdownFailed,
  syntaxError,
} from "../../errors.ts";
import { NO_REPLY } from "../../protocol/reply.ts";
import { defineCommand } from "../define.ts";

/** SHUTDOWN: stops the server (tsredis has nothing to save, so SAVE fails without FORCE). */
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
    // Shutting down is immediate here, so there is never one to abort.
    if (abort) throw noShutdownInProgress();
    const error = ctx.server.shutdown({ save, nosave, now, force });
    if (error !== undefined) throw shutdownFailed();
    return NO_REPLY;
  },
});
