/**
 * Replies as the CLI sees them, and a parser that turns RESP2/RESP3 bytes
 * (a latin1 string, one char per byte) into them.
 *
 * @module
 */

/** A decoded reply, tagged by RESP type. */
export type CliReply =
  | { type: "status"; text: string }
  | { type: "error"; text: string }
  | { type: "integer"; value: string }
  | { type: "double"; value: string }
  | { type: "bignum"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "nil" }
  | { type: "string"; value: string }
  | { type: "verbatim"; format: string; value: string }
  | { type: "array" | "set" | "push"; items: CliReply[] }
  | { type: "map" | "attribute"; items: CliReply[] };

/**
 * Parses one reply from `buf` at `pos`. Returns the reply and the position
 * after it, or undefined if the bytes are incomplete.
 */
export function parseCliReply(
  buf: string,
  pos: number,
): { reply: CliReply; end: number } | undefined {
  const nl = buf.indexOf("\r\n", pos);
  if (nl < 0) return undefined;
  const line = buf.slice(pos + 1, nl);
  const next = nl + 2;
  switch (buf[pos]) {
    case "+":
      return { reply: { type: "status", text: line }, end: next };
    case "-":
      return { reply: { type: "error", text: line }, end: next };
    case ":":
      return { reply: { type: "integer", value: line }, end: next };
    case ",":
      return { reply: { type: "double", value: line }, end: next };
    case "(":
      return { reply: { type: "bignum", value: line }, end: next };
    case "#":
      return { reply: { type: "bool", value: line === "t" }, end: next };
    case "_":
      return { reply: { type: "nil" }, end: next };
    case "$":
    case "=":
    case "!": {
      const len = Number(line);
      if (len < 0) return { reply: { type: "nil" }, end: next };
      if (buf.length < next + len + 2) return undefined;
      const data = buf.slice(next, next + len);
      const end = next + len + 2;
      if (buf[pos] === "!") {
        return { reply: { type: "error", text: data }, end };
      }
      if (buf[pos] === "=") {
        return {
          reply: {
            type: "verbatim",
            format: data.slice(0, 3),
            value: data.slice(4),
          },
          end,
        };
      }
      return { reply: { type: "string", value: data }, end };
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      const count = Number(line);
      if (count < 0) return { reply: { type: "nil" }, end: next };
      const kind = buf[pos];
      const n = kind === "%" || kind === "|" ? count * 2 : count;
      const items: CliReply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseCliReply(buf, p);
        if (r === undefined) return undefined;
        items.push(r.reply);
        p = r.end;
      }
      const type = kind === "*"
        ? "array"
        : kind === "~"
        ? "set"
        : kind === ">"
        ? "push"
        : kind === "%"
        ? "map"
        : "attribute";
      return { reply: { type, items } as CliReply, end: p };
    }
    default:
      throw new SyntaxError(
        `Protocol error: unexpected reply type byte ${
          JSON.stringify(buf[pos])
        }`,
      );
  }
}
