/**
 * Prints replies the way redis-cli does: the human form on a terminal
 * (`(integer) 1`, `(nil)`, quoted strings, numbered nested arrays, `1#`
 * map entries) and the raw form when output is piped.
 *
 * @module
 */
import { reprString } from "../util/repr.ts";
import type { CliReply } from "./reply.ts";

/** The human (terminal) form of a reply, without a trailing newline. */
export function formatHuman(reply: CliReply, indent = ""): string {
  switch (reply.type) {
    case "status":
      return reply.text;
    case "error":
      return `(error) ${reply.text}`;
    case "integer":
      return `(integer) ${reply.value}`;
    case "double":
      return `(double) ${reply.value}`;
    case "bignum":
      return `(big number) ${reply.value}`;
    case "bool":
      return reply.value ? "(true)" : "(false)";
    case "nil":
      return "(nil)";
    case "string":
      return reprString(reply.value);
    case "verbatim":
      return reply.value;
    case "array":
    case "set":
    case "push":
    case "map":
    case "attribute":
      return formatAggregate(reply, indent);
  }
}

function formatAggregate(
  reply: Extract<CliReply, { items: CliReply[] }>,
  indent: string,
): string {
  const isMap = reply.type === "map" || reply.type === "attribute";
  const count = isMap ? reply.items.length / 2 : reply.items.length;
  if (count === 0) {
    return reply.type === "set"
      ? "(empty set)"
      : reply.type === "map"
      ? "(empty hash)"
      : reply.type === "push"
      ? "(empty push)"
      : "(empty array)";
  }
  const mark = reply.type === "set" ? "~" : isMap ? "#" : ")";
  const width = String(count).length;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const label = `${String(i + 1).padStart(width)}${mark} `;
    const childIndent = indent + " ".repeat(label.length);
    let text: string;
    if (isMap) {
      const key = formatHuman(reply.items[2 * i]!, childIndent);
      const valueIndent = childIndent + " ".repeat(key.length + 4);
      text = `${key} => ${formatHuman(reply.items[2 * i + 1]!, valueIndent)}`;
    } else {
      text = formatHuman(reply.items[i]!, childIndent);
    }
    lines.push((i === 0 ? "" : indent) + label + text);
  }
  return lines.join("\n");
}

/** The raw (piped) form of a reply, without a trailing newline. */
export function formatRaw(reply: CliReply): string {
  switch (reply.type) {
    case "status":
    case "error":
      return reply.text;
    case "integer":
    case "double":
    case "bignum":
      return reply.value;
    case "bool":
      return reply.value ? "(true)" : "(false)";
    case "nil":
      return "";
    case "string":
    case "verbatim":
      return reply.value;
    case "map":
    case "attribute": {
      const lines: string[] = [];
      for (let i = 0; i < reply.items.length; i += 2) {
        lines.push(
          `${formatRaw(reply.items[i]!)} ${formatRaw(reply.items[i + 1]!)}`,
        );
      }
      return lines.join("\n");
    }
    default:
      return reply.items.map(formatRaw).join("\n");
  }
}
