import { assertEquals } from "../../tests/_deps.ts";
import { StreamId } from "./structures/stream_id.ts";
import {
  createConsumer,
  INVALID_ENTRIES_READ,
  type Nack,
  StreamValue,
} from "./stream_value.ts";

const LIMITS = { maxBytes: 4096, maxEntries: 100 };

function stream(n: number): StreamValue {
  const s = new StreamValue();
  for (let i = 1; i <= n; i++) {
    s.append(StreamId.of(i, 0), ["f", "v"], 0, LIMITS);
  }
  return s;
}

Deno.test("StreamValue tracks the first ID, the max deleted ID and entries added", () => {
  const s = stream(5);
  assertEquals([String(s.firstId), String(s.lastId), s.entriesAdded], [
    "1-0",
    "5-0",
    5n,
  ]);
  assertEquals(s.deleteIds([StreamId.of(1, 0), StreamId.of(3, 0)]), 2);
  assertEquals([String(s.firstId), String(s.maxDeletedId)], ["2-0", "3-0"]);
  assertEquals(
    s.deleteIds([StreamId.of(2, 0), StreamId.of(4, 0), StreamId.of(5, 0)]),
    3,
  );
  assertEquals([String(s.firstId), String(s.maxDeletedId), s.length], [
    "0-0",
    "5-0",
    0,
  ]);
});

Deno.test("StreamValue lag is exact without tombstones and unknown across one", () => {
  const s = stream(5);
  const g = s.createGroup("g", StreamId.of(0, 0), INVALID_ENTRIES_READ)!;
  assertEquals(s.groupLag(g), 5n);
  s.advanceGroup(g, StreamId.of(1, 0));
  s.advanceGroup(g, StreamId.of(2, 0));
  assertEquals([g.entriesRead, s.groupLag(g)], [2n, 3n]);
  s.deleteIds([StreamId.of(4, 0)]);
  assertEquals(s.groupLag(g), undefined);
  s.advanceGroup(g, StreamId.of(3, 0));
  assertEquals([g.entriesRead, s.groupLag(g)], [
    INVALID_ENTRIES_READ,
    undefined,
  ]);
  s.advanceGroup(g, StreamId.of(5, 0));
  assertEquals([g.entriesRead, s.groupLag(g)], [5n, 0n]);
});

Deno.test("StreamValue estimates read counters at the edges", () => {
  const s = stream(5);
  s.trim({ strategy: "maxlen", maxlen: 3, approx: false, limit: 0 });
  assertEquals(s.estimateDistance(StreamId.of(1, 0)), 2n);
  assertEquals(s.estimateDistance(StreamId.of(3, 0)), 3n);
  assertEquals(s.estimateDistance(StreamId.of(4, 0)), INVALID_ENTRIES_READ);
  assertEquals(s.estimateDistance(StreamId.of(5, 0)), 5n);
  assertEquals(s.estimateDistance(StreamId.of(6, 0)), INVALID_ENTRIES_READ);
  assertEquals(new StreamValue().estimateDistance(StreamId.of(9, 0)), 0n);
});

Deno.test("StreamValue clone copies groups, consumers and pending entries", () => {
  const s = stream(2);
  const g = s.createGroup("g", StreamId.of(0, 0), 0n)!;
  const c = createConsumer(g, "c", 1)!;
  const nack: Nack = {
    id: StreamId.of(1, 0),
    deliveryTime: 5,
    deliveryCount: 1,
    consumer: c,
  };
  g.pel.set(nack.id, nack);
  c.pel.set(nack.id, nack);
  const copy = s.clone();
  const cg = copy.group("g")!;
  const cn = cg.pel.get(StreamId.of(1, 0))!;
  assertEquals(cn === nack, false);
  assertEquals(cn.consumer === cg.consumers.get("c"), true);
  assertEquals(cg.consumers.get("c")!.pel.get(StreamId.of(1, 0)) === cn, true);
  s.deleteIds([StreamId.of(1, 0)]);
  assertEquals(copy.length, 2);
});
