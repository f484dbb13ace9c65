/**
 * The HyperLogLog group: PFADD, PFCOUNT, PFMERGE and the debugging
 * commands PFDEBUG and PFSELFTEST. HLLs are plain strings laid out as
 * Redis lays them out (src/store/hyperloglog.ts).
 *
 * @module
 */
import type { Command } from "../types.ts";
import { pfadd } from "./pfadd.ts";
import { pfcount } from "./pfcount.ts";
import { pfdebug } from "./pfdebug.ts";
import { pfmerge } from "./pfmerge.ts";
import { pfselftest } from "./pfselftest.ts";

/** The hyperloglog group. */
export const hyperloglogCommands: readonly Command[] = [
  pfadd,
  pfcount,
  pfdebug,
  pfmerge,
  pfselftest,
];
