/**
 * Replication commands on a master with no replica, against real
 * redis-server: ROLE, INFO replication, REPLCONF, REPLICAOF, WAIT and
 * FAILOVER argument checks and refusals. Links between servers are in
 * tests/integration/replication_test.ts.
 */
import { differential, masks } from "../_harness/differential.ts";

const replid = {
  mask: masks.replace(/master_replid:[0-9a-f]{40}/, "master_replid:<id>"),
  why: "random replication id",
};

differential(import.meta.url, {
  "ROLE and INFO replication of a master with no replica": [
    ["ROLE"],
    { cmd: ["INFO", "replication"], ...replid },
  ],
  "REPLCONF options and errors": [
    ["REPLCONF"],
    ["REPLCONF", "listening-port"],
    ["REPLCONF", "listening-port", "abc"],
    ["REPLCONF", "listening-port", "6380"],
    ["REPLCONF", "ip-address", "10.0.0.1"],
    ["REPLCONF", "capa", "eof", "capa", "psync2", "capa", "unknown"],
    ["REPLCONF", "rdb-only", "1"],
    ["REPLCONF", "rdb-only", "2"],
    ["REPLCONF", "rdb-only", "x"],
    ["REPLCONF", "rdb-filter-only", ""],
    ["REPLCONF", "rdb-filter-only", "functions"],
    ["REPLCONF", "rdb-filter-only", "keys"],
    ["REPLCONF", "nosuch", "1"],
    ["REPLCONF", "listening-port", "1", "nosuch", "1"],
    // Not a replica: no reply at all.
    { cmd: ["REPLCONF", "ACK", "100"], readFor: 200 },
    { cmd: ["REPLCONF", "GETACK", "*"], readFor: 200 },
    ["PING"],
  ],
  "REPLICAOF argument errors; NO ONE on a master": [
    ["REPLICAOF", "127.0.0.1", "abc"],
    ["REPLICAOF", "127.0.0.1", "70000"],
    ["REPLICAOF", "127.0.0.1", "-1"],
    ["REPLICAOF", "127.0.0.1"],
    ["REPLICAOF", "NO", "ONE"],
    ["SLAVEOF", "no", "one"],
    ["ROLE"],
  ],
  "WAIT with no replica": [
    ["WAIT", "0", "0"],
    ["WAIT", "1", "10"],
    ["WAIT", "abc", "0"],
    ["WAIT", "0", "abc"],
    ["WAIT", "0", "-1"],
    ["SET", "k", "v"],
    ["WAIT", "1", "20"],
    ["MULTI"],
    ["WAIT", "1", "0"],
    ["EXEC"],
  ],
  "FAILOVER refusals": [
    ["FAILOVER", "ABORT"],
    ["FAILOVER"],
    ["FAILOVER", "TO", "127.0.0.1", "1234"],
    ["FAILOVER", "TO", "127.0.0.1", "1234", "FORCE"],
    ["FAILOVER", "TIMEOUT", "0"],
    ["FAILOVER", "TIMEOUT", "abc"],
    ["FAILOVER", "TIMEOUT", "10", "TIMEOUT", "20"],
    ["FAILOVER", "TO", "127.0.0.1", "abc"],
    ["FAILOVER", "TO", "127.0.0.1"],
    ["FAILOVER", "FORCE", "FORCE"],
    ["FAILOVER", "nosuch"],
    ["FAILOVER", "ABORT", "TIMEOUT", "10"],
  ],
  "SYNC and PSYNC are refused inside MULTI": [
    ["MULTI"],
    ["SYNC"],
    ["PSYNC", "?", "-1"],
    ["EXEC"],
  ],
});
