/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
 *
 * @module
 */
import { invalidCursor, syntaxError } from "../../errors.ts";
import { asciiLower } from "../../util/bytes.ts";
import { globMatch } from "../../util/glob.ts";
import { typeOf } from "../../store/values.ts";
import { defineCommand } from "../define.ts";

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * A SCAN cursor as Redis's parseScanCursorOrReply reads it: `strtoul` in
 * base 10 over the whole word, so an optional sign is accepted (`-1` wraps
 * to 2^64-1), an empty word is 0, and a leading space, trailing garbage or
 * overflow is `invalid cursor`. Returns the cursor modulo 2^64.
 */
export function parseScanCursor(text: string): bigint {
  // The word is read as a C string: it ends at the first NUL byte.
  const nul = text.indexOf("\0");
  const s = nul < 0 ? text : text.slice(0, nul);
  if (s.length === 0) return 0n;
  if (/^[ \t\n\v\f\r]/.test(s)) throw invalidCursor();
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (m === null) throw invalidCursor();
  const magnitude = BigInt(m[2]!);
  if (magnitude > ULONG_MAX) throw invalidCursor();
  return m[1] === "-" ? (-magnitude) & ULONG_MAX : magnitude;
}

/** SCAN: one step of an iteration over the keys of the selected database. */
export const scan = defineCommand({
  name: "scan",
  group: "generic",
  summary: "Incrementally iterate the keys space",
  since: "2.8.0",
  complexity:
    "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
  arity: -2,
  flags: ["readonly"],
  acl: ["keyspace"],
  tips: ["nondeterministic_output", "request_policy:special"],
  docs: {
    history: [["6.0.0", "Added the `TYPE` subcommand."]],
    arguments: [
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", optional: true },
      { name: "count", type: "integer", token: "COUNT", optional: true },
      {
        name: "type",
        type: "string",
        token: "TYPE",
        since: "6.0.0",
        optional: true,
      },
    ],
  },
  handler(ctx, args) {
    const cursorIn = parseScanCursor(args.next());
    let count = 10;
    let pattern: string | undefined;
    let typeName: string | undefined;
    while (args.more) {
      const option = args.option();
      if (args.remaining < 1) throw syntaxError();
      if (option === "count") {
        count = args.long();
        if (count < 1) throw syntaxError();
      } else if (option === "match") {
        pattern = args.next();
        // `*` matches everything: no need to match at all.
        if (pattern === "*") pattern = undefined;
      } else if (option === "type") {
        typeName = asciiLower(args.next());
      } else {
        throw syntaxError();
      }
    }
    const db = ctx.db;
    const found: string[] = [];
    const collect = (key: string) => {
      found.push(key);
    };
    // Only the bits below the table size matter to the dict; keep the low
    // 32 (our tables are far smaller than 2^32 buckets).
    let cursor = Number(cursorIn & 0xffffffffn);
    // Like Redis, stop after ten empty-ish buckets per requested key so a
    // sparse table cannot make one call run for long.
    let maxIterations = count * 10;
    do {
      cursor = db.dict.scan(cursor, collect);
    } while (cursor !== 0 && maxIterations-- !== 0 && found.length < count);
    const keys: string[] = [];
    for (const key of found) {
      if (pattern !== undefined && !globMatch(pattern, key)) continue;
      if (typeName !== undefined) {
        const value = db.lookupReadNoTouch(key);
        if ((value === undefined ? "none" : typeOf(value)) !== typeName) {
          continue;
        }
      }
      if (db.expireIfNeeded(key)) continue;
      keys.push(key);
    }
    return [String(cursor), keys];
  },
});
