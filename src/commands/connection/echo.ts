/**
 * ECHO message
 *
 * @module
 */
import { defineCommand } from "../define.ts";

/** ECHO: the message back. */
export const echo = defineCommand({
  name: "echo",
  group: "connection",
  summary: "Echo the given string",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale", "fast"],
  acl: ["connection"],
  docs: { arguments: [{ name: "message", type: "string" }] },
  handler(_ctx, args) {
    return args.next();
  },
});
