/**
 * Geo commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { geoadd } from "./geoadd.ts";
import { geodist, geohash, geopos } from "./geopos.ts";
import {
  georadius,
  georadiusbymember,
  georadiusbymemberRo,
  georadiusRo,
  geosearch,
  geosearchstore,
} from "./search.ts";

/** The geo group. */
export const geoCommands: readonly Command[] = [
  geoadd,
  geopos,
  geodist,
  geohash,
  geosearch,
  geosearchstore,
  georadius,
  georadiusbymember,
  georadiusRo,
  georadiusbymemberRo,
];
