/**
 * SELECT index
 *
 * @module
 */
import { OK } from "../../protocol/reply.ts";
import { defineCommand } from "../define.ts";
import { databaseAt, parseInt32 } from "./db_index.ts";

/** SELECT: switches the connection to another database. */
export const select = defineCommand({
  name: "select",
  group: "connection",
  summary: "Change the selected database for the current connection",
  since: "1.0.0",
  complexity: "O(1)",
  arity: 2,
  flags: ["loading", "stale", "fast"],
  acl: ["connection"],
  docs: { arguments: [{ name: "index", type: "integer" }] },
  handler(ctx, args) {
    const db = databaseAt(ctx, parseInt32(args.next()));
    ctx.client.db = db.id;
    ctx.db = db;
    return OK;
  },
});
