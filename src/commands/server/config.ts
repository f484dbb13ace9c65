/**
 * CONFIG GET parameter [parameter ...] | CONFIG SET parameter value
 * [parameter value ...] | CONFIG RESETSTAT | CONFIG REWRITE | CONFIG HELP
 *
 * @module
 */
import { ConfigSetError, rewriteConfigFile } from "../../config.ts";
import {
  configRewriteFailed,
  configSetFailed,
  configSetUnknown,
  noConfigFile,
  syntaxError,
} from "../../errors.ts";
import { log } from "../../log.ts";
import { map, OK } from "../../protocol/reply.ts";
import type { Argv, Reply } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import type { Client } from "../../client.ts";
import { defineCommand } from "../define.ts";
import { commandsOf } from "../table.ts";
import type { Command } from "../types.ts";
import { helpReply } from "./help.ts";
import { resetLatencyHistograms } from "./latency_histogram.ts";

// Directives whose values MONITOR and SLOWLOG must not show.
const SENSITIVE = new Set([
  "requirepass",
  "masterauth",
  "tls-key-file-pass",
  "tls-client-key-file-pass",
]);

/**
 * True for a client on the loopback interface or the unix socket
 * (protected configs, DEBUG "local"), as Redis's islocalClient.
 */
export function isLocalClient(client: Client): boolean {
  return client.internal || client.unixSocket ||
    client.addr.startsWith("127.") ||
    client.addr.startsWith("[::1]") || client.addr.startsWith("[::ffff:127.");
}

function allowed(setting: string, client: Client): boolean {
  return setting === "yes" || (setting === "local" && isLocalClient(client));
}

const get = defineCommand({
  name: "get",
  group: "server",
  summary: "Get the values of configuration parameters",
  since: "2.0.0",
  complexity: "O(N) when N is the number of configuration parameters provided",
  arity: -3,
  flags: ["admin", "noscript", "loading", "stale"],
  docs: {
    history: [[
      "7.0.0",
      "Added the ability to pass multiple pattern parameters in one call",
    ]],
    arguments: [{
      name: "parameter",
      type: "block",
      multiple: true,
      arguments: [{ name: "parameter", type: "string" }],
    }],
  },
  handler(ctx, args) {
    return map(ctx.server.config.match(args.rest()).flat());
  },
});

const set = defineCommand({
  name: "set",
  group: "server",
  summary: "Set configuration parameters to the given values",
  since: "2.0.0",
  complexity: "O(N) when N is the number of configuration parameters provided",
  arity: -4,
  flags: ["admin", "noscript", "loading", "stale"],
  tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
  docs: {
    history: [[
      "7.0.0",
      "Added the ability to set multiple parameters in one call.",
    ]],
    arguments: [{
      name: "parameter_value",
      type: "block",
      multiple: true,
      arguments: [
        { name: "parameter", type: "string" },
        { name: "value", type: "string" },
      ],
    }],
  },
  redact(argv: Argv): Argv {
    return argv.map((word, i) =>
      i >= 3 && i % 2 === 1 && SENSITIVE.has(argv[i - 1]!.toLowerCase())
        ? "(redacted)"
        : word
    );
  },
  handler(ctx, args) {
    if (ctx.argv.length % 2 !== 0) throw syntaxError();
    const pairs: [string, string][] = [];
    while (args.more) pairs.push([args.next(), args.next()]);
    const config = ctx.server.config;
    try {
      config.setMany(pairs, {
        protectedAllowed: allowed(
          config.get("enable-protected-configs"),
          ctx.client,
        ),
      });
    } catch (e) {
      if (e instanceof ConfigSetError) {
        throw e.unknown
          ? configSetUnknown(e.argument)
          : configSetFailed(e.argument, e.message);
      }
      throw e;
    }
    return OK;
  },
});

/** Zeroes the counters INFO reports (CONFIG RESETSTAT). */
export function resetStats(server: ServerState): void {
  const stats = server.stats as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(stats)) {
    if (typeof value === "number") stats[name] = 0;
    else if (value instanceof Map) value.clear();
  }
  const reset = (cmds: Iterable<Command>) => {
    for (const cmd of cmds) {
      cmd.stats.calls = 0;
      cmd.stats.usec = 0;
      cmd.stats.rejectedCalls = 0;
      cmd.stats.failedCalls = 0;
      if (cmd.subcommands !== undefined) reset(cmd.subcommands.values());
    }
  };
  reset(commandsOf(server.commands));
  resetLatencyHistograms(commandsOf(server.commands));
}

const resetstat = defineCommand({
  name: "resetstat",
  group: "server",
  summary: "Reset the stats returned by INFO",
  since: "2.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["admin", "noscript", "loading", "stale"],
  handler(ctx) {
    resetStats(ctx.server);
    return OK;
  },
});

const rewrite = defineCommand({
  name: "rewrite",
  group: "server",
  summary: "Rewrite the configuration file with the in memory configuration",
  since: "2.8.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["admin", "noscript", "loading", "stale"],
  handler(ctx) {
    const config = ctx.server.config;
    if (config.file === "") {
      throw noConfigFile();
    }
    try {
      rewriteConfigFile(config);
    } catch (e) {
      const reason = (e as Error).message.replace(/ \(os error \d+\).*$/s, "");
      log.warning(`CONFIG REWRITE failed: ${reason}`);
      throw configRewriteFailed(reason);
    }
    log.notice("CONFIG REWRITE executed with success.");
    return OK;
  },
});

const HELP = [
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
];

const help = defineCommand({
  name: "help",
  group: "server",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
  handler(): Reply {
    return helpReply("CONFIG", HELP);
  },
});

/** CONFIG: the configuration container. */
export const config = defineCommand({
  name: "config",
  group: "server",
  summary: "A container for server configuration commands",
  since: "2.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [get, set, resetstat, rewrite, help],
});
