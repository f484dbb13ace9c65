/**
 * GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { ZADD_NX, ZADD_XX } from "../../store/zset_value.ts";
import { geohashScore } from "../../util/geohash.ts";
import { defineCommand, keyAt } from "../define.ts";
import { applyZadd, type ZaddOptions } from "../sorted_set/zadd.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import { parseLonLat } from "./common.ts";
import { GEOADD_ARGS } from "./arguments.ts";

/** GEOADD: adds positions, stored as ZADD would store their geohash scores. */
export const geoadd = defineCommand({
  name: "geoadd",
  group: "geo",
  summary:
    "Add one or more geospatial items in the geospatial index represented using a sorted set",
  since: "3.2.0",
  complexity:
    "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
  arity: -5,
  flags: ["write", "denyoom"],
  acl: ["geo"],
  keys: [keyAt(1, "RW UPDATE")],
  docs: {
    arguments: GEOADD_ARGS,
    history: [["6.2.0", "Added the `CH`, `NX` and `XX` options."]],
  },
  handler(ctx) {
    const argv = ctx.argv;
    const options: ZaddOptions = { flags: 0, ch: false };
    // Only NX, XX and CH are options here; GT, LT or INCR would start the
    // coordinates (and fail to parse as a longitude).
    let first = 2;
    for (; first < argv.length; first++) {
      const word = argv[first]!;
      if (eqIgnoreCase(word, "nx")) options.flags |= ZADD_NX;
      else if (eqIgnoreCase(word, "xx")) options.flags |= ZADD_XX;
      else if (eqIgnoreCase(word, "ch")) options.ch = true;
      else break;
    }
    const words = argv.length - first;
    if (
      words % 3 !== 0 ||
      ((options.flags & ZADD_NX) && (options.flags & ZADD_XX))
    ) {
      throw syntaxError();
    }
    // Redis hands the rewritten command to ZADD, which refuses no elements.
    if (words === 0) throw syntaxError();
    const scores: number[] = [];
    const members: string[] = [];
    const zaddArgv = ["zadd", ...argv.slice(1, first)];
    for (let i = first; i < argv.length; i += 3) {
      const [lon, lat] = parseLonLat(argv[i]!, argv[i + 1]!);
      const score = geohashScore(lon, lat)!;
      scores.push(Number(score));
      members.push(argv[i + 2]!);
      zaddArgv.push(score.toString(), argv[i + 2]!);
    }
    ctx.propagateAs(zaddArgv);
    return applyZadd(ctx, argv[1]!, { ...options, scores, members });
  },
});
