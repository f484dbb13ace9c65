/**
 * PFSELFTEST
 *
 * @module
 */
import { defineCommand } from "../define.ts";
import { hllTestFailed } from "../../errors.ts";
import { OK } from "../../protocol/reply.ts";
import { hllSelfTest } from "../../store/hyperloglog.ts";
import { sparseMaxBytes } from "./common.ts";

/**
 * PFSELFTEST: Redis's self test of the register code and of the estimator
 * (10 million adds, dense and sparse side by side). It takes a few
 * seconds, during which nothing else runs, as in Redis.
 */
export const pfselftest = defineCommand({
  name: "pfselftest",
  group: "hyperloglog",
  summary: "An internal command for testing HyperLogLog values",
  since: "2.8.9",
  complexity: "N/A",
  arity: 1,
  flags: ["admin"],
  acl: ["hyperloglog"],
  docs: { docFlags: ["syscmd"] },
  handler(ctx) {
    const random = ctx.server.random;
    const failure = hllSelfTest((n) => random.int(n), sparseMaxBytes(ctx));
    if (failure !== undefined) throw hllTestFailed(failure);
    return OK;
  },
});
