/**
 * Fuzzes the request decoder in process: a stream of random and damaged
 * frames is decoded whole, then again in random chunks through one reused
 * read buffer that is scribbled over after every chunk. The decoder must
 * never throw, and both runs must give the same commands and the same
 * error (a command split across reads is not a different command).
 *
 * @module
 */
import {
  type DecoderLimits,
  DEFAULT_LIMITS,
  RespDecoder,
} from "../../src/protocol/decoder.ts";
import { bufferView } from "../../src/util/bytes.ts";
import type { Argv } from "../../src/protocol/types.ts";
import { CommandGen, toBytes } from "./commands.ts";
import { FrameGen } from "./frames.ts";
import type { Rng } from "./rng.ts";

/** What a decoder fuzz run did and found. */
export interface DecoderFuzzResult {
  inputs: number;
  frames: number;
  bytes: number;
  commands: number;
  protocolErrors: number;
  /** Inputs that made the decoder throw or disagree with itself. */
  failures: { input: string; problem: string }[];
}

interface Outcome {
  commands: Argv[];
  error: string | undefined;
}

const SMALL_LIMITS: DecoderLimits = {
  maxBulkLen: 1024,
  maxQueryBuffer: 64 * 1024,
};

function decodeWhole(
  input: Uint8Array,
  limits: DecoderLimits,
  unauth: boolean,
): Outcome {
  const d = new RespDecoder(limits);
  d.unauthenticated = unauth;
  const commands = d.decode(input);
  return { commands, error: d.error?.message };
}

function decodeChunked(
  rng: Rng,
  input: Uint8Array,
  limits: DecoderLimits,
  unauth: boolean,
): Outcome {
  const d = new RespDecoder(limits);
  d.unauthenticated = unauth;
  const buf = new Uint8Array(16 * 1024);
  const view = bufferView(buf);
  const commands: Argv[] = [];
  let pos = 0;
  while (pos < input.length && d.error === undefined) {
    const n = Math.min(
      buf.length,
      input.length - pos,
      rng.chance(0.3) ? rng.range(1, 3) : rng.range(1, buf.length),
    );
    buf.set(input.subarray(pos, pos + n));
    for (const c of d.decode(buf, 0, n, view)) commands.push(c);
    // The connection reuses its buffer: nothing may keep pointing into it.
    buf.fill(0x55, 0, n);
    pos += n;
  }
  return { commands, error: d.error?.message };
}

/** Decodes `iterations` random inputs; returns counts and failures. */
export function fuzzDecoder(
  rng: Rng,
  iterations: number,
  commands: CommandGen = new CommandGen(rng),
): DecoderFuzzResult {
  const frames = new FrameGen(rng, commands, 0.35);
  const result: DecoderFuzzResult = {
    inputs: 0,
    frames: 0,
    bytes: 0,
    commands: 0,
    protocolErrors: 0,
    failures: [],
  };
  for (let i = 0; i < iterations; i++) {
    let text = "";
    const count = rng.range(1, 12);
    for (let f = 0; f < count; f++) text += frames.next().bytes;
    result.frames += count;
    result.inputs++;
    result.bytes += text.length;
    const problem = checkInput(rng, text);
    if (problem === undefined) continue;
    if (typeof problem === "string") {
      result.failures.push({ input: text, problem });
    } else {
      result.commands += problem.commands;
      if (problem.error) result.protocolErrors++;
    }
  }
  return result;
}

/**
 * Decodes one input whole and chunked; a string describes a failure,
 * otherwise what was decoded.
 */
export function checkInput(
  rng: Rng,
  text: string,
): string | { commands: number; error: boolean } {
  const input = toBytes(text);
  const limits = rng.chance(0.2) ? SMALL_LIMITS : DEFAULT_LIMITS;
  const unauth = rng.chance(0.1);
  let whole: Outcome;
  let chunked: Outcome;
  try {
    whole = decodeWhole(input, limits, unauth);
    chunked = decodeChunked(rng, input, limits, unauth);
  } catch (e) {
    return `decoder threw: ${(e as Error).stack ?? e}`;
  }
  if (
    whole.error !== chunked.error ||
    (chunkDependent(whole.error) &&
      whole.commands.length !== chunked.commands.length)
  ) {
    // Line-length and query-buffer limits depend on how much had arrived
    // when a line was still open, in Redis as here: a line end 100 KB
    // away is found in one big read and missed in 16 KB ones (so both
    // runs may even stop on the same error, at different lines). The
    // commands before the stop must still agree.
    if (!chunkDependent(whole.error) && !chunkDependent(chunked.error)) {
      return `error differs: whole ${whole.error}, chunked ${chunked.error}`;
    }
    const [short, long] = whole.commands.length <= chunked.commands.length
      ? [whole.commands, chunked.commands]
      : [chunked.commands, whole.commands];
    if (!sameCommands(short, long.slice(0, short.length))) {
      return "commands before a size-limit error differ";
    }
    return { commands: whole.commands.length, error: true };
  }
  if (!sameCommands(whole.commands, chunked.commands)) {
    return `commands differ: whole ${
      JSON.stringify(whole.commands).slice(0, 300)
    }, chunked ${JSON.stringify(chunked.commands).slice(0, 300)}`;
  }
  return { commands: whole.commands.length, error: whole.error !== undefined };
}

function chunkDependent(error: string | undefined): boolean {
  return error !== undefined &&
    (error.startsWith("too big") || error === "query buffer limit exceeded");
}

function sameCommands(a: Argv[], b: Argv[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}
