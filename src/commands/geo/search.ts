/**
 * GEOSEARCH key FROMMEMBER member | FROMLONLAT longitude latitude
 *   BYRADIUS radius unit | BYBOX width height unit
 *   [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
 * GEOSEARCHSTORE destination source (same) [STOREDIST]
 * GEORADIUS key longitude latitude radius unit [WITHCOORD] [WITHDIST]
 *   [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
 * GEORADIUSBYMEMBER key member radius unit (same options)
 * GEORADIUS_RO, GEORADIUSBYMEMBER_RO (without STORE)
 *
 * @module
 */
import {
  boxNegative,
  geoAnyNeedsCount,
  geoCountNotPositive,
  geoMemberNotFound,
  geoNeedsBy,
  geoNeedsFrom,
  geoStoreWithOptions,
  needNumeric,
  notInteger,
  radiusNegative,
  syntaxError,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_GENERIC, NOTIFY_ZSET } from "../../state.ts";
import { ZSetValue } from "../../store/zset_value.ts";
import { eqIgnoreCase } from "../../util/bytes.ts";
import {
  areasByShape,
  decodeScore,
  distanceIfInShape,
  type GeoShape,
  searchRanges,
} from "../../util/geohash.ts";
import { parseDouble, parseIntNumber } from "../../util/number.ts";
import { defineCommand, keyAt, keysAfterKeyword } from "../define.ts";
import type { CommandDocs, Context } from "../types.ts";
import { zsetForRead } from "../sorted_set/common.ts";
import { storeZset } from "../sorted_set/zrange.ts";
import {
  coordinateReply,
  distanceReply,
  parseLonLat,
  parseUnit,
} from "./common.ts";
import { partialSort } from "./partial_sort.ts";
import {
  GEORADIUS_ARGS,
  GEORADIUS_RO_ARGS,
  GEORADIUSBYMEMBER_ARGS,
  GEORADIUSBYMEMBER_RO_ARGS,
  GEOSEARCH_ARGS,
  GEOSEARCHSTORE_ARGS,
} from "./arguments.ts";

/** Search around given coordinates (GEORADIUS). */
const RADIUS_COORDS = 1;
/** Search around a member (GEORADIUSBYMEMBER). */
const RADIUS_MEMBER = 2;
/** No STORE/STOREDIST option (the _RO variants). */
const RADIUS_NOSTORE = 4;
/** GEOSEARCH's argument syntax. */
const GEOSEARCH = 8;
/** GEOSEARCHSTORE: destination first, STOREDIST as a flag. */
const GEOSEARCHSTORE = 16;

/** A member found inside the shape. */
interface GeoPoint {
  member: string;
  score: number;
  lon: number;
  lat: number;
  /** Distance from the centre, in metres until the reply converts it. */
  dist: number;
}

function ascending(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function descending(a: GeoPoint, b: GeoPoint): number {
  return -ascending(a, b);
}

function radiusOf(text: string): number {
  const v = parseDouble(text);
  if (v === undefined) throw needNumeric("radius");
  if (v < 0) throw radiusNegative();
  return v;
}

/**
 * Collects the members inside `shape` from the nine cells around it, in
 * Redis's order; stops early once `limit` (ANY) members were found.
 */
function pointsInShape(
  zset: ZSetValue,
  shape: GeoShape,
  limit: number,
): GeoPoint[] {
  const found: GeoPoint[] = [];
  const tree = zset.tree;
  for (const [min, max] of searchRanges(areasByShape(shape))) {
    if (found.length !== 0 && limit !== 0 && found.length >= limit) break;
    const range = { min, max, minex: false, maxex: true };
    const start = tree.rangeStart(range);
    const end = tree.rangeEnd(range);
    const c = tree.cursor(start);
    for (let rank = start; rank < end; rank++, c.next()) {
      const score = c.score;
      const point = decodeScore(score);
      const dist = distanceIfInShape(shape, point);
      if (dist !== undefined) {
        found.push({
          member: c.member,
          score,
          lon: point[0],
          lat: point[1],
          dist,
        });
      }
      if (found.length !== 0 && limit !== 0 && found.length >= limit) break;
    }
  }
  return found;
}

/** Redis's georadiusGeneric. */
function georadiusGeneric(
  ctx: Context,
  srcKeyIndex: number,
  flags: number,
): Reply {
  const argv = ctx.argv;
  const zset = zsetForRead(ctx, argv[srcKeyIndex]!);
  let storeKey: string | undefined;
  let storeDist = false;
  let lon = 0;
  let lat = 0;
  let conversion = 1;
  let type: "radius" | "box" = "radius";
  let radius = 0;
  let width = 0;
  let height = 0;
  let base: number;
  if (flags & RADIUS_COORDS) {
    base = 6;
    [lon, lat] = parseLonLat(argv[2]!, argv[3]!);
    radius = radiusOf(argv[4]!);
    conversion = parseUnit(argv[5]!);
  } else if ((flags & RADIUS_MEMBER) && zset === undefined) {
    // No key: the options are still checked, to pick the right reply.
    base = 5;
  } else if (flags & RADIUS_MEMBER) {
    base = 5;
    const score = zset!.score(argv[2]!);
    if (score === undefined) throw geoMemberNotFound();
    [lon, lat] = decodeScore(score);
    radius = radiusOf(argv[3]!);
    conversion = parseUnit(argv[4]!);
  } else {
    base = 2;
    if (flags & GEOSEARCHSTORE) {
      base = 3;
      storeKey = argv[1]!;
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort: "none" | "asc" | "desc" = "none";
  let any = false;
  let count = 0;
  const remaining = argv.length - base;
  for (let i = 0; i < remaining; i++) {
    const at = base + i;
    const arg = argv[at]!;
    const search = (flags & GEOSEARCH) !== 0;
    if (eqIgnoreCase(arg, "withdist")) {
      withDist = true;
    } else if (eqIgnoreCase(arg, "withhash")) {
      withHash = true;
    } else if (eqIgnoreCase(arg, "withcoord")) {
      withCoords = true;
    } else if (eqIgnoreCase(arg, "any")) {
      any = true;
    } else if (eqIgnoreCase(arg, "asc")) {
      sort = "asc";
    } else if (eqIgnoreCase(arg, "desc")) {
      sort = "desc";
    } else if (eqIgnoreCase(arg, "count") && i + 1 < remaining) {
      const v = parseIntNumber(argv[at + 1]!);
      if (v === undefined) throw notInteger();
      if (v <= 0) throw geoCountNotPositive();
      count = v;
      i++;
    } else if (
      eqIgnoreCase(arg, "store") && i + 1 < remaining &&
      !(flags & RADIUS_NOSTORE) && !search
    ) {
      storeKey = argv[at + 1]!;
      storeDist = false;
      i++;
    } else if (
      eqIgnoreCase(arg, "storedist") && i + 1 < remaining &&
      !(flags & RADIUS_NOSTORE) && !search
    ) {
      storeKey = argv[at + 1]!;
      storeDist = true;
      i++;
    } else if (
      eqIgnoreCase(arg, "storedist") && search && (flags & GEOSEARCHSTORE)
    ) {
      storeDist = true;
    } else if (
      eqIgnoreCase(arg, "frommember") && i + 1 < remaining && search &&
      !fromLoc
    ) {
      if (zset !== undefined) {
        const score = zset.score(argv[at + 1]!);
        if (score === undefined) throw geoMemberNotFound();
        [lon, lat] = decodeScore(score);
      }
      fromMember = true;
      i++;
    } else if (
      eqIgnoreCase(arg, "fromlonlat") && i + 2 < remaining && search &&
      !fromMember
    ) {
      [lon, lat] = parseLonLat(argv[at + 1]!, argv[at + 2]!);
      fromLoc = true;
      i += 2;
    } else if (
      eqIgnoreCase(arg, "byradius") && i + 2 < remaining && search && !byBox
    ) {
      radius = radiusOf(argv[at + 1]!);
      conversion = parseUnit(argv[at + 2]!);
      type = "radius";
      byRadius = true;
      i += 2;
    } else if (
      eqIgnoreCase(arg, "bybox") && i + 3 < remaining && search && !byRadius
    ) {
      const w = parseDouble(argv[at + 1]!);
      if (w === undefined) throw needNumeric("width");
      const h = parseDouble(argv[at + 2]!);
      if (h === undefined) throw needNumeric("height");
      if (h < 0 || w < 0) throw boxNegative();
      width = w;
      height = h;
      conversion = parseUnit(argv[at + 3]!);
      type = "box";
      byBox = true;
      i += 3;
    } else {
      throw syntaxError();
    }
  }

  if (storeKey !== undefined && (withDist || withHash || withCoords)) {
    throw geoStoreWithOptions(
      flags & GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS",
    );
  }
  if ((flags & GEOSEARCH) && !(fromMember || fromLoc)) {
    throw geoNeedsFrom(argv[0]!);
  }
  if ((flags & GEOSEARCH) && !(byRadius || byBox)) {
    throw geoNeedsBy(argv[0]!);
  }
  if (any && count === 0) throw geoAnyNeedsCount();

  if (zset === undefined) {
    if (storeKey === undefined) return [];
    if (ctx.db.delete(storeKey)) {
      ctx.notify(NOTIFY_GENERIC, "del", storeKey);
      ctx.dirty();
    }
    return 0;
  }

  // COUNT without an order means the closest ones (ANY aside).
  if (count !== 0 && sort === "none" && !any) sort = "asc";

  const center = [lon, lat] as const;
  const shape: GeoShape = type === "radius"
    ? { type, center, conversion, radius }
    : { type, center, conversion, width, height };
  const points = pointsInShape(zset, shape, any ? count : 0);
  if (points.length === 0 && storeKey === undefined) return [];

  const total = points.length;
  const returned = count === 0 || total < count ? total : count;
  if (sort !== "none") {
    const cmp = sort === "asc" ? ascending : descending;
    if (returned === total) points.sort(cmp);
    else partialSort(points, { compare: cmp, count: returned });
  }

  if (storeKey === undefined) {
    const options = (withDist ? 1 : 0) + (withHash ? 1 : 0) +
      (withCoords ? 1 : 0);
    const out: Reply[] = [];
    for (let i = 0; i < returned; i++) {
      const p = points[i]!;
      if (options === 0) {
        out.push(p.member);
        continue;
      }
      const item: Reply[] = [p.member];
      if (withDist) item.push(distanceReply(p.dist / conversion));
      if (withHash) item.push(Math.trunc(p.score));
      if (withCoords) {
        item.push([coordinateReply(p.lon), coordinateReply(p.lat)]);
      }
      out.push(item);
    }
    return out;
  }

  if (returned === 0) {
    if (ctx.db.delete(storeKey)) {
      ctx.notify(NOTIFY_GENERIC, "del", storeKey);
      ctx.dirty();
    }
    return 0;
  }
  const result = new ZSetValue(false);
  const limits = ctx.server.encoding;
  let longest = 0;
  for (let i = 0; i < returned; i++) {
    const p = points[i]!;
    const score = storeDist ? p.dist / conversion : p.score;
    result.insert(score, p.member, limits);
    if (p.member.length > longest) longest = p.member.length;
  }
  result.convertToListpackIfNeeded(longest, limits);
  storeZset(ctx, storeKey, result);
  ctx.notify(
    NOTIFY_ZSET,
    flags & GEOSEARCH ? "geosearchstore" : "georadiusstore",
    storeKey,
  );
  ctx.dirty(returned);
  return returned;
}

const RADIUS_COMPLEXITY =
  "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
const SEARCH_COMPLEXITY =
  "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";
const UPPERCASE_UNITS: readonly [string, string] = [
  "7.0.0",
  "Added support for uppercase unit names.",
];

function deprecated(
  replacedBy: string,
  history: readonly (readonly [string, string])[],
): CommandDocs {
  return {
    docFlags: ["deprecated"],
    deprecatedSince: "6.2.0",
    replacedBy,
    ...(history.length === 0 ? {} : { history }),
  };
}

/** GEORADIUS: members within a radius of a position (optionally stored). */
export const georadius = defineCommand({
  name: "georadius",
  group: "geo",
  summary:
    "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
  since: "3.2.0",
  complexity: RADIUS_COMPLEXITY,
  arity: -6,
  flags: ["write", "denyoom"],
  acl: ["geo"],
  keys: [
    keyAt(1, "RO ACCESS"),
    keysAfterKeyword("STORE", 6, "OW UPDATE"),
    keysAfterKeyword("STOREDIST", 6, "OW UPDATE"),
  ],
  docs: {
    arguments: GEORADIUS_ARGS,
    ...deprecated(
      "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument",
      [["6.2.0", "Added the `ANY` option for `COUNT`."], UPPERCASE_UNITS],
    ),
  },
  handler(ctx) {
    return georadiusGeneric(ctx, 1, RADIUS_COORDS);
  },
});

/** GEORADIUSBYMEMBER: members within a radius of a member (optionally stored). */
export const georadiusbymember = defineCommand({
  name: "georadiusbymember",
  group: "geo",
  summary:
    "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
  since: "3.2.0",
  complexity: RADIUS_COMPLEXITY,
  arity: -5,
  flags: ["write", "denyoom"],
  acl: ["geo"],
  keys: [
    keyAt(1, "RO ACCESS"),
    keysAfterKeyword("STORE", 5, "OW UPDATE"),
    keysAfterKeyword("STOREDIST", 5, "OW UPDATE"),
  ],
  docs: {
    arguments: GEORADIUSBYMEMBER_ARGS,
    ...deprecated(
      "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments",
      [UPPERCASE_UNITS],
    ),
  },
  handler(ctx) {
    return georadiusGeneric(ctx, 1, RADIUS_MEMBER);
  },
});

/** GEORADIUS_RO: GEORADIUS without STORE. */
export const georadiusRo = defineCommand({
  name: "georadius_ro",
  group: "geo",
  summary: "A read-only variant for GEORADIUS",
  since: "3.2.10",
  complexity: RADIUS_COMPLEXITY,
  arity: -6,
  flags: ["readonly"],
  acl: ["geo"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: GEORADIUS_RO_ARGS,
    ...deprecated("`GEOSEARCH` with the `BYRADIUS` argument", [
      ["6.2.0", "Added the `ANY` option for `COUNT`."],
    ]),
  },
  handler(ctx) {
    return georadiusGeneric(ctx, 1, RADIUS_COORDS | RADIUS_NOSTORE);
  },
});

/** GEORADIUSBYMEMBER_RO: GEORADIUSBYMEMBER without STORE. */
export const georadiusbymemberRo = defineCommand({
  name: "georadiusbymember_ro",
  group: "geo",
  summary: "A read-only variant for GEORADIUSBYMEMBER",
  since: "3.2.10",
  complexity: RADIUS_COMPLEXITY,
  arity: -5,
  flags: ["readonly"],
  acl: ["geo"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: {
    arguments: GEORADIUSBYMEMBER_RO_ARGS,
    ...deprecated(
      "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments",
      [],
    ),
  },
  handler(ctx) {
    return georadiusGeneric(ctx, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
  },
});

/** GEOSEARCH: members inside a circle or box around a position or member. */
export const geosearch = defineCommand({
  name: "geosearch",
  group: "geo",
  summary:
    "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
  since: "6.2.0",
  complexity: SEARCH_COMPLEXITY,
  arity: -7,
  flags: ["readonly"],
  acl: ["geo"],
  keys: [keyAt(1, "RO ACCESS")],
  docs: { arguments: GEOSEARCH_ARGS, history: [UPPERCASE_UNITS] },
  handler(ctx) {
    return georadiusGeneric(ctx, 1, GEOSEARCH);
  },
});

/** GEOSEARCHSTORE: GEOSEARCH stored at a key (scores or, with STOREDIST, distances). */
export const geosearchstore = defineCommand({
  name: "geosearchstore",
  group: "geo",
  summary:
    "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
  since: "6.2.0",
  complexity: SEARCH_COMPLEXITY,
  arity: -8,
  flags: ["write", "denyoom"],
  acl: ["geo"],
  keys: [keyAt(1, "OW UPDATE"), keyAt(2, "RO ACCESS")],
  docs: { arguments: GEOSEARCHSTORE_ARGS, history: [UPPERCASE_UNITS] },
  handler(ctx) {
    return georadiusGeneric(ctx, 2, GEOSEARCH | GEOSEARCHSTORE);
  },
});
