import { assertEquals, assertThrows } from "../../../tests/_deps.ts";
import { ManualClock } from "../../util/clock.ts";
import { log } from "../../log.ts";
import { AofWriter, type AppendTarget } from "./writer.ts";

/** An in-memory file that records writes and syncs. */
class MemoryFile implements AppendTarget {
  data = "";
  writes = 0;
  syncs = 0;
  asyncSyncs = 0;
  failNext: Error | undefined;
  maxChunk = Infinity;

  writeSync(p: Uint8Array): number {
    if (this.failNext !== undefined) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    const n = Math.min(p.length, this.maxChunk);
    for (let i = 0; i < n; i++) this.data += String.fromCharCode(p[i]!);
    this.writes++;
    return n;
  }
  syncDataSync(): void {
    this.syncs++;
  }
  syncData(): Promise<void> {
    this.asyncSyncs++;
    return Promise.resolve();
  }
  close(): void {}
}

function setup(fsync: "always" | "everysec" | "no" = "everysec") {
  log.level = "nothing";
  const clock = new ManualClock(1_700_000_000_000);
  const writer = new AofWriter({
    clock,
    fatal: (message) => {
      throw new Error(message);
    },
  });
  writer.fsync = fsync;
  const file = new MemoryFile();
  writer.attach(file, 0);
  return { clock, writer, file };
}

Deno.test("AofWriter encodes commands as RESP with a SELECT when the database changes", () => {
  const { writer, file } = setup();
  writer.propagate(0, ["set", "k", "v"]);
  writer.propagate(0, ["incr", "n"]);
  writer.propagate(3, ["del", "k\xff"]);
  writer.flush();
  assertEquals(
    file.data,
    "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" +
      "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n" +
      "*2\r\n$4\r\nincr\r\n$1\r\nn\r\n" +
      "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n" +
      "*2\r\n$3\r\ndel\r\n$2\r\nk\xff\r\n",
  );
  assertEquals(writer.currentSize, file.data.length);
  assertEquals(writer.pending, 0);
});

Deno.test("AofWriter writes everything of one turn of the event loop in one write, before replies wait", async () => {
  const { writer, file } = setup();
  writer.propagate(0, ["set", "a", "1"]);
  const barrier = writer.beforeReply();
  writer.propagate(0, ["set", "b", "2"]);
  assertEquals(writer.beforeReply(), barrier);
  assertEquals(file.writes, 0);
  await barrier;
  assertEquals(file.writes, 1);
  assertEquals(writer.beforeReply(), undefined);
  assertEquals(file.data.endsWith("$1\r\nb\r\n$1\r\n2\r\n"), true);
});

Deno.test("AofWriter adds a SELECT again after attach or resetSelectedDb", () => {
  const { writer, file } = setup();
  writer.propagate(1, ["set", "a", "1"]);
  writer.resetSelectedDb();
  writer.propagate(1, ["set", "b", "2"]);
  writer.flush();
  assertEquals(file.data.split("SELECT").length - 1, 2);
});

Deno.test("AofWriter with aof-timestamp-enabled writes #TS lines when the second changes", () => {
  const { writer, file, clock } = setup();
  writer.timestamps = true;
  writer.propagate(0, ["set", "a", "1"]);
  writer.propagate(0, ["set", "a", "2"]);
  clock.advance(1000);
  writer.propagate(0, ["set", "a", "3"]);
  writer.flush();
  const lines = file.data.split("\r\n").filter((l) => l.startsWith("#"));
  assertEquals(lines, ["#TS:1700000000", "#TS:1700000001"]);
  assertEquals(
    file.data.startsWith("#TS:1700000000\r\n*2\r\n$6\r\nSELECT"),
    true,
  );
});

Deno.test("AofWriter with appendfsync always fdatasyncs after every write", () => {
  const { writer, file } = setup("always");
  writer.propagate(0, ["set", "a", "1"]);
  writer.flush();
  writer.propagate(0, ["set", "a", "2"]);
  writer.flush();
  assertEquals([file.writes, file.syncs, file.asyncSyncs], [2, 2, 0]);
  assertEquals(writer.fsyncOffset, writer.currentSize);
});

Deno.test("AofWriter with appendfsync everysec starts at most one background fdatasync a second", async () => {
  const { writer, file, clock } = setup("everysec");
  writer.lastFsyncSec = Math.floor(clock.now() / 1000);
  writer.propagate(0, ["set", "a", "1"]);
  writer.flush();
  assertEquals(file.asyncSyncs, 0);
  clock.advance(1000);
  writer.propagate(0, ["set", "a", "2"]);
  writer.flush();
  writer.propagate(0, ["set", "a", "3"]);
  writer.flush();
  assertEquals([file.syncs, file.asyncSyncs], [0, 1]);
  await writer.settled();
  // The last write has no fsync yet; the cron catches up a second later.
  assertEquals(writer.fsyncOffset < writer.currentSize, true);
  writer.cron();
  assertEquals(file.asyncSyncs, 1);
  clock.advance(1000);
  writer.cron();
  await writer.settled();
  assertEquals(file.asyncSyncs, 2);
  assertEquals(writer.fsyncOffset, writer.currentSize);
});

Deno.test("AofWriter with appendfsync no never fsyncs", async () => {
  const { writer, file, clock } = setup("no");
  writer.propagate(0, ["set", "a", "1"]);
  clock.advance(5000);
  writer.flush();
  writer.cron();
  await writer.settled();
  assertEquals([file.syncs, file.asyncSyncs], [0, 0]);
});

Deno.test("AofWriter keeps the data and reports the error when a write fails, and recovers", () => {
  const { writer, file } = setup("everysec");
  writer.propagate(0, ["set", "a", "1"]);
  file.failNext = new Error("No space left on device (os error 28)");
  assertEquals(writer.flush(), false);
  assertEquals(writer.writeError, "No space left on device");
  assertEquals(writer.pending > 0, true);
  writer.cron();
  assertEquals(writer.writeError, undefined);
  assertEquals(writer.pending, 0);
  assertEquals(file.data.includes("$1\r\na\r\n$1\r\n1\r\n"), true);
});

Deno.test("AofWriter with appendfsync always gives up on a failed write", () => {
  const { writer, file } = setup("always");
  writer.propagate(0, ["set", "a", "1"]);
  file.failNext = new Error("Input/output error (os error 5)");
  assertThrows(() => writer.flush(), /Can't recover from AOF write error/);
});

Deno.test("AofWriter retries short writes until the buffer is written", () => {
  const { writer, file } = setup();
  file.maxChunk = 7;
  writer.propagate(0, ["set", "key", "value"]);
  writer.flush();
  assertEquals(file.data.endsWith("$5\r\nvalue\r\n"), true);
  assertEquals(writer.currentSize, file.data.length);
});

Deno.test("AofWriter ignores commands while not accepting (loading)", () => {
  const { writer, file } = setup();
  writer.accepting = false;
  writer.propagate(0, ["set", "a", "1"]);
  writer.flush();
  assertEquals([file.data, writer.beforeReply()], ["", undefined]);
});
