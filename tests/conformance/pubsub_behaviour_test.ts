/**
 * Pub/Sub under load: fan-out to 10,000 subscribers, pattern subscribers,
 * subscriptions dropped on disconnect, and subscribers that stop reading
 * being disconnected by `client-output-buffer-limit pubsub` (hard limit at
 * once, soft limit after its seconds) while everyone else keeps getting
 * messages at full speed.
 *
 * Every test runs against tsredis, or against redis-server with
 * TSREDIS_TARGET=redis-server to check the expectations themselves.
 *
 * @module
 */
import { assert, assertEquals } from "../_deps.ts";
import { encodeCommand } from "../_harness/resp_client.ts";
import { type ServerHandle, spawnServer } from "../_harness/spawn.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** RESP2 or RESP3 frame of a pub/sub message, as the server must send it. */
function frame(proto: 2 | 3, ...words: (string | number)[]): string {
  let s = `${proto === 3 ? ">" : "*"}${words.length}\r\n`;
  for (const w of words) {
    s += typeof w === "number" ? `:${w}\r\n` : `$${w.length}\r\n${w}\r\n`;
  }
  return s;
}

/**
 * A bare subscriber connection that only accumulates what it receives, so
 * thousands of them cost little (4 KiB each).
 */
class Subscriber {
  readonly conn: Deno.TcpConn;
  readonly proto: 2 | 3;
  /** What arrived since the last `take()` (unless only counting). */
  text = "";
  /** Bytes that arrived since the last `take()`. */
  count = 0;
  /** Count bytes without keeping them (throughput measurements). */
  countOnly = false;
  #buf = new Uint8Array(4096);
  #closed = false;
  eof = false;

  constructor(conn: Deno.TcpConn, proto: 2 | 3) {
    this.conn = conn;
    this.proto = proto;
  }

  /** Sends commands, pipelined. */
  async send(...commands: (string | number)[][]): Promise<void> {
    const bytes = toBytes(commands.map(encodeCommand).join(""));
    let off = 0;
    while (off < bytes.length) {
      off += await this.conn.write(bytes.subarray(off));
    }
  }

  /** Reads until `done(text)` holds; throws at EOF. */
  async readUntil(done: (text: string) => boolean): Promise<void> {
    while (!done(this.text)) {
      const n = await this.conn.read(this.#buf).catch(() => null);
      if (n === null) {
        this.eof = true;
        throw new Error(`EOF after ${JSON.stringify(this.text.slice(-200))}`);
      }
      this.count += n;
      if (!this.countOnly) {
        this.text += String.fromCharCode(...this.#buf.subarray(0, n));
      }
    }
  }

  /** Reads until at least `length` bytes arrived since the last `take()`. */
  readBytes(length: number): Promise<void> {
    return this.readUntil(() => this.count >= length);
  }

  /** Forgets what was read so far; returns it. */
  take(): string {
    const t = this.text;
    this.text = "";
    this.count = 0;
    return t;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }
}

/**
 * Opens `n` subscribers (every `resp3Every`-th one speaks RESP3) and runs
 * `subscribe` on each: the commands to send, and the confirmation text to
 * wait for. Connects in small batches so the listen backlog never overflows.
 */
async function openSubscribers(
  server: ServerHandle,
  n: number,
  subscribe: (i: number, proto: 2 | 3) => {
    commands: (string | number)[][];
    confirmation: string;
  },
  resp3Every = 0,
): Promise<Subscriber[]> {
  const subs: Subscriber[] = [];
  const BATCH = 200;
  for (let i = 0; i < n; i += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, n - i) }, async (_, j) => {
        const index = i + j;
        const proto = resp3Every > 0 && index % resp3Every === 0 ? 3 : 2;
        const conn = await Deno.connect({
          hostname: "127.0.0.1",
          port: server.port,
        });
        const sub = new Subscriber(conn, proto);
        const { commands, confirmation } = subscribe(index, proto);
        await sub.send(...(proto === 3 ? [["HELLO", "3"]] : []), ...commands);
        await sub.readUntil((t) => t.endsWith(confirmation));
        sub.take();
        return sub;
      }),
    );
    subs.push(...batch);
  }
  return subs;
}

/** Polls `fn` until it returns true or `ms` pass. */
async function eventually(
  fn: () => Promise<boolean>,
  ms = 5000,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return await fn();
}

Deno.test({
  name:
    "PUBLISH reaches 10,000 subscribers of one channel, every message in order, RESP2 and RESP3",
  ...options,
  async fn() {
    await using server = await spawnServer({
      args: ["--maxclients", "10100"],
    });
    const N = 10_000;
    const subs = await openSubscribers(server, N, (_, proto) => ({
      commands: [["SUBSCRIBE", "news"]],
      confirmation: frame(proto, "subscribe", "news", 1),
    }), 10);
    const publisher = await server.connect();
    try {
      assertEquals(await publisher.call("PUBSUB", "NUMSUB", "news"), [
        "news",
        N,
      ]);
      const M = 20;
      const commands: (string | number)[][] = [];
      const expected = { 2: "", 3: "" };
      for (let i = 0; i < M; i++) {
        const message = `message ${i} ${"x".repeat(i * 7)}`;
        commands.push(["PUBLISH", "news", message]);
        expected[2] += frame(2, "message", "news", message);
        expected[3] += frame(3, "message", "news", message);
      }
      const delivered = Promise.all(
        subs.map((s) => s.readBytes(expected[s.proto].length)),
      );
      assertEquals(
        await publisher.pipeline(commands),
        Array(M).fill(N),
      );
      await delivered;
      let wrong = 0;
      for (const s of subs) if (s.take() !== expected[s.proto]) wrong++;
      assertEquals(wrong, 0, "subscribers that got other bytes");
    } finally {
      publisher.close();
      for (const s of subs) s.close();
    }
  },
});

Deno.test({
  name:
    "PUBLISH delivers to pattern and channel subscribers exactly the matching messages, in order",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const patterns = ["news.*", "news.[ab]", "*", "sport?"];
    const channels = ["news.a", "news.b", "news.c", "sport1", "other"];
    // 400 pattern subscribers (100 per pattern) and 100 per channel.
    const patternSubs = await openSubscribers(server, 400, (i, proto) => ({
      commands: [["PSUBSCRIBE", patterns[i % 4]!]],
      confirmation: frame(proto, "psubscribe", patterns[i % 4]!, 1),
    }), 3);
    const channelSubs = await openSubscribers(server, 500, (i, proto) => ({
      commands: [["SUBSCRIBE", channels[i % 5]!]],
      confirmation: frame(proto, "subscribe", channels[i % 5]!, 1),
    }), 3);
    const publisher = await server.connect();
    try {
      assertEquals(await publisher.call("PUBSUB", "NUMPAT"), 4);
      const expected = new Map<Subscriber, string>();
      const counts: number[] = [];
      const commands: (string | number)[][] = [];
      for (let i = 0; i < 50; i++) {
        const channel = channels[i % channels.length]!;
        const message = `m${i}`;
        commands.push(["PUBLISH", channel, message]);
        let receivers = 0;
        patternSubs.forEach((s, j) => {
          const pattern = patterns[j % 4]!;
          if (!globLike(pattern, channel)) return;
          receivers++;
          expected.set(
            s,
            (expected.get(s) ?? "") +
              frame(s.proto, "pmessage", pattern, channel, message),
          );
        });
        channelSubs.forEach((s, j) => {
          if (channels[j % 5] !== channel) return;
          receivers++;
          expected.set(
            s,
            (expected.get(s) ?? "") +
              frame(s.proto, "message", channel, message),
          );
        });
        counts.push(receivers);
      }
      const all = [...patternSubs, ...channelSubs];
      const delivered = Promise.all(
        all.map((s) => s.readBytes(expected.get(s)?.length ?? 0)),
      );
      assertEquals(await publisher.pipeline(commands), counts);
      await delivered;
      // Nothing more arrives: a PING's reply comes right after the messages.
      await Promise.all(all.map((s) => s.send(["PING"])));
      await Promise.all(all.map((s) => {
        const pong = s.proto === 3 ? "+PONG\r\n" : frame(2, "pong", "");
        return s.readUntil((t) => t.endsWith(pong));
      }));
      let wrong = 0;
      for (const s of all) {
        const pong = s.proto === 3 ? "+PONG\r\n" : frame(2, "pong", "");
        if (s.take() !== (expected.get(s) ?? "") + pong) wrong++;
      }
      assertEquals(wrong, 0, "subscribers that got other bytes");
    } finally {
      publisher.close();
      for (const s of [...patternSubs, ...channelSubs]) s.close();
    }
  },
});

// The patterns above only use `*`, `?` and `[ab]`.
function globLike(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*").replace(
    /\?/g,
    ".",
  );
  return new RegExp(`^${re}$`).test(text);
}

Deno.test({
  name:
    "Subscriptions of a client that disconnects are dropped (PUBSUB NUMSUB, NUMPAT, CHANNELS)",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const subs = await openSubscribers(server, 200, (i, proto) => ({
      commands: [["SUBSCRIBE", "a", `own${i}`], ["PSUBSCRIBE", `p${i % 10}*`]],
      confirmation: frame(proto, "psubscribe", `p${i % 10}*`, 3),
    }), 2);
    const admin = await server.connect();
    try {
      assertEquals(await admin.call("PUBSUB", "NUMSUB", "a", "own7"), [
        "a",
        200,
        "own7",
        1,
      ]);
      assertEquals(await admin.call("PUBSUB", "NUMPAT"), 10);
      // Half of them go away without unsubscribing.
      for (let i = 0; i < 200; i += 2) subs[i]!.close();
      assert(
        await eventually(async () => {
          const r = await admin.call("PUBSUB", "NUMSUB", "a") as unknown[];
          return r[1] === 100;
        }),
        "NUMSUB drops to 100",
      );
      assertEquals(await admin.call("PUBSUB", "NUMSUB", "own0", "own1"), [
        "own0",
        0,
        "own1",
        1,
      ]);
      // Patterns p0*, p2*, ... had only even-numbered subscribers.
      assertEquals(await admin.call("PUBSUB", "NUMPAT"), 5);
      assertEquals(await admin.call("PUBLISH", "a", "x"), 100);
      assertEquals(await admin.call("PUBLISH", "p1x", "x"), 20);
      assertEquals(await admin.call("PUBLISH", "p2x", "x"), 0);
      for (const s of subs) s.close();
      assert(
        await eventually(async () =>
          (await admin.call("PUBSUB", "NUMPAT")) === 0
        ),
        "NUMPAT drops to 0",
      );
      assertEquals(await admin.call("PUBSUB", "CHANNELS"), []);
      assertEquals(await admin.call("PUBSUB", "NUMSUB", "a"), ["a", 0]);
      assertEquals(await admin.call("PUBLISH", "a", "x"), 0);
    } finally {
      admin.close();
      for (const s of subs) s.close();
    }
  },
});

/** A message whose index can be read back: `<index>:<padding>`. */
function payload(i: number, size: number): string {
  const head = `${i}:`;
  return head + "x".repeat(Math.max(0, size - head.length));
}

/** Subscribers that read continuously, to compare with a stalled one. */
async function readers(server: ServerHandle, n: number, channel: string) {
  return await openSubscribers(server, n, (_, proto) => ({
    commands: [["SUBSCRIBE", channel]],
    confirmation: frame(proto, "subscribe", channel, 1),
  }), 2);
}

/** A subscriber (named "stalled") that never reads again after subscribing. */
async function stalled(server: ServerHandle, channel: string) {
  const [s] = await openSubscribers(server, 1, (_, proto) => ({
    commands: [["CLIENT", "SETNAME", "stalled"], ["SUBSCRIBE", channel]],
    confirmation: frame(proto, "subscribe", channel, 1),
  }));
  return s!;
}

Deno.test({
  name:
    "A subscriber that stops reading is disconnected at the pubsub hard limit; the others get every message",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const admin = await server.connect();
    const fast = await readers(server, 4, "ch");
    const slow = await stalled(server, "ch");
    try {
      // A long soft period: only the hard limit can act here.
      assertEquals(
        await admin.call(
          "CONFIG",
          "SET",
          "client-output-buffer-limit",
          "pubsub 1mb 256kb 60",
        ),
        "OK",
      );
      const SIZE = 32 * 1024;
      const expected = { 2: "", 3: "" };
      let sent = 0;
      let droppedAt = -1;
      // Kernel socket buffers take several MB before the server's own
      // buffer grows; 40 MB is far beyond both.
      while (sent < 1280) {
        const batch: (string | number)[][] = [];
        for (let j = 0; j < 8; j++, sent++) {
          const m = payload(sent, SIZE);
          batch.push(["PUBLISH", "ch", m]);
          expected[2] += frame(2, "message", "ch", m);
          expected[3] += frame(3, "message", "ch", m);
        }
        const counts = await admin.pipeline(batch) as number[];
        for (let j = 0; j < counts.length; j++) {
          assert(counts[j] === 5 || counts[j] === 4, `receivers ${counts[j]}`);
          if (counts[j] === 4 && droppedAt < 0) droppedAt = sent - 8 + j;
        }
        // Reading as we go keeps the fast subscribers' buffers small.
        await Promise.all(
          fast.map((s) => s.readBytes(expected[s.proto].length)),
        );
        if (droppedAt >= 0 && sent > droppedAt + 32) break;
      }
      assert(droppedAt > 0, "the stalled subscriber was never disconnected");
      assertEquals(await admin.call("PUBSUB", "NUMSUB", "ch"), ["ch", 4]);
      for (const s of fast) {
        assertEquals(s.text.length, expected[s.proto].length);
        assert(s.take() === expected[s.proto], "fast subscriber's bytes");
      }
      // The stalled one finds its connection closed once it reads again,
      // having received a prefix of the messages and nothing after it.
      await slow.readUntil(() => false).catch(() => {});
      assert(slow.eof, "the stalled subscriber's connection is closed");
      assert(
        expected[slow.proto].startsWith(slow.text),
        "the stalled subscriber got a prefix of the stream",
      );
    } finally {
      admin.close();
      slow.close();
      for (const s of fast) s.close();
    }
  },
});

Deno.test({
  name:
    "A subscriber over the pubsub soft limit is disconnected only after the soft seconds, with or without more messages",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const admin = await server.connect();
    const fast = await readers(server, 2, "ch");
    const slow = await stalled(server, "ch");
    // Gets a burst, then nothing: only a periodic check can drop it.
    const quiet = await stalled(server, "quiet");
    try {
      const SOFT_SECONDS = 2;
      assertEquals(
        await admin.call(
          "CONFIG",
          "SET",
          "client-output-buffer-limit",
          `pubsub 0 256kb ${SOFT_SECONDS}`,
        ),
        "OK",
      );
      const SIZE = 32 * 1024;
      const publish = async (batch: string[], toQuiet: boolean) => {
        const counts = await admin.pipeline(
          batch.map((m) => ["PUBLISH", "ch", m]),
        ) as number[];
        if (toQuiet) {
          await admin.pipeline(batch.map((m) => ["PUBLISH", "quiet", m]));
        }
        // The reading subscribers get each message (RESP3 frames are as
        // long as RESP2 ones).
        let bytes = 0;
        for (const m of batch) bytes += frame(2, "message", "ch", m).length;
        await Promise.all(fast.map((s) => s.readBytes(bytes)));
        for (const s of fast) assertEquals(s.take().length, bytes);
        return counts;
      };
      // A burst far over the soft limit (and the kernel's buffers).
      const start = Date.now();
      let i = 0;
      for (let b = 0; b < 30; b++) {
        const batch = Array.from({ length: 8 }, () => payload(i++, SIZE));
        assertEquals(await publish(batch, true), Array(8).fill(3), "burst");
      }
      const burst = Date.now() - start;
      assert(burst < SOFT_SECONDS * 1000, `the burst took ${burst} ms`);
      // Small messages on "ch" keep its stalled subscriber's limit checked;
      // "quiet" gets nothing more.
      let dropped = -1;
      let quietDropped = -1;
      while (Date.now() - start < (SOFT_SECONDS + 4) * 1000) {
        const [n] = await publish([payload(i++, 16)], false);
        if (n === 2 && dropped < 0) dropped = Date.now() - start;
        const [, q] = await admin.call("PUBSUB", "NUMSUB", "quiet") as [
          string,
          number,
        ];
        if (q === 0 && quietDropped < 0) quietDropped = Date.now() - start;
        if (dropped > 0 && quietDropped > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert(dropped > 0, "the stalled subscriber was never disconnected");
      assert(quietDropped > 0, "the quiet subscriber was never disconnected");
      // Never before the soft seconds (Redis counts whole seconds, so it
      // may act up to a second later; without traffic, at its next cron).
      assert(
        dropped >= SOFT_SECONDS * 1000 - 50,
        `disconnected after ${dropped} ms`,
      );
      assert(
        quietDropped >= SOFT_SECONDS * 1000 - 50,
        `quiet one disconnected after ${quietDropped} ms`,
      );
      assertEquals(await admin.call("PUBSUB", "NUMSUB", "ch"), ["ch", 2]);
    } finally {
      admin.close();
      slow.close();
      quiet.close();
      for (const s of fast) s.close();
    }
  },
});

Deno.test({
  name:
    "PUBLISH throughput to subscribers that read does not collapse while one subscriber is stalled",
  ...options,
  async fn() {
    await using server = await spawnServer();
    const admin = await server.connect();
    const fast = await readers(server, 10, "ch");
    let slow: Subscriber | undefined;
    try {
      // No limit: the stalled subscriber stays and its output keeps growing.
      await admin.call(
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "pubsub 0 0 0",
      );
      for (const s of fast) s.countOnly = true;
      // Publishes `count` 4 KiB messages in pipelined batches and waits
      // until every reading subscriber has them all; returns messages/s.
      const SIZE = 4096;
      let next = 0;
      const run = async (count: number, receivers: number) => {
        const start = performance.now();
        const targets = fast.map(() => 0);
        for (let done = 0; done < count; done += 100) {
          const batch: (string | number)[][] = [];
          for (let j = 0; j < 100; j++) {
            batch.push(["PUBLISH", "ch", payload(next++, SIZE)]);
          }
          const counts = await admin.pipeline(batch);
          assertEquals(counts, Array(100).fill(receivers));
          const frameLength =
            frame(2, "message", "ch", payload(0, SIZE)).length;
          for (let k = 0; k < fast.length; k++) {
            // RESP3 frames are as long as RESP2 ones (">" for "*").
            targets[k]! += 100 * frameLength;
          }
        }
        await Promise.all(fast.map((s, k) => s.readBytes(targets[k]!)));
        const rate = count / ((performance.now() - start) / 1000);
        fast.forEach((s, k) => assertEquals(s.count, targets[k]));
        for (const s of fast) s.take();
        return rate;
      };
      await run(1000, 10); // warm-up
      const without = await run(2500, 10);
      slow = await stalled(server, "ch");
      const withStalled = await run(2500, 11);
      assert(
        withStalled >= without * 0.3,
        `${Math.round(withStalled)} msg/s with a stalled subscriber, ${
          Math.round(without)
        } msg/s without`,
      );
      // The stalled subscriber really is behind: megabytes of its messages
      // wait in the server (beyond what the kernel's buffers took).
      assertEquals(await admin.call("PUBSUB", "NUMSUB", "ch"), ["ch", 11]);
      const list = await admin.call("CLIENT", "LIST") as string;
      const line = list.split("\n").find((l) => l.includes(" name=stalled "));
      const field = (name: string) =>
        Number(line?.match(new RegExp(` ${name}=(\\d+)`))?.[1]);
      const queued = field("obl") + field("omem");
      assert(queued > 1_000_000, `stalled client: ${line}`);
    } finally {
      admin.close();
      slow?.close();
      for (const s of fast) s.close();
    }
  },
});
