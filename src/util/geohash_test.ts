import { assertEquals } from "../../tests/_deps.ts";
import {
  areasByShape,
  decodeScore,
  estimateStepsByRadius,
  geoDistance,
  geohashScore,
  geohashString,
  scoreToUint64,
  searchRanges,
} from "./geohash.ts";

// Expected values below come from Redis 7.0.15.

Deno.test("geohashScore encodes positions as Redis's 52-bit scores", () => {
  assertEquals(geohashScore(13.361389, 38.115556), 3479099956230698n);
  assertEquals(geohashScore(15.087269, 37.502669), 3479447370796909n);
  assertEquals(geohashScore(-180, -85.05112878), 0n);
  // The upper limits overflow the 26-bit cells into bits 52 and 53.
  assertEquals(geohashScore(180, 85.05112878), 13510798882111488n);
  assertEquals(geohashScore(0, 85.05112878), 6755399441055744n);
  assertEquals(geohashScore(180.0000001, 0), undefined);
  assertEquals(geohashScore(0, 85.06), undefined);
});

Deno.test("decodeScore returns cell centres, clamped, for any score", () => {
  assertEquals(decodeScore(3479099956230698), [
    13.361389338970184,
    38.1155563954963,
  ]);
  assertEquals(decodeScore(13510798882111488), [180, 85.05112878]);
  assertEquals(decodeScore(-1), [180, 85.05112878]);
  assertEquals(decodeScore(1e30), decodeScore(0));
  assertEquals(decodeScore(1e15), [-31.012341678142548, -32.19914967503108]);
});

Deno.test("scoreToUint64 converts like x86-64 code does", () => {
  assertEquals(scoreToUint64(1.5), 1n);
  assertEquals(scoreToUint64(-1), 0xffffffffffffffffn);
  assertEquals(scoreToUint64(2 ** 63), 2n ** 63n);
  assertEquals(scoreToUint64(1e30), 0n);
  assertEquals(scoreToUint64(-1e30), 2n ** 63n);
});

Deno.test("geohashString matches GEOHASH", () => {
  assertEquals(geohashString(3479099956230698), "sqc8b49rny0");
  assertEquals(geohashString(13510798882111488), "bp05b5048p0");
  assertEquals(geohashString(10133099161583616), "80000000000");
  assertEquals(geohashString(0), "00bh0hbj200");
  assertEquals(geohashString(1.5), "00bh0hbj210");
});

Deno.test("geoDistance is the haversine distance Redis computes", () => {
  assertEquals(
    geoDistance(decodeScore(3479099956230698), decodeScore(3479447370796909))
      .toFixed(4),
    "166274.1516",
  );
});

Deno.test("estimateStepsByRadius and the search cells", () => {
  assertEquals(estimateStepsByRadius(0, 0), 26);
  assertEquals(estimateStepsByRadius(200000, 0), 6);
  assertEquals(estimateStepsByRadius(200000, 70), 5);
  assertEquals(estimateStepsByRadius(200000, 85), 4);
  assertEquals(estimateStepsByRadius(1e9, 0), 1);
  const ranges = searchRanges(
    areasByShape({
      type: "radius",
      center: [15, 37],
      conversion: 1000,
      radius: 200,
    }),
  );
  // One of the cells holds Catania (56 km away).
  const catania = 3479447370796909;
  assertEquals(
    ranges.some(([min, max]) => min <= catania && catania < max),
    true,
  );
  assertEquals(ranges.length <= 9, true);
});
