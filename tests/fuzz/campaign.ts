/**
 * A fuzz campaign: rounds of the four fuzzers (decoder, RDB/DUMP parsers,
 * a running server, start-up on damaged files), each round seeded from the
 * campaign's seed, until a time budget or a round count is used up. Every
 * failure is saved as a reproducer (optional) and counted; a failed server
 * is replaced by a fresh one and the campaign goes on.
 *
 * @module
 */
import { fuzzDecoder } from "./decoder_fuzz.ts";
import { fuzzRdb } from "./rdb_fuzz.ts";
import { fuzzServer } from "./server_fuzz.ts";
import { damagedDir, startOn } from "./startup_fuzz.ts";
import { type CorpusEntry, saveEntry, startupFiles } from "./corpus.ts";
import { CommandGen } from "./commands.ts";
import { Rng } from "./rng.ts";

/** Sizes of one round. */
export interface RoundSizes {
  decoderInputs: number;
  rdbInputs: number;
  serverBatches: number;
  starts: number;
}

/** What a campaign did and found. */
export interface CampaignResult {
  seed: number;
  rounds: number;
  seconds: number;
  /** Frames sent to the server over TCP, and of those, well-formed commands. */
  serverFrames: number;
  serverCommands: number;
  serverBatches: number;
  serverConnections: number;
  serverBytes: number;
  serverReplies: number;
  watchdogChecks: number;
  decoderInputs: number;
  decoderFrames: number;
  rdbFiles: number;
  dumpPayloads: number;
  starts: number;
  startsLoaded: number;
  startsRefused: number;
  failures: { kind: string; detail: string; saved?: string }[];
}

/** Options of `runCampaign`. */
export interface CampaignOptions {
  seed: number;
  sizes: RoundSizes;
  /** Stop after this many rounds... */
  rounds?: number;
  /** ...or once this many ms have passed. */
  budgetMs?: number;
  /** Save reproducers under tests/fuzz/corpus/. */
  save?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Runs rounds until the budget is spent. */
export async function runCampaign(
  opts: CampaignOptions,
): Promise<CampaignResult> {
  const started = Date.now();
  const until = opts.budgetMs === undefined
    ? Infinity
    : started + opts.budgetMs;
  const log = opts.log ?? (() => {});
  const r: CampaignResult = {
    seed: opts.seed,
    rounds: 0,
    seconds: 0,
    serverFrames: 0,
    serverCommands: 0,
    serverBatches: 0,
    serverConnections: 0,
    serverBytes: 0,
    serverReplies: 0,
    watchdogChecks: 0,
    decoderInputs: 0,
    decoderFrames: 0,
    rdbFiles: 0,
    dumpPayloads: 0,
    starts: 0,
    startsLoaded: 0,
    startsRefused: 0,
    failures: [],
  };
  const master = new Rng(opts.seed);
  const fail = async (kind: string, detail: string, entry: CorpusEntry) => {
    const failure: CampaignResult["failures"][number] = { kind, detail };
    if (opts.save) {
      failure.saved = await saveEntry(
        entry,
        `${entry.kind}-${opts.seed}-${r.rounds}-${r.failures.length}`,
      );
    }
    r.failures.push(failure);
    log(
      `FAILURE ${kind}: ${detail.split("\n")[0]}${
        failure.saved ? ` (saved ${failure.saved})` : ""
      }`,
    );
  };
  const maxRounds = opts.rounds ?? Infinity;
  while (r.rounds < maxRounds && Date.now() < until) {
    const roundSeed = master.u32();
    const rng = new Rng(roundSeed);
    // Decoder and parsers in process.
    const dec = fuzzDecoder(
      rng.fork(),
      opts.sizes.decoderInputs,
      new CommandGen(rng.fork()),
    );
    r.decoderInputs += dec.inputs;
    r.decoderFrames += dec.frames;
    for (const f of dec.failures.slice(0, 3)) {
      await fail("decoder", f.problem, {
        kind: "decoder",
        problem: f.problem,
        input: f.input,
      });
    }
    const rdb = fuzzRdb(rng.fork(), opts.sizes.rdbInputs);
    r.rdbFiles += rdb.files;
    r.dumpPayloads += rdb.payloads;
    for (const f of rdb.failures.slice(0, 3)) {
      await fail(f.what, f.problem, {
        kind: f.what,
        problem: f.problem,
        input: String.fromCharCode(...f.input),
      });
    }
    // A server over TCP, with the watchdog.
    if (opts.sizes.serverBatches > 0) {
      const serverSeed = rng.u32();
      const s = await fuzzServer({
        seed: serverSeed,
        batches: opts.sizes.serverBatches,
        until,
      });
      r.serverFrames += s.frames;
      r.serverCommands += (s.framesByKind.valid ?? 0) +
        (s.framesByKind.inline ?? 0);
      r.serverBatches += s.batches;
      r.serverConnections += s.connections;
      r.serverBytes += s.bytesSent;
      r.serverReplies += s.replies;
      r.watchdogChecks += s.watchdogChecks;
      if (s.failure !== undefined) {
        await fail(s.failure.kind, s.failure.detail, {
          kind: "server",
          seed: serverSeed,
          problem: `${s.failure.kind}: ${s.failure.detail}`,
          batches: s.failure.batches,
        });
      }
    }
    // Start-up on damaged files.
    for (let i = 0; i < opts.sizes.starts && Date.now() < until; i++) {
      const dir = damagedDir(rng);
      const o = await startOn(dir);
      r.starts++;
      if (o.result === "loaded") r.startsLoaded++;
      else if (o.result === "refused") r.startsRefused++;
      else {
        await fail("startup", o.detail, {
          kind: "startup",
          problem: o.detail,
          aof: dir.aof,
          files: startupFiles(dir.files),
        });
      }
    }
    r.rounds++;
    r.seconds = Math.round((Date.now() - started) / 1000);
    log(
      `round ${r.rounds} (${r.seconds}s): ${r.serverFrames} frames to the server (${r.serverCommands} well-formed), ${r.decoderInputs} decoder inputs, ${r.rdbFiles} RDB files, ${r.starts} starts, ${r.failures.length} failures`,
    );
  }
  r.seconds = Math.round((Date.now() - started) / 1000);
  return r;
}
