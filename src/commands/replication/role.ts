/**
 * ROLE
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { replicationOf } from "./common.ts";

/** ROLE: master with its replicas, or replica with its link state. */
export const role = defineCommand({
  name: "role",
  group: "server",
  summary: "Return the role of the instance in the context of replication",
  since: "2.8.12",
  complexity: "O(1)",
  arity: 1,
  flags: ["noscript", "loading", "stale", "fast"],
  acl: ["admin", "dangerous"],
  handler(ctx) {
    return replicationOf(ctx).role();
  },
});
