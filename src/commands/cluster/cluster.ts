/**
 * CLUSTER <subcommand> ...: the cluster container with every subcommand of
 * Redis 7.0. tsredis runs as a Redis with `cluster-enabled no`, which
 * answers each of them (CLUSTER HELP and KEYSLOT included) with the same
 * error once the arity is right.
 *
 * @module
 */
import { clusterDisabled } from "../../errors.ts";
import { defineCommand } from "../define.ts";
import type { Command, CommandSpec } from "../types.ts";

/**
 * A command of cluster mode (a CLUSTER subcommand, READONLY, ...): Redis's
 * group, and the answer of a server that is not part of a cluster.
 */
export function clusterOnly(
  spec: Omit<CommandSpec, "group" | "handler">,
): Command {
  return defineCommand({
    ...spec,
    group: "cluster",
    handler() {
      throw clusterDisabled();
    },
  });
}

const addslots = clusterOnly({
  name: "addslots",
  summary: "Assign new hash slots to receiving node",
  since: "3.0.0",
  complexity: "O(N) where N is the total number of hash slot arguments",
  arity: -3,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      { name: "slot", type: "integer", multiple: true },
    ],
  },
});

const addslotsrange = clusterOnly({
  name: "addslotsrange",
  summary: "Assign new hash slots to receiving node",
  since: "7.0.0",
  complexity:
    "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
  arity: -4,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      {
        name: "start-slot_end-slot",
        type: "block",
        multiple: true,
        arguments: [
          { name: "start-slot", type: "integer" },
          { name: "end-slot", type: "integer" },
        ],
      },
    ],
  },
});

const bumpepoch = clusterOnly({
  name: "bumpepoch",
  summary: "Advance the cluster config epoch",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["admin", "stale", "no_async_loading"],
  tips: ["nondeterministic_output"],
});

const countFailureReports = clusterOnly({
  name: "count-failure-reports",
  summary: "Return the number of failure reports active for a given node",
  since: "3.0.0",
  complexity: "O(N) where N is the number of failure reports",
  arity: 3,
  flags: ["admin", "stale"],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "node-id", type: "string" },
    ],
  },
});

const countkeysinslot = clusterOnly({
  name: "countkeysinslot",
  summary: "Return the number of local keys in the specified hash slot",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["stale"],
  docs: {
    arguments: [
      { name: "slot", type: "integer" },
    ],
  },
});

const delslots = clusterOnly({
  name: "delslots",
  summary: "Set hash slots as unbound in receiving node",
  since: "3.0.0",
  complexity: "O(N) where N is the total number of hash slot arguments",
  arity: -3,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      { name: "slot", type: "integer", multiple: true },
    ],
  },
});

const delslotsrange = clusterOnly({
  name: "delslotsrange",
  summary: "Set hash slots as unbound in receiving node",
  since: "7.0.0",
  complexity:
    "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
  arity: -4,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      {
        name: "start-slot_end-slot",
        type: "block",
        multiple: true,
        arguments: [
          { name: "start-slot", type: "integer" },
          { name: "end-slot", type: "integer" },
        ],
      },
    ],
  },
});

const failover = clusterOnly({
  name: "failover",
  summary: "Forces a replica to perform a manual failover of its master.",
  since: "3.0.0",
  complexity: "O(1)",
  arity: -2,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      {
        name: "options",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "force", type: "pure-token", token: "FORCE" },
          { name: "takeover", type: "pure-token", token: "TAKEOVER" },
        ],
      },
    ],
  },
});

const flushslots = clusterOnly({
  name: "flushslots",
  summary: "Delete a node's own slots information",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["admin", "stale", "no_async_loading"],
});

const forget = clusterOnly({
  name: "forget",
  summary: "Remove a node from the nodes table",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      { name: "node-id", type: "string" },
    ],
  },
});

const getkeysinslot = clusterOnly({
  name: "getkeysinslot",
  summary: "Return local key names in the specified hash slot",
  since: "3.0.0",
  complexity: "O(log(N)) where N is the number of requested keys",
  arity: 4,
  flags: ["stale"],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "slot", type: "integer" },
      { name: "count", type: "integer" },
    ],
  },
});

const help = clusterOnly({
  name: "help",
  summary: "Show helpful text about the different subcommands",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale"],
});

const info = clusterOnly({
  name: "info",
  summary: "Provides info about Redis Cluster node state",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["stale"],
  tips: ["nondeterministic_output"],
});

const keyslot = clusterOnly({
  name: "keyslot",
  summary: "Returns the hash slot of the specified key",
  since: "3.0.0",
  complexity: "O(N) where N is the number of bytes in the key",
  arity: 3,
  flags: ["stale"],
  docs: {
    arguments: [
      { name: "key", type: "string" },
    ],
  },
});

const links = clusterOnly({
  name: "links",
  summary: "Returns a list of all TCP links to and from peer nodes in cluster",
  since: "7.0.0",
  complexity: "O(N) where N is the total number of Cluster nodes",
  arity: 2,
  flags: ["stale"],
  tips: ["nondeterministic_output"],
});

const meet = clusterOnly({
  name: "meet",
  summary: "Force a node cluster to handshake with another node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: -4,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    history: [["4.0.0", "Added the optional `cluster_bus_port` argument."]],
    arguments: [
      { name: "ip", type: "string" },
      { name: "port", type: "integer" },
      {
        name: "cluster_bus_port",
        type: "integer",
        since: "4.0.0",
        optional: true,
      },
    ],
  },
});

const myid = clusterOnly({
  name: "myid",
  summary: "Return the node id",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["stale"],
});

const nodes = clusterOnly({
  name: "nodes",
  summary: "Get Cluster config for the node",
  since: "3.0.0",
  complexity: "O(N) where N is the total number of Cluster nodes",
  arity: 2,
  flags: ["stale"],
  tips: ["nondeterministic_output"],
});

const replicas = clusterOnly({
  name: "replicas",
  summary: "List replica nodes of the specified master node",
  since: "5.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "stale"],
  tips: ["nondeterministic_output"],
  docs: {
    arguments: [
      { name: "node-id", type: "string" },
    ],
  },
});

const replicate = clusterOnly({
  name: "replicate",
  summary: "Reconfigure a node as a replica of the specified master node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      { name: "node-id", type: "string" },
    ],
  },
});

const reset = clusterOnly({
  name: "reset",
  summary: "Reset a Redis Cluster node",
  since: "3.0.0",
  complexity:
    "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.",
  arity: -2,
  flags: ["admin", "noscript", "stale"],
  docs: {
    arguments: [
      {
        name: "hard_soft",
        type: "oneof",
        optional: true,
        arguments: [
          { name: "hard", type: "pure-token", token: "HARD" },
          { name: "soft", type: "pure-token", token: "SOFT" },
        ],
      },
    ],
  },
});

const saveconfig = clusterOnly({
  name: "saveconfig",
  summary: "Forces the node to save cluster state on disk",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["admin", "stale", "no_async_loading"],
});

const setConfigEpoch = clusterOnly({
  name: "set-config-epoch",
  summary: "Set the configuration epoch in a new node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      { name: "config-epoch", type: "integer" },
    ],
  },
});

const setslot = clusterOnly({
  name: "setslot",
  summary: "Bind a hash slot to a specific node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: -4,
  flags: ["admin", "stale", "no_async_loading"],
  docs: {
    arguments: [
      { name: "slot", type: "integer" },
      {
        name: "subcommand",
        type: "oneof",
        arguments: [
          { name: "node-id", type: "string", token: "IMPORTING" },
          { name: "node-id", type: "string", token: "MIGRATING" },
          { name: "node-id", type: "string", token: "NODE" },
          { name: "stable", type: "pure-token", token: "STABLE" },
        ],
      },
    ],
  },
});

const shards = clusterOnly({
  name: "shards",
  summary: "Get array of cluster slots to node mappings",
  since: "7.0.0",
  complexity: "O(N) where N is the total number of cluster nodes",
  arity: 2,
  flags: ["stale"],
  tips: ["nondeterministic_output"],
});

const slaves = clusterOnly({
  name: "slaves",
  summary: "List replica nodes of the specified master node",
  since: "3.0.0",
  complexity: "O(1)",
  arity: 3,
  flags: ["admin", "stale"],
  tips: ["nondeterministic_output"],
  docs: {
    docFlags: ["deprecated"],
    deprecatedSince: "5.0.0",
    replacedBy: "`CLUSTER REPLICAS`",
    arguments: [
      { name: "node-id", type: "string" },
    ],
  },
});

const slots = clusterOnly({
  name: "slots",
  summary: "Get array of Cluster slot to node mappings",
  since: "3.0.0",
  complexity: "O(N) where N is the total number of Cluster nodes",
  arity: 2,
  flags: ["stale"],
  tips: ["nondeterministic_output"],
  docs: {
    history: [["4.0.0", "Added node IDs."], [
      "7.0.0",
      "Added additional networking metadata field.",
    ]],
    docFlags: ["deprecated"],
    deprecatedSince: "7.0.0",
    replacedBy: "`CLUSTER SHARDS`",
  },
});

/** CLUSTER: the cluster container. */
export const cluster = defineCommand({
  name: "cluster",
  group: "cluster",
  summary: "A container for cluster commands",
  since: "3.0.0",
  complexity: "Depends on subcommand.",
  arity: -2,
  flags: [],
  subcommands: [
    addslots,
    addslotsrange,
    bumpepoch,
    countFailureReports,
    countkeysinslot,
    delslots,
    delslotsrange,
    failover,
    flushslots,
    forget,
    getkeysinslot,
    help,
    info,
    keyslot,
    links,
    meet,
    myid,
    nodes,
    replicas,
    replicate,
    reset,
    saveconfig,
    setConfigEpoch,
    setslot,
    shards,
    slaves,
    slots,
  ],
});
