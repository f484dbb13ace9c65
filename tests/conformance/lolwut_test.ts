/**
 * LOLWUT against real redis-server 7.0: the version line, VERSION 5's
 * Schotter in Braille (byte for byte where no randomness is involved: the
 * first two rows of squares are never moved) and VERSION 6's skyline
 * (random, so compared by shape), the argument parsing and the limits.
 */
import { differential } from "../_harness/differential.ts";

const ESC = String.fromCharCode(27);

// Random art compared by shape: every Braille character the same, every
// coloured pixel the same.
const brailleShape = (raw: string): string =>
  raw.replace(/\xe2[\xa0-\xa3][\x80-\xbf]/g, "B");
const skylineShape = (raw: string): string =>
  raw.replace(new RegExp(`${ESC}\\[0;\\d+;\\d+m ${ESC}\\[0m`, "g"), "P")
    .replace(/^[$=]\d+/, "");

differential(import.meta.url, {
  "LOLWUT prints the version; bad numbers are refused": [
    ["LOLWUT"],
    ["LOLWUT", "x"],
    ["LOLWUT", "1", "2"],
    ["LOLWUT", "VERSION"],
    ["LOLWUT", "VERSION", "4"],
    ["LOLWUT", "VERSION", "-1"],
    ["LOLWUT", "VERSION", "7"],
    ["LOLWUT", "VERSION", "49"],
    ["LOLWUT", "VERSION", "4.9"],
    ["LOLWUT", "VERSION", "x"],
    ["LOLWUT", "VERSION", "5", "x"],
    ["LOLWUT", "VERSION", "5", "1", "x"],
    ["LOLWUT", "VERSION", "6", "1", "1", "x"],
    ["LOLWUT", "version", "6", "x"],
  ],
  "LOLWUT VERSION 5 draws Schotter": [
    ["LOLWUT", "VERSION", "5", "1", "1", "1"],
    ["LOLWUT", "VERSION", "5", "0", "0", "0"],
    ["LOLWUT", "VERSION", "5", "2", "1", "1"],
    ["LOLWUT", "VERSION", "5", "13", "3", "1"],
    ["LOLWUT", "VERSION", "5", "40", "7", "2"],
    ["LOLWUT", "VERSION", "5", "66", "8", "2"],
    ["LOLWUT", "VERSION", "5", "3", "200", "2"],
    ["LOLWUT", "VERSION", "5", "2000", "500", "2"],
    { cmd: ["LOLWUT", "VERSION", "5"], mask: brailleShape, why: "random" },
    {
      cmd: ["LOLWUT", "VERSION", "4294967301", "30", "5", "9"],
      mask: brailleShape,
      why: "random",
    },
  ],
  "LOLWUT VERSION 6 draws a skyline": [
    ["LOLWUT", "VERSION", "6", "1", "1"],
    ["LOLWUT", "VERSION", "6", "0", "0"],
    ["LOLWUT", "VERSION", "6", "3", "1"],
    { cmd: ["LOLWUT", "VERSION", "6"], mask: skylineShape, why: "random" },
    {
      cmd: ["LOLWUT", "VERSION", "6", "33", "7"],
      mask: skylineShape,
      why: "random",
    },
  ],
  "LOLWUT in RESP3 is a verbatim string": {
    protocol: 3,
    steps: [
      ["LOLWUT"],
      ["LOLWUT", "VERSION", "5", "3", "1", "1"],
      ["LOLWUT", "VERSION", "6", "2", "1"],
    ],
  },
});
