/**
 * CLUSTER (every subcommand), READONLY, READWRITE and ASKING against real
 * redis-server 7.0 running with `cluster-enabled no`: each answers
 * "cluster support disabled" once its arity is right, and Redis's arity
 * and unknown-subcommand errors otherwise, also inside MULTI and scripts.
 */
import { differential, type Script } from "../_harness/differential.ts";
import { cluster } from "../../src/commands/cluster/cluster.ts";

// Every subcommand with as few words as its arity allows, then one short.
const everySubcommand: Script = [];
for (const sub of cluster.subcommands!.values()) {
  const words = Math.abs(sub.arity);
  const argv = ["CLUSTER", sub.name.toUpperCase()];
  while (argv.length < words) argv.push("1");
  everySubcommand.push(argv);
  if (words > 2) everySubcommand.push(argv.slice(0, words - 1));
}

differential(import.meta.url, {
  "CLUSTER subcommands without cluster mode": everySubcommand,
  "CLUSTER errors": [
    ["CLUSTER"],
    ["CLUSTER", "foo"],
    ["CLUSTER", "KEYSLOT"],
    ["CLUSTER", "keyslot", "a", "b"],
    ["cluster", "Info"],
    ["CLUSTER", "HELP", "extra"],
  ],
  "READONLY, READWRITE and ASKING without cluster mode": [
    ["READONLY"],
    ["READWRITE"],
    ["ASKING"],
    ["READONLY", "x"],
    ["ASKING", "x"],
  ],
  "CLUSTER inside MULTI and scripts": [
    ["MULTI"],
    ["CLUSTER", "INFO"],
    ["READONLY"],
    ["CLUSTER", "KEYSLOT", "x"],
    ["EXEC"],
    ["EVAL", "return redis.pcall('cluster', 'info')", "0"],
    ["EVAL", "return redis.call('cluster', 'keyslot', 'x')", "0"],
    ["EVAL", "return redis.pcall('readonly')", "0"],
    ["INFO", "errorstats"],
  ],
});
