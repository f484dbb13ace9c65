/**
 * Generic keyspace commands, plus the database-wide commands Redis files
 * under "server" and "connection" (SELECT, SWAPDB, DBSIZE, FLUSHDB,
 * FLUSHALL): they all work on the keyspace as a whole.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { copy } from "./copy.ts";
import { dbsize } from "./dbsize.ts";
import { del, unlink } from "./del.ts";
import { dump } from "./dump.ts";
import { exists } from "./exists.ts";
import { expire, expireat, pexpire, pexpireat } from "./expire.ts";
import { flushall, flushdb } from "./flush.ts";
import { keys } from "./keys.ts";
import { move } from "./move.ts";
import { object } from "./object.ts";
import { persist } from "./persist.ts";
import { randomkey } from "./randomkey.ts";
import { renameCommand, renamenx } from "./rename.ts";
import { restore } from "./restore.ts";
import { restoreAsking } from "./restore_asking.ts";
import { migrate } from "./migrate.ts";
import { scan } from "./scan.ts";
import { select } from "./select.ts";
import { sort, sortRo } from "./sort.ts";
import { swapdb } from "./swapdb.ts";
import { touch } from "./touch.ts";
import { expiretime, pexpiretime, pttl, ttl } from "./ttl.ts";
import { type } from "./type.ts";

/** The generic group. */
export const genericCommands: readonly Command[] = [
  copy,
  dbsize,
  del,
  dump,
  exists,
  expire,
  expireat,
  expiretime,
  flushall,
  flushdb,
  keys,
  move,
  object,
  persist,
  pexpire,
  pexpireat,
  pexpiretime,
  pttl,
  randomkey,
  renameCommand,
  renamenx,
  restore,
  restoreAsking,
  migrate,
  scan,
  select,
  sort,
  sortRo,
  swapdb,
  touch,
  ttl,
  type,
  unlink,
];
