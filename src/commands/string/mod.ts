/**
 * String commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { append, strlen } from "./append.ts";
import { get, getdel } from "./get.ts";
import { getex } from "./getex.ts";
import { getrange, substr } from "./getrange.ts";
import { decr, decrby, incr, incrby } from "./incr.ts";
import { incrbyfloat } from "./incrbyfloat.ts";
import { lcs } from "./lcs.ts";
import { mget } from "./mget.ts";
import { mset, msetnx } from "./mset.ts";
import { getset, psetex, set, setex, setnx } from "./set.ts";
import { setrange } from "./setrange.ts";

/** The string group. */
export const stringCommands: readonly Command[] = [
  append,
  decr,
  decrby,
  get,
  getdel,
  getex,
  getrange,
  getset,
  incr,
  incrby,
  incrbyfloat,
  lcs,
  mget,
  mset,
  msetnx,
  psetex,
  set,
  setex,
  setnx,
  setrange,
  strlen,
  substr,
];
