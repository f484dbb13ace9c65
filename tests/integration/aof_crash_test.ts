/**
 * Crash safety of the AOF: a client pipelines writes without pause while
 * tsredis is killed with SIGKILL at random moments; after each restart
 * every acknowledged write must be there, in order, with nothing half
 * written and nothing that was never sent.
 *
 * Each write is a pair: `RPUSH seq <n>` (n counting up from the list's
 * length) and `INCR counter`. The list must hold exactly 0..len-1, the
 * counter must match the list, and len must lie between the last
 * acknowledged length and the last length sent.
 *
 * @module
 */
import { assert } from "../_deps.ts";
import { encodeCommand, parseReply } from "../_harness/resp_client.ts";
import { spawnServer } from "../_harness/spawn.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
// At least 20 kills with appendfsync always (the guarantee under test);
// fewer with everysec, whose bound is looser, to keep the suite short.
const ROUNDS = { always: 20, everysec: 6 };

/** What the load saw before the server died. */
interface LoadResult {
  /** Highest list length acknowledged (RPUSH reply). */
  acked: number;
  /** Highest list length sent. */
  sent: number;
  /** Acknowledged list lengths and when they came (ms), for the everysec bound. */
  ackTimes: [number, number][];
}

/**
 * Pipelines RPUSH/INCR pairs from `start` until the connection dies,
 * keeping at most `window` pairs in flight.
 */
async function load(port: number, start: number): Promise<LoadResult> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const result: LoadResult = { acked: start, sent: start, ackTimes: [] };
  const window = 200;
  let next = start;
  let buf = "";
  let pos = 0;
  let dead = false;
  const reader = (async () => {
    const chunk = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await conn.read(chunk);
        if (n === null) break;
        for (let i = 0; i < n; i++) buf += String.fromCharCode(chunk[i]!);
        for (;;) {
          const r = parseReply(buf, pos);
          if (r === undefined) break;
          pos = r.end;
          // RPUSH replies with the new length; INCR replies are checked after restart.
          if (typeof r.value === "number" && r.value > result.acked) {
            // Replies come in order: RPUSH of n replies n + 1.
            result.acked = Math.max(result.acked, r.value);
          }
        }
        if (pos > 1 << 20) {
          buf = buf.slice(pos);
          pos = 0;
        }
        result.ackTimes.push([result.acked, Date.now()]);
      }
    } catch {
      // The server was killed.
    }
    dead = true;
  })();
  try {
    while (!dead) {
      if (next - result.acked >= window) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      let text = "";
      for (let i = 0; i < 20; i++, next++) {
        text += encodeCommand(["RPUSH", "seq", next]);
        text += encodeCommand(["INCR", "counter"]);
      }
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      try {
        let off = 0;
        while (off < bytes.length) off += await conn.write(bytes.subarray(off));
      } catch {
        break;
      }
      result.sent = next;
    }
  } finally {
    await reader;
    try {
      conn.close();
    } catch { /* closed */ }
  }
  // Everything written may have been sent even if the write threw midway.
  result.sent = next;
  return result;
}

async function pidOf(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const cmd = encodeCommand(["INFO", "server"]);
    await conn.write(new TextEncoder().encode(cmd));
    let text = "";
    const chunk = new Uint8Array(16384);
    for (;;) {
      const n = await conn.read(chunk);
      if (n === null) break;
      text += new TextDecoder().decode(chunk.subarray(0, n));
      const r = parseReply(text, 0);
      if (r !== undefined) {
        return Number(/process_id:(\d+)/.exec(String(r.value))![1]);
      }
    }
    throw new Error("No INFO reply");
  } finally {
    conn.close();
  }
}

async function check(
  port: number,
): Promise<{ len: number; counter: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const cmd = encodeCommand(["LRANGE", "seq", 0, -1]) +
      encodeCommand(["GET", "counter"]);
    await conn.write(new TextEncoder().encode(cmd));
    let text = "";
    const chunk = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(chunk);
      if (n === null) throw new Error("Connection closed");
      for (let i = 0; i < n; i++) text += String.fromCharCode(chunk[i]!);
      const list = parseReply(text, 0);
      if (list === undefined) continue;
      const counter = parseReply(text, list.end);
      if (counter === undefined) continue;
      const items = list.value as string[];
      // No gaps, no duplicates, nothing out of order, nothing torn.
      for (let i = 0; i < items.length; i++) {
        if (items[i] !== String(i)) {
          throw new Error(`seq[${i}] is ${items[i]}`);
        }
      }
      return {
        len: items.length,
        counter: counter.value === null ? 0 : Number(counter.value),
      };
    }
  } finally {
    conn.close();
  }
}

async function crashRounds(fsync: "always" | "everysec"): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tsredis-aof-crash-" });
  const args = ["--appendonly", "yes", "--appendfsync", fsync];
  let server = await spawnServer({ target: "tsredis", cwd: dir, args });
  try {
    let len = 0;
    for (let round = 0; round < ROUNDS[fsync]; round++) {
      const pid = await pidOf(server.port);
      const running = load(server.port, len);
      // Kill at a random moment of the steady load.
      await new Promise((r) => setTimeout(r, 80 + Math.random() * 250));
      const killedAt = Date.now();
      Deno.kill(pid, "SIGKILL");
      const seen = await running;
      await server.exited;
      server = await spawnServer({ target: "tsredis", cwd: dir, args });
      const after = await check(server.port);
      assert(
        after.len <= seen.sent,
        `round ${round}: ${after.len} entries but only ${seen.sent} sent`,
      );
      if (fsync === "always") {
        assert(
          after.len >= seen.acked,
          `round ${round}: ${seen.acked} acknowledged, ${after.len} kept`,
        );
      } else {
        // everysec: at most about a second of acknowledged writes.
        let floor = len;
        for (const [acked, at] of seen.ackTimes) {
          if (at <= killedAt - 1500) floor = acked;
        }
        assert(
          after.len >= floor,
          `round ${round}: ${after.len} kept, ${floor} acknowledged over a second before the kill`,
        );
      }
      // A write is a pair: the counter may trail the list by the one
      // command of a pair cut at the end.
      assert(
        after.counter === after.len || after.counter === after.len - 1,
        `round ${round}: counter ${after.counter}, list ${after.len}`,
      );
      if (after.counter === after.len - 1) {
        const c = await server.connect();
        await c.call("INCR", "counter");
        c.close();
      }
      len = after.len;
    }
    assert(len > ROUNDS[fsync], `the load wrote only ${len} entries`);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  ...opts,
  name:
    "AOF with appendfsync always keeps every acknowledged write through 20 SIGKILLs under pipelined load",
  fn: () => crashRounds("always"),
});

Deno.test({
  ...opts,
  name:
    "AOF with appendfsync everysec loses at most about a second of acknowledged writes through SIGKILLs",
  fn: () => crashRounds("everysec"),
});
