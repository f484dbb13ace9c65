/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
 *   [ASC|DESC] [ALPHA] [STORE destination]
 * SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
 *   [ASC|DESC] [ALPHA]
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import type { ArgDoc, Context, KeySpec } from "../types.ts";
import { aclCanReadAllKeys } from "../../acl/acl.ts";
import {
  notInteger,
  sortOptionDenied,
  sortScoresNotDouble,
  syntaxError,
  wrongType,
} from "../../errors.ts";
import type { Reply } from "../../protocol/types.ts";
import { NOTIFY_GENERIC, NOTIFY_LIST } from "../../state.ts";
import type { HashValue } from "../../store/hash_value.ts";
import { ListValue } from "../../store/list_value.ts";
import type { SetValue } from "../../store/set_value.ts";
import { shareString, stringToLatin1 } from "../../store/strings.ts";
import { isString, type StringValue } from "../../store/values.ts";
import type { ZSetValue } from "../../store/zset_value.ts";
import { asciiLower } from "../../util/bytes.ts";
import { parseIntNumber, strtod } from "../../util/number.ts";

/** One element being sorted: Redis's redisSortObject. */
interface SortItem {
  readonly obj: string;
  /** The numeric weight (0 when the BY key is missing). */
  score: number;
  /** The ALPHA weight from a BY key; undefined when the key is missing. */
  cmp: StringValue | undefined;
}

/** How the items compare (Redis keeps these in globals for qsort). */
interface SortOrder {
  desc: boolean;
  alpha: boolean;
  byPattern: boolean;
  store: boolean;
}

// Redis handles option words and patterns as C strings: they end at a NUL.
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

// memcmp order, shorter first on a tie (compareStringObjects). Latin1
// strings compare by char codes, which are the bytes.
function binaryCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// strcoll in the C locale redis-server runs in: strcmp, up to a NUL.
function collate(a: string, b: string): number {
  return binaryCompare(cString(a), cString(b));
}

function compareItems(o: SortOrder, a: SortItem, b: SortItem): number {
  let c: number;
  if (!o.alpha) {
    // Equal weights fall back to the elements, so the order is total.
    c = a.score > b.score
      ? 1
      : a.score < b.score
      ? -1
      : binaryCompare(a.obj, b.obj);
  } else if (o.byPattern) {
    if (a.cmp === undefined || b.cmp === undefined) {
      c = a.cmp === b.cmp ? 0 : a.cmp === undefined ? -1 : 1;
    } else {
      const x = stringToLatin1(a.cmp);
      const y = stringToLatin1(b.cmp);
      c = o.store ? binaryCompare(x, y) : collate(x, y);
    }
  } else {
    c = o.store ? binaryCompare(a.obj, b.obj) : collate(a.obj, b.obj);
  }
  return o.desc ? -c : c;
}

const C_SPACE = /^[ \t\n\v\f\r]+/;

/**
 * A weight as SORT reads it: glibc `strtod` up to the first NUL, refused
 * when anything is left over, on overflow or underflow (ERANGE) and for
 * NaN. An empty string weighs 0; blanks alone do not parse.
 */
function sortWeight(v: StringValue): number | undefined {
  const s = cString(stringToLatin1(v));
  if (s === "") return 0;
  const t = s.replace(C_SPACE, "");
  const n = strtod(t);
  if (n === undefined || Number.isNaN(n)) return undefined;
  if (!Number.isFinite(n)) {
    return /^[+-]?inf(inity)?$/i.test(t) ? n : undefined;
  }
  // glibc reports ERANGE for results it had to round into the subnormal
  // range or to zero. Hexadecimal input is exact there, decimal is not.
  if (Math.abs(n) < 2.2250738585072014e-308 && !/^[+-]?0[xX]/.test(t)) {
    if (/[1-9]/.test(t.replace(/[eE].*$/, ""))) return undefined;
  }
  return n;
}

/**
 * Redis's lookupKeyByPattern: the first `*` of the pattern becomes the
 * element, `->field` after it reads a hash field, `#` is the element
 * itself. Undefined when there is no `*`, the key is missing or of
 * another type, or the field is missing. Lookups count as keyspace reads.
 */
function lookupByPattern(
  ctx: Context,
  pattern: string,
  subst: string,
): StringValue | undefined {
  const end = pattern.indexOf("\0") < 0
    ? pattern.length
    : pattern.indexOf("\0");
  if (pattern.charCodeAt(0) === 35 && end === 1) return subst; // "#"
  const star = pattern.indexOf("*");
  if (star < 0 || star >= end) return undefined;
  const arrow = pattern.indexOf("->", star + 1);
  // The field runs to the end of the argument, NUL bytes included.
  const hasField = arrow >= 0 && arrow + 2 < end;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, keyEnd);
  const v = ctx.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (hasField) {
    if (isString(v) || v.type !== "hash") return undefined;
    return (v as HashValue).get(pattern.slice(arrow + 2));
  }
  return isString(v) ? v : undefined;
}

// True for a script's own client (Redis's CLIENT_SCRIPT) while it runs a
// script's command: scripting sets the caller on it for the script's run.
function calledFromScript(ctx: Context): boolean {
  return ctx.client.scriptCaller !== undefined;
}

/**
 * Redis's pqsort: the BSD quicksort (Bentley-McIlroy) that only recurses
 * into partitions overlapping [lrange, rrange]. SORT uses it with BY and a
 * LIMIT; elements of equal weight (ALPHA with missing BY keys) end up in
 * the order it leaves them, so it is reproduced exactly.
 */
function pqsort<T>(
  v: T[],
  cmp: (a: T, b: T) => number,
  lrange: number,
  rrange: number,
): void {
  const swap = (i: number, j: number) => {
    const t = v[i]!;
    v[i] = v[j]!;
    v[j] = t;
  };
  const vecswap = (i: number, j: number, n: number) => {
    for (; n > 0; n--) swap(i++, j++);
  };
  const med3 = (a: number, b: number, c: number) =>
    cmp(v[a]!, v[b]!) < 0
      ? (cmp(v[b]!, v[c]!) < 0 ? b : cmp(v[a]!, v[c]!) < 0 ? c : a)
      : (cmp(v[b]!, v[c]!) > 0 ? b : cmp(v[a]!, v[c]!) < 0 ? a : c);
  const insertion = (a: number, n: number) => {
    for (let pm = a + 1; pm < a + n; pm++) {
      for (let pl = pm; pl > a && cmp(v[pl - 1]!, v[pl]!) > 0; pl--) {
        swap(pl, pl - 1);
      }
    }
  };
  const outside = (l: number, r: number) =>
    (lrange < l && rrange < l) || (lrange > r && rrange > r);
  const sort = (a: number, n: number): void => {
    for (;;) {
      if (n < 7) {
        insertion(a, n);
        return;
      }
      let pm = a + (n >>> 1);
      if (n > 7) {
        let pl = a;
        let pn = a + n - 1;
        if (n > 40) {
          const d = n >>> 3;
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(a, pm);
      let pa = a + 1;
      let pb = pa;
      let pc = a + n - 1;
      let pd = pc;
      let swapped = false;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(v[pb]!, v[a]!)) <= 0) {
          if (r === 0) {
            swapped = true;
            swap(pa++, pb);
          }
          pb++;
        }
        while (pb <= pc && (r = cmp(v[pc]!, v[a]!)) >= 0) {
          if (r === 0) {
            swapped = true;
            swap(pc, pd--);
          }
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
        swapped = true;
      }
      if (!swapped) {
        insertion(a, n);
        return;
      }
      const pn = a + n;
      let r = Math.min(pa - a, pb - pa);
      vecswap(a, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      r = pb - pa;
      if (r > 1 && !outside(a, a + r - 1)) sort(a, r);
      r = pd - pc;
      if (r <= 1) return;
      a = pn - r;
      n = r;
      if (outside(a, a + r - 1)) return;
    }
  };
  sort(0, v.length);
}

// Redis's sortCommandGeneric.
function sortGeneric(ctx: Context, readonly: boolean): Reply {
  const argv = ctx.argv;
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | undefined;
  let storekey: string | undefined;
  const gets: string[] = [];
  // Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess: BY and GET read keys
  // no key spec names, so they need a selector that may read every key.
  const keyAccess = aclCanReadAllKeys(
    ctx.server,
    ctx.client,
    ctx.command,
    ctx.argv,
  );
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = asciiLower(cString(argv[j]!));
    if (opt === "asc") {
      desc = false;
    } else if (opt === "desc") {
      desc = true;
    } else if (opt === "alpha") {
      alpha = true;
    } else if (opt === "limit" && left >= 2) {
      const start = parseIntNumber(argv[j + 1]!);
      const count = parseIntNumber(argv[j + 2]!);
      if (start === undefined || count === undefined) throw notInteger();
      limitStart = start;
      limitCount = count;
      j += 2;
    } else if (!readonly && opt === "store" && left >= 1) {
      storekey = argv[++j]!;
    } else if (opt === "by" && left >= 1) {
      sortby = argv[++j]!;
      // A pattern without `*` names no keys: nothing to weigh, no sorting.
      if (!cString(sortby).includes("*")) dontsort = true;
      else if (!keyAccess) throw sortOptionDenied("BY");
    } else if (opt === "get" && left >= 1) {
      if (!keyAccess) throw sortOptionDenied("GET");
      gets.push(argv[++j]!);
    } else {
      throw syntaxError();
    }
  }

  const found = ctx.db.lookupRead(argv[1]!);
  if (
    found !== undefined &&
    (isString(found) ||
      (found.type !== "set" && found.type !== "list" && found.type !== "zset"))
  ) {
    throw wrongType();
  }
  const sortval = found ?? new ListValue();
  const type = sortval.type;

  // A set has no order of its own: when the result is stored or goes to a
  // script, sort it anyway so replicas and AOF agree.
  if (
    dontsort && type === "set" &&
    (storekey !== undefined || calledFromScript(ctx))
  ) {
    dontsort = false;
    alpha = true;
    sortby = undefined;
  }
  // Redis converts a listpack sorted set for good before sorting it.
  if (type === "zset") (sortval as ZSetValue).toSkiplist();

  let vectorlen = type === "list"
    ? (sortval as ListValue).length
    : type === "set"
    ? (sortval as SetValue).size
    : (sortval as ZSetValue).size;
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  const count = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  // Lists and sorted sets left unsorted load only the range asked for.
  if (
    (type === "zset" || type === "list") && dontsort &&
    (start !== 0 || end !== vectorlen - 1)
  ) {
    vectorlen = end - start + 1;
  }

  const vector: SortItem[] = [];
  const item = (obj: string): SortItem => ({ obj, score: 0, cmp: undefined });
  if (type === "list" && dontsort) {
    const list = sortval as ListValue;
    if (end >= start) {
      const len = list.length;
      for (let j = 0; j < vectorlen; j++) {
        vector.push(item(list.at(desc ? len - start - 1 - j : start + j)));
      }
      end -= start;
      start = 0;
    }
  } else if (type === "list") {
    const list = sortval as ListValue;
    for (let j = 0; j < list.length; j++) vector.push(item(list.at(j)));
  } else if (type === "set") {
    (sortval as SetValue).forEach((m) => vector.push(item(m)));
  } else if (dontsort) {
    const tree = (sortval as ZSetValue).tree;
    if (vectorlen > 0) {
      const cursor = tree.cursor(desc ? tree.size - 1 - start : start);
      for (let j = 0; j < vectorlen; j++) {
        vector.push(item(cursor.member));
        if (desc) cursor.prev();
        else cursor.next();
      }
    }
    end -= start;
    start = 0;
  } else {
    (sortval as ZSetValue).tree.forEach((m) => vector.push(item(m)));
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let byval: StringValue | undefined;
      if (sortby !== undefined) {
        byval = lookupByPattern(ctx, sortby, it.obj);
        if (byval === undefined) continue;
      } else {
        byval = it.obj;
      }
      if (alpha) {
        if (sortby !== undefined) it.cmp = byval;
      } else {
        const w = sortWeight(byval);
        if (w === undefined) conversionError = true;
        else it.score = w;
      }
    }
    const order: SortOrder = {
      desc,
      alpha,
      byPattern: sortby !== undefined,
      store: storekey !== undefined,
    };
    const cmp = (a: SortItem, b: SortItem) => compareItems(order, a, b);
    if (sortby !== undefined && (start !== 0 || end !== vector.length - 1)) {
      pqsort(vector, cmp, start, end);
    } else {
      // glibc's qsort is a stable merge sort, and so is this one.
      vector.sort(cmp);
    }
  }

  const outputlen = gets.length !== 0
    ? gets.length * (end - start + 1)
    : end - start + 1;
  if (conversionError) throw sortScoresNotDouble();
  if (storekey === undefined) {
    const out: Reply[] = [];
    for (let j = start; j <= end; j++) {
      const obj = vector[j]!.obj;
      if (gets.length === 0) out.push(obj);
      for (const pattern of gets) {
        const v = lookupByPattern(ctx, pattern, obj);
        out.push(v === undefined ? null : shareString(v));
      }
    }
    return out;
  }
  const items: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = vector[j]!.obj;
    if (gets.length === 0) items.push(obj);
    for (const pattern of gets) {
      const v = lookupByPattern(ctx, pattern, obj);
      items.push(v === undefined ? "" : stringToLatin1(v));
    }
  }
  if (outputlen > 0) {
    const list = new ListValue(items);
    if (ctx.db.has(storekey)) ctx.db.set(storekey, list);
    else ctx.db.add(storekey, list);
    ctx.notify(NOTIFY_LIST, "sortstore", storekey);
    ctx.dirty(outputlen);
  } else if (ctx.db.delete(storekey)) {
    ctx.notify(NOTIFY_GENERIC, "del", storekey);
    ctx.dirty();
  }
  return outputlen;
}

// The BY/GET keys: their names come from the data, so only "unknown".
const PATTERN_KEYS: KeySpec = {
  flags: ["RO", "ACCESS"],
  begin: { unknown: true },
  find: { unknown: true },
  notes:
    "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
};

const STORE_KEY: KeySpec = {
  flags: ["OW", "UPDATE"],
  begin: { unknown: true },
  find: { unknown: true },
  notes:
    "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
};

const SORT_ARGUMENTS: readonly ArgDoc[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  {
    name: "pattern",
    type: "pattern",
    keySpecIndex: 1,
    token: "BY",
    optional: true,
  },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    arguments: [
      { name: "offset", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
  {
    name: "pattern",
    type: "pattern",
    keySpecIndex: 1,
    token: "GET",
    optional: true,
    multiple: true,
    multipleToken: true,
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    arguments: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  { name: "sorting", type: "pure-token", token: "ALPHA", optional: true },
];

const SORT_COMPLEXITY =
  "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

/**
 * SORT: the elements of a list, set or sorted set, sorted by their value
 * or by keys named after them, optionally stored as a list (the STORE
 * form is propagated as it is: replicas sort the same data the same way).
 */
export const sort = defineCommand({
  name: "sort",
  group: "generic",
  summary: "Sort the elements in a list, set or sorted set",
  since: "1.0.0",
  complexity: SORT_COMPLEXITY,
  arity: -2,
  flags: ["write", "denyoom"],
  acl: ["set", "sortedset", "list", "dangerous"],
  keys: [keyAt(1, "RO ACCESS"), PATTERN_KEYS, STORE_KEY],
  docs: {
    arguments: [
      ...SORT_ARGUMENTS,
      {
        name: "destination",
        type: "key",
        keySpecIndex: 2,
        token: "STORE",
        optional: true,
      },
    ],
  },
  handler(ctx) {
    return sortGeneric(ctx, false);
  },
});

/** SORT_RO: SORT without STORE, allowed on read-only replicas. */
export const sortRo = defineCommand({
  name: "sort_ro",
  group: "generic",
  summary:
    "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
  since: "7.0.0",
  complexity: SORT_COMPLEXITY,
  arity: -2,
  flags: ["readonly"],
  acl: ["set", "sortedset", "list", "dangerous"],
  keys: [keyAt(1, "RO ACCESS"), PATTERN_KEYS],
  docs: { arguments: SORT_ARGUMENTS },
  handler(ctx) {
    return sortGeneric(ctx, true);
  },
});
