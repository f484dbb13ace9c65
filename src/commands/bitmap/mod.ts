/**
 * Bitmap commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { bitcount } from "./bitcount.ts";
import { bitfield, bitfieldRo } from "./bitfield.ts";
import { bitop } from "./bitop.ts";
import { bitpos } from "./bitpos.ts";
import { getbit, setbit } from "./setbit.ts";

/** The bitmap group. */
export const bitmapCommands: readonly Command[] = [
  bitcount,
  bitfield,
  bitfieldRo,
  bitop,
  bitpos,
  getbit,
  setbit,
];
