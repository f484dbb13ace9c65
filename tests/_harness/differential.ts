/**
 * Differential conformance runner: sends the same command scripts to a real
 * redis-server and to tsredis and compares the raw reply bytes.
 *
 * Each suite is one Deno test with a step per case. Every case runs on a
 * fresh connection after FLUSHALL. Replies that legitimately differ (ids,
 * times, ordering of unordered sets) are passed through a `mask` first.
 *
 * Without redis-server on the machine, the suite replays the replies
 * recorded from real Redis in `tests/conformance/recorded/<file>.json`
 * (written with `TSREDIS_RECORD=1`); a case without a recording is reported
 * as ignored, never silently passed.
 *
 * @module
 */
import { assertEquals } from "../_deps.ts";
import {
  encodeCommand,
  parseReply,
  RespClient,
  type RespValue,
} from "./resp_client.ts";
import { untilBlocked } from "./scenarios.ts";
import { type ServerHandle, spawnServer } from "./spawn.ts";
import { REDIS_SERVER } from "./tools.ts";

/** One step of a case: a command, possibly with a mask. */
export interface Step {
  /** The command's words. */
  cmd?: (string | number)[];
  /** Raw bytes to send instead of a command (the reply is read the same way). */
  raw?: string;
  /** Normalizes a raw reply before comparison (applied to both sides). */
  mask?: (raw: string) => string;
  /** Why this reply is masked. Required with `mask`. */
  why?: string;
  /** Wait this long (ms) before the step (expiry tests). */
  sleep?: number;
  /** Read the raw bytes that arrive within this many ms instead of one reply (connection closes). */
  readFor?: number;
  /** Which connection of the case sends this step (default 0); more are opened on demand. */
  conn?: number;
  /** Send without reading a reply (a blocking command whose reply a later `readOnly` step reads). */
  noReply?: boolean;
  /** Only read one reply on `conn` (the reply of an earlier `noReply` step). */
  readOnly?: boolean;
  /** Read this many replies (a pipelined `raw` step); default 1. */
  replies?: number;
  /**
   * After sending, wait for a condition instead of a fixed pause, so a
   * busy machine cannot reorder what the case means to order: `"blocked"`
   * until the server lists this step's connection as blocked (CLIENT LIST
   * flags `b`), or until a command, sent on a connection of its own, gets
   * a reply that `until` accepts (`PUBSUB NUMSUB` after a SUBSCRIBE whose
   * reply is not read). Nothing is recorded for the wait.
   */
  after?:
    | "blocked"
    | { cmd: (string | number)[]; until: (raw: string) => boolean };
}

/** A case: a list of steps (a bare array is a command). */
export type Script = ((string | number)[] | Step)[];

/** A case with options. */
export interface CaseOptions {
  steps: Script;
  /** Speak RESP3 (HELLO 3 is sent first and its reply ignored). */
  protocol?: 2 | 3;
}

/** Suite options. */
export interface SuiteOptions {
  /** Extra server arguments for both servers. */
  args?: string[];
}

const RECORD = Deno.env.get("TSREDIS_RECORD") === "1";

function recordingPath(fileUrl: string): string {
  const url = new URL(fileUrl);
  const name = url.pathname.split("/").pop()!.replace(/\.ts$/, ".json");
  return new URL(`../conformance/recorded/${name}`, import.meta.url).pathname;
}

function loadRecording(path: string): Record<string, string[]> {
  try {
    return JSON.parse(Deno.readTextFileSync(path));
  } catch {
    return {};
  }
}

function normalize(c: Script[number]): Step {
  return Array.isArray(c) ? { cmd: c } : c;
}

async function runStep(client: RespClient, step: Step): Promise<string> {
  if (step.sleep !== undefined) {
    await new Promise((r) => setTimeout(r, step.sleep));
  }
  if (step.readOnly) return await client.readRaw(10000);
  if (step.cmd === undefined && step.raw === undefined) return "";
  await client.sendRaw(step.raw ?? encodeCommand(step.cmd!));
  if (step.after === "blocked") await untilBlocked(client);
  else if (step.after !== undefined) await untilReply(client, step.after);
  if (step.noReply) return "";
  if (step.readFor !== undefined) return await client.readFor(step.readFor);
  let out = "";
  for (let i = 0; i < (step.replies ?? 1); i++) {
    out += await client.readRaw(10000);
  }
  return out;
}

// Polls `after.cmd` on a connection of its own until its reply is accepted.
async function untilReply(
  client: RespClient,
  after: { cmd: (string | number)[]; until: (raw: string) => boolean },
): Promise<void> {
  const remote = client.conn.remoteAddr as Deno.NetAddr;
  const admin = await RespClient.connect(remote.port, remote.hostname);
  try {
    const deadline = Date.now() + 10000;
    for (;;) {
      const raw = await admin.callRaw(...after.cmd);
      if (after.until(raw)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${after.cmd.join(" ")} still replies ${JSON.stringify(raw)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    admin.close();
  }
}

async function runCase(
  server: ServerHandle,
  c: CaseOptions,
): Promise<string[]> {
  const admin = await server.connect();
  try {
    await admin.call("FLUSHALL");
  } finally {
    admin.close();
  }
  const clients: RespClient[] = [];
  const clientFor = async (i: number): Promise<RespClient> => {
    while (clients.length <= i) {
      const client = await server.connect();
      if (c.protocol === 3) await client.call("HELLO", "3");
      clients.push(client);
    }
    return clients[i]!;
  };
  try {
    const out: string[] = [];
    for (const s of c.steps) {
      const step = normalize(s);
      out.push(await runStep(await clientFor(step.conn ?? 0), step));
    }
    return out;
  } finally {
    for (const client of clients) client.close();
  }
}

function show(raw: string): string {
  return JSON.stringify(raw);
}

/** Registers a differential suite for `fileUrl` (pass `import.meta.url`). */
export function differential(
  fileUrl: string,
  cases: Record<string, Script | CaseOptions>,
  opts: SuiteOptions = {},
): void {
  const path = recordingPath(fileUrl);
  const recording = loadRecording(path);
  const live = REDIS_SERVER !== undefined;
  const suiteName = new URL(fileUrl).pathname.split("/").pop()!.replace(
    /_test\.ts$/,
    "",
  );
  Deno.test({
    name:
      `differential ${suiteName}: tsredis replies match redis-server 7.0 byte for byte`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      const [ours, reference] = await Promise.all([
        spawnServer({ target: "tsredis", args: opts.args ?? [] }),
        live
          ? spawnServer({ target: "redis-server", args: opts.args ?? [] })
          : Promise.resolve(undefined),
      ]);
      const updated: Record<string, string[]> = { ...recording };
      try {
        for (const [name, def] of Object.entries(cases)) {
          const c: CaseOptions = Array.isArray(def) ? { steps: def } : def;
          const steps = c.steps.map(normalize);
          for (const s of steps) {
            if (s.mask !== undefined && s.why === undefined) {
              throw new TypeError(`Case "${name}": every mask needs a "why"`);
            }
          }
          const recorded = recording[name];
          const replayable = recorded !== undefined &&
            recorded.length === steps.length;
          await t.step({
            name,
            ignore: !live && !replayable,
            async fn() {
              const expected = reference !== undefined
                ? await runCase(reference, c)
                : recorded!;
              if (reference !== undefined) updated[name] = expected;
              const actual = await runCase(ours, c);
              for (let i = 0; i < steps.length; i++) {
                const mask = steps[i]!.mask ?? ((x: string) => x);
                const label = steps[i]!.cmd?.map(String).join(" ") ??
                  steps[i]!.raw ?? "(wait)";
                assertEquals(
                  show(mask(actual[i]!)),
                  show(mask(expected[i]!)),
                  `step ${i + 1} (${label.slice(0, 200)})`,
                );
              }
            },
          });
        }
      } finally {
        await Promise.all([ours.stop(), reference?.stop()]);
        if (RECORD && live) {
          const sorted = Object.fromEntries(
            Object.keys(cases).filter((k) => k in updated).map((
              k,
            ) => [k, updated[k]]),
          );
          await Deno.mkdir(new URL(".", `file://${path}`).pathname, {
            recursive: true,
          });
          await Deno.writeTextFile(
            path,
            JSON.stringify(sorted, null, 1) + "\n",
          );
        }
      }
    },
  });
}

/** Masks for replies that legitimately differ. */
export const masks = {
  /** Replaces every integer reply line's value (`:123` → `:<n>`). */
  integers: (raw: string): string =>
    raw.replace(/^:-?\d+\r\n/gm, ":<n>\r\n").replace(
      /\r\n:-?\d+\r\n/g,
      "\r\n:<n>\r\n",
    ),
  /** Sorts the elements of a flat array reply (unordered results: SMEMBERS, KEYS). */
  sortArray: (raw: string): string => {
    const r = parseReply(raw, 0);
    if (r === undefined || !Array.isArray(r.value)) return raw;
    const items = (r.value as RespValue[]).map((v) => encodeValue(v)).sort();
    return `*${items.length}\r\n${items.join("")}`;
  },
  /**
   * Replaces matches of `re` with `replacement`. A lone bulk or verbatim
   * string whose frame the mask leaves alone gets its length header from
   * the masked text, since a masked value (a TTL, a time) changes the
   * length too.
   */
  replace: (re: RegExp, replacement: string) => (raw: string): string => {
    const masked = raw.replace(re, replacement);
    const m = /^([$=])(\d+)\r\n/.exec(raw);
    if (
      m === null || raw.length !== m[0].length + Number(m[2]) + 2 ||
      !masked.startsWith(m[0]) || !masked.endsWith("\r\n")
    ) {
      return masked;
    }
    const text = masked.slice(m[0].length, -2);
    return `${m[1]}${text.length}\r\n${text}\r\n`;
  },
  /** Keeps only the reply's type byte (value is nondeterministic). */
  typeOnly: (raw: string): string => raw.slice(0, 1),
};

function encodeValue(v: RespValue): string {
  if (v === null) return "$-1\r\n";
  if (typeof v === "string") return `$${v.length}\r\n${v}\r\n`;
  if (typeof v === "number" || typeof v === "bigint") return `:${v}\r\n`;
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encodeValue).join("")}`;
  return JSON.stringify(v);
}
