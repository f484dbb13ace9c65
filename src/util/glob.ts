/**
 * Redis glob matching (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET, ACL).
 *
 * Follows Redis's `stringmatchlen` exactly, quirks included: `[` without a
 * closing `]` matches as if closed at the end of the pattern, reversed ranges
 * are swapped, `\` escapes the next character, bytes compare as C's
 * signed `char`, which matters for ranges that span 0x7f/0x80, and a
 * pattern that nests more than 1000 `*` deep never matches (Redis's guard
 * against abusive patterns).
 *
 * @module
 */

/** True when latin1 string `s` matches Redis glob `pattern`. */
export function globMatch(pattern: string, s: string, nocase = false): boolean {
  const state = { skipLonger: false };
  return matchFrom(pattern, 0, s, 0, nocase, state, 0);
}

/** True when the pattern has no special characters, so it can only match itself. */
export function isLiteralPattern(pattern: string): boolean {
  return !/[*?[\\]/.test(pattern);
}

function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 0x20 : c;
}

function matchFrom(
  pattern: string,
  p: number,
  s: string,
  i: number,
  nocase: boolean,
  state: { skipLonger: boolean },
  nesting: number,
): boolean {
  if (nesting > 1000) return false;
  const pEnd = pattern.length;
  const sEnd = s.length;
  while (p < pEnd && i < sEnd) {
    const pc = pattern.charCodeAt(p);
    if (pc === 42) { // '*'
      while (p + 1 < pEnd && pattern.charCodeAt(p + 1) === 42) p++;
      if (p + 1 === pEnd) return true;
      while (i < sEnd) {
        if (matchFrom(pattern, p + 1, s, i, nocase, state, nesting + 1)) {
          return true;
        }
        if (state.skipLonger) return false;
        i++;
      }
      // Nothing after this star matched anywhere: longer matches for earlier
      // stars cannot help either.
      state.skipLonger = true;
      return false;
    } else if (pc === 63) { // '?'
      i++;
    } else if (pc === 91) { // '['
      p++;
      const not = pattern.charCodeAt(p) === 94; // '^'
      if (not) p++;
      let match = false;
      const sc = s.charCodeAt(i);
      for (;;) {
        const c = pattern.charCodeAt(p);
        if (c === 92 && pEnd - p >= 2) { // '\'
          p++;
          if (pattern.charCodeAt(p) === sc) match = true;
        } else if (c === 93) { // ']'
          break;
        } else if (p >= pEnd) {
          p--;
          break;
        } else if (pEnd - p >= 3 && pattern.charCodeAt(p + 1) === 45) { // a-z
          let start = signed(c);
          let end = signed(pattern.charCodeAt(p + 2));
          let ch = signed(sc);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          p += 2;
          if (ch >= start && ch <= end) match = true;
        } else if (nocase ? lower(c) === lower(sc) : c === sc) {
          match = true;
        }
        p++;
      }
      if (not) match = !match;
      if (!match) return false;
      i++;
    } else {
      if (pc === 92 && pEnd - p >= 2) p++; // '\' escapes the next char
      const c = pattern.charCodeAt(p);
      const sc = s.charCodeAt(i);
      if (nocase ? lower(c) !== lower(sc) : c !== sc) return false;
      i++;
    }
    p++;
    if (i === sEnd) {
      while (p < pEnd && pattern.charCodeAt(p) === 42) p++;
      break;
    }
  }
  return p === pEnd && i === sEnd;
}
