/**
 * INFO commandstats, errorstats and total_commands_processed around
 * blocking commands, against real redis-server 7.0: a blocking command is
 * one call, counted when it blocks, whether it is then served, times out,
 * fails (XGROUP DESTROY under a blocked XREADGROUP) or is released by
 * CLIENT UNBLOCK (which Redis counts as a failed call either way).
 */
import { assertEquals } from "../_deps.ts";
import { differential } from "../_harness/differential.ts";
import type { RespClient } from "../_harness/resp_client.ts";
import { encodeCommand } from "../_harness/resp_client.ts";
import { registerScenarios, untilBlocked } from "../_harness/scenarios.ts";

// Calls, rejected and failed calls of the named commands, the error stats
// and the command and error totals, without times.
function counts(raw: string): string {
  return raw.split("\r\n").filter((l) =>
    /^(cmdstat_(blpop|brpop|xread|xreadgroup|lpush|xadd|xgroup\|destroy|client\|unblock)|errorstat_|total_commands_processed|total_error_replies)/
      .test(l)
  ).map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, "")).sort().join(
    "\n",
  );
}

const stats = {
  cmd: ["INFO", "everything"],
  mask: counts,
  why: "counts only",
};

differential(import.meta.url, {
  "a BLPOP that times out is one call": [
    ["CONFIG", "RESETSTAT"],
    { cmd: ["BLPOP", "l", "0.05"], conn: 1 },
    stats,
  ],
  "a BLPOP that is served is one call": [
    ["CONFIG", "RESETSTAT"],
    { cmd: ["BLPOP", "l", "0"], conn: 1, noReply: true, after: "blocked" },
    ["LPUSH", "l", "a"],
    { readOnly: true, conn: 1 },
    stats,
  ],
  "an XREAD served by XADD is one call": [
    ["CONFIG", "RESETSTAT"],
    {
      cmd: ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"],
      conn: 1,
      noReply: true,
      after: "blocked",
    },
    ["XADD", "s", "1-1", "a", "1"],
    { readOnly: true, conn: 1 },
    stats,
  ],
  "XGROUP DESTROY under a blocked XREADGROUP: one failed call, one NOGROUP error":
    [
      ["CONFIG", "RESETSTAT"],
      ["XGROUP", "CREATE", "mystream", "mygroup", "$", "MKSTREAM"],
      {
        cmd: [
          "XREADGROUP",
          "GROUP",
          "mygroup",
          "Alice",
          "BLOCK",
          "0",
          "STREAMS",
          "mystream",
          ">",
        ],
        conn: 1,
        noReply: true,
        after: "blocked",
      },
      ["XGROUP", "DESTROY", "mystream", "mygroup"],
      { readOnly: true, conn: 1 },
      stats,
    ],
});

async function blockedOn(
  client: RespClient,
  ...argv: string[]
): Promise<void> {
  await client.sendRaw(encodeCommand(argv));
  await untilBlocked(client);
}

function statLine(info: string, name: string): string | undefined {
  return info.split("\r\n").find((l) => l.startsWith(name))?.replace(
    /usec=\d+,usec_per_call=[\d.]+,/,
    "",
  );
}

registerScenarios("CLIENT UNBLOCK statistics", {
  "CLIENT UNBLOCK TIMEOUT counts the blocked command as failed, with no error":
    async (connect) => {
      const admin = await connect();
      const blocked = await connect();
      const id = await blocked.call("CLIENT", "ID");
      await admin.call("CONFIG", "RESETSTAT");
      await blockedOn(blocked, "BLPOP", "l", "0");
      assertEquals(await admin.call("CLIENT", "UNBLOCK", String(id)), 1);
      assertEquals(await blocked.readRaw(), "*-1\r\n");
      const info = String(await admin.call("INFO", "everything"));
      assertEquals(
        statLine(info, "cmdstat_blpop:"),
        "cmdstat_blpop:calls=1,rejected_calls=0,failed_calls=1",
      );
      assertEquals(
        statLine(info, "cmdstat_client|unblock:"),
        "cmdstat_client|unblock:calls=1,rejected_calls=0,failed_calls=0",
      );
      assertEquals(
        statLine(info, "total_error_replies:"),
        "total_error_replies:0",
      );
    },
  "CLIENT UNBLOCK ERROR: a failed call on both sides and one UNBLOCKED error":
    async (connect) => {
      const admin = await connect();
      const blocked = await connect();
      const id = await blocked.call("CLIENT", "ID");
      await admin.call("CONFIG", "RESETSTAT");
      await blockedOn(blocked, "BRPOP", "l", "0");
      assertEquals(
        await admin.call("CLIENT", "UNBLOCK", String(id), "ERROR"),
        1,
      );
      assertEquals(
        await blocked.readRaw(),
        "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n",
      );
      const info = String(await admin.call("INFO", "everything"));
      assertEquals(
        statLine(info, "cmdstat_brpop:"),
        "cmdstat_brpop:calls=1,rejected_calls=0,failed_calls=1",
      );
      assertEquals(
        statLine(info, "cmdstat_client|unblock:"),
        "cmdstat_client|unblock:calls=1,rejected_calls=0,failed_calls=1",
      );
      assertEquals(
        statLine(info, "errorstat_UNBLOCKED:"),
        "errorstat_UNBLOCKED:count=1",
      );
      assertEquals(
        statLine(info, "total_error_replies:"),
        "total_error_replies:1",
      );
    },
});
