/**
 * Geohashing as Redis's GEO commands do it, bit for bit.
 *
 * A position becomes a 52-bit integer: longitude and latitude are each
 * scaled to 26-bit cells over [-180, 180] and [-85.05112878, 85.05112878]
 * (the Web Mercator limits), and their bits are interleaved, latitude in
 * the even positions. That integer is the member's score in the sorted
 * set, so a geohash cell is a contiguous score range.
 *
 * A radius or box search covers its bounding box with the cell containing
 * the centre plus its eight neighbours, at the coarsest precision ("step")
 * whose cells are still large enough, and then checks each member of those
 * nine score ranges against the exact shape with the haversine distance on
 * a sphere of radius 6372797.560856 m.
 *
 * Every floating-point operation happens in the same order as in Redis, so
 * results (membership at the edges included) match it. Hash values are
 * bigints where a cell at any step can need all 64 bits of Redis's
 * arithmetic; the per-member hot path (decoding a score) stays in numbers.
 *
 * @module
 */

/** Longitude limits. */
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
/** Latitude limits (Web Mercator). */
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
/** Bits per coordinate in a stored score. */
export const GEO_STEP_MAX = 26;

/** Earth's quadratic mean radius, as Redis uses it. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

/** A cell: interleaved bits (2 * step of them) at a precision step. */
export interface GeoHashBits {
  bits: bigint;
  step: number;
}

/** A coordinate interval. */
export interface GeoRange {
  min: number;
  max: number;
}

/** The extent of a cell. */
export interface GeoArea {
  lon: GeoRange;
  lat: GeoRange;
}

/** The ranges scores are computed over. */
export const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges (GEOHASH strings). */
export const STANDARD_LAT_RANGE: GeoRange = { min: -90, max: 90 };

function degRad(angle: number): number {
  return angle * D_R;
}

function radDeg(angle: number): number {
  return angle / D_R;
}

// Spreads the low 16 bits of v over the even bits of a 32-bit word.
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

// Gathers the even bits of a 32-bit word into 16 bits.
function squeeze16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** Interleaves two 32-bit values: `x` in the even bits, `y` in the odd ones. */
export function interleave(x: number, y: number): bigint {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

// Double to uint32_t as C converts in range (truncation); callers stay in range.
function toUint32(v: number): number {
  return Math.trunc(v) >>> 0;
}

/** A position: `[longitude, latitude]`. */
export type LonLat = readonly [number, number];

/** Options of `geohashEncode`. */
export interface EncodeOptions {
  /** Bits per coordinate (1 to 32). */
  step: number;
  /** Latitude range (default: the Web Mercator limits scores use). */
  latRange?: GeoRange;
}

/**
 * Redis's geohashEncode: the cell of (lon, lat) at `step` over the given
 * ranges, or undefined outside the ranges (or the Web Mercator limits).
 */
export function geohashEncode(
  lon: number,
  lat: number,
  options: EncodeOptions,
): GeoHashBits | undefined {
  const step = options.step;
  const lonRange = LONG_RANGE;
  const latRange = options.latRange ?? LAT_RANGE;
  if (step > 32 || step === 0) return undefined;
  if (
    lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX ||
    lat < GEO_LAT_MIN
  ) {
    return undefined;
  }
  if (
    lat < latRange.min || lat > latRange.max || lon < lonRange.min ||
    lon > lonRange.max
  ) {
    return undefined;
  }
  let latOffset = (lat - latRange.min) / (latRange.max - latRange.min);
  let lonOffset = (lon - lonRange.min) / (lonRange.max - lonRange.min);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  return { bits: interleave(toUint32(latOffset), toUint32(lonOffset)), step };
}

/** The sorted-set score of (lon, lat), or undefined when out of range. */
export function geohashScore(lon: number, lat: number): bigint | undefined {
  const hash = geohashEncode(lon, lat, { step: GEO_STEP_MAX });
  return hash === undefined ? undefined : align52(hash);
}

/** The cell's bits shifted to 52 bits (the first score inside it). */
export function align52(hash: GeoHashBits): bigint {
  return hash.bits << BigInt(52 - hash.step * 2);
}

function areaOf(
  lonRange: GeoRange,
  latRange: GeoRange,
  ilato: number,
  ilono: number,
  step: number,
): GeoArea {
  const latScale = latRange.max - latRange.min;
  const lonScale = lonRange.max - lonRange.min;
  const cells = 2 ** step;
  // C adds 1 to a uint32_t: it wraps around.
  const latNext = (ilato + 1) >>> 0;
  const lonNext = (ilono + 1) >>> 0;
  return {
    lat: {
      min: latRange.min + (ilato / cells) * latScale,
      max: latRange.min + (latNext / cells) * latScale,
    },
    lon: {
      min: lonRange.min + (ilono / cells) * lonScale,
      max: lonRange.min + (lonNext / cells) * lonScale,
    },
  };
}

/** Redis's geohashDecode: the extent of a cell (over the score ranges). */
export function geohashDecode(hash: GeoHashBits): GeoArea {
  const lo = Number(hash.bits & 0xffffffffn);
  const hi = Number((hash.bits >> 32n) & 0xffffffffn);
  const ilato = (squeeze16(lo) | (squeeze16(hi) << 16)) >>> 0;
  const ilono = (squeeze16(lo >>> 1) | (squeeze16(hi >>> 1) << 16)) >>> 0;
  return areaOf(LONG_RANGE, LAT_RANGE, ilato, ilono, hash.step);
}

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;
const TWO_63 = 2 ** 63;

/**
 * A score converted to uint64_t as the x86-64 code Redis is built into
 * does (`(uint64_t)score`): truncation, negative values wrap, values out of
 * range give what cvttsd2si gives.
 */
export function scoreToUint64(score: number): bigint {
  if (score < TWO_63) {
    const t = Math.trunc(score);
    if (t >= -TWO_63) return BigInt.asUintN(64, BigInt(t));
    return 1n << 63n;
  }
  const t = Math.trunc(score - TWO_63);
  if (t < TWO_63) return BigInt(t) + (1n << 63n);
  return 0n;
}

/** Clamps a decoded position to the valid ranges (Redis does after decoding). */
function clampInto(xy: [number, number]): [number, number] {
  if (xy[0] > GEO_LONG_MAX) xy[0] = GEO_LONG_MAX;
  if (xy[0] < GEO_LONG_MIN) xy[0] = GEO_LONG_MIN;
  if (xy[1] > GEO_LAT_MAX) xy[1] = GEO_LAT_MAX;
  if (xy[1] < GEO_LAT_MIN) xy[1] = GEO_LAT_MIN;
  return xy;
}

/** The centre of a cell, clamped to the valid ranges: `[lon, lat]`. */
export function areaCenter(area: GeoArea): [number, number] {
  return clampInto([
    (area.lon.min + area.lon.max) / 2,
    (area.lat.min + area.lat.max) / 2,
  ]);
}

/**
 * Redis's decodeGeohash: the position `[lon, lat]` a sorted-set score
 * stands for (any score decodes to something; a score of 0 is a corner).
 */
export function decodeScore(score: number): [number, number] {
  let lo: number;
  let hi: number;
  if (score >= 0 && score < TWO_53) {
    const bits = Math.trunc(score);
    lo = bits % TWO_32;
    hi = (bits - lo) / TWO_32;
  } else {
    const bits = scoreToUint64(score);
    lo = Number(bits & 0xffffffffn);
    hi = Number(bits >> 32n);
  }
  const ilato = (squeeze16(lo) | (squeeze16(hi) << 16)) >>> 0;
  const ilono = (squeeze16(lo >>> 1) | (squeeze16(hi >>> 1) << 16)) >>> 0;
  return areaCenter(
    areaOf(LONG_RANGE, LAT_RANGE, ilato, ilono, GEO_STEP_MAX),
  );
}

const EVEN_BITS = 0x5555555555555555n;
const ODD_BITS = 0xaaaaaaaaaaaaaaaan;
const U64 = 0xffffffffffffffffn;

// Moves a cell one step along one axis, wrapping around as Redis's
// geohash_move_x and geohash_move_y do: `axis` holds that axis's bits
// (ODD_BITS: longitude, east for d > 0; EVEN_BITS: latitude, north) and
// `other` the bits of the axis left as it is.
function move(
  hash: GeoHashBits,
  d: number,
  axis: bigint,
  other: bigint,
): GeoHashBits {
  let v = hash.bits & axis;
  const kept = hash.bits & other;
  const shift = BigInt(64 - hash.step * 2);
  const zz = other >> shift;
  if (d > 0) {
    v = (v + (zz + 1n)) & U64;
  } else {
    v = v | zz;
    v = (v - (zz + 1n)) & U64;
  }
  v &= axis >> shift;
  return { bits: v | kept, step: hash.step };
}

function moveX(hash: GeoHashBits, d: number): GeoHashBits {
  return move(hash, d, ODD_BITS, EVEN_BITS);
}

function moveY(hash: GeoHashBits, d: number): GeoHashBits {
  return move(hash, d, EVEN_BITS, ODD_BITS);
}

/** The eight neighbours of a cell (a zero cell stands for "not searched"). */
export interface GeoNeighbors {
  north: GeoHashBits;
  south: GeoHashBits;
  east: GeoHashBits;
  west: GeoHashBits;
  northEast: GeoHashBits;
  northWest: GeoHashBits;
  southEast: GeoHashBits;
  southWest: GeoHashBits;
}

/** Redis's geohashNeighbors. */
export function geohashNeighbors(hash: GeoHashBits): GeoNeighbors {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

/** A search shape: a circle of `radius`, or a `width` x `height` box, in units of `conversion` metres. */
export type GeoShape =
  | {
    type: "radius";
    center: LonLat;
    conversion: number;
    radius: number;
  }
  | {
    type: "box";
    center: LonLat;
    conversion: number;
    width: number;
    height: number;
  };

/** Redis's geohashEstimateStepsByRadius. */
export function estimateStepsByRadius(
  rangeMeters: number,
  lat: number,
): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** Redis's geohashBoundingBox: `[minLon, minLat, maxLon, maxLat]`. */
export function boundingBox(shape: GeoShape): [number, number, number, number] {
  const [lon, lat] = shape.center;
  const height = shape.conversion *
    (shape.type === "radius" ? shape.radius : shape.height / 2);
  const width = shape.conversion *
    (shape.type === "radius" ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(
    width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat + latDelta)),
  );
  const lonDeltaBottom = radDeg(
    width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat - latDelta)),
  );
  const southern = lat < 0;
  return [
    southern ? lon - lonDeltaBottom : lon - lonDeltaTop,
    lat - latDelta,
    southern ? lon + lonDeltaBottom : lon + lonDeltaTop,
    lat + latDelta,
  ];
}

/** The nine cells to search: the centre's cell first, then its neighbours. */
export interface GeoSearchAreas {
  hash: GeoHashBits;
  neighbors: GeoNeighbors;
  area: GeoArea;
}

const ZERO_HASH: GeoHashBits = { bits: 0n, step: 0 };

/** Redis's geohashCalculateAreasByShapeWGS84. */
export function areasByShape(shape: GeoShape): GeoSearchAreas {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const [lon, lat] = shape.center;
  let radiusMeters = shape.type === "radius" ? shape.radius : Math.sqrt(
    (shape.width / 2) * (shape.width / 2) +
      (shape.height / 2) * (shape.height / 2),
  );
  radiusMeters *= shape.conversion;

  let steps = estimateStepsByRadius(radiusMeters, lat);
  let hash = geohashEncode(lon, lat, { step: steps })!;
  let neighbors = geohashNeighbors(hash);
  let area = geohashDecode(hash);

  // The estimated step can leave the bounding box poking out of the nine
  // cells near their edges: then use cells twice as large.
  const north = geohashDecode(neighbors.north);
  const south = geohashDecode(neighbors.south);
  const east = geohashDecode(neighbors.east);
  const west = geohashDecode(neighbors.west);
  const decrease = north.lat.max < maxLat || south.lat.min > minLat ||
    east.lon.max < maxLon || west.lon.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = geohashEncode(lon, lat, { step: steps })!;
    neighbors = geohashNeighbors(hash);
    area = geohashDecode(hash);
  }

  // Drop the neighbours the bounding box cannot reach.
  if (steps >= 2) {
    if (area.lat.min < minLat) {
      neighbors.south = ZERO_HASH;
      neighbors.southWest = ZERO_HASH;
      neighbors.southEast = ZERO_HASH;
    }
    if (area.lat.max > maxLat) {
      neighbors.north = ZERO_HASH;
      neighbors.northEast = ZERO_HASH;
      neighbors.northWest = ZERO_HASH;
    }
    if (area.lon.min < minLon) {
      neighbors.west = ZERO_HASH;
      neighbors.southWest = ZERO_HASH;
      neighbors.northWest = ZERO_HASH;
    }
    if (area.lon.max > maxLon) {
      neighbors.east = ZERO_HASH;
      neighbors.southEast = ZERO_HASH;
      neighbors.northEast = ZERO_HASH;
    }
  }
  return { hash, neighbors, area };
}

/**
 * The score ranges `[min, max)` to scan, in Redis's order (centre, N, S,
 * E, W, NE, NW, SE, SW), skipping zero cells and a cell equal to the one
 * scanned just before it (as Redis does, which never compares with the
 * centre).
 */
export function searchRanges(areas: GeoSearchAreas): [number, number][] {
  const n = areas.neighbors;
  const cells = [
    areas.hash,
    n.north,
    n.south,
    n.east,
    n.west,
    n.northEast,
    n.northWest,
    n.southEast,
    n.southWest,
  ];
  const out: [number, number][] = [];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.bits === 0n && cell.step === 0) continue;
    const prev = cells[last]!;
    if (last !== 0 && cell.bits === prev.bits && cell.step === prev.step) {
      continue;
    }
    out.push([
      Number(align52(cell)),
      Number(align52({ bits: cell.bits + 1n, step: cell.step })),
    ]);
    last = i;
  }
  return out;
}

/** Haversine distance in metres between two positions, as Redis computes it. */
export function geoDistance(from: LonLat, to: LonLat): number {
  const [lon1, lat1] = from;
  const [lon2, lat2] = to;
  const lat1r = degRad(lat1);
  const lon1r = degRad(lon1);
  const lat2r = degRad(lat2);
  const lon2r = degRad(lon2);
  const u = Math.sin((lat2r - lat1r) / 2);
  const v = Math.sin((lon2r - lon1r) / 2);
  return 2.0 * EARTH_RADIUS_IN_METERS *
    Math.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
}

/**
 * The distance from the shape's centre to `point` in metres when the
 * point is inside the shape, else undefined (Redis's geoWithinShape).
 */
export function distanceIfInShape(
  shape: GeoShape,
  point: LonLat,
): number | undefined {
  const center = shape.center;
  if (shape.type === "radius") {
    const d = geoDistance(center, point);
    return d > shape.radius * shape.conversion ? undefined : d;
  }
  const width = shape.width * shape.conversion;
  const height = shape.height * shape.conversion;
  const [lon, lat] = point;
  const lonDistance = geoDistance(point, [center[0], lat]);
  const latDistance = geoDistance(point, [lon, center[1]]);
  if (lonDistance > width / 2 || latDistance > height / 2) return undefined;
  return geoDistance(center, point);
}

const ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/**
 * The 11-character standard geohash of a score (GEOHASH): decoded, then
 * encoded again over [-90, 90] latitudes; the 11th character is always
 * `0` since only 52 bits exist.
 */
export function geohashString(score: number): string {
  const [lon, lat] = decodeScore(score);
  const hash = geohashEncode(lon, lat, {
    step: 26,
    latRange: STANDARD_LAT_RANGE,
  })!;
  let out = "";
  for (let i = 0; i < 10; i++) {
    const idx = Number((hash.bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += ALPHABET[idx];
  }
  return out + "0";
}
