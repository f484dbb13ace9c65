/**
 * Replication commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { failover } from "./failover.ts";
import { replconf } from "./replconf.ts";
import { replicaof, slaveof } from "./replicaof.ts";
import { role } from "./role.ts";
import { psync, syncCommand } from "./sync.ts";
import { wait } from "./wait.ts";

/** The replication group (REPLICAOF, SYNC, PSYNC, REPLCONF, ROLE, WAIT, FAILOVER). */
export const replicationCommands: readonly Command[] = [
  failover,
  psync,
  replconf,
  replicaof,
  role,
  slaveof,
  syncCommand,
  wait,
];
