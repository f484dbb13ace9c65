/**
 * Redis's `sdscatrepr`: a quoted, escaped rendering of bytes used by
 * MONITOR, DEBUG output and redis-cli.
 *
 * @module
 */

/** Quotes latin1 string `s`, escaping `\` `"` and control or non-ASCII bytes. */
export function reprString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 92:
        out += "\\\\";
        break;
      case 34:
        out += '\\"';
        break;
      case 10:
        out += "\\n";
        break;
      case 13:
        out += "\\r";
        break;
      case 9:
        out += "\\t";
        break;
      case 7:
        out += "\\a";
        break;
      case 8:
        out += "\\b";
        break;
      default:
        out += c >= 0x20 && c <= 0x7e
          ? s[i]
          : "\\x" + c.toString(16).padStart(2, "0");
    }
  }
  return out + '"';
}
