/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
 * [OPTOUT] [NOLOOP] | CACHING YES|NO | GETREDIR | TRACKINGINFO: the
 * client-side caching subcommands (the tables are in src/tracking/).
 *
 * @module
 */
import {
  type CommandError,
  notInteger,
  syntaxError,
  trackingBcastOptInOut,
  trackingBcastSwitch,
  trackingCachingNo,
  trackingCachingNotTracking,
  trackingCachingYes,
  trackingOptInAndOut,
  trackingOptSwitch,
  trackingPrefixNeedsBcast,
  trackingPrefixOverlap,
  trackingRedirectMissing,
  trackingRedirectTwice,
} from "../../errors.ts";
import { errorReply, map, OK, set } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { trackingOf, type TrackingOptions } from "../../tracking/tracking.ts";
import { parseInt64 } from "../../util/number.ts";
import { defineCommand } from "../define.ts";
import type { Command, CommandSpec, Context } from "../types.ts";

function sub(spec: Omit<CommandSpec, "group" | "acl" | "flags">): Command {
  return defineCommand({
    ...spec,
    group: "connection",
    acl: ["connection"],
    flags: ["noscript", "loading", "stale"],
  });
}

// Redis prints prefixes with %s: a prefix stops at its first NUL byte.
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

// Redis's stringCheckPrefix: one is a prefix of the other.
function overlap(a: string, b: string): boolean {
  return a.length < b.length ? b.startsWith(a) : a.startsWith(b);
}

/**
 * Redis's checkPrefixCollisionsOrReply. Returns the error, and whether
 * Redis 7.0 goes on to enable tracking anyway: for an overlap between two
 * given prefixes past the first, it replies the error and then `+OK` too.
 */
function prefixCollision(
  own: readonly string[],
  given: readonly string[],
): { error: CommandError; enableAnyway: boolean } | undefined {
  for (let i = 0; i < given.length; i++) {
    for (const existing of own) {
      if (overlap(existing, given[i]!)) {
        return {
          error: trackingPrefixOverlap(
            cString(given[i]!),
            cString(existing),
            true,
          ),
          enableAnyway: false,
        };
      }
    }
    for (let j = i + 1; j < given.length; j++) {
      if (overlap(given[i]!, given[j]!)) {
        return {
          error: trackingPrefixOverlap(
            cString(given[i]!),
            cString(given[j]!),
            false,
          ),
          enableAnyway: i !== 0,
        };
      }
    }
  }
  return undefined;
}

function parseTracking(ctx: Context): TrackingOptions {
  const argv = ctx.argv;
  const options: TrackingOptions = {
    bcast: false,
    optin: false,
    optout: false,
    noloop: false,
    redirect: 0,
    prefixes: [],
  };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = j < argv.length - 1;
    const option = argv[j]!.toLowerCase();
    if (option === "redirect" && more) {
      j++;
      if (options.redirect !== 0) throw trackingRedirectTwice();
      const id = parseInt64(argv[j]!);
      if (id === undefined) throw notInteger();
      const target = ctx.server.clients.get(Number(id));
      if (target === undefined || target.internal) {
        throw trackingRedirectMissing();
      }
      options.redirect = Number(id);
    } else if (option === "bcast") {
      options.bcast = true;
    } else if (option === "optin") {
      options.optin = true;
    } else if (option === "optout") {
      options.optout = true;
    } else if (option === "noloop") {
      options.noloop = true;
    } else if (option === "prefix" && more) {
      prefixes.push(argv[++j]!);
    } else {
      throw syntaxError();
    }
  }
  options.prefixes = prefixes;
  return options;
}

const tracking = sub({
  name: "tracking",
  summary: "Enable or disable server assisted client side caching support",
  since: "6.0.0",
  complexity: "O(1). Some options may introduce additional complexity.",
  arity: -3,
  docs: {
    arguments: [
      {
        name: "status",
        type: "oneof",
        arguments: [
          { name: "on", type: "pure-token", token: "ON" },
          { name: "off", type: "pure-token", token: "OFF" },
        ],
      },
      { name: "client-id", type: "integer", token: "REDIRECT", optional: true },
      {
        name: "prefix",
        type: "string",
        token: "PREFIX",
        optional: true,
        multiple: true,
        multipleToken: true,
      },
      { name: "bcast", type: "pure-token", token: "BCAST", optional: true },
      { name: "optin", type: "pure-token", token: "OPTIN", optional: true },
      { name: "optout", type: "pure-token", token: "OPTOUT", optional: true },
      { name: "noloop", type: "pure-token", token: "NOLOOP", optional: true },
    ],
  },
  handler(ctx): Reply {
    const options = parseTracking(ctx);
    const client = ctx.client;
    const tracker = trackingOf(ctx.server);
    const status = ctx.argv[2]!.toLowerCase();
    if (status === "off") {
      tracker.disable(client);
      return OK;
    }
    if (status !== "on") throw syntaxError();
    const was = client.tracking;
    if (!options.bcast && options.prefixes.length !== 0) {
      throw trackingPrefixNeedsBcast();
    }
    if (was !== undefined && was.bcast !== options.bcast) {
      throw trackingBcastSwitch();
    }
    if (options.bcast && (options.optin || options.optout)) {
      throw trackingBcastOptInOut();
    }
    if (options.optin && options.optout) throw trackingOptInAndOut();
    if (
      (options.optin && was?.optout) || (options.optout && was?.optin)
    ) {
      throw trackingOptSwitch();
    }
    if (options.bcast) {
      const collision = prefixCollision(was?.prefixes ?? [], options.prefixes);
      if (collision !== undefined) {
        if (!collision.enableAnyway) throw collision.error;
        // Redis 7.0 replies the error and enables tracking all the same.
        ctx.server.countError(collision.error.code);
        ctx.command.stats.failedCalls++;
        tracker.enable(client, options);
        return {
          kind: "sequence",
          items: [errorReply(collision.error.line), OK],
        };
      }
    }
    tracker.enable(client, options);
    return OK;
  },
});

const caching = sub({
  name: "caching",
  summary: "Instruct the server about tracking or not keys in the next request",
  since: "6.0.0",
  complexity: "O(1)",
  arity: 3,
  docs: {
    arguments: [{
      name: "mode",
      type: "oneof",
      arguments: [
        { name: "yes", type: "pure-token", token: "YES" },
        { name: "no", type: "pure-token", token: "NO" },
      ],
    }],
  },
  handler(ctx) {
    const tracking = ctx.client.tracking;
    if (tracking === undefined) throw trackingCachingNotTracking();
    const mode = ctx.argv[2]!.toLowerCase();
    if (mode === "yes") {
      if (!tracking.optin) throw trackingCachingYes();
    } else if (mode === "no") {
      if (!tracking.optout) throw trackingCachingNo();
    } else {
      throw syntaxError();
    }
    tracking.caching = true;
    return OK;
  },
});

const getredir = sub({
  name: "getredir",
  summary: "Get tracking notifications redirection client ID if any",
  since: "6.0.0",
  complexity: "O(1)",
  arity: 2,
  handler(ctx) {
    return ctx.client.tracking?.redirect ?? -1;
  },
});

const trackinginfo = sub({
  name: "trackinginfo",
  summary:
    "Return information about server assisted client side caching for the current connection",
  since: "6.2.0",
  complexity: "O(1)",
  arity: 2,
  handler(ctx) {
    const t = ctx.client.tracking;
    const flags: string[] = [t === undefined ? "off" : "on"];
    if (t !== undefined) {
      if (t.bcast) flags.push("bcast");
      if (t.optin) {
        flags.push("optin");
        if (t.caching) flags.push("caching-yes");
      }
      if (t.optout) {
        flags.push("optout");
        if (t.caching) flags.push("caching-no");
      }
      if (t.noloop) flags.push("noloop");
      if (t.brokenRedirect) flags.push("broken_redirect");
    }
    return map([
      "flags",
      set(flags),
      "redirect",
      t?.redirect ?? -1,
      "prefixes",
      t?.prefixes.slice() ?? [],
    ]);
  },
});

/** The client-side caching subcommands of CLIENT. */
export const trackingSubcommands: Command[] = [
  caching,
  getredir,
  tracking,
  trackinginfo,
];
