/**
 * `deno task fuzz [--minutes N] [--seed S]`: a long fuzz campaign (see
 * tests/fuzz/campaign.ts) against the request decoder, the RDB and DUMP
 * parsers, a running tsredis (with a watchdog client) and start-up on
 * damaged RDB and AOF files. Reproducers of any failure are saved under
 * tests/fuzz/corpus/, where `deno task test` replays them. Prints the
 * totals at the end (`--markdown` as a README table) and exits 1 if
 * anything failed.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runCampaign } from "../tests/fuzz/campaign.ts";
import { fuzzDifferential } from "../tests/fuzz/differential_fuzz.ts";

const USAGE = `Usage: deno task fuzz [--minutes N] [--seed S] [--markdown]
       deno task fuzz --differential N [--seed S]

  --minutes N   how long to run (default 10)
  --seed S      the campaign's seed (default: from the clock; printed)
  --differential N
                instead, send N commands to tsredis and redis-server alike
                and print the replies that differ (needs redis-server)
  --no-save     do not save reproducers under tests/fuzz/corpus/
  --markdown    print the totals as a Markdown table
  --help        this text`;

function options() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        minutes: { type: "string", default: "10" },
        differential: { type: "string" },
        seed: { type: "string" },
        "no-save": { type: "boolean", default: false },
        markdown: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
}

const opts = options();
if (opts.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const minutes = Number(opts.minutes);
const seed = opts.seed === undefined ? Date.now() % 2 ** 31 : Number(opts.seed);
if (!(minutes > 0) || !Number.isInteger(seed)) {
  console.error(USAGE);
  Deno.exit(2);
}
if (opts.differential !== undefined) {
  const count = Number(opts.differential);
  console.log(`differential fuzz: seed ${seed}, ${count} commands`);
  const r = await fuzzDifferential({ seed, count });
  const show = (raw: string) => JSON.stringify(raw).slice(0, 300);
  for (const [name, list] of r.differences) {
    console.log(`== ${name}`);
    for (const d of list) {
      console.log(`  ${show(d.argv.join(" "))}`);
      console.log(`    redis-server: ${show(d.redis)}`);
      console.log(`    tsredis:      ${show(d.tsredis)}`);
    }
  }
  console.log(
    `${r.compared} commands compared, ${r.differences.size} with differences`,
  );
  Deno.exit(r.differences.size === 0 ? 0 : 1);
}
console.log(`fuzz: seed ${seed}, ${minutes} minutes`);
const r = await runCampaign({
  seed,
  budgetMs: minutes * 60_000,
  save: !opts["no-save"],
  sizes: {
    decoderInputs: 2000,
    rdbInputs: 2000,
    serverBatches: 500,
    starts: 10,
  },
  log: (line) => console.log(line),
});
const n = (x: number) => x.toLocaleString("en-US");
const rows: [string, string][] = [
  ["seed", String(r.seed)],
  ["duration", `${Math.round(r.seconds / 60)} min (${r.rounds} rounds)`],
  [
    "frames sent to a running server",
    `${n(r.serverFrames)} (${
      n(r.serverCommands)
    } well-formed commands, the rest damaged)`,
  ],
  [
    "connections / batches / watchdog checks",
    `${n(r.serverConnections)} / ${n(r.serverBatches)} / ${
      n(r.watchdogChecks)
    }`,
  ],
  ["bytes sent / replies read", `${n(r.serverBytes)} / ${n(r.serverReplies)}`],
  [
    "decoder inputs (frames), in process",
    `${n(r.decoderInputs)} (${n(r.decoderFrames)})`,
  ],
  [
    "damaged RDB files / DUMP payloads, in process",
    `${n(r.rdbFiles)} / ${n(r.dumpPayloads)}`,
  ],
  [
    "start-ups on damaged RDB/AOF files",
    `${n(r.starts)} (${n(r.startsLoaded)} loaded, ${
      n(r.startsRefused)
    } refused cleanly)`,
  ],
  [
    "failures (crash, hang, wrong answer, internal error)",
    String(r.failures.length),
  ],
];
if (opts.markdown) {
  console.log("\n| | |\n| --- | --- |");
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
} else {
  console.log("");
  for (const [k, v] of rows) console.log(`${k.padEnd(52)} ${v}`);
}
for (const f of r.failures) {
  console.log(
    `- ${f.kind}: ${f.detail.split("\n")[0]}${f.saved ? ` -> ${f.saved}` : ""}`,
  );
}
Deno.exit(r.failures.length === 0 ? 0 : 1);
