/**
 * RESTORE-ASKING key ttl serialized-value [...]: RESTORE as sent by
 * MIGRATE to a cluster node importing a slot. Without cluster mode it is
 * RESTORE under another name (and propagated under that name).
 *
 * @module
 */
import { defineCommand, keyAt } from "../define.ts";
import { restore } from "./restore.ts";

/** RESTORE-ASKING: RESTORE for cluster slot migrations. */
export const restoreAsking = defineCommand({
  name: "restore-asking",
  group: "server",
  summary: "An internal command for migrating keys in a cluster",
  since: "3.0.0",
  complexity: restore.spec.complexity!,
  arity: -4,
  flags: ["write", "denyoom", "asking"],
  acl: ["keyspace", "dangerous"],
  keys: [keyAt(1, "OW UPDATE")],
  docs: { ...restore.spec.docs, docFlags: ["syscmd"] },
  handler: restore.handler!,
});
