/**
 * The command table: every group's commands in one lookup map, checked for
 * duplicates. This is the only list of commands in tsredis; COMMAND, ACL,
 * MULTI, AOF and replication all read it.
 *
 * @module
 */
import type { Command } from "./types.ts";
import { aclCommands } from "./acl/mod.ts";
import { bitmapCommands } from "./bitmap/mod.ts";
import { clusterCommands } from "./cluster/mod.ts";
import { connectionCommands } from "./connection/mod.ts";
import { genericCommands } from "./generic/mod.ts";
import { geoCommands } from "./geo/mod.ts";
import { hashCommands } from "./hash/mod.ts";
import { hyperloglogCommands } from "./hyperloglog/mod.ts";
import { introspectionCommands } from "./introspection/mod.ts";
import { listCommands } from "./list/mod.ts";
import { memoryCommands } from "./memory/mod.ts";
import { pubsubCommands } from "./pubsub/mod.ts";
import { replicationCommands } from "./replication/mod.ts";
import { scriptingCommands } from "./scripting/mod.ts";
import { serverCommands } from "./server/mod.ts";
import { setCommands } from "./set/mod.ts";
import { sortedSetCommands } from "./sorted_set/mod.ts";
import { streamCommands } from "./stream/mod.ts";
import { stringCommands } from "./string/mod.ts";
import { transactionsCommands } from "./transactions/mod.ts";

/** Every command, in no particular order. */
export const ALL_COMMANDS: readonly Command[] = [
  ...aclCommands,
  ...bitmapCommands,
  ...clusterCommands,
  ...connectionCommands,
  ...genericCommands,
  ...geoCommands,
  ...hashCommands,
  ...hyperloglogCommands,
  ...introspectionCommands,
  ...listCommands,
  ...memoryCommands,
  ...pubsubCommands,
  ...replicationCommands,
  ...scriptingCommands,
  ...serverCommands,
  ...setCommands,
  ...sortedSetCommands,
  ...streamCommands,
  ...stringCommands,
  ...transactionsCommands,
];

/**
 * Builds the lookup map. Names are stored in lower and upper case so the
 * common spellings are found without converting the client's bytes. Each
 * server gets copies of the commands with counters of their own (INFO
 * commandstats, latencystats), so servers in one process never share them.
 */
export function buildCommandTable(
  commands: readonly Command[] = ALL_COMMANDS,
): Map<string, Command> {
  const map = new Map<string, Command>();
  for (const declared of commands) {
    const cmd = instantiate(declared, undefined);
    if (map.has(cmd.name)) {
      throw new TypeError(`Command "${cmd.name}" is declared twice`);
    }
    map.set(cmd.name, cmd);
    map.set(cmd.name.toUpperCase(), cmd);
  }
  return map;
}

// A copy of `cmd` and its subcommands with fresh counters.
function instantiate(cmd: Command, parent: Command | undefined): Command {
  const copy: Command = {
    ...cmd,
    parent,
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
  };
  if (cmd.subcommands !== undefined) {
    const subcommands = new Map<string, Command>();
    for (const [name, sub] of cmd.subcommands) {
      subcommands.set(name, instantiate(sub, copy));
    }
    Object.assign(copy, { subcommands });
  }
  return copy;
}

/** The distinct commands of a lookup map. */
export function commandsOf(map: ReadonlyMap<string, Command>): Command[] {
  return [...new Set(map.values())];
}
