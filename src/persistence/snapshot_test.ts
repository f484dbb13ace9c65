import { assert, assertEquals } from "../../tests/_deps.ts";
import {
  type InProcessServer,
  startInProcess,
} from "../../tests/_harness/in_process.ts";
import type { RespClient } from "../../tests/_harness/resp_client.ts";
import type { ServerState } from "../state.ts";
import type { RedisValue } from "../store/values.ts";
import { ManualClock } from "../util/clock.ts";
import { concatBytes } from "../util/bytes.ts";
import { digestValue } from "./digest.ts";
import { rdbReadOptions, rdbWriteOptions } from "./codec.ts";
import { RdbReader } from "./rdb/reader.ts";
import { RdbSnapshot, Snapshot, type SnapshotVisitor } from "./snapshot.ts";

// "db key" -> digest of value and expiry, for comparing datasets exactly.
type Contents = Map<string, string>;

function entry(
  out: Contents,
  db: number,
  key: string,
  value: RedisValue,
  expireAt: number | undefined,
): void {
  const id = `${db} ${key}`;
  assert(!out.has(id), `key ${id} reported twice`);
  out.set(id, digestValue(value, expireAt ?? -1));
}

function contentsOf(state: ServerState): Contents {
  const out: Contents = new Map();
  for (const db of state.keyspace.dbs) {
    db.dict.forEach((value, key) => {
      entry(out, db.id, key, value, db.expires.get(key));
    });
  }
  return out;
}

// A visitor collecting copies (no encoder: kept keys come back as values).
function collector(): { out: Contents; visitor: SnapshotVisitor } {
  const out: Contents = new Map();
  let db = -1;
  return {
    out,
    visitor: {
      db(index) {
        db = index;
      },
      key(key, value, expireAt) {
        entry(out, db, key, value, expireAt);
      },
      record() {
        throw new Error("no records without an encoder");
      },
    },
  };
}

function contentsOfRdb(state: ServerState, bytes: Uint8Array): Contents {
  const out: Contents = new Map();
  const reader = new RdbReader(bytes, rdbReadOptions(state));
  let db = 0;
  for (;;) {
    const item = reader.next();
    if (item.kind === "end") return out;
    if (item.kind === "db") db = item.db;
    if (item.kind === "key") {
      entry(out, db, item.key, item.value, item.expireAt);
    }
  }
}

async function populate(client: RespClient, keys: number): Promise<void> {
  const batch: (string | number)[][] = [];
  for (const db of [0, 1, 3]) {
    batch.push(["select", db]);
    for (let i = 0; i < keys; i++) {
      const k = `k${i}`;
      switch (i % 6) {
        case 0:
          batch.push(["set", k, `v${i}`]);
          break;
        case 1:
          batch.push(["rpush", k, "a", "b", `c${i}`]);
          break;
        case 2:
          batch.push(["hset", k, "f", `${i}`, "g", "x"]);
          break;
        case 3:
          batch.push(["sadd", k, "1", "2", `${i}`]);
          break;
        case 4:
          batch.push(["zadd", k, 1, "a", i, "b"]);
          break;
        case 5:
          batch.push(["set", k, `t${i}`, "px", 1000000 + i]);
          break;
      }
    }
  }
  batch.push(["select", 0]);
  await client.pipeline(batch);
}

// Writes of every kind, spread over keys the walk has and has not reached.
function mutations(round: number, keys: number): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const db of [0, 1, 3]) {
    out.push(["select", db]);
    for (let j = 0; j < 12; j++) {
      const i = (round * 97 + j * 131 + db * 7) % keys;
      const k = `k${i}`;
      switch ((round + j) % 12) {
        case 0:
          out.push(["set", k, `new${round}`]);
          break;
        case 1:
          out.push(["del", k]);
          break;
        case 2:
          out.push(["append", k, "more"]);
          break;
        case 3:
          out.push(["rpush", k, "pushed"]);
          break;
        case 4:
          out.push(["hset", k, "f", "changed", "h", "added"]);
          break;
        case 5:
          out.push(["sadd", k, "added"]);
          break;
        case 6:
          out.push(["zadd", k, 99, "b"]);
          break;
        case 7:
          out.push(["pexpire", k, 5000000]);
          break;
        case 8:
          out.push(["persist", k]);
          break;
        case 9:
          out.push(["set", `created${round}:${j}`, "x"]);
          break;
        case 10:
          out.push(["rename", k, `renamed${round}:${j}`]);
          break;
        case 11:
          out.push(["setrange", k, 2, "XY"]);
          break;
      }
    }
  }
  out.push(["select", 0]);
  return out;
}

async function withServer(
  fn: (server: InProcessServer, client: RespClient) => Promise<void>,
  clock?: ManualClock,
): Promise<void> {
  await using server = startInProcess(
    [],
    clock === undefined ? {} : { clock },
  );
  const client = await server.connect();
  try {
    await fn(server, client);
  } finally {
    client.close();
  }
}

Deno.test("Snapshot hands out the dataset as it was at the start, under writes of every kind", async () => {
  await withServer(async (server, client) => {
    const keys = 3000;
    await populate(client, keys);
    const before = contentsOf(server.state);
    const snap = new Snapshot(server.state.keyspace);
    assertEquals(snap.keysTotal, before.size);
    const { out, visitor } = collector();
    let round = 0;
    while (!snap.step(visitor, 0)) {
      await client.pipeline(mutations(round++, keys));
    }
    assert(round > 20, `only ${round} rounds of writes ran`);
    assertEquals(out, before);
    assertEquals(snap.keysProcessed, before.size);
    assert(contentsOf(server.state).size !== 0);
    // The hook is gone once the snapshot is done.
    for (const db of server.state.keyspace.dbs) assertEquals(db.cow, undefined);
  });
});

Deno.test("Snapshot keeps its view across FLUSHDB, SWAPDB and FLUSHALL", async () => {
  await withServer(async (server, client) => {
    const keys = 2000;
    await populate(client, keys);
    const before = contentsOf(server.state);
    const snap = new Snapshot(server.state.keyspace);
    const { out, visitor } = collector();
    const steps: (string | number)[][][] = [
      [["swapdb", 0, 1]],
      [["set", "k0", "after-swap"], ["del", "k1"]],
      [["select", 3], ["flushdb"], ["set", "k2", "after-flush"]],
      [["select", 1], ["append", "k0", "!"]],
      [["swapdb", 1, 3]],
      [["flushall"]],
      [["set", "k5", "after-flushall"]],
    ];
    let i = 0;
    while (!snap.step(visitor, 0)) {
      if (i < steps.length) await client.pipeline(steps[i++]!);
    }
    assertEquals(i, steps.length);
    assertEquals(out, before);
  });
});

Deno.test("Snapshot saves keys that expire (lazily or actively) during the walk", async () => {
  const clock = new ManualClock();
  await withServer(async (server, client) => {
    const batch: (string | number)[][] = [];
    for (let i = 0; i < 3000; i++) batch.push(["set", `e${i}`, i, "px", 100]);
    await client.pipeline(batch);
    const before = contentsOf(server.state);
    const snap = new Snapshot(server.state.keyspace);
    const { out, visitor } = collector();
    snap.step(visitor, 0);
    clock.advance(1000);
    // Lazy expiry of some, the active cycle for the rest.
    for (let i = 0; i < 3000; i += 7) await client.call("get", `e${i}`);
    server.state.keyspace.db(0).expireIfNeeded("e1");
    while (!snap.step(visitor, 0)) {
      await client.call("get", `e${Math.floor(Math.random() * 3000)}`);
    }
    assertEquals(out, before);
    assertEquals(await client.call("dbsize") as number < 3000, true);
  }, clock);
});

Deno.test("Snapshot hands out each key once while its table shrinks and grows", async () => {
  await withServer(async (server, client) => {
    const batch: (string | number)[][] = [];
    for (let i = 0; i < 8000; i++) batch.push(["set", `k${i}`, i]);
    await client.pipeline(batch);
    const before = contentsOf(server.state);
    const dict = server.state.db(0).dict;
    const slots = dict.slots;
    const snap = new Snapshot(server.state.keyspace);
    const { out, visitor } = collector();
    snap.step(visitor, 0);
    assert(out.size > 0 && out.size < 100);
    // Every key the walk has not reached goes: the table shrinks so much
    // that its first bucket covers all the walk had visited.
    const dels: (string | number)[][] = [];
    for (let i = 0; i < 8000; i++) {
      if (!out.has(`0 k${i}`)) dels.push(["del", `k${i}`]);
    }
    await client.pipeline(dels);
    assert(dict.slots * 32 < slots, `the table only shrank to ${dict.slots}`);
    snap.step(visitor, 0);
    // Then it grows again with new keys.
    const adds: (string | number)[][] = [];
    for (let i = 0; i < 8000; i++) adds.push(["set", `n${i}`, i]);
    await client.pipeline(adds);
    while (!snap.step(visitor, 0)) {
      await client.call("set", `m${Math.random()}`, "x");
    }
    assertEquals(out, before);
  });
});

Deno.test("Snapshot finds the keys a growing table has moved", async () => {
  await withServer(async (server, client) => {
    const batch: (string | number)[][] = [];
    for (let i = 0; i < 8000; i++) batch.push(["set", `k${i}`, i]);
    await client.pipeline(batch);
    const before = contentsOf(server.state);
    const dict = server.state.db(0).dict;
    const slots = dict.slots;
    const snap = new Snapshot(server.state.keyspace);
    const { out, visitor } = collector();
    snap.step(visitor, 0);
    // New keys: the table doubles (twice), moving half of every bucket.
    const adds: (string | number)[][] = [];
    for (let i = 0; i < 30000; i++) adds.push(["set", `n${i}`, i]);
    await client.pipeline(adds);
    assert(dict.slots >= slots * 4, `the table only grew to ${dict.slots}`);
    while (!snap.step(visitor, 0)) {
      await client.call("del", `k${Math.floor(Math.random() * 8000)}`);
    }
    assertEquals(out, before);
  });
});

Deno.test("Snapshot keeps the keys a write command declares before it runs", async () => {
  await withServer(async (server, client) => {
    await client.call("set", "k", "v");
    const snap = new Snapshot(server.state.keyspace);
    // GETEX with no option is a write command that only reads the key, so
    // only dispatch's declared-keys hook keeps it.
    assertEquals(await client.call("getex", "k"), "v");
    assertEquals(snap.cowPeak, 1);
    // A read-only command keeps nothing.
    await client.call("set", "k2", "v2");
    const snap2 = new Snapshot(server.state.keyspace);
    await client.call("get", "k2");
    assertEquals(snap2.cowPeak, 0);
    snap.cancel();
    snap2.cancel();
    assertEquals(server.state.db(0).cow, undefined);
  });
});

Deno.test("RdbSnapshot bytes hold the point in time, with kept keys encoded at once", async () => {
  await withServer(async (server, client) => {
    const keys = 3000;
    await populate(client, keys);
    const before = contentsOf(server.state);
    const rdb = new RdbSnapshot(server.state.keyspace, {
      write: rdbWriteOptions(server.state),
      aux: [["redis-ver", "7.0.15"], ["redis-bits", 64]],
    });
    const pieces: Uint8Array[] = [];
    let round = 0;
    for (;;) {
      const piece = rdb.next(0);
      if (piece === null) break;
      pieces.push(piece);
      await client.pipeline(mutations(round++, keys));
    }
    assert(rdb.snapshot.cowPeak > 0, "no key was kept by copy on write");
    const bytes = concatBytes(pieces);
    assertEquals(contentsOfRdb(server.state, bytes), before);
  });
});

Deno.test("RdbSnapshot.writeSync finishes a snapshot begun in slices, or changed before its walk began", async () => {
  await withServer(async (server, client) => {
    const keys = 3000;
    await populate(client, keys);
    for (const slices of [0, 3, 40]) {
      const before = contentsOf(server.state);
      const rdb = new RdbSnapshot(server.state.keyspace, {
        write: rdbWriteOptions(server.state),
        aux: [],
      });
      const pieces: Uint8Array[] = [];
      // Writes before the walk reaches any database, then between slices.
      await client.pipeline(mutations(100 + slices, keys));
      for (let i = 0; i < slices; i++) {
        pieces.push(rdb.next(0)!);
        await client.pipeline(mutations(i, keys));
      }
      rdb.writeSync((p) => pieces.push(p));
      assertEquals(rdb.next(0), null);
      const bytes = concatBytes(pieces);
      assertEquals(contentsOfRdb(server.state, bytes), before, `${slices}`);
      assertEquals(server.state.db(0).cow, undefined);
    }
  });
});

Deno.test("RdbSnapshot.stream serves other clients between slices", async () => {
  await withServer(async (server, client) => {
    const batch: (string | number)[][] = [];
    for (let i = 0; i < 20000; i++) batch.push(["set", `k${i}`, `v${i}`]);
    await client.pipeline(batch);
    const before = contentsOf(server.state);
    const rdb = new RdbSnapshot(server.state.keyspace, {
      write: rdbWriteOptions(server.state),
      aux: [],
      keyDelayUs: () => 20,
    });
    const other = await server.connect();
    let served = 0;
    let reading = true;
    const pings = (async () => {
      while (reading) {
        await other.call("set", `k${served % 20000}`, "changed");
        served++;
      }
    })();
    const pieces: Uint8Array[] = [];
    for await (const piece of rdb.stream(2)) pieces.push(piece);
    reading = false;
    await pings;
    other.close();
    assert(served > 20, `only ${served} commands were served during the save`);
    const bytes = concatBytes(pieces);
    assertEquals(contentsOfRdb(server.state, bytes), before);
  });
});

Deno.test("RdbSnapshot.stream goes on past slices that produce no bytes", async () => {
  await withServer(async (server, client) => {
    const batch: (string | number)[][] = [];
    for (let i = 0; i < 5000; i++) batch.push(["set", `k${i}`, `v${i}`]);
    await client.pipeline(batch);
    const before = contentsOf(server.state);
    const rdb = new RdbSnapshot(server.state.keyspace, {
      write: rdbWriteOptions(server.state),
      aux: [],
    });
    const reader = rdb.stream(0).getReader();
    const pieces: Uint8Array[] = [];
    const first = await reader.read();
    pieces.push(first.value!);
    // Every key is written now: the walk then meets only keys kept
    // already, and its slices produce nothing until the end.
    const writes: (string | number)[][] = [];
    for (let i = 0; i < 5000; i++) writes.push(["set", `k${i}`, "new"]);
    await client.pipeline(writes);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"stalled">((resolve) => {
      timer = setTimeout(() => resolve("stalled"), 10000);
    });
    try {
      for (;;) {
        const r = await Promise.race([reader.read(), timeout]);
        assert(r !== "stalled", "the stream stopped producing");
        if (r.done) break;
        pieces.push(r.value);
      }
    } finally {
      clearTimeout(timer);
    }
    const bytes = concatBytes(pieces);
    assertEquals(contentsOfRdb(server.state, bytes), before);
  });
});

Deno.test("Snapshot of an empty keyspace finishes at once and hooks nothing", async () => {
  await withServer((server) => {
    const snap = new Snapshot(server.state.keyspace);
    assertEquals(snap.finished, true);
    assertEquals(server.state.db(0).cow, undefined);
    const bytes = new RdbSnapshot(server.state.keyspace, {
      write: rdbWriteOptions(server.state),
      aux: [],
    }).toBytes();
    assertEquals(contentsOfRdb(server.state, bytes).size, 0);
    return Promise.resolve();
  });
});
