/**
 * READONLY, READWRITE, ASKING: the per-connection switches cluster clients
 * send. Without cluster mode Redis refuses them.
 *
 * @module
 */
import { clusterOnly } from "./cluster.ts";

/** READONLY: read queries on a cluster replica (refused without cluster mode). */
export const readonly = clusterOnly({
  name: "readonly",
  summary: "Enables read queries for a connection to a cluster replica node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  acl: ["connection"],
});

/** READWRITE: back to the default after READONLY (refused without cluster mode). */
export const readwrite = clusterOnly({
  name: "readwrite",
  summary: "Disables read queries for a connection to a cluster replica node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  acl: ["connection"],
});

/** ASKING: follows an -ASK redirect (refused without cluster mode). */
export const asking = clusterOnly({
  name: "asking",
  summary: "Sent by cluster clients after an -ASK redirect",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["fast"],
  acl: ["connection"],
});
