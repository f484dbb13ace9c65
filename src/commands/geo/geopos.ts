/**
 * GEOPOS key [member [member ...]]
 * GEOHASH key [member [member ...]]
 * GEODIST key member1 member2 [M | KM | FT | MI]
 *
 * @module
 */
import { syntaxError } from "../../errors.ts";
import { NULL_ARRAY } from "../../protocol/reply.ts";
import type { Reply } from "../../protocol/types.ts";
import { decodeScore, geoDistance, geohashString } from "../../util/geohash.ts";
import { defineCommand, keyAt } from "../define.ts";
import { zsetForRead } from "../sorted_set/common.ts";
import { coordinateReply, distanceReply, parseUnit } from "./common.ts";
import { GEODIST_ARGS, GEOHASH_ARGS, GEOPOS_ARGS } from "./arguments.ts";

/** GEOPOS: the positions of members (null arrays for missing ones). */
export const geopos = defineCommand({
  name: "geopos",
  group: "geo",
  summary: "Returns longitude and latitude of members of a geospatial index",
  since: "3.2.0",
  complexity: "O(N) where N is the number of members requested.",
  arity: -2,
  flags: ["readonly"],
  acl: ["geo"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: GEOPOS_ARGS },
  handler(ctx) {
    const argv = ctx.argv;
    const zset = zsetForRead(ctx, argv[1]!);
    const out: Reply[] = [];
    for (let i = 2; i < argv.length; i++) {
      const score = zset?.score(argv[i]!);
      if (score === undefined) {
        out.push(NULL_ARRAY);
      } else {
        const [lon, lat] = decodeScore(score);
        out.push([coordinateReply(lon), coordinateReply(lat)]);
      }
    }
    return out;
  },
});

/** GEOHASH: 11-character geohash strings of members (null for missing ones). */
export const geohash = defineCommand({
  name: "geohash",
  group: "geo",
  summary: "Returns members of a geospatial index as standard geohash strings",
  since: "3.2.0",
  complexity:
    "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
  arity: -2,
  flags: ["readonly"],
  acl: ["geo"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: GEOHASH_ARGS },
  handler(ctx) {
    const argv = ctx.argv;
    const zset = zsetForRead(ctx, argv[1]!);
    const out: Reply[] = [];
    for (let i = 2; i < argv.length; i++) {
      const score = zset?.score(argv[i]!);
      out.push(score === undefined ? null : geohashString(score));
    }
    return out;
  },
});

/** GEODIST: the distance between two members, in the given unit. */
export const geodist = defineCommand({
  name: "geodist",
  group: "geo",
  summary: "Returns the distance between two members of a geospatial index",
  since: "3.2.0",
  complexity: "O(log(N))",
  arity: -4,
  flags: ["readonly"],
  acl: ["geo"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: GEODIST_ARGS },
  handler(ctx) {
    const argv = ctx.argv;
    let toMeters = 1;
    if (argv.length === 5) toMeters = parseUnit(argv[4]!);
    else if (argv.length > 5) throw syntaxError();
    const zset = zsetForRead(ctx, argv[1]!);
    if (zset === undefined) return null;
    const s1 = zset.score(argv[2]!);
    const s2 = zset.score(argv[3]!);
    if (s1 === undefined || s2 === undefined) return null;
    return distanceReply(
      geoDistance(decodeScore(s1), decodeScore(s2)) / toMeters,
    );
  },
});
