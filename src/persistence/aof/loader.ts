/**
 * AOF loading: replays base and incr files through the command pipeline as
 * an internal client that gets no replies and never blocks, as Redis's
 * loadSingleAppendOnlyFile does: `#` annotation lines skipped, an RDB
 * preamble (a file that starts with "REDIS") read by the RDB loader first,
 * a MULTI without its EXEC at the end reverted, a cut-off last command
 * truncated or refused per aof-load-truncated, anything else malformed a
 * fatal format error. Log lines are Redis's.
 *
 * @module
 */
import { type Client, internalClient } from "../../client.ts";
import {
  beginTimedBatch,
  call,
  contextOf,
  endTimedBatch,
  pipelineHooks,
  resolveCommand,
} from "../../commands/dispatch.ts";
import { CommandError } from "../../errors.ts";
import { log } from "../../log.ts";
import type { Argv } from "../../protocol/types.ts";
import type { ServerState } from "../../state.ts";
import { bufferView, latin1Slice } from "../../util/bytes.ts";

/** How loading one file, or the whole AOF, ended (Redis's AOF_* codes). */
export type LoadStatus =
  | "ok"
  | "not-exist"
  | "empty"
  | "open-error"
  | "failed"
  | "truncated";

/**
 * Loads an RDB image that starts at offset 0 of `bytes` into the dataset,
 * yielding now and then, and returns the offset where it ends (after the
 * checksum). Throws on a malformed image.
 */
export type RdbPreambleLoader = (
  bytes: Uint8Array,
) => Generator<number, number, void>;

/** What `replayFile` needs besides the bytes. */
export interface ReplayOptions {
  /** File name, for log lines. */
  name: string;
  /** aof-load-truncated. */
  loadTruncated: boolean;
  /** True for a Redis 6 single-file AOF (log lines differ). */
  oldStyle?: boolean;
  /** Loads an RDB preamble or `.base.rdb` file. */
  rdb?: RdbPreambleLoader;
  /** Called every 1024 commands with the offset reached (progress). */
  progress?: (offset: number) => void;
}

/** The result of replaying one file. */
export interface ReplayResult {
  status: "ok" | "truncated" | "failed";
  /**
   * With "truncated": where the file must be cut (the end of the last
   * complete command, or the start of an unfinished MULTI).
   */
  validUpTo: number;
}

// Redis reads AOF lines with fgets into a 1024-byte buffer.
const LINE_MAX = 1024;
const LF = 10;

/** The internal client AOF commands run as (Redis's CLIENT_ID_AOF). */
export function createAofClient(state: ServerState): Client {
  return internalClient(Number.MAX_SAFE_INTEGER, state.clock.now());
}

/**
 * Replays the RESP commands of one file (after its RDB preamble, if any).
 * A generator: it yields every 1024 commands so a caller can serve events
 * (`runToEnd` for the synchronous form). The file's bytes are not changed;
 * the caller truncates on "truncated".
 */
export function* replayFile(
  state: ServerState,
  bytes: Uint8Array,
  opts: ReplayOptions,
): Generator<number, ReplayResult, void> {
  const name = opts.name;
  const client = createAofClient(state);
  const view = bufferView(bytes);
  let pos = 0;
  if (isRdb(bytes)) {
    if (opts.oldStyle) log.notice("Reading RDB preamble from AOF file...");
    else log.notice("Reading RDB base file on AOF loading...");
    try {
      if (opts.rdb === undefined) {
        throw new Error("RDB preambles cannot be loaded here");
      }
      pos = yield* opts.rdb(bytes);
    } catch (e) {
      log.warning(`${(e as Error).message}`);
      log.warning(
        opts.oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
          : `Error reading the RDB base file ${name}, AOF loading aborted`,
      );
      return { status: "failed", validUpTo: 0 };
    }
    if (opts.oldStyle) log.notice("Reading the remaining AOF tail...");
  }
  let validUpTo = pos;
  let validBeforeMulti = pos;
  let loops = 0;
  const end = bytes.length;
  let failure: "format" | "eof" | "unknown" | undefined;
  // Reads one fgets-style line starting at `at`: returns the end of its
  // text (before "\n") and where the next line starts, or undefined at EOF.
  let lineEnd = 0;
  let next = 0;
  const readLine = (at: number): boolean => {
    if (at >= end) return false;
    const limit = Math.min(end, at + LINE_MAX - 1);
    let i = at;
    while (i < limit && bytes[i] !== LF) i++;
    if (i < limit) {
      lineEnd = i;
      next = i + 1;
    } else {
      lineEnd = limit;
      next = limit;
    }
    return true;
  };
  // Commands are timed in chunks: a clock read per command would cost
  // more than most of them.
  beginTimedBatch();
  try {
    for (;;) {
      if ((loops++ & 1023) === 0 && loops > 1) {
        endTimedBatch(state);
        opts.progress?.(pos);
        yield pos;
        beginTimedBatch();
      }
      if (!readLine(pos)) break;
      const first = bytes[pos];
      if (first === 35) { // '#': an annotation (#TS:...)
        pos = next;
        continue;
      }
      if (first !== 42) { // '*'
        failure = "format";
        break;
      }
      if (pos + 1 === end) {
        failure = "eof"; // "*" and nothing after it
        break;
      }
      const argc = atoi(bytes, pos + 1, lineEnd);
      if (argc < 1) {
        failure = "format";
        break;
      }
      pos = next;
      const argv: Argv = [];
      for (let j = 0; j < argc; j++) {
        if (!readLine(pos)) {
          failure = "eof";
          break;
        }
        if (bytes[pos] !== 36) { // '$'
          failure = "format";
          break;
        }
        const len = atoi(bytes, pos + 1, lineEnd);
        if (len < 0) {
          failure = "format";
          break;
        }
        const start = next;
        // The value, then two bytes Redis discards unread (the CRLF).
        if (start + len + 2 > end) {
          failure = "eof";
          break;
        }
        argv.push(latin1Slice(bytes, start, start + len, view));
        pos = start + len + 2;
      }
      if (failure !== undefined) break;
      const resolved = resolveCommand(state, argv);
      if (resolved instanceof CommandError) {
        log.warning(
          `Unknown command '${argv[0]}' reading the append only file ${name}`,
        );
        failure = "unknown";
        break;
      }
      if (resolved.name === "multi" && resolved.parent === undefined) {
        validBeforeMulti = validUpTo;
      }
      if (client.multi !== undefined && resolved.name !== "exec") {
        client.multi.queue.push({ command: resolved, argv });
      } else {
        call(contextOf(state, client), resolved, argv);
        client.out.length = 0;
        if (state.readyKeys.length !== 0) pipelineHooks.afterCommand(state);
      }
      validUpTo = pos;
    }
  } finally {
    // Also when the caller abandons the replay (a shutdown during the load).
    endTimedBatch(state);
  }
  opts.progress?.(pos);
  if (failure === "unknown") return { status: "failed", validUpTo };
  if (failure === "format") {
    log.warning(
      `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
    );
    return { status: "failed", validUpTo };
  }
  if (failure === undefined) {
    if (client.multi === undefined) return { status: "ok", validUpTo };
    // A MULTI whose EXEC never made it: drop it as if the file ended before it.
    log.warning(
      `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`,
    );
    client.multi = undefined;
    validUpTo = validBeforeMulti;
  }
  if (opts.loadTruncated) {
    log.warning(
      `!!! Warning: short read while loading the AOF file ${name}!!!`,
    );
    log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    return { status: "truncated", validUpTo };
  }
  log.warning(unexpectedEof(name));
  log.warning(
    `The last complete command of ${name} ends at offset ${validUpTo} of ${bytes.length} bytes`,
  );
  return { status: "failed", validUpTo };
}

/** Redis's fatal line for a file that ends in the middle of a command. */
export function unexpectedEof(name: string): string {
  return `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`;
}

/** Runs a generator such as `replayFile` to its end without yielding. */
export function runToEnd<T>(gen: Generator<unknown, T, void>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

/** True when `bytes` starts with the RDB magic "REDIS". */
export function isRdb(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytes[0] === 82 && bytes[1] === 69 &&
    bytes[2] === 68 && bytes[3] === 73 && bytes[4] === 83;
}

// atoi/strtol over bytes[from..to): spaces, a sign, digits; stops at the
// first other byte. Returns -1 for something that is not a count at all.
function atoi(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && (bytes[i] === 32 || (bytes[i]! >= 9 && bytes[i]! <= 13))) {
    i++;
  }
  let sign = 1;
  if (bytes[i] === 45) {
    sign = -1;
    i++;
  } else if (bytes[i] === 43) i++;
  let n = 0;
  let digits = 0;
  while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) {
    n = n * 10 + (bytes[i]! - 48);
    i++;
    digits++;
  }
  if (digits === 0) return 0;
  return sign * n;
}
