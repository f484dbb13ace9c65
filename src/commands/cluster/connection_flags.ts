/**
 * READONLY, READWRITE, ASKING: the per-connection switches cluster clients
 * send. Without cluster mode Redis refuses them.
 *
 * @module
 */
import { clusterDisabled } from "../../errors.ts";
import { defineCommand } from "../define.ts";

/** READONLY: read queries on a cluster replica (refused without cluster mode). */
export const readonly = defineCommand({
  name: "readonly",
  group: "cluster",
  summary: "Enables read queries for a connection to a cluster replica node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  acl: ["connection"],
  handler() {
    throw clusterDisabled();
  },
});

/** READWRITE: back to the default after READONLY (refused without cluster mode). */
export const readwrite = defineCommand({
  name: "readwrite",
  group: "cluster",
  summary: "Disables read queries for a connection to a cluster replica node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  acl: ["connection"],
  handler() {
    throw clusterDisabled();
  },
});

/** ASKING: follows an -ASK redirect (refused without cluster mode). */
export const asking = defineCommand({
  name: "asking",
  group: "cluster",
  summary: "Sent by cluster clients after an -ASK redirect",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["fast"],
  acl: ["connection"],
  handler() {
    throw clusterDisabled();
  },
});
